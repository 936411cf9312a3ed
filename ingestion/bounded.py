"""Running one document's parse or extraction in a worker process with a time and a memory bound.

A pathological file (a PDF whose layout analysis never ends, an HTML page that builds a huge tree, a
text that sends a regex into backtracking) must cost its own error row, not the run. A thread cannot
be stopped and a memory blow-up takes the whole interpreter, so each task runs in a worker process:
past its time the worker is killed (pebble does this per task, which concurrent.futures cannot), and
its address space is capped (RLIMIT_AS), so a runaway allocation raises MemoryError there instead of
swapping the machine. The workers are also how the stage uses every core.

Workers come from a forkserver that has already imported the parsers and the extractor: starting one
costs a fork, not an interpreter start, and the Dagster process's threads are never forked.
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.forkserver
import os
import resource
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

from pebble import ProcessExpired, ProcessPool

from ingestion import settings

PRELOADED_MODULES = [
    "bs4",
    "lxml.html",
    "pypdfium2",
    "ingestion.parse",
    "ingestion.extract",
    "ingestion.worker_tasks",
]


NOTHING = object()


class BoundExceeded(Exception):
    """A document's task went past its time or memory bound; the message says which and how much."""


class TaskTimeout(BoundExceeded):
    pass


class TaskOutOfMemory(BoundExceeded):
    pass


class WorkerDied(BoundExceeded):
    """The worker ended without an answer (killed by the system, or crashed in native code)."""


@dataclass(frozen=True)
class Bounds:
    """Per-task limits. The defaults are the settings; tests pass small values to trip them."""

    seconds: float = field(default_factory=lambda: settings.TASK_TIMEOUT_SECONDS)
    memory_bytes: int = field(default_factory=lambda: settings.TASK_MEMORY_BYTES)
    workers: int = field(default_factory=lambda: settings.WORKERS or os.cpu_count() or 1)


def limit_memory(memory_bytes: int) -> None:
    """Worker initializer: cap the worker's address space."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def worker_context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED_MODULES)
    return context


def start_workers_ahead() -> None:
    """Start the forkserver now: its imports (the parsers, lxml, pypdfium2) then run on another core while
    the caller goes on, instead of at the first parse, which would wait for them."""
    worker_context()
    multiprocessing.forkserver.ensure_running()


def run_bounded(
    task: Callable[..., Any],
    items: Iterable[Any],
    bounds: Bounds | None = None,
    arguments_of: Callable[[Any], tuple] | None = None,
) -> Iterator[tuple[Any, Any | BaseException]]:
    """Yield (item, result) for each item in order, the task called with `arguments_of(item)` (the item itself
    by default), where a task that failed or went past its bounds gives its exception (BoundExceeded for the
    bounds) in place of a result. Items are read lazily, at most settings.TASKS_AHEAD ahead of the result."""
    # One pool serves the whole iterable: the workers go on with the next documents while the caller writes a
    # batch's rows, and what is held in memory is the window of tasks ahead, not the corpus.
    bounds = bounds or Bounds()
    items = iter(items)
    first = next(items, NOTHING)
    if first is NOTHING:
        return
    pool = ProcessPool(
        max_workers=bounds.workers,
        initializer=limit_memory,
        initargs=(bounds.memory_bytes,),
        context=worker_context(),
    )
    try:
        pending: deque[tuple[Any, Any]] = deque()
        for item in itertools.chain([first], items):
            arguments = item if arguments_of is None else arguments_of(item)
            pending.append((item, pool.schedule(task, args=arguments, timeout=bounds.seconds)))
            if len(pending) >= settings.TASKS_AHEAD:
                item, future = pending.popleft()
                yield item, outcome_of(future, bounds)
        while pending:
            item, future = pending.popleft()
            yield item, outcome_of(future, bounds)
    except BaseException:
        pool.stop()  # the caller stopped early (an error, or a generator closed): scheduled tasks are dropped
        raise
    else:
        pool.close()
    finally:
        pool.join()


def outcome_of(future, bounds: Bounds) -> Any | BaseException:
    try:
        return future.result()
    except FutureTimeout:
        return TaskTimeout(f"stopped after {bounds.seconds:g} s, the time bound of one document")
    except MemoryError:
        return TaskOutOfMemory(
            f"ran out of its memory bound ({bounds.memory_bytes / 2**20:.0f} MiB of address space)"
        )
    except ProcessExpired as error:
        return WorkerDied(f"the worker process ended without an answer (exit code {error.exitcode})")
    except Exception as error:  # the task's own error, raised in the worker: the caller records it
        return error
