"""The raw archive: captured documents on disk, named by content hash, described by a manifest.

The archive is the one place a capture lives, so it is append-only: a file is written once, under
the sha256 of its bytes, and never rewritten; the manifest only gains entries. Names come from
content hashes, never from URLs, so no URL can write outside the archive.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

from ingestion.media import UNKNOWN, sniff_media_type

MANIFEST_NAME = "manifest.yml"
DOCUMENTS_DIR = "documents"

EXTENSIONS = {"text/html": ".html", "application/pdf": ".pdf"}


class ArchiveError(Exception):
    """A capture or the manifest is not what the archive needs; the message says what to fix."""


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


class RawArchive:
    """Reads and appends to a raw/ folder: `manifest.yml` plus `documents/<sha256>.<ext>`."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_NAME

    def manifest_entries(self) -> list[dict]:
        """The manifest's entries as written; each is checked on its own by capture_from_entry."""
        if not self.manifest_path.exists():
            raise ArchiveError(f"no manifest at {self.manifest_path}: is {self.root} a raw archive?")
        try:
            data = yaml.safe_load(self.manifest_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise ArchiveError(f"{self.manifest_path} is not valid YAML: {error}") from error
        entries = data.get("documents") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise ArchiveError(f"{self.manifest_path} has no list under 'documents'")
        return entries

    def captures(self) -> list[Capture]:
        return [capture_from_entry(entry, index) for index, entry in enumerate(self.manifest_entries())]

    def read(self, capture: Capture) -> bytes:
        path = (self.root / capture.path).resolve()
        if not path.is_relative_to(self.root.resolve()):
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
        """Store the bytes under their hash and append a manifest entry; an identical capture is refused."""
        if not content:
            raise ArchiveError("the document is empty: nothing to capture")
        sniffed = sniff_media_type(content)
        declared = (content_type or sniffed).split(";")[0].strip().lower()
        if declared not in EXTENSIONS:
            raise ArchiveError(
                f"unsupported content type {declared!r}: tdi captures HTML pages and PDF files"
            )
        if sniffed != UNKNOWN and sniffed != declared:
            raise ArchiveError(f"the content is {sniffed} but was declared as {declared}")
        digest = sha256_of(content)
        existing = self.captures() if self.manifest_path.exists() else []
        for capture in existing:
            if capture.sha256 == digest and capture.source_url == source_url:
                raise ArchiveError(f"already captured as {capture.document_id} ({capture.path})")
        document_id = document_id or unique_document_id(
            f"{slugify(publisher, 30)}-{published_on.isoformat()}-{slugify(title, 40)}",
            {c.document_id for c in existing},
        )
        relative = f"{DOCUMENTS_DIR}/{digest}{EXTENSIONS[declared]}"
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        capture = Capture(
            document_id=document_id,
            path=relative,
            source_url=source_url,
            publisher=publisher,
            published_on=published_on,
            title=title,
            content_type=content_type or declared,
            sha256=digest,
            captured_at=datetime.now(UTC).isoformat(timespec="seconds"),
            **details,
        )
        self.append_to_manifest(capture)
        return capture

    def append_to_manifest(self, capture: Capture) -> None:
        data = {"documents": []}
        if self.manifest_path.exists():
            data = yaml.safe_load(self.manifest_path.read_text(encoding="utf-8")) or data
        data.setdefault("documents", []).append(entry_from_capture(capture))
        temporary = self.manifest_path.with_suffix(".yml.tmp")
        temporary.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        temporary.replace(self.manifest_path)


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
    entry = {
        name: value
        for name, value in asdict(capture).items()
        if name != "extra" and (value is not None or name == "source_url")
    }
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
