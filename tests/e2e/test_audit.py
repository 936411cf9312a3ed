"""The reconciliation suite and the auditor's report, on the committed corpus and on tampered copies."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestration.cli import main
from orchestration.report.data import FINDINGS_PER_CLAIM, MAX_FINDINGS_PER_CHECK
from tests.conftest import common, dbt_on, tdi
from tests.fixtures.chromium import ensure_chromium, headless

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
    """The JSON report as `tdi audit --format json` writes it by default: to audit.json beside the warehouse."""
    result = CliRunner().invoke(
        main, ["audit", "--format", "json", "--warehouse", str(warehouse), "--raw-dir", str(raw_dir)]
    )
    assert result.exit_code == 0, result.output
    written = warehouse.parent / "audit.json"
    assert f"json report written to {written}" in result.output and "{" not in result.output
    return json.loads(written.read_text(encoding="utf-8"))


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
        if c["check_name"] == "against_reference"
        and c["subject"].startswith("territories · Centre-Val de Loire")
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


def capture_text(workspace, needle: str, suffix: str) -> str:
    """The text of the committed capture (of that type) that contains `needle`."""
    for path in sorted((workspace["raw"] / "documents").glob(f"*{suffix}")):
        content = path.read_bytes()
        for encoding in ("utf-8", "cp1252"):
            try:
                text = content.decode(encoding)
            except UnicodeDecodeError:
                continue
            if needle in text:
                return text
    raise AssertionError(f"no capture contains {needle!r}")


def add_copy(workspace, html: str, slug: str, title: str, published_on: str) -> None:
    copy = workspace["root"] / f"{slug}.html"
    copy.write_text(html, encoding="utf-8")
    added = tdi(
        "add", str(copy), "--url", f"https://example.org/{slug}", "--publisher", "Copie altérée",
        "--published-on", published_on, "--title", title, *common(workspace),
    )  # fmt: skip
    assert added.exit_code == 0, added.output


def findings_about(audit: dict, check_name: str, title: str) -> list[dict]:
    document_id = next(d["document_id"] for d in audit["documents"] if d["title"] == title)
    return [
        c
        for c in audit["checks"]
        if c["check_name"] == check_name
        and c["status"] == "fail"
        and document_id in (c["left_document_id"], c["right_document_id"])
    ]


def test_tampered_copies_produce_exactly_the_expected_findings_dated_by_history(
    committed_corpus_run, isolated_environment, workspace
):
    shutil.copyfile(
        isolated_environment["warehouse"], workspace["warehouse"]
    )  # the committed corpus, published
    before = audit_json(workspace["warehouse"], workspace["raw"])

    cvl_page = capture_text(workspace, "12 territoires sont lauréats", ".html")
    add_copy(workspace, drop_last_laureate(cvl_page), "liste-courte", "Copie tronquée", "2024-02-14")
    explainer = capture_text(workspace, "1,36 milliard", ".html")
    add_copy(
        workspace,
        explainer.replace("1,36 milliard", "2,36 milliard"),
        "montant-change",
        "Montant changé",
        "2019-07-01",
    )
    add_copy(
        workspace, cvl_page.replace("3,9M€", "390 M€"), "enveloppe-gonflee", "Enveloppe gonflée", "2024-02-15"
    )
    cget = capture_text(workspace, "compte désormais 144", ".html").replace("windows-1252", "utf-8")
    recul = re.sub(r"\b85([\s\u00a0])%", r"185\1%", cget.replace("144", "104"))
    add_copy(workspace, recul, "recul", "Recul", "2019-10-01")
    anct = capture_text(workspace, "183 territoires lauréats", ".html")
    add_copy(
        workspace,
        anct.replace("183 territoires", "185 territoires"),
        "autre-total",
        "Autre total",
        "2023-11-12",
    )
    assert tdi("run", *common(workspace)).exit_code == 0
    after = audit_json(workspace["warehouse"], workspace["raw"])

    short = findings_about(after, "stated_vs_listed", "Copie tronquée")
    assert len(short) == 1
    assert (short[0]["expected"], short[0]["observed"]) == (12, 11)
    assert "12 territoires sont lauréats" in short[0]["left_quote"]
    assert "Est du Loiret" in short[0]["right_quote"] and "Berry-Sologne" not in short[0]["right_quote"]

    changed = [
        c
        for c in findings_about(after, "same_figure_across_sources", "Montant changé")
        if c["subject"].startswith("envelope · programme · national · Temps I")
    ]
    assert len(changed) == 2  # against "environ 1,3 milliard" and against the original "1,36 milliard"
    assert all("2,36 milliard" in c["left_quote"] + c["right_quote"] for c in changed)
    assert not findings_about(after, "stated_vs_listed", "Montant changé")

    inflated = findings_about(after, "part_vs_whole", "Enveloppe gonflée")
    assert len(inflated) == 1  # against the smallest national Fonds vert envelope: 100 M€
    assert all((c["observed"], c["expected"]) == (390e6, 100e6) for c in inflated)
    assert all("fonds vert" in c["left_quote"].lower() and "390 M€" in c["right_quote"] for c in inflated)

    decrease = findings_about(after, "counts_over_time", "Recul")
    assert len(decrease) == 1 and (decrease[0]["expected"], decrease[0]["observed"]) == (144, 104)
    implausible = [
        c
        for c in after["checks"]
        if c["check_name"] == "plausibility" and c["status"] == "warn" and "185" in c["subject"]
    ]
    assert len(implausible) == 1 and "100 %" in implausible[0]["explanation"]

    off_reference = findings_about(after, "against_reference", "Autre total")
    assert len(off_reference) == 1 and (off_reference[0]["expected"], off_reference[0]["observed"]) == (
        183,
        185,
    )

    findings = short + changed + inflated + decrease + off_reference
    before_ids = {c["result_id"] for c in before["checks"]}
    assert all(c["result_id"] not in before_ids for c in findings)
    first_run = min(c["history"][0]["checked_at"] for c in after["checks"] if c["result_id"] in before_ids)
    for finding in findings:
        assert [change["status"] for change in finding["history"]] == ["fail"]
        assert finding["history"][0]["checked_at"] > first_run


def written_report(warehouse: Path, raw_dir: Path, output_format: str, out: Path) -> str:
    """`tdi audit --format … --out FILE` on a warehouse; the report's text."""
    result = CliRunner().invoke(
        main,
        [
            "audit",
            "--format",
            output_format,
            "--out",
            str(out),
            "--warehouse",
            str(warehouse),
            "--raw-dir",
            str(raw_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


class VisibleText(HTMLParser):
    """The text a reader of the page can see or unfold: everything but scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        self.hidden_depth += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.hidden_depth -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


ENGLISH = (" and ", " the ", " of ", " is ", " are ", " with ", " but ", " vs ", "disagree", " agree", "unknown",
           "expected", "stated", "document(s)", "region(s)", "matches", "exceeds", "missing", "plausible",
           "official list", "no decrease", "reference:")  # fmt: skip
"""Words and phrases of the English explanations, subjects and source keys the report used to show."""


def test_html_report_opens_on_the_summary_then_the_disagreement_in_french_in_chromium(
    committed_corpus_run, isolated_environment, tmp_path
):
    report = tmp_path / "rapport.html"
    html = written_report(isolated_environment["warehouse"], isolated_environment["raw_dir"], "html", report)
    assert "file://" not in html
    chromium = ensure_chromium()
    profile = tmp_path / "profile"
    dom = headless(chromium, f"--user-data-dir={profile}", "--dump-dom", report.as_uri()).stdout
    assert 'id="n-checks"' in dom and dom.count("<svg") >= 3  # two overall charts and the disagreement's

    # The summary, then the 17 vs 18 disagreement (an écart), then the passes.
    disagreement = re.search(r'<article class="finding fail"[^>]*>.*?</article>', dom, re.S)
    assert disagreement, "no écart in the report"
    card = disagreement.group(0)
    first_pass = dom.index('data-status="pass"')
    assert dom.index('id="synthese"') < dom.index('id="changements"') < disagreement.start() < first_pass
    assert dom.index('data-status="warn"') < dom.index('data-status="not_enough_data"') < first_pass

    # Only the figures compared are marked, each document by its public URL and its capture by sha256.
    assert re.findall(r"<mark>(.*?)</mark>", card) == ["17", "18"]
    assert "ne concordent pas" in card and "éditeur inconnu" in card
    assert 'href="https://www.alliancy.fr/' in card
    assert len(re.findall(r"tdi show [0-9a-f]{12}\b", card)) == 2

    text = visible_text(dom)
    assert text.lstrip().startswith("Rapport d’audit") and "Synthèse" in text
    assert [phrase for phrase in ENGLISH if phrase in text] == []
    assert re.findall(r"\d+\.\d", text) == []  # no raw float: « 310 000 », « 1,75 million », « 47,1 % »
    assert re.findall(r"\d\d:\d\d:\d\d", text) == []  # times to the minute
    assert "borne : 310 000 · cité : 1,75 million" in text  # no-break spaces read as spaces
    assert "47,1 %" in text and "liste ANCT des territoires 2023–2027" in text

    screenshot = tmp_path / "rapport.png"
    headless(
        chromium,
        f"--user-data-dir={profile}",
        f"--screenshot={screenshot}",
        "--window-size=1280,2400",
        report.as_uri(),
    )
    assert screenshot.stat().st_size > 20_000


def test_markdown_and_json_follow_the_report_order(committed_corpus_run, isolated_environment, tmp_path):
    warehouse, raw_dir = isolated_environment["warehouse"], isolated_environment["raw_dir"]
    markdown = written_report(warehouse, raw_dir, "md", tmp_path / "rapport.md")
    headings = re.findall(r"^## (.*)$", markdown, re.M)
    assert headings[0] == "Synthèse" and headings[-1].startswith("Vérifications conformes")
    assert (
        markdown.index("## Synthèse")
        < markdown.index("**17**")
        < markdown.index("## Vérifications conformes")
    )
    assert "**18** mesures pour répondre à 4 besoins" in markdown  # the figure in question, not « 4 »
    assert [phrase for phrase in ENGLISH if phrase in markdown] == []

    report = json.loads(written_report(warehouse, raw_dir, "json", tmp_path / "rapport.json"))
    assert list(report)[:3] == ["generated_at", "warehouse", "summary"]
    order = ["fail", "warn", "not_enough_data", "pass"]
    ranks = [order.index(check["status"]) for check in report["checks"]]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert report["checks"][0]["claim"] == "mesures · Temps I"


def test_near_half_of_the_communes_is_checked_against_the_reference(corpus_audit):
    coverage = [
        c
        for c in corpus_audit["checks"]
        if c["check_name"] == "against_reference"
        and c["subject"].startswith("communes · Centre-Val de Loire")
    ]
    assert coverage and all(c["status"] == "pass" for c in coverage)
    assert all(c["expected"] == 47.1 and "827 des 1754 communes" in c["left_quote"] for c in coverage)
    assert all("près de la moitié des communes" in c["right_quote"] for c in coverage)


def build_history_alone(warehouse: Path, target: Path) -> None:
    """`dbt build` of the history model only, reading the check results the warehouse holds as they are."""
    built = dbt_on("build", "audit_check_history", warehouse, target)
    assert built.returncode == 0, built.stdout[-3000:]


def test_the_history_records_what_changed_and_what_is_gone_and_nothing_else(
    committed_corpus_run, isolated_environment, tmp_path
):
    import duckdb

    warehouse = tmp_path / "w.duckdb"
    shutil.copyfile(isolated_environment["warehouse"], warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        ((history_rows, last_checked_at),) = connection.sql(
            "select count(*), max(checked_at) from audit.audit_check_history"
        ).fetchall()
        # Change one result, remove another, as a build of the checks on other documents would.
        (changed, gone) = connection.sql(
            "select result_id from audit.audit_check_results where status = 'pass' order by result_id limit 2"
        ).fetchall()
        connection.execute(
            "update audit.audit_check_results set status = 'fail' where result_id = ?", [changed[0]]
        )
        connection.execute("delete from audit.audit_check_results where result_id = ?", [gone[0]])

    build_history_alone(warehouse, tmp_path / "target")
    build_history_alone(warehouse, tmp_path / "target")  # nothing changed since: nothing added

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        added = connection.execute(
            "select result_id, status from audit.audit_check_history where checked_at > ? order by status",
            [last_checked_at],
        ).fetchall()
        assert connection.sql("select count(*) from audit.audit_check_history").fetchall() == [
            (history_rows + 2,)
        ]
    assert added == [(changed[0], "fail"), (gone[0], "gone")]

    # A row of a run repeated breaks the history's key.
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "insert into audit.audit_check_history select * from audit.audit_check_history where result_id = ?",
            [changed[0]],
        )
    tested = dbt_on("test", "audit_check_history", warehouse, tmp_path / "target")
    assert tested.returncode != 0 and "unique_audit_check_history" in tested.stdout, tested.stdout


def test_audit_writes_html_to_a_file_by_default_and_markdown_to_the_terminal(
    committed_corpus_run, isolated_environment
):
    warehouse, raw_dir = isolated_environment["warehouse"], isolated_environment["raw_dir"]
    paths = ["--warehouse", str(warehouse), "--raw-dir", str(raw_dir)]
    html = CliRunner().invoke(main, ["audit", *paths])
    assert html.exit_code == 0, html.output
    assert f"html report written to {warehouse.parent / 'audit.html'}" in html.output
    assert "<html" not in html.output and "<html" in (warehouse.parent / "audit.html").read_text("utf-8")
    markdown = CliRunner().invoke(main, ["audit", "--format", "md", *paths])
    assert markdown.exit_code == 0 and markdown.stdout.lstrip().startswith("#"), markdown.output


def test_beyond_a_number_of_findings_per_check_the_report_counts_the_rest(
    committed_corpus_run, isolated_environment, tmp_path
):
    """One claim contradicted many times and many claims contradicted once: the HTML and the Markdown print
    MAX_FINDINGS_PER_CHECK findings and count the others, which the JSON keeps whole."""
    import duckdb

    warehouse = tmp_path / "w.duckdb"
    shutil.copyfile(isolated_environment["warehouse"], warehouse)
    same_claim, other_claims = MAX_FINDINGS_PER_CHECK + 10, MAX_FINDINGS_PER_CHECK + 10
    with duckdb.connect(str(warehouse)) as connection:
        for subject, count in (
            ("'measures · Temps I · 17 vs 18 #' || i", same_claim),  # the committed corpus's écart's claim
            ("'measures · Temps ' || i || ' · 17 vs 18'", other_claims),  # a claim each
        ):
            connection.execute(
                f"""
                insert into audit.audit_check_results by name
                select results.* replace (md5(check_name || ':' || {subject}) as result_id, {subject} as subject)
                from audit.audit_check_results as results, range({count}) as copies(i)
                where subject = 'measures · Temps I · 17 vs 18'
                """
            )
    raw_dir = isolated_environment["raw_dir"]
    claim_rest = same_claim + 1 - FINDINGS_PER_CLAIM
    others_shown = MAX_FINDINGS_PER_CHECK - FINDINGS_PER_CLAIM
    section_rest = other_claims - others_shown

    html = visible_text(written_report(warehouse, raw_dir, "html", tmp_path / "rapport.html"))
    assert html.count("écart « 17 » (1 document) et « 18 »") == MAX_FINDINGS_PER_CHECK
    assert f"Et {claim_rest} autres constats sur ce point." in html
    assert f"Et {section_rest} autres constats ({section_rest} autres points) : voir le JSON" in html

    markdown = written_report(warehouse, raw_dir, "md", tmp_path / "rapport.md")
    assert markdown.count("- **écart** — ") == MAX_FINDINGS_PER_CHECK
    assert f"Et {claim_rest} autres constats sur ce point." in markdown
    assert f"Et {section_rest} autres constats ({section_rest} autres points)" in markdown

    report = json.loads(written_report(warehouse, raw_dir, "json", tmp_path / "rapport.json"))
    assert sum(check["status"] == "fail" for check in report["checks"]) == same_claim + other_claims + 1
