"""`make bench`: how long each stage takes on the committed corpus, bare and through Dagster + dbt.

Not a test: it measures and writes bench/results.json and bench/results.md for people to compare.
The bare loop (load, parse, extract without Dagster or dbt) is the floor each orchestrated run is
compared with.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from ingestion.capture.archive import RawArchive
from ingestion.pipeline import extract_from_documents, load_captures, parse_documents
from orchestration.project import DEFAULT_RAW_DIR, RAW_DIR_ENV, WAREHOUSE_ENV

REPEATS = 5
BENCH_DIR = Path(__file__).parent


def time_bare_stages(archive: RawArchive) -> dict:
    timings = {"load": [], "parse": [], "extract": []}
    for _ in range(REPEATS):
        started = time.perf_counter()
        documents, _ = load_captures(archive)
        timings["load"].append(time.perf_counter() - started)
        started = time.perf_counter()
        parsed, pages, _ = parse_documents(archive, documents)
        timings["parse"].append(time.perf_counter() - started)
        started = time.perf_counter()
        extract_from_documents(parsed, pages)
        timings["extract"].append(time.perf_counter() - started)
    n_documents = len(documents)
    return {
        stage: {
            "median_seconds": statistics.median(values),
            "per_document_ms": 1000 * statistics.median(values) / max(n_documents, 1),
        }
        for stage, values in timings.items()
    } | {"documents": n_documents}


def time_orchestrated_runs() -> dict:
    from orchestration.cli import configure_environment
    from orchestration.runner import run_everything

    with tempfile.TemporaryDirectory() as scratch:
        os.environ["DAGSTER_HOME"] = str(Path(scratch) / "dagster_home")
        configure_environment(Path(scratch) / "bench.duckdb", DEFAULT_RAW_DIR)
        started = time.perf_counter()
        cold = run_everything()
        cold_seconds = time.perf_counter() - started
        started = time.perf_counter()
        rerun = run_everything()
        rerun_seconds = time.perf_counter() - started
    return {
        "cold_run_seconds": cold_seconds,
        "rerun_seconds": rerun_seconds,
        "succeeded": cold.succeeded and rerun.succeeded,
        "warehouse_env": [WAREHOUSE_ENV, RAW_DIR_ENV],
    }


def write_results(results: dict) -> None:
    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    bare = results["bare_stages"]
    lines = [
        f"# tdi bench — {results['when']} ({results['machine']})",
        "",
        f"Committed corpus: {bare['documents']} documents.",
        "",
        "| stage | median (s) | per document (ms) |",
        "|---|---|---|",
    ]
    lines += [
        f"| {stage} (bare) | {bare[stage]['median_seconds']:.3f} | {bare[stage]['per_document_ms']:.1f} |"
        for stage in ("load", "parse", "extract")
    ]
    runs = results["orchestrated"]
    lines += [
        f"| whole run, Dagster + dbt, cold | {runs['cold_run_seconds']:.2f} | |",
        f"| whole run, Dagster + dbt, rerun | {runs['rerun_seconds']:.2f} | |",
        "",
        f"Peak memory: {results['peak_memory_mb']:.0f} MB in the main process, "
        f"{results['peak_memory_children_mb']:.0f} MB in the largest child (a worker or dbt).",
    ]
    (BENCH_DIR / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "bare_stages": time_bare_stages(RawArchive(DEFAULT_RAW_DIR)),
        "orchestrated": time_orchestrated_runs(),
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # The parse and extract workers and dbt are child processes: their peak is not in RUSAGE_SELF.
        "peak_memory_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    write_results(results)
    print((BENCH_DIR / "results.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
