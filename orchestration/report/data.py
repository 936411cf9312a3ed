"""Reading what the report shows from the warehouse (read-only: a report never writes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

FINDING_STATUSES = ("fail", "warn", "not_enough_data")


@dataclass
class AuditData:
    generated_at: str
    warehouse: str
    checks: list[dict]
    history: dict[str, list[dict]]
    documents: list[dict]
    territory_counts: list[dict]
    funding: list[dict]
    summary: dict = field(default_factory=dict)

    @property
    def findings(self) -> list[dict]:
        return [check for check in self.checks if check["status"] in FINDING_STATUSES]

    @property
    def error_failures(self) -> list[dict]:
        return [c for c in self.checks if c["severity"] == "error" and c["status"] == "fail"]


def rows(connection, sql: str) -> list[dict]:
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load_audit(warehouse: Path, raw_dir: Path) -> AuditData:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        checks = rows(
            connection, "select * from audit.audit_check_results order by check_name, status, subject"
        )
        history_rows = rows(
            connection,
            "select result_id, run_id, checked_at, status from audit.audit_check_history order by checked_at",
        )
        documents = rows(
            connection,
            """
            select document_id, title, publisher, published_on, is_published_on_estimated, source_url,
                   media_type, sha256, capture_path, is_reconstruction
            from marts.dim_document order by published_on, document_id
            """,
        )
        territory_counts = rows(
            connection,
            """
            select f.document_id, d.publisher, d.published_on, f.value, f.surface, f.period_phase
            from intermediate.int_figures_scoped as f
            inner join marts.dim_document as d using (document_id)
            where f.metric = 'territories' and f.unit = 'count' and f.region is null
              and not f.is_part_of_previous and f.value >= 100
            order by d.published_on
            """,
        )
        funding = rows(
            connection,
            """
            select funds, phase, max(amount_eur) as amount_eur,
                   count(*) as mentions
            from marts.fct_funding
            where funding_kind in ('envelope', 'granted') and scope = 'national'
            group by all order by phase, amount_eur desc
            """,
        )
    for document in documents:
        document["capture_uri"] = (raw_dir / document["capture_path"]).resolve().as_uri()
    history: dict[str, list[dict]] = {}
    for row in history_rows:
        history.setdefault(row["result_id"], []).append(row)
    data = AuditData(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        warehouse=str(warehouse),
        checks=checks,
        history={key: status_changes(runs) for key, runs in history.items()},
        documents=documents,
        territory_counts=territory_counts,
        funding=funding,
    )
    data.summary = summarise(data)
    return data


def status_changes(runs: list[dict]) -> list[dict]:
    """Keep the runs where a result first appeared or changed status: the story of a finding."""
    changes = []
    for run in runs:
        if not changes or changes[-1]["status"] != run["status"]:
            changes.append(
                {"checked_at": str(run["checked_at"]), "status": run["status"], "run_id": run["run_id"]}
            )
    return changes


def summarise(data: AuditData) -> dict:
    by_check: dict[str, dict[str, int]] = {}
    for check in data.checks:
        counts = by_check.setdefault(check["check_name"], {})
        counts[check["status"]] = counts.get(check["status"], 0) + 1
    findings_by_severity: dict[str, int] = {}
    for finding in data.findings:
        findings_by_severity[finding["severity"]] = findings_by_severity.get(finding["severity"], 0) + 1
    return {
        "checks": len(data.checks),
        "passed": sum(1 for c in data.checks if c["status"] == "pass"),
        "findings": len(data.findings),
        "findings_by_severity": findings_by_severity,
        "by_check": by_check,
        "error_failures": len(data.error_failures),
    }
