"""The committed raw archive: every capture present, hashed as its manifest says, and faithful to its seed."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from ingestion.capture.archive import ArchiveError, RawArchive
from ingestion.media import sniff_media_type
from orchestration.project import DEFAULT_RAW_DIR, PROJECT_ROOT

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
GOLDEN = Path(__file__).parent.parent / "golden" / "text"
MANIFEST = yaml.safe_load((DEFAULT_RAW_DIR / "manifest.yml").read_text(encoding="utf-8"))["documents"]
REQUIRED = {"document_id", "path", "source_url", "publisher", "published_on", "published_on_estimated", "title",
            "content_type", "sha256", "reconstruction"}  # fmt: skip


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["document_id"] for e in MANIFEST])
def test_capture_matches_its_manifest_entry(entry):
    assert entry.keys() >= REQUIRED
    content = (DEFAULT_RAW_DIR / entry["path"]).read_bytes()
    assert hashlib.sha256(content).hexdigest() == entry["sha256"]
    assert Path(entry["path"]).stem == entry["sha256"], "capture files are named by their content hash"
    assert sniff_media_type(content) == entry["content_type"].split(";")[0]
    date.fromisoformat(entry["published_on"])
    assert entry["reconstruction"] is True and entry["reconstruction_note"]


def test_six_captures_of_the_five_seeds_with_the_pdf_attached_to_its_page():
    assert len(MANIFEST) == 6
    pdf = next(e for e in MANIFEST if e["content_type"] == "application/pdf")
    page = next(e for e in MANIFEST if e["document_id"] == pdf["attached_to"])
    assert pdf["seed"] == page["seed"] == "000_a4a221ff72913230.txt"


@pytest.mark.skipif(
    not SEEDS.exists(), reason="../shared/seeds is beside the repository only in the workplace"
)
@pytest.mark.parametrize("entry", MANIFEST, ids=[e["document_id"] for e in MANIFEST])
def test_golden_text_is_the_seed_word_for_word(entry):
    """The golden files come from the seeds, not from the parser: the seed's lines, without the markdown image
    line (an <img> on the page); the PDF adds its letterhead and leaves out the page's download line."""
    golden = (GOLDEN / f"{entry['document_id']}.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")
    seed = [line.strip() for line in (SEEDS / entry["seed"]).read_text(encoding="utf-8").split("\n")]
    seed = [line for line in seed if line and not line.startswith("![")]
    if entry["content_type"] == "application/pdf":
        title, _caption, *body = seed
        assert golden[4:] == [title, *body[:-1]] and body[-1].endswith("en téléchargement :")
    else:
        assert golden == seed


def test_archive_refuses_a_capture_whose_bytes_changed(tmp_path):
    archive = RawArchive(tmp_path)
    capture = archive.add(
        b"<html><body><p>12 territoires</p></body></html>",
        source_url="https://example.org/a",
        publisher="Test",
        published_on=date(2024, 1, 1),
        title="A",
    )
    (tmp_path / capture.path).write_bytes(b"<html><body><p>13 territoires</p></body></html>")
    with pytest.raises(ArchiveError, match="the manifest says"):
        archive.read(archive.captures()[0])


def test_archive_refuses_the_same_capture_twice(tmp_path):
    archive = RawArchive(tmp_path)
    details = {
        "source_url": "https://example.org/a",
        "publisher": "T",
        "published_on": date(2024, 1, 1),
        "title": "A",
    }
    archive.add(b"<html><body><p>x</p></body></html>", **details)
    with pytest.raises(ArchiveError, match="already captured"):
        archive.add(b"<html><body><p>x</p></body></html>", **details)


def test_a_bad_manifest_entry_is_recorded_and_the_other_captures_load(tmp_path):
    from ingestion.pipeline import load_captures

    archive_dir = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, archive_dir, ignore=shutil.ignore_patterns("reference"))
    manifest = yaml.safe_load((archive_dir / "manifest.yml").read_text(encoding="utf-8"))
    del manifest["documents"][0]["sha256"]
    (archive_dir / manifest["documents"][1]["path"]).unlink()
    manifest["documents"].append(
        {"document_id": "no-date", **{k: "x" for k in ("path", "publisher", "title")}}
    )
    (archive_dir / "manifest.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")

    rows, errors = load_captures(RawArchive(archive_dir))

    assert len(rows) == len(MANIFEST) - 2
    assert [(e.document_id, e.stage) for e in errors] == [
        (MANIFEST[0]["document_id"], "capture"),
        (MANIFEST[1]["document_id"], "capture"),
        ("no-date", "capture"),
    ]
    assert "missing sha256" in errors[0].message
    assert "is missing from the archive" in errors[1].message
    assert "missing published_on, content_type, sha256" in errors[2].message


def test_a_repeated_manifest_entry_is_one_error_naming_both_lines_and_loads_once(tmp_path):
    from ingestion.pipeline import load_captures

    archive_dir = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, archive_dir, ignore=shutil.ignore_patterns("reference"))
    manifest_path = archive_dir / "manifest.yml"
    lines = manifest_path.read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [number for number, line in enumerate(lines, start=1) if line.startswith("- document_id:")]
    second_entry = lines[starts[1] - 1 : starts[2] - 1]
    manifest_path.write_text("".join([*lines, *second_entry]), encoding="utf-8")

    rows, errors = load_captures(RawArchive(archive_dir))

    assert len(rows) == len(MANIFEST)
    assert [(e.document_id, e.error_class) for e in errors] == [
        (MANIFEST[1]["document_id"], "DuplicateManifestEntry")
    ]
    assert errors[0].message == (
        f"{manifest_path} line {len(lines) + 1} repeats line {starts[1]} "
        f"({MANIFEST[1]['document_id']} version 1): remove one of the two entries"
    )
