"""What `dbt build` read the last time it built every model, so that a run with nothing new skips it.

A build reads the project's files and the tables its sources name. Their fingerprint is recorded in
`ops.dbt_builds` of the working copy after each build of every model, and so published with the warehouse
it describes. A later run that finds the same fingerprint would build what the warehouse already holds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from ingestion.warehouse import table_exists
from orchestration.dbt_project import project_files, tdi_dbt_project
from orchestration.project import DBT_PROJECT_DIR

BUILDS_TABLE = "ops.dbt_builds"


@dataclass(frozen=True)
class Build:
    run_id: str
    built_at: datetime
    fingerprint: str


def dbt_source_tables() -> list[tuple[str, str]]:
    """(schema, table) of every source the project declares, from the manifest Dagster loaded."""
    manifest = json.loads(tdi_dbt_project.manifest_path.read_text(encoding="utf-8"))
    return sorted({(source["schema"], source["identifier"]) for source in manifest["sources"].values()})


def project_digest() -> str:
    digest = hashlib.sha256()
    for path in project_files():
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def table_digest(connection, schema: str, table: str) -> str:
    """Row count and an order-independent sum of row hashes: any changed, added or removed row shows."""
    if not table_exists(connection, schema, table):
        return "absent"
    count, hashes = connection.execute(
        f'select count(*), coalesce(sum(hash(t)::hugeint), 0) from "{schema}"."{table}" t'
    ).fetchone()
    return f"{count}:{hashes}"


def inputs_fingerprint(connection) -> str:
    """One digest of the project and of every source table as they are now."""
    inputs = {
        "project": project_digest(),
        "sources": {f"{s}.{t}": table_digest(connection, s, t) for s, t in dbt_source_tables()},
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def last_build(connection) -> Build | None:
    if not table_exists(connection, *BUILDS_TABLE.split(".")):
        return None
    row = connection.execute(
        f"select run_id, built_at, inputs_fingerprint from {BUILDS_TABLE} order by built_at desc limit 1"
    ).fetchone()
    return Build(*row) if row else None


def record_build(connection, run_id: str, fingerprint: str) -> None:
    connection.execute("create schema if not exists ops")
    connection.execute(
        f"create table if not exists {BUILDS_TABLE} "
        "(run_id varchar not null, built_at timestamptz not null, inputs_fingerprint varchar not null)"
    )
    connection.execute(
        f"insert into {BUILDS_TABLE} (run_id, built_at, inputs_fingerprint) values (?, ?, ?)",
        [run_id, datetime.now(UTC), fingerprint],
    )
