"""dbt, started and parsing before the run needs it: the `dbt build` of `tdi run` then costs only its models.

A `dbt build` spends some 2 s importing dbt and 1.5 s (partial) to 5 s (full) parsing the project before it
builds anything, and until now that happened after the Python stages, on the run's critical path. `tdi run`
starts this server first: in a process of its own it imports dbt and parses the project
(on the machine's other core, while the main process imports Dagster and parses and extracts the documents),
then waits for the build. dagster-dbt starts dbt as a program; that program is `tdi-dbt` (`client_main`),
which hands its standard input, output and error, arguments, environment and working folder to the server
over a Unix socket and exits with the build's exit code. dagster-dbt reads dbt's events from that standard
output exactly as from `dbt` itself. Without a server (`dagster dev`, a schedule, a test's own call)
`tdi-dbt` is `dbt`: it replaces itself with it.

The server builds once and exits. Its parse is the one the builds of every warehouse of that file name
share (orchestration/dbt_parse.py: `parse_vars`), so a new warehouse no longer costs a whole parse; it uses
that parse only when the build's vars are the ones `tdi run` announced, otherwise dbt parses again as it
would have. It dies with the run that started it (PR_SET_PDEATHSIG), so a killed run leaves no dbt writing a
working copy behind. It parses in a scratch folder (it starts before the run holds the lock) and puts the
new parse state in place only when the build starts, under the run lock.

This module imports neither Dagster nor dbt at import: the client must start in milliseconds.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing.util
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import NoReturn

SERVER_ENV = "TDI_DBT_SERVER"
"""The abstract Unix socket of the server for this run; absent when `tdi-dbt` should simply be dbt."""
# dbt is installed beside this interpreter; `.venv/bin/tdi` runs without .venv/bin on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
CLIENT_EXECUTABLE = str(Path(sys.executable).parent / "tdi-dbt")
STANDARD_STREAMS = (0, 1, 2)
RECEIVE_SIZE = 1 << 16
PR_SET_PDEATHSIG = 1


class DbtServer:
    """The server process, seen from the run that starts it."""

    def __init__(self, arguments: list[str], scratch_parent: Path) -> None:
        self.scratch_parent = scratch_parent
        self.address = f"tdi-dbt-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        environment = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "PYTHONUNBUFFERED": "1"}
        environment.pop(SERVER_ENV, None)
        self.process = subprocess.Popen(
            # -P: the current folder is not put first on the import path (a folder holding another checkout)
            [
                sys.executable,
                "-P",
                "-m",
                "orchestration.dbt_server",
                str(os.getpid()),
                self.address,
                *arguments,
            ],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # the parse's lines: the build reports a project dbt cannot parse
        )  # its standard error is the run's: a server that fails before the build says why there

    def __enter__(self) -> DbtServer:
        os.environ[SERVER_ENV] = self.address
        return self

    def __exit__(self, *exception) -> None:
        """A run that built nothing (nothing new) never called it: it is stopped, as is one left waiting."""
        os.environ.pop(SERVER_ENV, None)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        from orchestration.dbt_parse import SCRATCH_PREFIX

        shutil.rmtree(self.scratch_parent / f"{SCRATCH_PREFIX}{self.process.pid}", ignore_errors=True)


def start_server_for(warehouse: Path, raw_dir: Path, rebuild: bool = False) -> DbtServer | None:
    """A server for a run on `warehouse` that will probably build, where the socket it needs exists (Linux)."""
    from orchestration import dbt_parse
    from orchestration.publishing import dbt_target_path, working_copy_path

    if not sys.platform.startswith("linux") or not (rebuild or build_is_likely(warehouse, raw_dir)):
        return None
    project, parse_state = dbt_parse.DBT_PROJECT_DIR, dbt_parse.shared_parse_state(warehouse)
    return DbtServer(
        [
            str(project),
            str(parse_state),
            dbt_parse.parse_vars(warehouse, project),
            dbt_parse.build_vars(working_copy_path(warehouse), project),
            str(dbt_target_path(warehouse)),
        ],
        scratch_parent=parse_state.parent,
    )


def build_is_likely(warehouse: Path, raw_dir: Path) -> bool:
    """Whether something dbt reads may have changed since the warehouse was published: the archive's manifest,
    its reference files, the dbt project. A run with nothing new builds nothing, and a server started for it
    would only take the machine's other core from the run (0.8 s of a 6.6 s no-op rerun here). A wrong guess
    costs time only: without a server, dagster-dbt's dbt is plain dbt, which starts when the build does."""
    from orchestration.dbt_parse import newest_project_change

    if not warehouse.exists():
        return True
    published = warehouse.stat().st_mtime
    archive = [raw_dir / "manifest.yml", raw_dir / "reference", *(raw_dir / "reference").rglob("*")]
    return newest_project_change() > published or any(
        path.stat().st_mtime > published for path in archive if path.exists()
    )


