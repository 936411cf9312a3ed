"""What a run is doing, for the person who started it: its stages with their counts, read from the instance.

`tdi run` executes the job in-process; this follows the same run in the Dagster instance's event log from a
thread of its own, as the UI does, so the progress shown is what the instance recorded. On a terminal the
stages are rich progress bars; otherwise each step's start, its messages and its end are plain lines.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from dagster import DagsterEventType, DagsterInstance
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column

POLL_SECONDS = 0.5
COUNT = re.compile(r"(\d+)/(\d+)")
STAGES = {
    "raw_documents": "captures",
    "reference_tables": "reference",
    "parsed_documents": "parse",
    "extracted_figures": "extract",
    "tdi_dbt_models": "dbt models and tests",
    "published_warehouse": "publish",
}
"""The steps shown, by step key, with the name a person reads; other steps (checks) show no line of their own."""


@dataclass
class Stage:
    label: str
    message: str = ""
    done: int | None = None
    total: int | None = None
    finished: bool = False


def is_dbt_count(step_key: str, stage: Stage) -> bool:
    """A dbt result other than every quarter of the build: plain lines skip it, the bar shows it."""
    quarter = max(1, (stage.total or 1) // 4)
    return step_key == "tdi_dbt_models" and stage.done is not None and stage.done % quarter != 0


class RunProgress:
    """Shows the stages of run `run_id` until closed; `dbt_nodes` is the number of dbt models and tests."""

    def __init__(self, run_id: str, dbt_nodes: int, console: Console | None = None):
        self.run_id = run_id
        self.dbt_nodes = dbt_nodes
        self.console = console or Console(stderr=True)
        self.stages: dict[str, Stage] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.follow, name="tdi-run-progress", daemon=True)
        self.bars: Progress | None = None
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> RunProgress:
        if self.console.is_terminal:
            self.bars = Progress(
                TextColumn(
                    "{task.description}", table_column=Column(width=70, no_wrap=True, overflow="ellipsis")
                ),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self.bars.start()
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        self.thread.join()
        if self.bars is not None:
            self.bars.stop()

    def follow(self) -> None:
        """Read the run's new events every POLL_SECONDS until closed, then once more for the last ones."""
        with DagsterInstance.get() as instance:
            cursor = None
            while True:
                stopping = self.stop.wait(POLL_SECONDS)
                while True:
                    page = instance.get_records_for_run(self.run_id, cursor=cursor, limit=1000)
                    for record in page.records:
                        self.take(record.event_log_entry)
                    cursor = page.cursor
                    if not page.has_more:
                        break
                if stopping:
                    return

    def take(self, entry) -> None:
        """Update the stage of the entry's step from a step start or end, a stage's message or a dbt result."""
        label = STAGES.get(entry.step_key or "")
        if label is None:
            return
        stage = self.stages.setdefault(entry.step_key, Stage(label))
        event = entry.dagster_event
        if event is None:
            if entry.step_key == "tdi_dbt_models":
                return
            stage.message = entry.user_message
            counted = COUNT.search(entry.user_message)
            if counted:
                stage.done, stage.total = int(counted.group(1)), int(counted.group(2))
        elif event.event_type in (
            DagsterEventType.ASSET_MATERIALIZATION,
            DagsterEventType.ASSET_CHECK_EVALUATION,
        ):
            if entry.step_key != "tdi_dbt_models":
                return
            stage.done, stage.total = (stage.done or 0) + 1, self.dbt_nodes
            stage.message = f"{stage.done}/{self.dbt_nodes}"
        elif event.event_type == DagsterEventType.STEP_START:
            stage.message = "started"
        elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            stage.finished = True
            stage.total = stage.done if stage.done else stage.total
            if event.event_type == DagsterEventType.STEP_FAILURE:
                stage.message = "FAILED"
            elif stage.message == "started":
                stage.message = "done"
            elif self.bars is None:
                return
        else:
            return
        self.show(entry.step_key, stage)

    def show(self, step_key: str, stage: Stage) -> None:
        if self.bars is None:
            if stage.finished or not is_dbt_count(step_key, stage):
                self.console.print(f"{stage.label}: {stage.message}", highlight=False, soft_wrap=True)
            return
        if step_key not in self.tasks:
            self.tasks[step_key] = self.bars.add_task(stage.label, total=None)
        total = stage.total if stage.total else (1 if stage.finished else None)
        done = stage.done if stage.total else (1 if stage.finished else 0)
        self.bars.update(
            self.tasks[step_key],
            description=f"{stage.label}: {stage.message}",
            total=total,
            completed=done,
        )
