"""The raw archive keeps every capture: a changed page is a new version beside the old one, an
unchanged one only moves last_seen, the same bytes are one file, and the manifest is written
atomically without losing an entry or its leading comment; a new entry is written after the others,
an append killed midway is never read, and an archive sees what other writers added since it looked."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import shutil
from datetime import date

import pytest
import yaml

from ingestion.capture.archive import (
    AlreadyCaptured,
    ArchiveError,
    ContentTypeMismatch,
    EmptyCapture,
    RawArchive,
    Sighting,
    UnknownURL,
    UnsupportedContentType,
    ends_inside_the_documents_list,
    entry_from_capture,
)
from orchestration.project import DEFAULT_RAW_DIR

URL = "https://www.prefectures-regions.gouv.fr/centre-val-de-loire/Actualites/territoires-d-industrie"
PAGE_V1 = b"<html><body><h1>Territoires d'industrie</h1><p>12 millions d'euros</p></body></html>"
PAGE_V2 = b"<html><body><h1>Territoires d'industrie</h1><p>14 millions d'euros</p></body></html>"
DETAILS = {"publisher": "Préfecture", "published_on": date(2024, 2, 13), "title": "Territoires d'industrie"}


def add(archive: RawArchive, content: bytes, url: str = URL, **details):
    return archive.add(content, source_url=url, **{**DETAILS, **details})


def entries(archive: RawArchive) -> list[dict]:
    return yaml.safe_load(archive.manifest_path.read_text(encoding="utf-8"))["documents"]


def test_a_changed_page_is_a_new_version_beside_the_old_one(tmp_path):
    archive = RawArchive(tmp_path)
    first = add(archive, PAGE_V1, etag='"v1"', fetched_at="2024-02-13T10:00:00+00:00")
    second = add(archive, PAGE_V2, etag='"v2"', fetched_at="2024-03-01T10:00:00+00:00")

    assert (first.version, second.version) == (1, 2)
    assert first.document_id == second.document_id
    assert [(c.version, c.sha256) for c in archive.captures()] == [(1, first.sha256), (2, second.sha256)]
    assert (tmp_path / first.path).read_bytes() == PAGE_V1
    assert (tmp_path / second.path).read_bytes() == PAGE_V2
    assert second.first_seen == second.last_seen == "2024-03-01T10:00:00+00:00"
    assert archive.latest_capture_for(URL) == second


def test_the_same_bytes_again_are_refused_and_an_unchanged_fetch_moves_last_seen(tmp_path):
    archive = RawArchive(tmp_path)
    add(archive, PAGE_V1, fetched_at="2024-02-13T10:00:00+00:00")
    add(archive, PAGE_V2, etag='"v2"', fetched_at="2024-03-01T10:00:00+00:00")
    with pytest.raises(AlreadyCaptured, match=r"already captured as .* version 2"):
        add(archive, PAGE_V2)

    confirmed = archive.confirm_unchanged(URL, seen_at="2024-04-01T10:00:00+00:00", etag='"v2-gzip"')

    assert len(entries(archive)) == 2
    assert (confirmed.version, confirmed.first_seen, confirmed.last_seen, confirmed.etag) == (
        2,
        "2024-03-01T10:00:00+00:00",
        "2024-04-01T10:00:00+00:00",
        '"v2-gzip"',
    )
    assert archive.captures()[0].last_seen == "2024-02-13T10:00:00+00:00", "older versions are not touched"


def test_a_page_that_returns_to_earlier_bytes_is_a_third_version_sharing_the_first_file(tmp_path):
    archive = RawArchive(tmp_path)
    first, _, third = add(archive, PAGE_V1), add(archive, PAGE_V2), add(archive, PAGE_V1)
    assert third.version == 3 and third.path == first.path
    assert len(list((tmp_path / "documents").iterdir())) == 2


def test_the_same_bytes_at_two_urls_are_one_file_and_two_entries(tmp_path):
    archive = RawArchive(tmp_path)
    page = add(archive, PAGE_V1)
    mirror = add(archive, PAGE_V1, url=f"{URL}?xtor=RSS-1")
    assert (page.path, page.sha256) == (mirror.path, mirror.sha256)
    assert page.document_id != mirror.document_id and mirror.version == 1
    assert len(list((tmp_path / "documents").iterdir())) == 1
    assert len(entries(archive)) == 2


def test_document_id_names_one_url(tmp_path):
    archive = RawArchive(tmp_path)
    add(archive, PAGE_V1, document_id="prefecture-cvl-ti")
    with pytest.raises(ArchiveError, match="keeps that document_id"):
        add(archive, PAGE_V2, document_id="another-id")
    with pytest.raises(ArchiveError, match="already names"):
        add(archive, PAGE_V2, url=f"{URL}-bis", document_id="prefecture-cvl-ti")


def test_the_fields_the_archive_computes_are_not_taken_from_the_caller(tmp_path):
    with pytest.raises(ArchiveError, match="version are set by the archive"):
        add(RawArchive(tmp_path), PAGE_V1, version=7)


@pytest.mark.parametrize(
    ("content", "content_type", "error", "message"),
    [
        (b"", None, EmptyCapture, "empty"),
        (b"plain text", "text/plain", UnsupportedContentType, "'text/plain'"),
        (
            PAGE_V1,
            "application/pdf",
            ContentTypeMismatch,
            f"{URL}: the content is text/html but was declared",
        ),
        (b"%PDF-1.4 ...", "text/html", ContentTypeMismatch, "the content is application/pdf"),
    ],
)
def test_content_that_is_not_what_it_claims_is_refused(tmp_path, content, content_type, error, message):
    with pytest.raises(error, match=message):
        add(RawArchive(tmp_path), content, content_type=content_type)
    assert not (tmp_path / "documents").exists()


def test_an_empty_archive_has_no_latest_capture_and_nothing_to_confirm(tmp_path):
    archive = RawArchive(tmp_path)
    assert archive.latest_capture_for(URL) is None
    add(archive, PAGE_V1)
    with pytest.raises(UnknownURL):
        archive.confirm_unchanged(f"{URL}-bis", seen_at="2024-04-01T10:00:00+00:00")


def test_the_committed_manifest_keeps_its_entries_and_comment_when_a_capture_is_added(tmp_path):
    """Entries written before versions existed read as version 1 and are rewritten unchanged."""
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw, ignore=shutil.ignore_patterns("reference", "reconstruction"))
    archive = RawArchive(raw)
    before = entries(archive)
    comment = archive.manifest_path.read_text(encoding="utf-8").splitlines()[0]

    assert {capture.version for capture in archive.captures()} == {1}
    add(archive, PAGE_V1)

    assert entries(archive)[: len(before)] == before
    assert archive.manifest_path.read_text(encoding="utf-8").splitlines()[0] == comment
    assert [path.name for path in raw.iterdir() if path.name.endswith(".tmp")] == []


def test_a_new_entry_is_written_after_the_manifests_bytes_in_the_layout_of_a_whole_rewrite(tmp_path):
    archive = committed_copy(tmp_path)
    hand_written = archive.manifest_path.read_bytes()
    added = [add(archive, PAGE_V1), add(archive, PAGE_V2, url=URL + "?page=2")]

    written = archive.manifest_path.read_bytes()
    assert written.startswith(hand_written), "the entries already there are not rewritten"
    assert entries(archive)[-2:] == [entry_from_capture(capture) for capture in added]
    rewritten = RawArchive(tmp_path / "rewritten")
    rewritten.write_manifest(entries(archive)[-2:])
    new_entries = rewritten.manifest_path.read_bytes().split(b"documents:\n", 1)[1]
    assert written[len(hand_written) :] == new_entries


@pytest.mark.parametrize(
    ("tail", "appendable"),
    [
        (b"documents:\n- document_id: a\n  version: 1\n", True),
        (b"documents:\n- document_id: a\n  note: |\n    two\n    lines\n# a comment\n", True),
        (b"documents:\n- document_id: a\n  version: 1", False),  # no line break at the end
        (b"documents:\r\n- document_id: a\r\n", False),  # CRLF: the key line is not `documents:`
        (b"documents: []\n", False),
        (b"documents:\n  - document_id: a\n", False),  # an indented list
        (b"documents:\n-\n  document_id: a\n", False),  # an item whose mapping starts on the next line
        (b"documents:\n- document_id: a\nother_key: []\n", False),
        (b"other_key:\n- a\n", False),
    ],
)
def test_a_new_entry_is_appended_only_after_an_item_of_the_documents_list(tail, appendable):
    assert ends_inside_the_documents_list(b"# header\n" + tail) is appendable


def test_entries_that_share_values_are_written_without_anchors(tmp_path):
    """Each appended entry is dumped on its own: anchors (&id001) would repeat, and YAML refuses a repeated one."""
    archive = RawArchive(tmp_path)
    shared = ["Bretagne", "Normandie"]
    add(archive, PAGE_V1, extra={"regions": shared, "named_regions": shared})
    add(archive, PAGE_V2, url=URL + "?page=2", extra={"regions": shared, "named_regions": shared})
    add(archive, PAGE_V2, url=URL + "?page=3", extra={"regions": shared, "named_regions": shared})
    assert [entry["named_regions"] for entry in entries(archive)] == [shared] * 3
    assert b"&id" not in archive.manifest_path.read_bytes()


def test_a_manifest_that_does_not_end_with_its_documents_is_written_again_whole(tmp_path):
    archive = committed_copy(tmp_path)
    before = entries(archive)
    archive.manifest_path.write_bytes(archive.manifest_path.read_bytes() + b"other_key: []\n")
    add(archive, PAGE_V1)
    assert entries(archive)[:-1] == before and entries(archive)[-1]["source_url"] == URL
    add(archive, PAGE_V2)
    assert [entry["version"] for entry in entries(archive)[-2:]] == [1, 2]


def committed_copy(tmp_path) -> RawArchive:
    shutil.copytree(DEFAULT_RAW_DIR, tmp_path / "raw", ignore=shutil.ignore_patterns("reference"))
    return RawArchive(tmp_path / "raw")


def test_a_snapshot_parses_only_the_entries_appended_after_it(tmp_path):
    archive = committed_copy(tmp_path)
    add(archive, PAGE_V1)  # the archive writes the hand-edited manifest again in its own layout
    before = archive.manifest_snapshot()
    add(archive, PAGE_V2, url=URL + "?page=2")
    add(archive, PAGE_V2, url=URL + "?page=3")

    after = archive.manifest_snapshot(since=before)
    assert after.entries == archive.manifest_entries() and len(after.entries) == len(before.entries) + 2
    # Entries the snapshot holds for the bytes it saw are taken as they are: those bytes are not parsed again.
    assert archive.manifest_snapshot(since=claimed(before, ["as parsed before"])).entries == [
        "as parsed before",
        *after.entries[-2:],
    ]


def claimed(snapshot, entries: list):
    """The snapshot's bytes, with entries a whole parse would not give: they show whether it was used."""
    return type(snapshot)(size=snapshot.size, sha256=snapshot.sha256, entries=entries)


