"""A raw archive that is not the committed one, as a new user makes it: crawled or added into a new folder,
run, and published, with the committed reference snapshot, whatever marts the corpus leaves empty; and a
run that fails says why in one line, the traces in its log file."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from tests.conftest import tdi
from tests.fixtures.site.server import FixtureSite, serve

COUNTS_ONLY = """<html><head><meta charset="utf-8"><title>183 Territoires d'industrie</title></head><body>
<main><article><h1>Territoires d'industrie : 183 territoires labellisés</h1>
<p>Le Gouvernement a annoncé le 20 novembre 2023 la liste des 183 territoires labellisés Territoires
d'industrie pour la période 2023-2027.</p><p>En Bretagne, 12 territoires ont été retenus.</p>
</article></main></body></html>"""
"""A page that states counts and no euro amount."""


def run(raw_dir: Path, warehouse: Path):
    return tdi("run", "--raw-dir", str(raw_dir), "--warehouse", str(warehouse))


def count(warehouse: Path, relation: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(f"select count(*) from {relation}").fetchone()[0]


def test_a_crawl_into_a_new_folder_runs_on_the_committed_reference_and_shows_its_stages(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    raw_dir, warehouse = tmp_path / "new", tmp_path / "w.duckdb"
    with serve(FixtureSite()) as site:
        crawled = tdi(
            "crawl",
            f"{site.base_url}/actualites",
            "--match",
            "territoires? d.industrie",
            "--allow-host",
            "127.0.0.1",
            "--delay",
            "0",
            "--raw-dir",
            str(raw_dir),
        )
    assert crawled.exit_code == 0, crawled.output

    result = run(raw_dir, warehouse)

    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output and f"warehouse (published): {warehouse}" in result.output
    assert result.output.count("the committed snapshot") == 1
    assert not (raw_dir / "reference").exists()
    for stage in ("captures: ", "parse: parsed 0/", "extract: extracted ", "dbt models and tests: "):
        assert stage in result.output, f"no {stage!r} progress line"
    assert re.search(r"parse: parsed (\d+)/\1 captures", result.output)
    assert count(warehouse, "marts.dim_document") == count(warehouse, "raw.documents") > 0
    assert count(warehouse, "raw.ref_communes") > 30_000


def test_a_corpus_without_any_euro_amount_is_published_and_its_empty_mart_named(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    raw_dir, warehouse = tmp_path / "new", tmp_path / "w.duckdb"
    page = tmp_path / "counts.html"
    page.write_text(COUNTS_ONLY, encoding="utf-8")
    assert tdi("init", str(raw_dir)).exit_code == 0
    added = tdi(
        "add", str(page), "--url", "https://example.org/183", "--publisher", "ANCT",
        "--published-on", "2023-11-20", "--title", "183 territoires", "--raw-dir", str(raw_dir),
    )  # fmt: skip
    assert added.exit_code == 0, added.output

    result = run(raw_dir, warehouse)

    assert result.exit_code == 0, result.output
    assert "empty marts (the documents state no such fact): fct_funding" in result.output
    assert count(warehouse, "marts.fct_funding") == 0
    assert count(warehouse, "marts.fct_figures") > 0


def test_a_failing_run_says_why_in_one_line_and_keeps_the_trace_in_its_log(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    raw_dir, warehouse = tmp_path / "new", tmp_path / "w.duckdb"
    assert tdi("init", str(raw_dir)).exit_code == 0
    (raw_dir / "reference").mkdir()

    result = run(raw_dir, warehouse)

    assert result.exit_code == 1
    assert "Traceback" not in result.output and "Stack Trace" not in result.output, result.output
    failures = [line for line in result.output.splitlines() if line.startswith("  failure: ")]
    assert len(failures) == 1 and "reference file" in failures[0] and "is missing" in failures[0]
    assert f"no warehouse published: {warehouse} was not written" in result.output
    log = Path(re.search(r"run log: (\S+)", result.output).group(1))
    assert "Stack Trace" in log.read_text(encoding="utf-8")