# The server process.


def serve(
    address: str, project: Path, parse_state: Path, parse_vars: str, build_vars: str, target: Path
) -> int:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind("\0" + address)
    listener.listen(1)
    from orchestration.dbt_parse import PARTIAL_PARSE_FILE, newest_project_change, start_scratch_folder

    scratch = start_scratch_folder(parse_state.parent)
    try:
        with contextlib.suppress(FileNotFoundError):
            shutil.copyfile(parse_state, scratch / PARTIAL_PARSE_FILE)
        parsed_at = time.time()
        manifest = parse_in(scratch, project, parse_vars)
        collect_garbage_of_the_build_only()
        connection = accept_own_user(listener)
        listener.close()  # one build: a later dbt call connects to nothing and runs plain dbt
        streams, request = receive_request(connection)
        keep_parse_results(scratch, parse_state, target, PARTIAL_PARSE_FILE)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if request_vars(request["argv"]) != build_vars or newest_project_change(project) > parsed_at:
        manifest = None  # not the build it parsed for, or the project changed since: dbt parses at the build
    code = run_request(request, streams, manifest)
    # The client's streams stay open until this process ends: dagster-dbt reads dbt's output to its end before
    # the next step opens the working copy, so the working copy is closed first.
    close_warehouse()
    connection.sendall(struct.pack("!i", code))
    return code


def collect_garbage_of_the_build_only() -> None:
    """Python's garbage collector took 0.7 s of this process, going again and again through dbt's modules and
    the manifest, which live until the process ends. It is off while they load (from the start of the process),
    and what they are is frozen before the build (gc.freeze: where no collection looks): the build's
    collections see only what the build allocates. 0.3 s of collections were left. Nothing is unfrozen: the
    process ends with os._exit."""
    gc.freeze()
    gc.enable()


def close_warehouse() -> None:
    """dbt-duckdb keeps the database open (and its file locked) until its environment is collected, which in a
    dbt process is at exit. Closed here, it is checkpointed and unlocked before the build's output ends."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = getattr(DuckDBConnectionManager, "_ENV", None)
    if environment is not None:
        environment.close()


def exit_without_teardown(code: int) -> NoReturn:
    """Python's teardown of a process that ran dbt (its modules, the manifest's objects) took 0.7 s, and the run
    waited for it: the build's output ends when this process does. Nothing is left for it to do: the database is
    closed, the scratch folder removed, and the streams are flushed here.

    Except multiprocessing's part of that teardown: dbt's locks (its adapter's, its manifest's) are named
    semaphores, which a normal exit unlinks through their finalizers. Without it, the resource tracker unlinked
    them and printed "There appear to be 2 leaked semaphore objects" at the end of every `tdi run`."""
    multiprocessing.util._run_finalizers(0)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def keep_parse_results(scratch: Path, parse_state: Path, target: Path, partial_parse_file: str) -> None:
    """Now that the build has started, under the run lock: the parse state for the next runs, and dbt's
    account of this parse (perf_info.json: how many files it parsed again) beside the build's results."""
    with contextlib.suppress(FileNotFoundError):
        os.replace(scratch / partial_parse_file, parse_state)
    target.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.replace(scratch / "perf_info.json", target / "perf_info.json")


def die_with_parent(parent: int) -> None:
    """A run killed with SIGKILL takes its server with it (Linux's PR_SET_PDEATHSIG); one killed before the
    server asked for that has already given it another parent."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def parse_in(scratch: Path, project: Path, parse_vars: str):
    """The manifest, or None when dbt cannot parse the project (the build then parses again and reports
    why, as `dbt build` does). Without manifest.json, which the build is handed in memory: writing it took
    0.7 s of CPU, from the Python stages that share the machine's two cores with this parse."""
    from dbt.cli.main import dbtRunner

    arguments = ["parse", "--quiet", "--no-write-json", "--log-level-file", "none"]
    arguments += ["--target-path", str(scratch), "--log-path", str(scratch), "--project-dir", str(project)]
    arguments += ["--profiles-dir", str(project), "--vars", parse_vars]
    try:
        result = dbtRunner().invoke(arguments)
    except Exception:  # the build parses again and reports the same error, in dbt's words
        return None
    return result.result if result.success else None


