"""`python -m bench.bare_stages RAW_DIR`: the floor of the Python stages. The same load, parse and
extract calls the pipeline's workers make, in a bare loop in one process: no Dagster, no dbt, no
worker pool, no warehouse. Prints one line of JSON: seconds per stage, documents, figures."""

import json
import resource
import sys
import time
from pathlib import Path

from ingestion.capture.archive import RawArchive
from ingestion.pipeline import load_captures
from ingestion.worker_tasks import extract_text, parse_capture


def bare_stages(raw_dir: Path) -> dict:
    archive = RawArchive(raw_dir)
    started = time.perf_counter()
    documents, _ = load_captures(archive)
    load_seconds = time.perf_counter() - started
    parse_seconds = extract_seconds = 0.0
    n_figures = 0
    for document in documents:
        started = time.perf_counter()
        parsed, _ = parse_capture(str(raw_dir / document["capture_path"]), document["content_type"])
        parse_seconds += time.perf_counter() - started
        started = time.perf_counter()
        figures, _ = extract_text(parsed["text"])
        extract_seconds += time.perf_counter() - started
        n_figures += len(figures)
    return {
        "documents": len(documents),
        "figures": n_figures,
        "seconds": {"load": load_seconds, "parse": parse_seconds, "extract": extract_seconds},
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    print(json.dumps(bare_stages(Path(sys.argv[1]))))
