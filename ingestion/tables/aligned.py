"""Tables aligned without rules, found as a reader finds them: consecutive lines of text whose words all leave
the same gutters free, with text on both sides of a gutter on several of them.

It works on boxes (x0, x1, top, bottom; top down): pdfplumber's words on a page the table finder reads, and
PDFium's text rectangles where the page gate (ingestion/tables/pages.py) decides whether to read a page at all.
A region grows line by line from a line with a gap of GUTTER_MIN_POINTS or more, for as long as some gutter stays
clear of every word and the lines stay close; a line of prose crosses every gutter and ends it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from ingestion.tables import settings


@dataclass(frozen=True)
class Box:
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Region:
    """Lines that make an aligned table, and the gutters (x intervals) clear of text on all of them."""

    lines: tuple[tuple[Box, ...], ...]
    gutters: tuple[tuple[float, float], ...]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        boxes = [box for line in self.lines for box in line]
        return (
            min(box.x0 for box in boxes),
            min(box.top for box in boxes),
            max(box.x1 for box in boxes),
            max(box.bottom for box in boxes),
        )


def text_lines(boxes: Iterable[Box]) -> list[tuple[Box, ...]]:
    """The boxes in lines, top to bottom, each left to right: a box whose middle lies within the height of a
    line's first box is on that line."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda box: (box.top, box.x0)):
        if lines and lines[-1][0].top <= (box.top + box.bottom) / 2 <= lines[-1][0].bottom:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [tuple(sorted(line, key=lambda box: box.x0)) for line in lines]


def aligned_regions(lines: list[tuple[Box, ...]], gutter: float) -> list[Region]:
    """The regions of ALIGNED_ROWS_MIN lines or more with text across a gutter at least `gutter` wide, top to
    bottom, none overlapping; a line that would start a shorter one is passed over."""
    regions, start = [], 0
    while start < len(lines):
        region = grown_from(lines, start, gutter)
        if region is not None and lines_across(region) >= settings.ALIGNED_ROWS_MIN:
            regions.append(without_trailing_notes(region, gutter))
            start += len(region.lines)
        else:
            start += 1
    return regions


def grown_from(lines: list[tuple[Box, ...]], start: int, gutter: float) -> Region | None:
    """The region that starts at lines[start]: it takes each next line that is close and leaves a gutter clear;
    None if that line has no gap wide enough."""
    gutters = gaps(lines[start], gutter)
    if not gutters:
        return None
    taken = [lines[start]]
    for line in lines[start + 1 :]:
        narrowed = clear_of(gutters, line, gutter) if close(taken[-1], line) else []
        if not narrowed:
            break
        taken.append(line)
        gutters = narrowed
    return Region(tuple(taken), tuple(gutters))


def gaps(line: tuple[Box, ...], gutter: float) -> list[tuple[float, float]]:
    """The gaps at least `gutter` wide between neighbouring boxes of a line."""
    return [(left.x1, right.x0) for left, right in itertools.pairwise(line) if right.x0 - left.x1 >= gutter]


def clear_of(
    gutters: list[tuple[float, float]], line: tuple[Box, ...], gutter: float
) -> list[tuple[float, float]]:
    """The parts of the gutters that no box of the line covers, those at least `gutter` wide."""
    for box in line:
        gutters = [
            (start, end)
            for left, right in gutters
            for start, end in ((left, min(right, box.x0)), (max(left, box.x1), right))
            if end - start >= gutter
        ]
    return gutters


def close(above: tuple[Box, ...], below: tuple[Box, ...]) -> bool:
    """Whether the blank between two lines is within ALIGNED_LINE_GAP_RATIO times the upper line's height."""
    height = max(box.bottom for box in above) - min(box.top for box in above)
    blank = min(box.top for box in below) - max(box.bottom for box in above)
    return blank <= settings.ALIGNED_LINE_GAP_RATIO * height


def lines_across(region: Region) -> int:
    """The region's lines with text on both sides of one of its gutters."""
    return sum(1 for line in region.lines if any(spans(line, gutter) for gutter in region.gutters))


def spans(line: tuple[Box, ...], gutter: tuple[float, float]) -> bool:
    return any(box.x1 <= gutter[0] for box in line) and any(box.x0 >= gutter[1] for box in line)


def without_trailing_notes(region: Region, gutter: float) -> Region:
    """The region without the lines after its last row that lie wholly left of its first gutter (a note under
    the table, "Source : DREETS", not a row, as a row's wrapped cell goes on in its own column), its gutters
    those its other lines leave clear."""
    lines = list(region.lines)
    first_gutter = min(start for start, _ in region.gutters)
    while not any(spans(lines[-1], clear) for clear in region.gutters) and all(
        box.x1 <= first_gutter for box in lines[-1]
    ):
        lines.pop()
    gutters = functools.reduce(
        lambda clear, line: clear_of(clear, line, gutter), lines[1:], gaps(lines[0], gutter)
    )
    return Region(tuple(lines), tuple(gutters))
