"""The raw archive: captured documents on disk, named by content hash, described by a manifest.

The archive is the one place a capture lives, so it is append-only: a file is written once, under
the sha256 of its bytes, and never rewritten; manifest entries are never removed. Names come from
content hashes, never from URLs, so no URL can write outside the archive.

Versions. `document_id` names a URL and `(document_id, version)` one capture of it. When a URL is
captured again with different bytes, a new entry with the next version (1, 2, …) is added beside
the old one, under the same document_id. A re-fetch that finds the same bytes (or is answered
304 Not Modified) adds nothing: it moves `last_seen` of the latest version and keeps the validators
the server last gave (`etag`, `last_modified`) for the next conditional request. Those three are
the only fields ever changed in place. The same bytes at two URLs are one file and two entries.

Writing the manifest. A new capture's entry is appended after the bytes already there (the other entries are
neither dumped again nor moved, and their layout, comments included, is kept), so that a capture costs one
entry's write whatever the size of the archive. Before appending, the writer leaves a marker holding the size
the manifest had: an append killed midway leaves the marker, readers ignore what follows that size, and the
next writer cuts it off, so a crash leaves the old manifest or the new one, never half an entry. A change in
place (`last_seen`, validators) rewrites the whole manifest through a temporary file and an atomic rename,
keeping its leading comment; a crawl makes those changes once, at its end.

One lock (a file beside the manifest) orders everything: writers of `manifest.yml` and `fetch_failures.yml`
hold it exclusively, one at a time; readers of the manifest hold it shared, so that they never read an
append half-written.

The index. A RawArchive keeps the captures it read, by URL and document_id, and brings them up to date
before each use by reading only what other writers appended since (the whole manifest again only after a
rewrite): a crawl reads the manifest once, not once per capture. A RawArchive is used by one thread at a time.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import Container, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

import yaml

from ingestion.media import UNKNOWN, sniff_media_type

MANIFEST_NAME = "manifest.yml"
MANIFEST_LOCK_NAME = ".manifest.lock"
"""The archive's lock; it holds the count of the manifest's whole rewrites, which tells an index whether
the entries it read still stand."""
APPENDING_NAME = ".manifest.appending"
"""Present while an entry is appended: the manifest's size before the append."""
DOCUMENTS_DIR = "documents"
DEFAULT_MANIFEST_HEADER = (
    "# The raw archive: one entry per capture, written by ingestion/capture/archive.py.\n"
    "# Entries are never removed; a changed page gets a new version beside the old one.\n"
)

EXTENSIONS = {"text/html": ".html", "application/pdf": ".pdf"}
SET_BY_THE_ARCHIVE = frozenset({"version", "first_seen", "last_seen", "captured_at", "sha256", "path"})
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ManifestDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """libyaml's emitter where it is installed: the same text as the Python emitter, written faster.
    No anchors: each appended entry is dumped on its own, and two dumps would both number theirs from &id001,
    which YAML refuses to read once they share a file."""

    def ignore_aliases(self, data) -> bool:
        return True


YAML_DUMPER = ManifestDumper


class ArchiveError(Exception):
    """A capture or the manifest is not what the archive needs; the message says what to fix."""


class EmptyCapture(ArchiveError):
    """No bytes: there is nothing to capture."""


class UnsupportedContentType(ArchiveError):
    """tdi captures HTML pages and PDF files, nothing else."""


class ContentTypeMismatch(ArchiveError):
    """The bytes contradict the declared type (HTML served as a PDF, a PDF served as HTML)."""


class AlreadyCaptured(ArchiveError):
    """The latest capture of the URL already holds these bytes."""


class CaptureMissing(ArchiveError):
    """A manifest entry's file is not in the archive's documents/ folder."""


class CaptureAltered(ArchiveError):
    """A captured file's bytes no longer have the sha256 its manifest entry gives."""


class UnknownURL(ArchiveError):
    """No capture of the URL to refer to."""