def test_a_snapshot_whose_bytes_were_edited_or_followed_by_other_than_entries_is_not_used(tmp_path):
    archive = committed_copy(tmp_path)
    add(archive, PAGE_V1)
    before_edit = claimed(archive.manifest_snapshot(), ["stale"])
    archive.confirm_unchanged(URL, seen_at="2030-01-01T00:00:00+00:00")  # rewrites an entry in place
    assert archive.manifest_snapshot(since=before_edit).entries == archive.manifest_entries()

    before_key = claimed(archive.manifest_snapshot(), ["stale"])
    archive.manifest_path.write_bytes(archive.manifest_path.read_bytes() + b"other_key: []\n")
    assert archive.manifest_snapshot(since=before_key).entries == archive.manifest_entries()


def test_the_rows_loaded_from_a_stored_snapshot_are_those_of_a_whole_parse(tmp_path):
    from ingestion.capture.archive import ManifestSnapshot
    from ingestion.pipeline import load_captures, load_captures_since

    archive = committed_copy(tmp_path)
    stored = ManifestSnapshot.from_json(archive.manifest_snapshot().to_json())
    add(archive, PAGE_V1)

    def without_load_time(rows):
        return [{**row, "loaded_at": None} for row in rows]

    rows, errors, _ = load_captures_since(archive, stored)
    whole_rows, whole_errors = load_captures(archive)
    assert without_load_time(rows) == without_load_time(whole_rows) and errors == whole_errors
    assert len(rows) == len(stored.entries) + 1


