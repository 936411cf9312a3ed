"""The synthetic corpus: a raw archive the pipeline loads, the same bytes for the same seed, French numbers
written as the truth says, and the extractor checked against the truth (every true figure, nothing else)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from text_to_num import text2num

from ingestion.capture.archive import RawArchive
from ingestion.pipeline import load_captures
from ingestion.synth import generate_corpus
from ingestion.synth.check import disagreements, load_truth, normalised
from ingestion.synth.corpus import SynthError
from ingestion.synth.numbers import words
from ingestion.worker_tasks import extract_text, parse_capture
from orchestration.cli import main
from orchestration.project import DEFAULT_RAW_DIR

REFERENCE = DEFAULT_RAW_DIR / "reference"
DOCUMENTS, PDF_SHARE, PDF_PAGES = 30, 0.3, 2
"""Two pages a PDF, not the five of the benchmark: pdfplumber's reading of each page is most of the time."""


def write_corpus(out, seed=0, pdf_pages=PDF_PAGES):
    return generate_corpus(
        out, documents=DOCUMENTS, pdf_share=PDF_SHARE, reference_dir=REFERENCE, seed=seed, pdf_pages=pdf_pages
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "corpus"
    write_corpus(out)
    return out


@pytest.fixture(scope="module")
def parsed(corpus):
    """Each capture's main text, parsed by the functions the pipeline's workers run."""
    archive = RawArchive(corpus)
    return {
        capture.document_id: (
            capture,
            parse_capture(str(corpus / capture.path), capture.content_type)[0]["text"],
        )
        for capture in archive.captures()
    }


def test_the_corpus_is_a_raw_archive_the_pipeline_loads(corpus):
    rows, errors = load_captures(RawArchive(corpus))
    assert errors == []
    assert len(rows) == DOCUMENTS == len({row["document_id"] for row in rows})
    assert sum(row["media_type"] == "application/pdf" for row in rows) == round(DOCUMENTS * PDF_SHARE)
    assert all(row["source_url"].startswith("https://synth.tdi.invalid/") for row in rows)
    assert all(row["source_url_note"].startswith("Synthetic") for row in rows)
    assert (corpus / "reference" / "ti_territoires_2023.csv").read_bytes() == (
        REFERENCE / "ti_territoires_2023.csv"
    ).read_bytes()
    assert set(load_truth(corpus)) == {row["document_id"] for row in rows}


def files_of(folder):
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_the_same_seed_writes_the_same_bytes(corpus, tmp_path):
    write_corpus(tmp_path / "again")
    assert files_of(tmp_path / "again") == files_of(corpus)
    write_corpus(tmp_path / "other", seed=1)
    assert (tmp_path / "other" / "manifest.yml").read_bytes() != (corpus / "manifest.yml").read_bytes()


def test_a_folder_that_holds_something_is_refused(tmp_path):
    (tmp_path / "manifest.yml").write_text("documents: []\n")
    with pytest.raises(SynthError, match="not empty"):
        write_corpus(tmp_path)


def test_number_words_read_back_as_their_value():
    """The truth marks "cent vingt-quatre" as 124: text2num, which the extractor uses, must agree."""
    for value in range(2, 1000):
        assert text2num(words(value).replace(" et ", "-et-"), "fr") == value, words(value)


def test_pdfs_have_their_pages_and_lose_their_running_lines(parsed, tmp_path):
    pdfs = [text for capture, text in parsed.values() if capture.media_type == "application/pdf"]
    assert pdfs
    for text in pdfs:
        assert "Page 1/2" not in text and "presse@synth.tdi.invalid" not in text
        assert "Dossier de presse du" not in text
    generate_corpus(tmp_path / "five", documents=1, pdf_share=1, reference_dir=REFERENCE)
    capture = RawArchive(tmp_path / "five").captures()[0]
    assert len(parse_capture(str(tmp_path / "five" / capture.path), capture.content_type)[1]) == 5


def test_html_furniture_is_left_out_of_the_main_text(parsed):
    for capture, text in parsed.values():
        if capture.media_type == "text/html":
            for furniture in (
                "Abonnement",
                "Partager",
                "cookies",
                "Lire aussi",
                "Dans la même rubrique",
                "Tél.",
            ):
                assert furniture not in text, (capture.document_id, furniture)


def test_every_true_figure_is_written_in_the_text_in_order(corpus, parsed):
    """The truth's own check, without the extractor: each surface is in the parsed text, after the previous."""
    truth = load_truth(corpus)
    for document_id, (_, text) in parsed.items():
        flat, position = normalised(text), 0
        for row in truth[document_id]:
            found = flat.find(normalised(row["surface"]), position)
            assert found >= 0, (document_id, row)
            position = found + len(normalised(row["surface"]))


def test_extraction_finds_every_true_figure_and_nothing_else(corpus, parsed):
    truth = load_truth(corpus)
    found = []
    for document_id, (_, text) in parsed.items():
        figures, _ = extract_text(text)
        found.extend(disagreements(document_id, truth[document_id], figures))
    assert not found, f"{len(found)} disagreements:\n" + "\n".join(d.describe() for d in found)


def test_tdi_synth_writes_a_corpus_and_refuses_to_write_over_one(tmp_path):
    out = tmp_path / "corpus"
    arguments = ["synth", "--documents", "3", "--pdf-share", "0", "--out", str(out)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert "wrote 3 documents (3 HTML pages, 0 PDFs" in result.output
    assert len(load_truth(out)) == 3
    again = CliRunner().invoke(main, arguments)
    assert again.exit_code == 1 and "not empty" in again.output
