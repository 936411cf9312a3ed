"""One writer at a time, and a warehouse that analysts can always open.

DuckDB lets one process write a file, and a reader who opens it during a write gets "Could not set
lock on file". So a run never writes the published warehouse: it takes the run lock, copies the
published file into a working copy of its own (the history tables need what came before), builds
there, and, when every error-severity check passed, publishes the copy by renaming it over the
published file. A rename is atomic: a reader sees the old warehouse or the new one, and a reader
that had the old one open keeps reading it. A run killed at any point (kill -9 included) leaves the
published file untouched, and the lock, held by the process, goes with it.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

BUILDING_DIR = ".building"
DBT_TARGETS_DIR = ".dbt-target"


class WarehouseBusy(Exception):
    """Another run holds the run lock; the message says which and since when."""


class RunLock:
    """An exclusive flock on `<warehouse>.lock`. The kernel releases it when the process ends, however
    it ends, so a crashed run never leaves a stale lock behind."""

    def __init__(self, warehouse: Path):
        self.path = warehouse.with_name(warehouse.name + ".lock")
        self.handle = None

    def acquire(self, run_id: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "{}"
            handle.close()
            raise WarehouseBusy(busy_message(holder)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"run_id": run_id, "pid": os.getpid(), "since": now()}))
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            self.handle.seek(0)
            self.handle.truncate()
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None

    def ensure_free(self) -> None:
        """Raise WarehouseBusy when another process holds the lock; take nothing (the run takes it later)."""
        if not self.path.exists():
            return
        with self.path.open("r") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                raise WarehouseBusy(busy_message(handle.read().strip() or "{}")) from None
            fcntl.flock(handle, fcntl.LOCK_UN)


def busy_message(holder: str) -> str:
    """Who holds the lock, as a person reads it: the process and when it started."""
    try:
        facts = json.loads(holder)
    except ValueError:
        facts = {}
    since = facts.get("since", "?").replace("T", " ").replace("+00:00", " UTC")
    return (
        f"another run is writing this warehouse (pid {facts.get('pid', '?')}, started {since}, "
        f"run {facts.get('run_id', '?')}): this one did nothing; start it again when that one has ended"
    )


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def working_copy_path(warehouse: Path) -> Path:
    """One fixed path per warehouse, which the run lock makes the current run's."""
    return warehouse.parent / BUILDING_DIR / warehouse.name


def dbt_target_path(warehouse: Path) -> Path:
    """dbt's target folder for the builds of this warehouse, kept from run to run: its log and its parse of
    the project, which the next build reuses (the working copy's path, in the build's vars, is the same)."""
    return warehouse.parent / DBT_TARGETS_DIR / warehouse.name


def start_working_copy(warehouse: Path) -> Path:
    """The run's own copy of the published warehouse (empty when nothing is published yet). Copies
    that runs left behind (killed, or not published) are removed: the lock says no run owns them."""
    building = warehouse.parent / BUILDING_DIR
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    working = working_copy_path(warehouse)
    if warehouse.exists():
        shutil.copyfile(warehouse, working)
    return working


def publish(working: Path, warehouse: Path) -> None:
    """Fold the write-ahead log into the file, make it durable, then rename it over the published one."""
    with duckdb.connect(str(working)) as connection:
        connection.execute("checkpoint")
    with working.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(working, warehouse)
    directory = os.open(warehouse.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