def add_pages(root, name: str, count: int) -> None:
    archive = RawArchive(root)
    for number in range(count):
        page = f"<html><body><p>{name} {number} : 12 millions d'euros</p></body></html>".encode()
        add(archive, page, url=f"{URL}?{name}={number}")


def test_two_writers_at_once_lose_no_entry(tmp_path):
    """A crawl and `tdi add` (or two `tdi add`) at the same time: each capture keeps its entry."""
    archive = committed_copy(tmp_path)
    before = len(entries(archive))
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
        done = [pool.submit(add_pages, archive.root, name, 25) for name in ("crawl", "add")]
        for future in done:
            future.result()
    captures = archive.captures()
    assert len(captures) == before + 50
    assert len({(capture.document_id, capture.version) for capture in captures}) == len(captures)


OTHER = URL + "-bis"


def test_an_append_killed_midway_is_ignored_by_readers_and_cut_off_by_the_next_writer(tmp_path):
    first = add(RawArchive(tmp_path), PAGE_V1)
    whole = (tmp_path / "manifest.yml").read_bytes()
    (tmp_path / ".manifest.appending").write_text(str(len(whole)), encoding="ascii")
    (tmp_path / "manifest.yml").write_bytes(
        whole + b"- document_id: half-written\n  version: 1\n  path: docu"
    )

    assert RawArchive(tmp_path).captures() == [first]
    assert RawArchive(tmp_path).manifest_snapshot().size == len(whole)
    second = add(RawArchive(tmp_path), PAGE_V2, url=OTHER)

    assert (tmp_path / "manifest.yml").read_bytes().startswith(whole)
    assert [entry["document_id"] for entry in entries(RawArchive(tmp_path))] == [
        first.document_id,
        second.document_id,
    ]
    assert not (tmp_path / ".manifest.appending").exists()


