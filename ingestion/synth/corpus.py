"""Writing a synthetic corpus: a raw archive `tdi run --raw-dir` loads, and the truth of every document.

The folder holds what raw/ holds (manifest.yml, documents/<sha256>.<ext>, a copy of reference/), plus
truth.jsonl (one line per document: its document_id and true figures, in text order) and a README.
Each document has its own random generator, seeded by the corpus seed and its index: the same seed
gives the same bytes, whatever else changes in the run.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingestion.capture.archive import DOCUMENTS_DIR, Capture, RawArchive, entry_from_capture, sha256_of
from ingestion.synth.check import TRUTH_FILE
from ingestion.synth.html import render_html
from ingestion.synth.model import SyntheticDocument, truth_of
from ingestion.synth.pdf import PdfRenderer, prepare_fonts
from ingestion.synth.templates import compose_document
from ingestion.synth.vocabulary import territories_by_region

HOST = "https://synth.tdi.invalid"
SYNTHETIC_NOTE = (
    "Synthetic: written by `tdi synth --seed {seed}` (document {index} of the corpus); the page, its "
    "host and its publisher's words are invented, its true figures are in truth.jsonl."
)


class SynthError(Exception):
    """The corpus cannot be written where asked; the message says why."""


@dataclass(frozen=True)
class CorpusSummary:
    documents: int
    pdfs: int
    pdf_pages: int
    figures: int
    seconds: float


def generate_corpus(
    out: Path,
    *,
    documents: int,
    pdf_share: float,
    reference_dir: Path,
    seed: int = 0,
    pdf_pages: int = 5,
) -> CorpusSummary:
    """Compose, render and store `documents` documents, a `pdf_share` of them PDFs of `pdf_pages` pages."""
    started = time.perf_counter()
    out = Path(out)
    check_target(out)
    territories = territories_by_region(reference_dir)
    pdf_indices = set(random.Random(f"{seed}:pdfs").sample(range(documents), round(documents * pdf_share)))
    archive = RawArchive(out)
    entries, truths = [], []
    with tempfile.TemporaryDirectory(prefix="tdi-synth-fonts-") as fonts_dir:
        renderer = PdfRenderer(prepare_fonts(Path(fonts_dir))) if pdf_indices else None
        for index in range(documents):
            rng = random.Random(f"{seed}:{index}")
            document = compose_document(index, rng, territories, pdf=index in pdf_indices)
            if index in pdf_indices:
                content, shown = renderer.render(document, rng, pdf_pages)
                content_type, extension = "application/pdf", ".pdf"
            else:
                content, shown = render_html(document, rng), [*document.body, *document.closing]
                content_type, extension = "text/html; charset=utf-8", ".html"
            capture = capture_of(document, content, content_type, extension, seed)
            store(out / capture.path, content)
            entries.append(entry_from_capture(capture))
            truths.append({"document_id": document.document_id, "figures": truth_of(document.title, shown)})
    archive.write_manifest(entries)
    write_truth(out / TRUTH_FILE, truths)
    shutil.copytree(reference_dir, out / "reference")
    (out / "README.md").write_text(readme(documents, len(pdf_indices), pdf_pages, seed), encoding="utf-8")
    return CorpusSummary(
        documents=documents,
        pdfs=len(pdf_indices),
        pdf_pages=pdf_pages,
        figures=sum(len(truth["figures"]) for truth in truths),
        seconds=time.perf_counter() - started,
    )


def check_target(out: Path) -> None:
    """A corpus is written into a new or empty folder only: never over an archive that holds captures."""
    if out.exists() and not out.is_dir():
        raise SynthError(f"{out} is a file, not a folder")
    if out.exists() and any(out.iterdir()):
        raise SynthError(f"{out} is not empty: tdi synth writes a new corpus into a new or empty folder")


def store(path: Path, content: bytes) -> None:
    """Written plainly, not through RawArchive.store_file: its fsync of each file guards a live archive
    against a crash, and a synthetic corpus that a crash interrupts is simply written again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def capture_of(
    document: SyntheticDocument, content: bytes, content_type: str, extension: str, seed: int
) -> Capture:
    setting = document.setting
    digest = sha256_of(content)
    kind_path = "documents" if extension == ".pdf" else "actualites"
    captured_at = datetime(2026, 1, 1, 9, tzinfo=UTC).isoformat()
    return Capture(
        document_id=document.document_id,
        path=f"{DOCUMENTS_DIR}/{digest}{extension}",
        publisher=setting.publisher,
        published_on=setting.published_on,
        title=document.title.text,
        content_type=content_type,
        sha256=digest,
        source_url=f"{HOST}/{setting.kind}/{kind_path}/{document.document_id}{extension}",
        source_url_note=SYNTHETIC_NOTE.format(seed=seed, index=document.index),
        published_on_note="Synthetic: the date the generator gave the document.",
        captured_at=captured_at,
        first_seen=captured_at,
        last_seen=captured_at,
        extra={"synthetic": True},
    )


def write_truth(path: Path, truths: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for truth in truths:
            handle.write(json.dumps(truth, ensure_ascii=False) + "\n")


def readme(documents: int, pdfs: int, pdf_pages: int, seed: int) -> str:
    return f"""# A synthetic corpus of tdi

Written by `tdi synth --documents {documents} --seed {seed}`: {documents} invented press releases and news
articles about the programme Territoires d'industrie, {pdfs} of them PDF press kits of {pdf_pages} pages. No page
exists at its URL (host synth.tdi.invalid); territory names and their communes are real (reference/).

- `manifest.yml`, `documents/`, `reference/`: a raw archive, for `tdi run --raw-dir THIS_FOLDER`.
- `truth.jsonl`: one line per document, `{{"document_id": …, "figures": [...]}}`, each figure as the golden
  files of tests/golden/figures state it (surface, value, unit, metric, qualifier, and range_bound for the
  ends of a range), in the order of the parsed text. It is what a careful reader takes from the text, written
  as the text was composed: never what the extractor said.
"""
