"""What `dbt build` read the last time it built every model, so that a run with nothing new skips it.

A dbt build reads two things: the project (models, macros, seeds, tests, its settings) and the
tables its sources name. Their fingerprint is recorded in `ops.dbt_builds` of the working copy after
each successful build of every model, and so published with the warehouse it describes, atomically.
A later run that finds the same fingerprint has nothing to rebuild: every model and test would give
what the published warehouse already holds.

The incremental models (the text scans, keyed by document) were computed against a basis: the project
and the reference tables. When only the documents changed (a new capture, a new parser or extractor
version), `dbt build` adds to them what changed; when the basis changed (an edited model or seed, new
reference files), or on `--rebuild`, they are built whole again (`--full-refresh`), as after a build of some of
the models only (selected in the Dagster UI), which records that it was partial.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from ingestion.warehouse import column_exists, table_exists
from orchestration import dbt_parse
from orchestration.project import DBT_PROJECT_DIR

BUILDS_TABLE = "ops.dbt_builds"
REBUILD_TAG = "tdi/rebuild"
"""A run with this tag set to "true" builds every dbt model even when nothing they read changed."""
DBT_DEBUG_LOG_TAG = "tdi/dbt-debug-log"
"""A run with this tag set to "true" has dbt write its debug log (every SQL statement it sends) to dbt.log in
the warehouse's dbt target folder. Without it dbt writes no log file of its own: on the committed corpus
that file cost 1.5 s of a 9 s build (dbt's file logger flushes every line, and it had 20,000). The lines dbt
prints (each model and test, warnings, errors) still reach the run's log: Dagster's compute log, or the
dbt.log that `tdi run` writes from them. Nor does it write manifest.json and run_results.json at the end of
the build (0.6 s after the last node, alternated A/B on the committed corpus): Dagster reads each node's
result from dbt's printed events, and nothing reads those files; the run tagged for the debug log writes them."""


DOCUMENT_SOURCE = "raw"
"""The dbt source whose tables hold the documents and what was parsed and extracted from them."""


@dataclass(frozen=True)
class Fingerprint:
    basis: str
    """The project and the sources other than the documents: what the incremental models depend on whole."""
    everything: str


@dataclass(frozen=True)
class Build:
    run_id: str
    built_at: datetime
    fingerprint: str
    basis: str | None


def dbt_sources() -> list[tuple[str, str, str]]:
    """(source name, schema, table) of every source the project declares, from the manifest Dagster loaded."""
    manifest = json.loads(dbt_parse.MANIFEST_PATH.read_text(encoding="utf-8"))
    return sorted(
        {
            (source["source_name"], source["schema"], source["identifier"])
            for source in manifest["sources"].values()
        }
    )


def project_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(dbt_parse.project_source_files()):
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def source_digest(connection, schema: str, table: str) -> str:
    """Row count and an order-independent sum of row hashes: any changed, added or removed row shows."""
    if not table_exists(connection, schema, table):
        return "absent"
    count, hashes = connection.execute(
        f'select count(*), coalesce(sum(hash(t)::hugeint), 0) from "{schema}"."{table}" t'
    ).fetchall()[0]
    return f"{count}:{hashes}"


def inputs_fingerprint(connection) -> Fingerprint:
    sources = {
        (name, f"{schema}.{table}"): source_digest(connection, schema, table)
        for name, schema, table in dbt_sources()
    }
    basis = {
        "project": project_digest(),
        "sources": {table: digest for (name, table), digest in sources.items() if name != DOCUMENT_SOURCE},
    }
    documents = {table: digest for (name, table), digest in sources.items() if name == DOCUMENT_SOURCE}
    return Fingerprint(basis=digest_of(basis), everything=digest_of({"basis": basis, "documents": documents}))


def digest_of(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def last_build(connection) -> Build | None:
    if not table_exists(connection, *BUILDS_TABLE.split(".")):
        return None
    # Warehouses built before the basis was recorded have no such column: their next build is whole.
    basis = (
        "basis_fingerprint"
        if column_exists(connection, *BUILDS_TABLE.split("."), "basis_fingerprint")
        else "null"
    )
    row = connection.execute(
        f"select run_id, built_at, inputs_fingerprint, {basis} from {BUILDS_TABLE} order by built_at desc limit 1"
    ).fetchall()
    return Build(*row[0]) if row else None


PARTIAL_BUILD = "partial"
"""The fingerprint recorded for a build of some of the models only (selected in the Dagster UI): it moved the
incremental state of the models it built without the models that read them (the lines it split are not those of the
next build, which scans only its own), so the next build of every model is whole."""


def needs_full_refresh(previous: Build | None, fingerprint: Fingerprint) -> bool:
    """Whether the incremental models must be built whole: nothing recorded, or another basis."""
    return previous is None or previous.basis != fingerprint.basis


def record_build(connection, run_id: str, fingerprint: Fingerprint | None) -> None:
    """A build of every model, with what it read; or, without a fingerprint, a build of some of them only."""
    everything, basis = (fingerprint.everything, fingerprint.basis) if fingerprint else (PARTIAL_BUILD, None)
    connection.execute("create schema if not exists ops")
    connection.execute(
        f"create table if not exists {BUILDS_TABLE} "
        "(run_id varchar not null, built_at timestamptz not null, inputs_fingerprint varchar not null,"
        " basis_fingerprint varchar)"
    )
    # A table created before the basis was recorded gains the column; its earlier rows have none.
    connection.execute(f"alter table {BUILDS_TABLE} add column if not exists basis_fingerprint varchar")
    connection.execute(
        f"insert into {BUILDS_TABLE} (run_id, built_at, inputs_fingerprint, basis_fingerprint) values (?, ?, ?, ?)",
        [run_id, datetime.now(UTC), everything, basis],
    )