def test_an_archive_sees_what_other_writers_appended_or_rewrote_since_it_last_looked(tmp_path):
    ours, theirs = RawArchive(tmp_path), RawArchive(tmp_path)
    add(ours, PAGE_V1)
    assert ours.latest_capture_for(OTHER) is None

    added = add(theirs, PAGE_V2, url=OTHER)
    assert ours.latest_capture_for(OTHER) == added
    with pytest.raises(AlreadyCaptured):
        add(ours, PAGE_V2, url=OTHER)

    theirs.confirm_unchanged(OTHER, seen_at="2030-01-01T00:00:00+00:00", etag='"v2-gzip"')
    assert (ours.latest_capture_for(OTHER).last_seen, ours.latest_capture_for(OTHER).etag) == (
        "2030-01-01T00:00:00+00:00",
        '"v2-gzip"',
    )
    assert add(ours, PAGE_V1, url=OTHER).version == 2
    assert [(c.source_url, c.version) for c in theirs.captures()] == [(URL, 1), (OTHER, 1), (OTHER, 2)]


def test_sightings_set_last_seen_and_validators_on_the_captures_they_saw(tmp_path):
    archive = RawArchive(tmp_path)
    add(archive, PAGE_V1, etag='"v1"', fetched_at="2024-02-13T10:00:00+00:00")
    add(archive, PAGE_V2, etag='"v2"', fetched_at="2024-03-01T10:00:00+00:00")
    add(archive, PAGE_V1, url=OTHER, fetched_at="2024-03-01T10:00:00+00:00")

    archive.record_sightings(
        [
            Sighting(URL, 1, "2030-01-01T00:00:00+00:00", etag='"v1-gzip"'),
            Sighting(OTHER, 1, "2030-01-02T00:00:00+00:00", last_modified="Tue, 01 Jan 2030 00:00:00 GMT"),
        ]
    )

    seen = {(c.source_url, c.version): (c.last_seen, c.etag, c.last_modified) for c in archive.captures()}
    assert seen == {
        (URL, 1): ("2030-01-01T00:00:00+00:00", '"v1-gzip"', None),
        (URL, 2): ("2024-03-01T10:00:00+00:00", '"v2"', None),
        (OTHER, 1): ("2030-01-02T00:00:00+00:00", None, "Tue, 01 Jan 2030 00:00:00 GMT"),
    }
    with pytest.raises(UnknownURL, match="no version 3"):
        archive.record_sightings([Sighting(URL, 3, "2030-01-01T00:00:00+00:00")])
