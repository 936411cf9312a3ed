"""What the `tdi` command says when it cannot do what it is asked: one line a person can act on, said before
any work starts, and nothing written or recorded meanwhile."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.publishing import RunLock, WarehouseBusy
from tests.conftest import tdi

ADD_OPTIONS = ("--publisher", "P", "--published-on", "2024-01-01", "--title", "T")


def one_line_error(result) -> str:
    """The command failed with exit code 1 and said why in exactly one line, without a traceback."""
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


@pytest.fixture
def empty_archive(tmp_path) -> Path:
    raw_dir = tmp_path / "raw"
    result = tdi("init", str(raw_dir))
    assert result.exit_code == 0, result.output
    return raw_dir


@pytest.fixture
def lock_holder(tmp_path):
    """Another process holding the run lock of tmp_path/w.duckdb, as a run in progress does."""
    warehouse = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from orchestration.publishing import RunLock; "
            "lock = RunLock(Path(sys.argv[1])); lock.acquire('run-a'); print('held', flush=True); time.sleep(60)",
            str(warehouse),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    yield warehouse, holder
    holder.send_signal(signal.SIGKILL)
    holder.wait()


def test_init_makes_an_empty_archive_and_refuses_to_make_it_twice(empty_archive):
    assert (empty_archive / "documents").is_dir()
    assert "documents: []" in (empty_archive / "manifest.yml").read_text(encoding="utf-8")
    assert "already a raw archive" in one_line_error(tdi("init", str(empty_archive)))


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            "file:///etc/hostname",
            "tdi add takes a local file or an http(s) URL: file:///etc/hostname is neither",
        ),
        ("ftp://example.org/a.pdf", "tdi add takes a local file or an http(s) URL"),
        ("/nonexistent/page.html", "no file at /nonexistent/page.html"),
        ("/tmp", "/tmp is a folder"),
    ],
)
def test_add_of_what_is_neither_a_file_nor_a_web_address_is_one_line(empty_archive, target, expected):
    line = one_line_error(tdi("add", target, *ADD_OPTIONS, "--raw-dir", str(empty_archive)))
    assert expected in line
    assert "documents: []" in (empty_archive / "manifest.yml").read_text(encoding="utf-8")


def test_a_run_into_a_warehouse_path_that_cannot_be_made_is_one_line(empty_archive, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    line = one_line_error(
        tdi("run", "--warehouse", "/etc/hostname/x.duckdb", "--raw-dir", str(empty_archive))
    )
    assert line == "Error: cannot create the warehouse's folder /etc/hostname: /etc/hostname is a file"
    assert not (tmp_path / "dagster_home").exists()


def test_a_run_on_a_folder_that_is_not_an_archive_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    line = one_line_error(
        tdi("run", "--warehouse", str(tmp_path / "w.duckdb"), "--raw-dir", str(tmp_path / "nothing"))
    )
    assert "is not a raw archive (no manifest.yml)" in line and "tdi init" in line
    assert not (tmp_path / "dagster_home").exists()


def test_a_second_run_is_refused_at_once_naming_the_holder_and_nothing_of_its_files(
    empty_archive, lock_holder, tmp_path, monkeypatch
):
    warehouse, holder = lock_holder
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    line = one_line_error(tdi("run", "--warehouse", str(warehouse), "--raw-dir", str(empty_archive)))
    assert f"another run is writing this warehouse (pid {holder.pid}, started " in line
    assert " UTC, run run-a)" in line
    assert str(tmp_path) not in line and ".lock" not in line and ".building" not in line
    assert not (tmp_path / "dagster_home").exists(), "the refused run started Dagster"


def test_the_lock_refuses_a_second_holder_and_is_free_once_the_holder_dies(lock_holder):
    warehouse, holder = lock_holder
    with pytest.raises(WarehouseBusy, match=rf"\(pid {holder.pid}, started .*, run run-a\)"):
        RunLock(warehouse).acquire("run-b")
    with pytest.raises(WarehouseBusy):
        RunLock(warehouse).ensure_free()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    RunLock(warehouse).ensure_free()
    lock = RunLock(warehouse)
    lock.acquire("run-b")
    lock.release()
