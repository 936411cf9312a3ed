"""The truth of a synthetic corpus against what the extractor found: what is missing, what is extra.

Both lists are in text order, so they are aligned as sequences (difflib), which keeps one extra figure
from shifting every later one into a disagreement.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

TRUTH_FILE = "truth.jsonl"


@dataclass(frozen=True)
class Disagreement:
    """A true figure the extractor missed or read otherwise (`expected`), or a figure it reported that
    is not in the truth (`found`, with its sentence)."""

    document_id: str
    expected: dict | None
    found: dict | None

    def describe(self) -> str:
        def show(row):
            return f"{row['surface']!r} = {row['value']:g} {row['unit']} {row['metric']} {row['qualifier']}"

        if self.found is None:
            return f"{self.document_id}: missed {show(self.expected)}"
        where = f" in {self.found.get('quote', '')!r}"
        if self.expected is None:
            return f"{self.document_id}: reported {show(self.found)}, not a figure{where}"
        return f"{self.document_id}: expected {show(self.expected)}, found {show(self.found)}{where}"


def load_truth(corpus_dir: Path) -> dict[str, list[dict]]:
    """The true figures of each document, by document_id."""
    with (Path(corpus_dir) / TRUTH_FILE).open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    return {record["document_id"]: record["figures"] for record in records}


def normalised(surface: str) -> str:
    """No-break and narrow no-break spaces, and a line wrapped inside a figure, read as one plain space."""
    return " ".join(surface.replace("\u00a0", " ").replace("\u202f", " ").split())


def key(row: dict) -> tuple:
    """What two readings of a figure must share to be the same: surface, value, unit, metric, qualifier and
    the end of a range it is."""
    return (
        normalised(row["surface"]),
        round(float(row["value"]), 6),
        row["unit"],
        row["metric"],
        row["qualifier"],
        row.get("range_bound"),
    )


def disagreements(document_id: str, truth: list[dict], found: list[dict]) -> list[Disagreement]:
    """Every difference between the true figures and the found ones (the extractor's figures as dicts,
    as ingestion.worker_tasks.extract_text returns them)."""
    expected_keys, found_keys = [key(row) for row in truth], [key(row) for row in found]
    differences = []
    matcher = difflib.SequenceMatcher(a=expected_keys, b=found_keys, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            continue
        differences.extend(pair_by_surface(document_id, truth[a_start:a_end], found[b_start:b_end]))
    return differences


def pair_by_surface(document_id: str, expected: list[dict], reported: list[dict]) -> list[Disagreement]:
    """Within a stretch where the two lists differ, a true figure and a found one with the same surface
    are one figure read otherwise; the rest were missed or are extra."""
    differences, unmatched = [], list(reported)
    for row in expected:
        same = next((f for f in unmatched if normalised(f["surface"]) == normalised(row["surface"])), None)
        if same is not None:
            unmatched.remove(same)
        differences.append(Disagreement(document_id, row, same))
    differences.extend(Disagreement(document_id, None, row) for row in unmatched)
    return differences
