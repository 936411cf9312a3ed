"""The reconciliation suite and the auditor's report, on the committed corpus and on tampered copies."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from orchestration.cli import main
from tests.conftest import common, tdi

CHECK_KINDS = {
    "stated_vs_listed",
    "same_figure_across_sources",
    "counts_over_time",
    "part_vs_whole",
    "regions_vs_national",
    "against_reference",
    "plausibility",
    "warehouse_integrity",
}


def audit_json(warehouse: Path, raw_dir: Path) -> dict:
    result = CliRunner().invoke(
        main, ["audit", "--format", "json", "--warehouse", str(warehouse), "--raw-dir", str(raw_dir)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout[: result.stdout.rindex("}") + 1])


@pytest.fixture(scope="module")
def corpus_audit(committed_corpus_run, isolated_environment):
    return audit_json(isolated_environment["warehouse"], isolated_environment["raw_dir"])


def test_every_kind_of_check_runs_on_the_corpus(corpus_audit):
    assert {check["check_name"] for check in corpus_audit["checks"]} == CHECK_KINDS
    integrity = [c for c in corpus_audit["checks"] if c["check_name"] == "warehouse_integrity"]
    assert all(c["status"] == "pass" for c in integrity)


def test_centre_val_de_loire_laureates_match_the_reference_with_both_quotes(corpus_audit):
    regional = [
        c
        for c in corpus_audit["checks"]
        if c["check_name"] == "against_reference" and "Centre-Val de Loire" in c["subject"]
    ]
    assert regional, "no check of the Centre-Val de Loire list"
    for check in regional:
        assert check["status"] == "pass", check
        assert check["expected"] == check["observed"] == 12
        assert "Berry Sologne" in check["left_quote"]
        assert "12 territoires sont lauréats" in check["right_quote"]


def test_seventeen_against_eighteen_measures_is_a_finding_with_both_sources(corpus_audit):
    measures = [
        c
        for c in corpus_audit["checks"]
        if c["check_name"] == "same_figure_across_sources" and c["subject"].startswith("measures")
    ]
    assert any(c["status"] == "fail" and {c["expected"], c["observed"]} == {17.0, 18.0} for c in measures), (
        measures
    )
    finding = next(c for c in measures if c["status"] == "fail")
    quotes = finding["left_quote"] + " " + finding["right_quote"]
    assert "18 mesures" in quotes and "17 mesures" in quotes
    assert finding["left_document_id"] != finding["right_document_id"]


def test_consistent_programme_envelopes_pass(corpus_audit):
    envelopes = [
        c
        for c in corpus_audit["checks"]
        if c["check_name"] == "same_figure_across_sources" and c["subject"].startswith("envelope · programme")
    ]
    assert envelopes and all(c["status"] == "pass" for c in envelopes)


def drop_last_laureate(html: str) -> str:
    """Tamper with the Centre-Val de Loire page: its list keeps announcing 12 laureates but names 11."""
    items = list(re.finditer(r"<li>Berry-Sologne, qui inclut[^<]*</li>\s*", html))
    assert len(items) == 1, "the laureates list changed shape: update the tampering"
    return html[: items[0].start()] + html[items[0].end() :]


def test_a_list_one_item_short_is_a_failure_that_history_dates(workspace):
    manifest = yaml.safe_load((workspace["raw"] / "manifest.yml").read_text(encoding="utf-8"))["documents"]
    page = next(
        e
        for e in manifest
        if e["path"].endswith(".html")
        and "12 territoires" in (workspace["raw"] / e["path"]).read_text(encoding="utf-8", errors="replace")
    )
    assert tdi("run", *common(workspace)).exit_code == 0
    before = audit_json(workspace["warehouse"], workspace["raw"])

    tampered = workspace["root"] / "tampered.html"
    tampered.write_text(drop_last_laureate((workspace["raw"] / page["path"]).read_text(encoding="utf-8")))
    added = tdi(
        "add",
        str(tampered),
        "--url",
        "https://example.org/copie-communique",
        "--publisher",
        "Copie",
        "--published-on",
        "2024-02-14",
        "--title",
        "Copie tronquée",
        *common(workspace),
    )
    assert added.exit_code == 0, added.output
    assert tdi("run", *common(workspace)).exit_code == 0
    after = audit_json(workspace["warehouse"], workspace["raw"])

    copy_id = next(d["document_id"] for d in after["documents"] if d["title"] == "Copie tronquée")
    failures = [
        c
        for c in after["checks"]
        if c["check_name"] == "stated_vs_listed"
        and c["status"] == "fail"
        and c["right_document_id"] == copy_id
    ]
    assert len(failures) == 1
    failure = failures[0]
    assert (failure["expected"], failure["observed"]) == (12, 11)
    assert "12 territoires sont lauréats" in failure["left_quote"]
    assert "Est du Loiret" in failure["right_quote"] and "Berry-Sologne" not in failure["right_quote"]
    assert failure["result_id"] not in {c["result_id"] for c in before["checks"]}
    history = failure["history"]
    assert len(history) == 1 and history[0]["status"] == "fail"
    other_results_history = [
        c["history"] for c in after["checks"] if c["result_id"] in {b["result_id"] for b in before["checks"]}
    ]
    assert all(len(h) >= 1 for h in other_results_history)
    assert min(h[0]["checked_at"] for h in other_results_history) < history[0]["checked_at"]


def ensure_chromium() -> str:
    """Install Debian's Chromium when it is missing: the report must be checked in a real browser."""
    if not shutil.which("chromium"):
        subprocess.run(["apt-get", "update", "-qq"], check=True, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, timeout=900)
    return shutil.which("chromium")


def headless(chromium: str, *arguments: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    return subprocess.run(
        [chromium, *flags, *arguments], capture_output=True, text=True, timeout=120, check=True
    )


def test_html_report_shows_summary_findings_and_plots_in_chromium(
    committed_corpus_run, isolated_environment, tmp_path
):
    report = tmp_path / "rapport.html"
    result = CliRunner().invoke(
        main,
        [
            "audit",
            "--format",
            "html",
            "--out",
            str(report),
            "--warehouse",
            str(isolated_environment["warehouse"]),
            "--raw-dir",
            str(isolated_environment["raw_dir"]),
        ],
    )
    assert result.exit_code == 0, result.output
    chromium = ensure_chromium()
    profile = tmp_path / "profile"
    dom = headless(chromium, f"--user-data-dir={profile}", "--dump-dom", report.as_uri()).stdout
    assert "Synthèse" in dom and 'id="n-checks"' in dom
    assert dom.count('class="finding') >= 1
    assert "<mark>17</mark>" in dom or "<mark>17 " in dom
    assert dom.count("<svg") >= 2
    screenshot = tmp_path / "rapport.png"
    headless(
        chromium,
        f"--user-data-dir={profile}",
        f"--screenshot={screenshot}",
        "--window-size=1280,2400",
        report.as_uri(),
    )
    assert screenshot.stat().st_size > 20_000
