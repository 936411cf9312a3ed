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

The manifest is written through a temporary file and an atomic rename, so that a crash leaves the
old manifest or the new one, never half of one. A new capture's entry is added after the bytes already
there (the other entries are neither dumped again nor moved, and their layout, comments included, is
kept); a change in place (`last_seen`, validators) rewrites the whole manifest, keeping its leading comment.
Writers take turns (a lock file beside the manifest); readers need no lock.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

import yaml

from ingestion.media import UNKNOWN, sniff_media_type

MANIFEST_NAME = "manifest.yml"
MANIFEST_LOCK_NAME = ".manifest.lock"
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
    if not appended.strip():
        return list(since.entries)
    if not appended.startswith(b"- "):
        return None
    try:
        new_entries = yaml.load(appended.decode("utf-8"), Loader=YAML_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    return [*since.entries, *new_entries] if isinstance(new_entries, list) else None


def one_writer_at_a_time(method):
    """Hold the archive's manifest lock for the whole call: a writer reads the entries, then writes them with its
    own, and two writers at once (a crawl and `tdi add`, two `tdi add`) would each drop the other's entry."""

    @functools.wraps(method)
    def locked(self: RawArchive, *args, **kwargs):
        with self.manifest_lock():
            return method(self, *args, **kwargs)

    return locked


class RawArchive:
    """Reads and appends to a raw/ folder: `manifest.yml` plus `documents/<sha256>.<ext>`."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_NAME

    @contextmanager
    def manifest_lock(self) -> Iterator[None]:
        """An exclusive lock on a file beside the manifest, released when its holder ends, even killed.
        Readers need none: the manifest is replaced by a rename."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / MANIFEST_LOCK_NAME, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def manifest_entries(self) -> list[dict]:
        """The manifest's entries as written; each is checked on its own by capture_from_entry."""
        return self.manifest_snapshot().entries

    def manifest_snapshot(self, since: ManifestSnapshot | None = None) -> ManifestSnapshot:
        """The manifest's entries with the bytes they were parsed from. Given an earlier snapshot, only
        what was appended since is parsed: parsing YAML is the slow part of reading a large manifest, and
        every run reads it."""
        if not self.manifest_path.exists():
            raise ArchiveError(f"no manifest at {self.manifest_path}: is {self.root} a raw archive?")
        data = self.manifest_path.read_bytes()
        entries = appended_entries(data, since) if since else None
        if entries is None:
            entries = self.entries_of(data)
        return ManifestSnapshot(size=len(data), sha256=sha256_of(data), entries=entries)

    def entries_of(self, data: bytes) -> list:
        try:
            parsed = yaml.load(data.decode("utf-8"), Loader=YAML_LOADER) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise ArchiveError(f"{self.manifest_path} is not valid YAML: {error}") from error
        entries = parsed.get("documents") if isinstance(parsed, dict) else None
        if not isinstance(entries, list):
            raise ArchiveError(f"{self.manifest_path} has no list under 'documents'")
        return entries

    def captures(self) -> list[Capture]:
        return captures_of(self.manifest_entries())

    def latest_capture_for(self, source_url: str) -> Capture | None:
        """The highest version captured from this URL, whose validators make the next request conditional."""
        captures = self.captures() if self.manifest_path.exists() else []
        index = latest_index(captures, source_url)
        return None if index is None else captures[index]

    @cached_property
    def resolved_root(self) -> Path:
        """The root with its symlinks resolved once: every read checks that its file lies under it."""
        return self.root.resolve()

    def read(self, capture: Capture) -> bytes:
        path = (self.root / capture.path).resolve()
        if not path.is_relative_to(self.resolved_root):
            raise ArchiveError(f"{capture.document_id}: path {capture.path!r} leaves the archive")
        if not path.exists():
            raise ArchiveError(f"{capture.document_id}: file {capture.path} is missing from the archive")
        content = path.read_bytes()
        actual = sha256_of(content)
        if actual != capture.sha256:
            raise ArchiveError(
                f"{capture.document_id}: {capture.path} has sha256 {actual}, the manifest says {capture.sha256}"
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
        snapshot = self.manifest_snapshot() if self.manifest_path.exists() else None
        existing = captures_of(snapshot.entries) if snapshot else []
        generated_id = unique_document_id(
            f"{slugify(publisher, 30)}-{published_on.isoformat()}-{slugify(title, 40)}",
            {c.document_id for c in existing},
        )
        document_id, version = identity_of_new_capture(
            existing, source_url, digest, document_id, generated_id
        )
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
        self.append_to_manifest(capture, snapshot)
        return capture

    @one_writer_at_a_time
    def confirm_unchanged(
        self, source_url: str, *, seen_at: str, etag: str | None = None, last_modified: str | None = None
    ) -> Capture:
        """Record that the URL still serves its latest capture (same bytes, or 304): `last_seen` moves
        to `seen_at`, and validators the server sent replace the old ones. No entry is added."""
        entries = self.manifest_entries()
        captures = captures_of(entries)
        index = latest_index(captures, source_url)
        if index is None:
            raise UnknownURL(f"{source_url} has no capture in {self.manifest_path} to confirm")
        entry = entries[index]
        entry["last_seen"] = seen_at
        entry.update(
            {name: value for name, value in (("etag", etag), ("last_modified", last_modified)) if value}
        )
        self.write_manifest(entries)
        return capture_from_entry(entry, index)

    def store_file(self, relative: str, content: bytes) -> None:
        """Write a document once: a file named by its hash already holds these bytes."""
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, content)

    def append_to_manifest(self, capture: Capture, snapshot: ManifestSnapshot | None) -> None:
        """Write the entry after the manifest's bytes when they end inside its list of documents and are
        still those `snapshot` was parsed from, so that a capture costs one entry's dump, not every entry's.
        Otherwise (a new archive, another layout) the whole manifest is written again."""
        entry = entry_from_capture(capture)
        data = self.manifest_path.read_bytes() if snapshot else b""
        if snapshot and sha256_of(data) == snapshot.sha256 and ends_inside_the_documents_list(data):
            appended = yaml.dump([entry], Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False)
            write_atomically(self.manifest_path, data + appended.encode("utf-8"))
        else:
            earlier = self.manifest_entries() if self.manifest_path.exists() else []
            self.write_manifest([*earlier, entry])

    def write_manifest(self, entries: list[dict]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        text = self.manifest_header() + yaml.dump(
            {"documents": entries}, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False
        )
        write_atomically(self.manifest_path, text.encode("utf-8"))

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


def identity_of_new_capture(
    existing: list[Capture], source_url: str | None, digest: str, chosen_id: str | None, generated_id: str
) -> tuple[str, int]:
    """(document_id, version) of a new capture: the URL's document_id and next version when the URL was
    captured before, else the chosen (or generated) id and version 1. Refuses the bytes the URL's
    latest capture holds, and a chosen document_id that names another URL."""
    if source_url is None:
        for capture in existing:
            if capture.source_url is None and capture.sha256 == digest:
                raise AlreadyCaptured(f"already captured as {capture.document_id} ({capture.path})")
        return chosen_id or generated_id, 1
    index = latest_index(existing, source_url)
    if index is None:
        other = next((c for c in existing if c.document_id == chosen_id), None)
        if other is not None:
            raise ArchiveError(f"document_id {chosen_id} already names {other.source_url}, not {source_url}")
        return chosen_id or generated_id, 1
    latest = existing[index]
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


def latest_index(captures: list[Capture], source_url: str) -> int | None:
    """Index of the URL's highest version among the captures, or None when it was never captured."""
    indices = [index for index, capture in enumerate(captures) if capture.source_url == source_url]
    return max(indices, key=lambda index: captures[index].version, default=None)


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


def unique_document_id(candidate: str, taken: set[str]) -> str:
    if candidate not in taken:
        return candidate
    suffix = 2
    while f"{candidate}-{suffix}" in taken:
        suffix += 1
    return f"{candidate}-{suffix}"
