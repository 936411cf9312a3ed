"""One pathological file costs its own error row, not the run: parsing and extraction run in worker
processes with a time and a memory bound (ingestion/bounded.py), tried here with bounds small enough
to trip on files a test can build quickly."""

from __future__ import annotations

from datetime import date

import pytest

from ingestion import settings
from ingestion.bounded import Bounds, TaskOutOfMemory, TaskTimeout, run_bounded
from ingestion.capture.archive import RawArchive
from ingestion.pipeline import load_captures, parse_documents
from ingestion.worker_tasks import extract_text, parse_capture

GOOD_PAGE = (
    "<html><head><title>Lauréats</title></head><body><main><p>Les 12 territoires lauréats sont connus.</p>"
    "</main></body></html>"
).encode()


def many_paragraphs(count: int) -> bytes:
    """A page whose tree is large for its size: each paragraph is a node of its own."""
    return b"<html><body>" + b"<p>1 projet</p>" * count + b"</body></html>"


@pytest.fixture
def pages(tmp_path):
    good = tmp_path / "bonne.html"
    good.write_bytes(GOOD_PAGE)
    heavy = tmp_path / "lourde.html"
    heavy.write_bytes(many_paragraphs(340_000))
    return {"good": str(good), "heavy": str(heavy)}


def outcomes(task, arguments, bounds):
    return [outcome for _, outcome in run_bounded(task, arguments, bounds)]


def test_a_task_past_its_time_bound_is_stopped_and_the_others_finish(pages):
    bounds = Bounds(seconds=0.5, memory_bytes=2 * 1024**3, workers=2)
    good, heavy, good_again = outcomes(
        parse_capture,
        [(pages["good"], "text/html"), (pages["heavy"], "text/html"), (pages["good"], "text/html")],
        bounds,
    )
    assert isinstance(heavy, TaskTimeout) and "0.5 s" in str(heavy)
    assert good[0]["text"] == good_again[0]["text"] == "Les 12 territoires lauréats sont connus."


def test_a_task_past_its_memory_bound_is_stopped_and_the_others_finish(pages):
    bounds = Bounds(seconds=120, memory_bytes=160 * 1024**2, workers=1)
    heavy, good = outcomes(
        parse_capture, [(pages["heavy"], "text/html"), (pages["good"], "text/html")], bounds
    )
    assert isinstance(heavy, TaskOutOfMemory) and "160 MiB" in str(heavy)
    assert good[0]["text"] == "Les 12 territoires lauréats sont connus."


def test_a_task_error_comes_back_as_the_error_itself():
    (outcome,) = outcomes(extract_text, [(None,)], Bounds(seconds=30, memory_bytes=2 * 1024**3, workers=1))
    assert isinstance(outcome, AttributeError) and "split" in str(outcome)


def test_documents_are_handed_to_the_workers_a_window_ahead_not_all_at_once(pages, monkeypatch):
    """What the stage holds is the window of settings.TASKS_AHEAD documents, not the corpus."""
    monkeypatch.setattr(settings, "TASKS_AHEAD", 3)
    handed = []

    def documents():
        for number in range(10):
            handed.append(number)
            yield (pages["good"], "text/html")

    results = run_bounded(parse_capture, documents(), Bounds(seconds=30, memory_bytes=2 * 1024**3, workers=2))
    next(results)
    assert len(handed) == 3
    assert sum(1 for _ in results) == 9 and len(handed) == 10


def test_a_document_past_its_bound_is_a_parse_error_row_and_the_others_parse(tmp_path):
    archive = RawArchive(tmp_path / "raw")
    for title, content in (("Bonne page", GOOD_PAGE), ("Page lourde", many_paragraphs(100_000))):
        archive.add(
            content,
            source_url=None,
            content_type="text/html",
            title=title,
            publisher="Test",
            published_on=date(2024, 2, 13),
        )
    documents, _ = load_captures(archive)

    [(parsed, _, _, _, errors)] = parse_documents(
        archive, documents, len(documents), Bounds(seconds=0.5, memory_bytes=2 * 1024**3, workers=2)
    )

    assert [row["detected_title"] for row in parsed] == ["Lauréats"]
    (error,) = errors
    assert (error.stage, error.error_class) == ("parse", "TaskTimeout")
    assert error.document_id == next(d["document_id"] for d in documents if d["title"] == "Page lourde")
