"""A synthetic corpus of press releases about the programme, with the true figures of each document.

`tdi synth` writes a raw archive (manifest, documents, reference data) that `tdi run --raw-dir` loads,
plus `truth.jsonl`: what a careful reader would list as the figures of each document, recorded as the
text is composed, never read back by the extractor. Scale runs can then check extraction, not only speed.
"""

from ingestion.synth.corpus import CorpusSummary, generate_corpus

__all__ = ["CorpusSummary", "generate_corpus"]
