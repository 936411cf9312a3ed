"""Sensors: a new capture in raw/ triggers a run without waiting for the schedule."""

import hashlib
from pathlib import Path

import dagster as dg

from orchestration.jobs import everything_job
from orchestration.resources import RawArchiveResource


def raw_folder_fingerprint(root: Path) -> str:
    """Hash the names, sizes and modification times of every file in raw/ but the archive's own lock and
    marker files (dot files): cheap, and any change of content shows."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(
    job=everything_job,
    minimum_interval_seconds=60,
    description="Runs the pipeline when a file in raw/ is added or changed (e.g. by `tdi add`).",
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def new_raw_files(context: dg.SensorEvaluationContext, raw_archive: RawArchiveResource):
    fingerprint = raw_folder_fingerprint(Path(raw_archive.path))
    if fingerprint == context.cursor:
        return dg.SkipReason("raw/ has not changed since the last run request")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)