@dataclass
class Capture:
    """One manifest entry: a captured file and what is known of where it came from."""

    document_id: str
    path: str
    publisher: str
    published_on: date
    title: str
    content_type: str
    sha256: str
    source_url: str | None = None
    published_on_estimated: bool = False
    published_on_note: str | None = None
    source_url_note: str | None = None
    reconstruction: bool = False
    reconstruction_note: str | None = None
    seed: str | None = None
    attached_to: str | None = None
    captured_at: str | None = None
    version: int = 1
    first_seen: str | None = None
    last_seen: str | None = None
    final_url: str | None = None
    http_status: int | None = None
    http_content_type: str | None = None
    content_length: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def slugify(text: str, max_length: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "document"


@dataclass(frozen=True)
class ManifestSnapshot:
    """The manifest's entries as parsed once, with the size and sha256 of the bytes they came from."""

    size: int
    sha256: str
    entries: list

    def to_json(self) -> str:
        return json.dumps(
            {"size": self.size, "sha256": self.sha256, "entries": self.entries},
            ensure_ascii=False,
            default=lambda value: value.isoformat(),  # the dates and times YAML read unquoted
        )

    @classmethod
    def from_json(cls, text: str) -> ManifestSnapshot:
        return cls(**json.loads(text))


def appended_entries(data: bytes, since: ManifestSnapshot) -> list | None:
    """The snapshot's entries and those appended after its bytes, or None when the file no longer starts
    with those bytes (an entry was edited, a comment changed) or what follows them is not entries at the
    top of the list (then the whole file is parsed, and any error is reported on the whole file)."""
    known, appended = data[: since.size], data[since.size :]
    if len(data) < since.size or not known.endswith(b"\n") or sha256_of(known) != since.sha256:
        return None
    new_entries = entries_in(appended)
    return None if new_entries is None else [*since.entries, *new_entries]


def entries_in(appended: bytes) -> list | None:
    """The entries of bytes written after a manifest's list of documents, or None when they are not items
    of that list (then the whole file must be parsed)."""
    if not appended.strip():
        return []
    if not appended.startswith(b"- "):
        return None
    try:
        entries = yaml.load(appended.decode("utf-8"), Loader=YAML_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    return entries if isinstance(entries, list) else None


def yaml_problem(error: yaml.YAMLError) -> str:
    """A YAML error on one line: where (line and column, from 1) and what is wrong."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    return " ".join(f"{where}{problem}".split())


@dataclass(frozen=True)
class ManifestState:
    """What tells two states of the manifest apart: an append grows the same file, a rewrite replaces it by
    another file and counts one more rewrite. `size` ends at the last whole entry."""

    inode: int
    size: int
    rewrites: int


@dataclass(frozen=True)
class Sighting:
    """A URL seen still serving the bytes of one of its captures (same sha256, or 304 Not Modified), with the
    validators the server sent then."""

    source_url: str
    version: int
    seen_at: str
    etag: str | None = None
    last_modified: str | None = None

    def changes(self) -> dict:
        """The fields the sighting sets: last_seen, and the validators the server sent."""
        validators = {"etag": self.etag, "last_modified": self.last_modified}
        return {"last_seen": self.seen_at, **{name: value for name, value in validators.items() if value}}


class ArchiveIndex:
    """The manifest's captures by URL, document_id and sha256, and the state of the manifest they were read at."""

    def __init__(self, captures: list[Capture], state: ManifestState | None, *, appendable: bool):
        self.state = state
        self.appendable = appendable
        """Whether the manifest ends inside its list of documents, so that an entry can be written after it."""
        self.count = 0
        self.latest: dict[str, Capture] = {}
        self.url_of_id: dict[str, str | None] = {}
        self.without_url: dict[str, Capture] = {}
        for capture in captures:
            self.include(capture)

    def include(self, capture: Capture) -> None:
        """Count a capture written after those already included."""
        self.count += 1
        self.url_of_id.setdefault(capture.document_id, capture.source_url)
        if capture.source_url is None:
            self.without_url.setdefault(capture.sha256, capture)
            return
        latest = self.latest.get(capture.source_url)
        if latest is None or capture.version > latest.version:
            self.latest[capture.source_url] = capture

    def identity_of_new_capture(
        self, source_url: str | None, digest: str, chosen_id: str | None, generated_id: str
    ) -> tuple[str, int]:
        """(document_id, version) of a new capture: the URL's document_id and next version when the URL was
        captured before, else the chosen (or generated) id and version 1. Refuses the bytes the URL's
        latest capture holds, and a chosen document_id that names another URL."""
        if source_url is None:
            same = self.without_url.get(digest)
            if same is not None:
                raise AlreadyCaptured(f"already captured as {same.document_id} ({same.path})")
            return chosen_id or generated_id, 1
        latest = self.latest.get(source_url)
        if latest is None:
            if chosen_id in self.url_of_id:
                raise ArchiveError(
                    f"document_id {chosen_id} already names {self.url_of_id[chosen_id]}, not {source_url}"
                )
            return chosen_id or generated_id, 1
        if latest.sha256 == digest:
            raise AlreadyCaptured(
                f"already captured as {latest.document_id} version {latest.version} ({latest.path})"
            )
        if chosen_id and chosen_id != latest.document_id:
            raise ArchiveError(
                f"{source_url} is captured as {latest.document_id}: its new version keeps that document_id, "
                f"not {chosen_id}"
            )
        return latest.document_id, latest.version + 1


LOCKS_HELD = threading.local()
"""The archive locks each thread holds: a holder takes its lock again at no cost, where flock would make it
wait for itself."""


def locks_held() -> set[str]:
    if not hasattr(LOCKS_HELD, "paths"):
        LOCKS_HELD.paths = set()
    return LOCKS_HELD.paths


def one_writer_at_a_time(method):
    """Hold the archive's lock for the whole call: a writer reads the entries, then writes them with its
    own, and two writers at once (a crawl and `tdi add`, two `tdi add`) would each drop the other's entry."""

    @functools.wraps(method)
    def locked(self: RawArchive, *args, **kwargs):
        with self.lock():
            return method(self, *args, **kwargs)

    return locked


class RawArchive:
    """Reads and appends to a raw/ folder: `manifest.yml` plus `documents/<sha256>.<ext>`, with the index of
    its captures (see the module's docstring)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.known: ArchiveIndex | None = None

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_NAME

    @property
    def lock_path(self) -> Path:
        return self.root / MANIFEST_LOCK_NAME

    @property
    def appending_path(self) -> Path:
        return self.root / APPENDING_NAME

    @contextmanager
    def lock(self, *, shared: bool = False) -> Iterator[None]:
        """The archive's lock, exclusive for a writer, shared for a reader, released when its holder ends, even
        killed. A writer first cuts off an append killed midway. A reader of an archive nobody can write
        (a read-only folder without a lock file) reads without it."""
        key = str(self.resolved_root / MANIFEST_LOCK_NAME)
        held = locks_held()
        if key in held:
            yield
            return
        handle = self.open_lock_file(shared)
        if handle is None:
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            held.add(key)
            try:
                if not shared:
                    self.cut_interrupted_append()
                yield
            finally:
                held.discard(key)

    def open_lock_file(self, shared: bool):
        """The lock file opened to lock it, created if need be; for a reader, None when it cannot be."""
        if not shared:
            self.root.mkdir(parents=True, exist_ok=True)
            return open(self.lock_path, "a")
        try:
            return open(self.lock_path, "a")
        except OSError:
            pass
        try:
            return open(self.lock_path, "rb")
        except FileNotFoundError:
            return None

    def size_before_append(self) -> int | None:
        """The manifest's size before an append under way or killed midway; None when there is none."""
        try:
            return int(self.appending_path.read_text(encoding="ascii"))
        except FileNotFoundError:
            return None

    def cut_interrupted_append(self) -> None:
        """Cut off what an append killed midway left after the manifest's last whole entry, then its marker."""
        size = self.size_before_append()
        if size is None:
            return
        if self.manifest_path.exists() and self.manifest_path.stat().st_size > size:
            with open(self.manifest_path, "r+b") as handle:
                handle.truncate(size)
                os.fsync(handle.fileno())
        self.appending_path.unlink()

    def rewrites(self) -> int:
        """How many times the manifest was written whole: the lock file counts them."""
        try:
            text = self.lock_path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return 0
        return int(text) if text.isdigit() else 0

    def manifest_state(self) -> ManifestState | None:
        """The manifest's state now; None when there is no manifest."""
        try:
            stat = self.manifest_path.stat()
        except FileNotFoundError:
            return None
        before_append = self.size_before_append()
        size = stat.st_size if before_append is None else min(before_append, stat.st_size)
        return ManifestState(inode=stat.st_ino, size=size, rewrites=self.rewrites())

    def manifest_bytes(self) -> bytes:
        """The manifest's bytes up to its last whole entry."""
        with self.lock(shared=True):
            if not self.manifest_path.exists():
                raise ArchiveError(f"no manifest at {self.manifest_path}: is {self.root} a raw archive?")
            data = self.manifest_path.read_bytes()
            before_append = self.size_before_append()
        return data if before_append is None else data[:before_append]

    def manifest_entries(self) -> list[dict]:
        """The manifest's entries as written; each is checked on its own by capture_from_entry."""
        return self.manifest_snapshot().entries

    def manifest_snapshot(self, since: ManifestSnapshot | None = None) -> ManifestSnapshot:
        """The manifest's entries with the bytes they were parsed from. Given an earlier snapshot, only
        what was appended since is parsed: parsing YAML is the slow part of reading a large manifest, and
        every run reads it."""
        data = self.manifest_bytes()
        entries = appended_entries(data, since) if since else None
        if entries is None:
            entries = self.entries_of(data)
        return ManifestSnapshot(size=len(data), sha256=sha256_of(data), entries=entries)

    def entries_of(self, data: bytes) -> list:
        try:
            parsed = yaml.load(data.decode("utf-8"), Loader=YAML_LOADER) or {}
        except yaml.YAMLError as error:
            raise ArchiveError(f"{self.manifest_path} is not valid YAML: {yaml_problem(error)}") from error
        except UnicodeDecodeError as error:
            raise ArchiveError(f"{self.manifest_path} is not UTF-8 text: {error}") from error
        entries = parsed.get("documents") if isinstance(parsed, dict) else None
        if not isinstance(entries, list):
            raise ArchiveError(f"{self.manifest_path} has no list under 'documents'")
        return entries

    def captures(self) -> list[Capture]:
        return captures_of(self.manifest_entries())

    def index(self) -> ArchiveIndex:
        """The captures as the manifest holds them now: read whole the first time and after a rewrite,
        otherwise only what other writers appended since the last look (most times, nothing). Raises
        ArchiveError when the manifest cannot be read."""
        with self.lock(shared=True):
            state = self.manifest_state()
            if state is None:
                self.known = ArchiveIndex([], None, appendable=False)
            elif self.known is None or not self.caught_up(self.known, state):
                data = self.manifest_bytes()
                captures = captures_of(self.entries_of(data))
                self.known = ArchiveIndex(captures, state, appendable=ends_inside_the_documents_list(data))
            return self.known

    def caught_up(self, index: ArchiveIndex, state: ManifestState) -> bool:
        """Bring the index to `state` when only entries were appended since it was read: True when it now
        holds them all, False when the manifest must be read whole."""
        before = index.state
        if before == state:
            return True
        if (
            before is None
            or not index.appendable
            or (state.inode, state.rewrites) != (before.inode, before.rewrites)
            or state.size < before.size
        ):
            return False
        with open(self.manifest_path, "rb") as handle:
            handle.seek(before.size)
            entries = entries_in(handle.read(state.size - before.size))
        if entries is None:
            return False
        for position, entry in enumerate(entries, start=index.count):
            index.include(capture_from_entry(entry, position))
        index.state = state
        return True

    def latest_capture_for(self, source_url: str) -> Capture | None:
        """The highest version captured from this URL, whose validators make the next request conditional."""
        return self.index().latest.get(source_url)

    @cached_property
    def resolved_root(self) -> Path:
        """The root with its symlinks resolved once: every read checks that its file lies under it."""
        return self.root.resolve()

    def read(self, capture: Capture) -> bytes:
        return self.verified_bytes(capture.path, capture.sha256, capture.document_id)

    def path_inside(self, relative_path: str, document_id: str) -> Path:
        """Where a manifest path leads, resolved; ArchiveError when it leads outside the archive."""
        path = (self.root / relative_path).resolve()
        if not path.is_relative_to(self.resolved_root):
            raise ArchiveError(f"{document_id}: path {relative_path!r} leaves the archive")
        return path

    def verified_bytes(self, relative_path: str, sha256: str, document_id: str) -> bytes:
        """The bytes of a file of the archive, which must lie inside it and have this sha256: else ArchiveError,
        CaptureMissing or CaptureAltered, naming the document."""
        path = self.path_inside(relative_path, document_id)
        if not path.is_file():
            raise CaptureMissing(f"{document_id}: file {relative_path} is missing from the archive")
        content = path.read_bytes()
        actual = sha256_of(content)
        if actual != sha256:
            raise CaptureAltered(
                f"{document_id}: {relative_path} has sha256 {actual}, the manifest says {sha256}"
            )
        return content

    @one_writer_at_a_time
    def add(
        self,
        content: bytes,
        *,
        source_url: str | None,
        publisher: str,
        published_on: date,
        title: str,
        content_type: str | None = None,
        document_id: str | None = None,
        **details,
    ) -> Capture:
        """Store the bytes under their hash and append a manifest entry: version 1 for a new URL, the
        next version when the URL's latest capture holds other bytes. The same bytes again are refused."""
        # `details` are further Capture fields (final_url, etag, fetched_at, attached_to…); the fields
        # the archive computes (version, first_seen, last_seen, captured_at, sha256, path) are refused.
        set_by_the_archive = sorted(SET_BY_THE_ARCHIVE & details.keys())
        if set_by_the_archive:
            raise ArchiveError(f"{', '.join(set_by_the_archive)} are set by the archive, not by the caller")
        media_type = check_media_type(content, content_type, source_url)
        digest = sha256_of(content)
        index = self.index()
        generated_id = unique_document_id(
            f"{slugify(publisher, 30)}-{published_on.isoformat()}-{slugify(title, 40)}", index.url_of_id
        )
        document_id, version = index.identity_of_new_capture(source_url, digest, document_id, generated_id)
        relative = f"{DOCUMENTS_DIR}/{digest}{EXTENSIONS[media_type]}"
        self.store_file(relative, content)
        captured_at = utc_now()
        seen = details.get("fetched_at") or captured_at
        capture = Capture(
            document_id=document_id,
            path=relative,
            source_url=source_url,
            publisher=publisher,
            published_on=published_on,
            title=title,
            content_type=content_type or media_type,
            sha256=digest,
            captured_at=captured_at,
            version=version,
            first_seen=seen,
            last_seen=seen,
            **details,
        )
        self.write_new_entry(capture, index)
        return capture

    @one_writer_at_a_time
    def confirm_unchanged(
        self, source_url: str, *, seen_at: str, etag: str | None = None, last_modified: str | None = None
    ) -> Capture:
        """Record that the URL still serves its latest capture (same bytes, or 304): `last_seen` moves
        to `seen_at`, and validators the server sent replace the old ones. No entry is added."""
        latest = self.latest_capture_for(source_url)
        if latest is None:
            raise UnknownURL(f"{source_url} has no capture in {self.manifest_path} to confirm")
        [confirmed] = self.record_sightings(
            [Sighting(source_url, latest.version, seen_at, etag, last_modified)]
        )
        return confirmed

    @one_writer_at_a_time
    def record_sightings(self, sightings: list[Sighting]) -> list[Capture]:
        """Set each sighting's fields on the capture it saw, in one rewrite of the manifest: a crawl's
        unchanged URLs cost one rewrite, not one each."""
        entries = self.manifest_entries()
        positions: dict[tuple[str | None, int], int] = {}
        for position, capture in enumerate(captures_of(entries)):
            positions.setdefault((capture.source_url, capture.version), position)
        sighted = []
        for sighting in sightings:
            position = positions.get((sighting.source_url, sighting.version))
            if position is None:
                raise UnknownURL(
                    f"{sighting.source_url} has no version {sighting.version} in {self.manifest_path}"
                )
            entries[position].update(sighting.changes())
            sighted.append(capture_from_entry(entries[position], position))
        self.write_manifest(entries)
        return sighted

    def store_file(self, relative: str, content: bytes) -> None:
        """Write a document once: a file named by its hash already holds these bytes."""
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, content)

    def write_new_entry(self, capture: Capture, index: ArchiveIndex) -> None:
        """Append the capture's entry when the manifest ends inside its list of documents, so that a capture
        costs one entry's write, and count it in the index. Otherwise (a new archive, another layout) the
        whole manifest is written again."""
        entry = entry_from_capture(capture)
        if index.state is None or not index.appendable:
            earlier = self.manifest_entries() if index.state else []
            self.write_manifest([*earlier, entry])
            return
        appended = yaml.dump([entry], Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False)
        self.append_to_manifest(appended.encode("utf-8"))
        index.include(capture)
        index.state = self.manifest_state()

    def append_to_manifest(self, data: bytes) -> None:
        """Write after the manifest's last byte, in place. The marker written first holds the size before:
        should the append be killed midway, readers ignore what follows and the next writer cuts it off."""
        write_atomically(self.appending_path, str(self.manifest_path.stat().st_size).encode("ascii"))
        fsync_directory(self.root)
        with open(self.manifest_path, "ab") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        self.appending_path.unlink()

    @one_writer_at_a_time
    def write_manifest(self, entries: list[dict]) -> None:
        """Write the whole manifest atomically and count the rewrite, so that indexes read it again."""
        text = self.manifest_header() + yaml.dump(
            {"documents": entries}, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False
        )
        write_atomically(self.manifest_path, text.encode("utf-8"))
        self.lock_path.write_text(str(self.rewrites() + 1), encoding="ascii")

    def manifest_header(self) -> str:
        """The manifest's leading comment lines, kept across rewrites (YAML loading drops comments)."""
        if not self.manifest_path.exists():
            return DEFAULT_MANIFEST_HEADER
        header = []
        for line in self.manifest_path.read_text(encoding="utf-8").splitlines(keepends=True):
            if not line.startswith("#"):
                break
            header.append(line)
        return "".join(header)


def captures_of(entries: list) -> list[Capture]:
    return [capture_from_entry(entry, index) for index, entry in enumerate(entries)]


def ends_inside_the_documents_list(data: bytes) -> bool:
    """The manifest's last top-level line is an item (`- …`) of the `documents:` key, and the file ends with
    a line break: a list item written after it joins that list."""
    if not data.endswith(b"\n"):
        return False
    top_level = [line for line in data.split(b"\n") if line[:1] not in (b"", b" ", b"\t", b"#")]
    keys = [line for line in top_level if not line.startswith(b"- ")]
    return bool(top_level) and top_level[-1].startswith(b"- ") and keys[-1:] == [b"documents:"]


def check_media_type(content: bytes, content_type: str | None, source: str | None = None) -> str:
    """The media type the bytes are stored as: the declared one (else the sniffed one), which must be
    HTML or PDF and must not be contradicted by the bytes themselves. `source` prefixes the messages."""
    where = f"{source}: " if source else ""
    if not content:
        raise EmptyCapture(f"{where}the document is empty: nothing to capture")
    sniffed = sniff_media_type(content)
    declared = (content_type or sniffed).split(";")[0].strip().lower()
    if declared not in EXTENSIONS:
        raise UnsupportedContentType(
            f"{where}unsupported content type {declared!r}: tdi captures HTML pages and PDF files"
        )
    if sniffed != UNKNOWN and sniffed != declared:
        raise ContentTypeMismatch(f"{where}the content is {sniffed} but was declared as {declared}")
    return declared


def fsync_directory(path: Path) -> None:
    """Make the names just created in a folder durable: the marker must be on disk before the append it guards."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(target: Path, content: bytes) -> None:
    """Write to a temporary file beside the target, flush it to disk, then rename it over the target:
    readers see the old file or the new one, never a partial one. (Not tempfile.mkstemp: its files are
    private to the owner, and the archive's files get the usual permissions of the umask.)"""
    temporary = target.parent / f".{target.name}.{secrets.token_hex(8)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


REQUIRED_FIELDS = ("document_id", "path", "publisher", "published_on", "title", "content_type", "sha256")


def capture_from_entry(entry: dict, index: int) -> Capture:
    if not isinstance(entry, dict):
        raise ArchiveError(f"manifest entry #{index + 1} is not a mapping of fields")
    missing = [name for name in REQUIRED_FIELDS if not entry.get(name)]
    if missing:
        label = entry.get("document_id") or f"entry #{index + 1}"
        raise ArchiveError(f"manifest {label}: missing {', '.join(missing)}")
    known = {name for name in Capture.__dataclass_fields__ if name != "extra"}
    values = {name: entry[name] for name in known if name in entry}
    published_on = values["published_on"]
    if isinstance(published_on, str):
        try:
            values["published_on"] = date.fromisoformat(published_on)
        except ValueError as error:
            raise ArchiveError(
                f"manifest {entry['document_id']}: published_on {published_on!r} is not YYYY-MM-DD"
            ) from error
    values["extra"] = {name: value for name, value in entry.items() if name not in known}
    return Capture(**values)


def entry_from_capture(capture: Capture) -> dict:
    """The manifest entry: document_id and version first (they identify the capture), unset fields left out."""
    entry = {"document_id": capture.document_id, "version": capture.version}
    entry.update(
        (name, value)
        for name, value in asdict(capture).items()
        if name not in entry and name != "extra" and (value is not None or name == "source_url")
    )
    entry["published_on"] = capture.published_on.isoformat()
    entry.update(capture.extra)
    return entry


def unique_document_id(candidate: str, taken: Container[str]) -> str:
    if candidate not in taken:
        return candidate
    suffix = 2
    while f"{candidate}-{suffix}" in taken:
        suffix += 1
    return f"{candidate}-{suffix}"
