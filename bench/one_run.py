"""`python -m bench.one_run RAW_DIR WAREHOUSE [--rebuild]`: what `tdi run` does, with its summary
printed as one line of JSON (step timings included) for the bench to read."""

import json
import sys
from dataclasses import asdict
from pathlib import Path

from orchestration.cli import configure_environment
from orchestration.runner import run_everything

if __name__ == "__main__":
    raw_dir, warehouse = Path(sys.argv[1]), Path(sys.argv[2])
    configure_environment(warehouse, raw_dir)
    summary = run_everything(rebuild="--rebuild" in sys.argv[3:])
    print(json.dumps(asdict(summary), default=str))
    sys.exit(0 if summary.succeeded else 1)