def accept_own_user(listener: socket.socket) -> socket.socket:
    """The first connection from a process of this user: an abstract socket is open to every local user."""
    while True:
        connection, _ = listener.accept()
        if peer(connection)[1] == os.getuid():
            return connection
        connection.close()


def receive_request(connection: socket.socket) -> tuple[list[int], dict]:
    message, streams, _, _ = socket.recv_fds(connection, RECEIVE_SIZE, len(STANDARD_STREAMS))
    while not message.endswith(b"\n"):
        more = connection.recv(RECEIVE_SIZE)
        if not more:
            raise ConnectionError("the dbt client left before sending its request")
        message += more
    return streams, json.loads(message)


def request_vars(argv: list[str]) -> str | None:
    return argv[argv.index("--vars") + 1] if "--vars" in argv[:-1] else None


def run_request(request: dict, streams: list[int], manifest) -> int:
    """Run dbt as the client would have: its folder, environment and streams; dbt's exit codes."""
    from dbt.cli.main import dbtRunner

    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.stdout.flush()
    sys.stderr.flush()
    for stream, standard in zip(streams, STANDARD_STREAMS, strict=True):
        os.dup2(stream, standard)
        os.close(stream)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        result = dbtRunner(manifest=manifest).invoke(request["argv"])
    except KeyboardInterrupt:
        return 130
    finally:
        sys.stdout.flush()
    if result.exception is not None:
        print(f"dbt: {result.exception}", file=sys.stderr, flush=True)
        return 2
    return 0 if result.success else 1


# The client: `tdi-dbt`, what dagster-dbt runs as dbt.


def client_main() -> None:
    address = os.environ.get(SERVER_ENV)
    connection = connect(address) if address else None
    if connection is None:
        be_dbt()
    request = {"argv": sys.argv[1:], "env": dict(os.environ), "cwd": os.getcwd()}
    request["env"].pop(SERVER_ENV, None)
    message = json.dumps(request).encode() + b"\n"
    sent = socket.send_fds(connection, [message], list(STANDARD_STREAMS))
    connection.sendall(message[sent:])
    forward_interruptions_to(peer(connection)[0])
    reply = connection.recv(4)
    if len(reply) != 4:
        print(
            "tdi-dbt: the dbt server of this run ended without building (see the run's log)", file=sys.stderr
        )
        sys.exit(2)
    sys.exit(struct.unpack("!i", reply)[0])


def be_dbt() -> None:
    if os.name == "posix":
        os.execv(DBT_EXECUTABLE, [DBT_EXECUTABLE, *sys.argv[1:]])
    sys.exit(subprocess.call([DBT_EXECUTABLE, *sys.argv[1:]]))  # Windows' execv would exit 0 at once


def connect(address: str) -> socket.socket | None:
    """The run's server, or None when it is gone (it has already built once): then dbt runs as usual. A socket
    of that name held by another user (the name can be read in /proc/net/unix) is not the server."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect("\0" + address)
    except OSError:
        connection.close()
        return None
    if peer(connection)[1] != os.getuid():
        connection.close()
        return None
    return connection


def peer(connection: socket.socket) -> tuple[int, int]:
    """The pid and uid of the process at the other end (Linux's SO_PEERCRED: struct ucred)."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("iII"))
    pid, uid, _ = struct.unpack("iII", credentials)
    return pid, uid


def forward_interruptions_to(pid: int) -> None:
    """dagster-dbt stops dbt with SIGINT (a cancelled run); the dbt that builds is the server."""

    def forward(signum, _frame) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGINT)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)


if __name__ == "__main__":
    gc.disable()  # until the build: collect_garbage_of_the_build_only
    parent, address, project, parse_state, parse_vars, build_vars, target = sys.argv[1:]
    die_with_parent(int(parent))
    exit_without_teardown(
        serve(address, Path(project), Path(parse_state), parse_vars, build_vars, Path(target))
    )
