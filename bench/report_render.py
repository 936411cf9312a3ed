"""The auditor's report at scale: how long `tdi audit` takes to write the HTML report, its size, and how long
headless Chromium takes to load and paint it, beside an empty page painted the same way (the browser's own
start, the floor). Chromium is the one Debian installs (`tests/fixtures/chromium.py` installs it); without it the
render is not measured.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from pathlib import Path

from bench.measure import measured
from tests.fixtures.chromium import HEADLESS_FLAGS

TDI = str(Path(sys.executable).parent / "tdi")
REPEATS = 3
WINDOW = "--window-size=1280,2400"


def chromium_seconds(chromium: str, page: Path, profile: Path) -> float:
    """Wall time of headless Chromium loading a page and painting a screenshot of it, its start included."""
    command = [
        chromium,
        *HEADLESS_FLAGS,
        WINDOW,
        f"--user-data-dir={profile}",
        f"--screenshot={profile}.png",
        page.as_uri(),
    ]
    painted = measured(command)
    if painted.returncode != 0:
        raise SystemExit(f"headless Chromium failed on {page}")
    return painted.seconds


def report_render(warehouse: Path, scratch: Path) -> dict:
    """`tdi audit` of a warehouse into `scratch`, timed; the HTML's size; Chromium's median time to paint it and
    to paint an empty page, over REPEATS runs after a first one that makes the browser's profile."""
    report = scratch / "audit.html"
    written = measured([TDI, "audit", "--warehouse", str(warehouse), "--out", str(report)])
    if not report.exists():  # exit 1 (an error-severity failure) still writes the report
        raise SystemExit(f"tdi audit wrote no report for {warehouse}")
    measures = {"audit_seconds": written.seconds, "html_mb": report.stat().st_size / 1024**2}
    chromium = shutil.which("chromium")
    if chromium is None:
        return {**measures, "render_seconds": None, "blank_render_seconds": None}
    blank = scratch / "blank.html"
    blank.write_text("<!DOCTYPE html><html lang='fr'><title>vide</title></html>", encoding="utf-8")
    profile = scratch / "chromium-profile"
    chromium_seconds(chromium, blank, profile)
    return {
        **measures,
        "blank_render_seconds": statistics.median(
            chromium_seconds(chromium, blank, profile) for _ in range(REPEATS)
        ),
        "render_seconds": statistics.median(
            chromium_seconds(chromium, report, profile) for _ in range(REPEATS)
        ),
    }


if __name__ == "__main__":  # one measure alone: python -m bench.report_render WAREHOUSE SCRATCH_DIR
    print(json.dumps(report_render(Path(sys.argv[1]), Path(sys.argv[2]))))
