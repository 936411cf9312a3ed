"""Measure `extract_figures` on a folder of hand-annotated texts that are not in this repository.

    python -m bench.eval_extraction FOLDER [--verbose]

FOLDER holds, for each text, NAME.txt (UTF-8, or windows-1252) and NAME.json: the figures a reader
finds in it, in text order, each {"surface", "value", "unit", "metric", "qualifier"}. "metric" and
"qualifier" may list accepted answers separated by "|" where the text allows more than one reading;
"optional": true marks a figure that is neither required nor counted as wrong when reported.

Expected and reported figures are paired by aligning the two lists in text order on (value, unit), so
that a value repeated in a text (the same count of territories five times) pairs with its own mention.
Reports recall (expected figures found with their value and unit), precision (reported figures that are
expected), metric and qualifier accuracy over the pairs, and, with --verbose, each miss, false positive
and wrong label with its sentence. Not a test: the texts are third-party material and stay outside.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.extract import Figure, extract_figures


@dataclass
class Score:
    expected: int = 0
    reported: int = 0
    found: int = 0
    true_reports: int = 0
    right_metric: int = 0
    right_qualifier: int = 0
    lines: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("expected", "reported", "found", "true_reports", "right_metric", "right_qualifier"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.lines.extend(other.lines)


def read_text(path: Path) -> str:
    """Real captures come in windows-1252 as well as UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def same_quantity(expected: dict, figure: Figure) -> bool:
    return expected["unit"] == figure.unit and math.isclose(
        float(expected["value"]), figure.value, rel_tol=1e-9
    )


def aligned_pairs(expected: list[dict], figures: list[Figure]) -> list[tuple[int, int]]:
    """The longest order-preserving pairing of expected and reported figures on (value, unit)."""
    rows, columns = len(expected), len(figures)
    longest = [[0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(columns - 1, -1, -1):
            if same_quantity(expected[i], figures[j]):
                longest[i][j] = longest[i + 1][j + 1] + 1
            else:
                longest[i][j] = max(longest[i + 1][j], longest[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < rows and j < columns:
        if same_quantity(expected[i], figures[j]) and longest[i][j] == longest[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif longest[i + 1][j] >= longest[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def accepts(answers: str, given: str) -> bool:
    return given in answers.split("|")


def describe(figure: Figure) -> str:
    return f"{figure.surface!r} = {figure.value:g} {figure.unit} {figure.metric} {figure.qualifier}"


def score_document(name: str, text: str, expected: list[dict]) -> Score:
    figures = extract_figures(text)
    pairs = aligned_pairs(expected, figures)
    paired_expected = {i for i, _ in pairs}
    paired_figures = {j for _, j in pairs}
    score = Score(
        expected=sum(1 for row in expected if not row.get("optional")),
        reported=len(figures),
        found=sum(1 for i, _ in pairs if not expected[i].get("optional")),
        true_reports=len(pairs),
    )
    for i, j in pairs:
        row, figure = expected[i], figures[j]
        if accepts(row["metric"], figure.metric):
            score.right_metric += 1
        else:
            score.lines.append(
                f"{name}: METRIC {describe(figure)}, expected {row['metric']} | {figure.quote}"
            )
        if accepts(row["qualifier"], figure.qualifier):
            score.right_qualifier += 1
        else:
            score.lines.append(
                f"{name}: QUALIFIER {describe(figure)}, expected {row['qualifier']} | {figure.quote}"
            )
    for i, row in enumerate(expected):
        if i not in paired_expected and not row.get("optional"):
            score.lines.append(
                f"{name}: MISS {row['surface']!r} = {row['value']:g} {row['unit']} {row['metric']}"
            )
    for j, figure in enumerate(figures):
        if j not in paired_figures:
            score.lines.append(f"{name}: FALSE {describe(figure)} | {figure.quote}")
    return score


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument(
        "--verbose", action="store_true", help="list each miss, false positive and wrong label"
    )
    arguments = parser.parse_args()
    total = Score()
    documents = sorted(arguments.folder.glob("*.json"))
    for annotation in documents:
        expected = json.loads(annotation.read_text(encoding="utf-8"))
        text = read_text(annotation.with_suffix(".txt"))
        total.add(score_document(annotation.stem, text, expected))
    if arguments.verbose:
        print("\n".join(total.lines))
    print(
        f"{len(documents)} texts, {total.expected} expected figures, {total.reported} reported\n"
        f"recall     {percent(total.found, total.expected)} ({total.found}/{total.expected})\n"
        f"precision  {percent(total.true_reports, total.reported)} ({total.true_reports}/{total.reported})\n"
        f"metric     {percent(total.right_metric, total.true_reports)}\n"
        f"qualifier  {percent(total.right_qualifier, total.true_reports)}"
    )


if __name__ == "__main__":
    main()
