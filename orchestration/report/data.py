"""Reading what the report shows from the warehouse (read-only: a report never writes), in the order an auditor
reads it: the summary and what changed, the findings by severity, check and claim, the passes last."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.archive_check import captures_not_as_built
from orchestration.report.french import (
    CHECK_LABELS,
    french_date,
    publisher_label,
    subject_term,
)

FINDING_STATUSES = ("fail", "warn", "not_enough_data")
STATUS_ORDER = (*FINDING_STATUSES, "pass")
CHECK_ORDER = tuple(CHECK_LABELS)
PHASES = ("Temps I", "Temps II")

MAX_FINDINGS_PER_CHECK = 30
"""Findings printed per check and status; the rest are counted, and complete in the JSON and in
audit.audit_check_results. At scale a check has thousands of findings: printed whole, the report was too large
for a browser to render in time (docs/performance.md), and no one reads past the first few dozen."""
FINDINGS_PER_CLAIM = 3
"""Findings printed per claim: a claim that many contradict (one national figure that 1,449 regional ones exceed)
is one thing to read, and its other claims' findings get the room."""
MAX_CHANGES_SHOWN = 30
"""Changes since the previous build printed in the summary; the rest are counted (audit.audit_check_history)."""
SIDES_WITHOUT_FIGURE = {("stated_vs_listed", "right")}
"""Sides whose quote is a list: a number in its items is not the count in question."""


@dataclass
class Side:
    """One side of a check: its document (or reference data), quote and value, and where that figure lies."""

    document_id: str | None
    quote: str | None
    value: float | None
    span: tuple[int, int] | None = None
    unit: str | None = None
    region: str | None = None
    phase: str | None = None


@dataclass
class Result:
    row: dict
    left: Side
    right: Side
    claim_key: tuple[str, str]
    claim_title: str
    history: list[dict]

    @property
    def status(self) -> str:
        return self.row["status"]

    @property
    def unit(self) -> str | None:
        return self.right.unit or self.left.unit


@dataclass
class Claim:
    """The results of one check about one claim (a figure and what it is compared with), most findings first."""

    key: tuple[str, str]
    title: str
    results: list[Result]


@dataclass
class Section:
    status: str
    check_name: str
    claims: list[Claim]

    @property
    def total(self) -> int:
        return sum(len(claim.results) for claim in self.claims)

    def shown(self) -> list[tuple[Claim, list[Result]]]:
        """The claims and results the report prints: all of them up to MAX_FINDINGS_PER_CHECK; beyond,
        FINDINGS_PER_CLAIM of each claim until MAX_FINDINGS_PER_CHECK are printed."""
        per_claim = MAX_FINDINGS_PER_CHECK if self.total <= MAX_FINDINGS_PER_CHECK else FINDINGS_PER_CLAIM
        shown, room = [], MAX_FINDINGS_PER_CHECK
        for claim in self.claims:
            if room <= 0:
                break
            results = claim.results[: min(per_claim, room)]
            shown.append((claim, results))
            room -= len(results)
        return shown

    def not_shown(self) -> tuple[int, int]:
        """The results and claims of the claims the report does not print at all."""
        rest = self.claims[len(self.shown()) :]
        return sum(len(claim.results) for claim in rest), len(rest)


@dataclass
class AuditData:
    generated_at: datetime
    warehouse: str
    results: list[Result]
    sections: list[Section]
    documents: dict[str, dict]
    changes: list[dict]
    changed_at: datetime | None
    is_first_build: bool
    territory_counts: list[dict]
    funding: list[dict]
    summary: dict = field(default_factory=dict)

    @property
    def findings(self) -> list[Result]:
        return [result for result in self.results if result.status in FINDING_STATUSES]

    @property
    def error_failures(self) -> list[Result]:
        return [r for r in self.results if r.row["severity"] == "error" and r.status == "fail"]


def as_check_row(problem: dict, checks: list[dict]) -> dict:
    """An archive problem with the columns of audit.audit_check_results (those it does not say are null)."""
    columns = dict.fromkeys(checks[0]) if checks else {}
    return {**columns, "result_id": f"archive:{problem['subject']}", **problem}


def rows(connection, sql: str) -> list[dict]:
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load_audit(warehouse: Path, raw_dir: Path | None = None) -> AuditData:
    """Everything the report shows, from the published warehouse, results in the report's order; with `raw_dir`,
    a failed warehouse_integrity result for each capture of the warehouse the archive no longer holds as built."""
    archive_problems = captures_not_as_built(warehouse, raw_dir) if raw_dir is not None else []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        checks = rows(connection, "select * from audit.audit_check_results order by check_name, subject")
        checks += [as_check_row(problem, checks) for problem in archive_problems]
        history = rows(
            connection,
            """
            select result_id, run_id, checked_at, check_name, subject, status, expected, observed
            from audit.audit_check_history order by checked_at, result_id
            """,
        )
        documents = rows(
            connection,
            """
            select document_id, title, publisher, published_on, is_published_on_estimated, source_url, sha256
            from marts.dim_document order by published_on, document_id
            """,
        )
        figures = rows(
            connection,
            """
            select document_id, quote, value, surface, char_start - quote_start as offset, unit, region,
                   period_phase
            from intermediate.int_figures_scoped
            """,
        )
        territory_counts = rows(
            connection,
            """
            select distinct f.document_id, d.publisher, d.published_on, f.value, f.period_phase
            from intermediate.int_figures_scoped as f
            inner join marts.dim_document as d using (document_id)
            where f.metric = 'territories' and f.unit = 'count' and f.region is null
              and not f.is_part_of_previous and f.value >= 100
            order by d.published_on, f.value
            """,
        )
        funding = rows(
            connection,
            """
            select funds, phase, max(amount_eur) as amount_eur
            from marts.fct_funding
            where funding_kind in ('envelope', 'granted') and scope = 'national'
            group by all order by phase, amount_eur desc
            """,
        )
    histories = histories_by_result(history)
    finder = FigureFinder(figures)
    results = [as_result(check, finder, histories.get(check["result_id"], [])) for check in checks]
    changes, changed_at, is_first_build = last_changes(history)
    sections = report_sections(results)
    data = AuditData(
        generated_at=datetime.now(UTC),
        warehouse=str(warehouse),
        results=[result for section in sections for claim in section.claims for result in claim.results],
        sections=sections,
        documents={document["document_id"]: described(document) for document in documents},
        changes=changes,
        changed_at=changed_at,
        is_first_build=is_first_build,
        territory_counts=[{**p, "publisher": publisher_label(p["publisher"])} for p in territory_counts],
        funding=funding,
    )
    data.summary = summarise(data)
    return data


def described(document: dict) -> dict:
    """A document with what the report prints of it: publisher and date as the document gives them."""
    return {
        **document,
        "publisher_label": publisher_label(document["publisher"]),
        "date_label": french_date(document["published_on"], document["is_published_on_estimated"]),
        "short_sha256": document["sha256"][:12],
    }


class FigureFinder:
    """Finds, in a side's quote, the figure a check compared: the extracted figure of that document, quote and
    value, else one of that document and value whose wording the quote contains, else the value as digits."""

    def __init__(self, figures: list[dict]) -> None:
        self.by_quote: dict[tuple[str, str], list[dict]] = {}
        self.by_document: dict[str, list[dict]] = {}
        for figure in figures:
            self.by_quote.setdefault((figure["document_id"], figure["quote"]), []).append(figure)
            self.by_document.setdefault(figure["document_id"], []).append(figure)

    def side(self, document_id: str | None, quote: str | None, value: float | None) -> Side:
        side = Side(document_id, quote, value)
        if not quote or value is None:
            return side
        candidates = [f for f in self.by_quote.get((document_id, quote), []) if f["value"] == value]
        candidates += [
            f for f in self.by_document.get(document_id, []) if f["value"] == value and f["surface"] in quote
        ]
        for figure in candidates:
            span = surface_span(quote, figure["surface"], figure["offset"])
            if span:
                return Side(
                    document_id, quote, value, span, figure["unit"], figure["region"], figure["period_phase"]
                )
        side.span = digits_span(quote, value)
        return side


def surface_span(quote: str, surface: str, offset: int | None) -> tuple[int, int] | None:
    """Where a figure's wording lies in its quote: at its offset when it is there, else its first occurrence."""
    if offset is not None and quote[offset : offset + len(surface)] == surface:
        return offset, offset + len(surface)
    found = quote.find(surface)
    return (found, found + len(surface)) if found >= 0 else None


def digits_span(quote: str, value: float) -> tuple[int, int] | None:
    """The first place the quote writes the value in digits ("183", "1 754", "47,1"), not inside another number."""
    whole, _, decimals = f"{value:.10g}".partition(".")
    if "e" in whole:
        return None
    groups = [whole[max(0, end - 3) : end] for end in range(len(whole), 0, -3)][::-1]
    pattern = r"[ \u00a0\u202f]?".join(groups) + (rf"[,.]{decimals}" if decimals else "")
    match = re.search(rf"(?<![\d,.]){pattern}(?![\d]|[,.]\d)", quote)
    return match.span() if match else None


def as_result(check: dict, finder: FigureFinder, history: list[dict]) -> Result:
    name = check["check_name"]
    sides = {}
    for side, value in (("left", check["expected"]), ("right", check["observed"])):
        document_id, quote = check[f"{side}_document_id"], check[f"{side}_quote"]
        if (name, side) in SIDES_WITHOUT_FIGURE:
            sides[side] = Side(document_id, quote, value)
        else:
            sides[side] = finder.side(document_id, quote, value)
    key, title = claim_of(check)
    return Result(check, sides["left"], sides["right"], key, title, history)


def claim_of(check: dict) -> tuple[tuple[str, str], str]:
    """What a result is about, as a key and a French title: the results of a check about the same claim (the same
    compared figure, the same whole, the same reference list) are read together."""
    name, parts = check["check_name"], check["subject"].split(" · ")
    if name == "part_vs_whole":
        whole = parts[2].split(" ≤ ")[-1]
        kept = [*parts[:2], f"le tout : « {whole} »"]
        key = " · ".join([*parts[:2], whole, check.get("left_document_id") or ""])
    elif name == "plausibility":
        kept = parts[:1]
        key = parts[0]
    elif name == "stated_vs_listed":
        kept = [parts[1], "nombre annoncé / liste"]
        key = parts[1]
    elif name in ("regions_vs_national", "warehouse_integrity"):
        kept = parts
        key = check["subject"]
    else:
        kept = parts[:-1]
        key = " · ".join(kept)
    return (name, key), " · ".join(subject_term(part) for part in kept)


def report_sections(results: list[Result]) -> list[Section]:
    """The results by status (écart, à vérifier, données insuffisantes, conforme), then check, then claim:
    the claims with the most results first."""
    grouped: dict[tuple[str, str], dict[tuple[str, str], list[Result]]] = {}
    for result in results:
        section = grouped.setdefault((result.status, result.row["check_name"]), {})
        section.setdefault(result.claim_key, []).append(result)
    sections = []
    for status in STATUS_ORDER:
        for check_name in sorted({name for s, name in grouped if s == status}, key=check_rank):
            claims = [
                Claim(key, members[0].claim_title, members)
                for key, members in grouped[(status, check_name)].items()
            ]
            claims.sort(key=lambda claim: (-len(claim.results), claim.title))
            sections.append(Section(status, check_name, claims))
    return sections


def check_rank(check_name: str) -> tuple[int, str]:
    return (CHECK_ORDER.index(check_name) if check_name in CHECK_ORDER else len(CHECK_ORDER), check_name)


def histories_by_result(history: list[dict]) -> dict[str, list[dict]]:
    """Each result's story: the builds where it first appeared or changed status."""
    stories: dict[str, list[dict]] = {}
    for row in history:
        story = stories.setdefault(row["result_id"], [])
        if not story or story[-1]["status"] != row["status"]:
            story.append({"checked_at": row["checked_at"], "status": row["status"], "run_id": row["run_id"]})
    return stories


def last_changes(history: list[dict]) -> tuple[list[dict], datetime | None, bool]:
    """What the last build that recorded a change changed: results that appeared, changed status or values, or
    are gone (a reworded explanation alone is no change), when that build ran, and whether it was the first."""
    if not history:
        return [], None, True
    last_run = history[-1]["run_id"]
    previous: dict[str, dict] = {}
    changes = []
    for row in history:
        if row["run_id"] != last_run:
            previous[row["result_id"]] = row
            continue
        before = previous.get(row["result_id"])
        if before is None or before["status"] != row["status"]:
            changes.append({**row, "previous_status": before["status"] if before else None})
        elif (before["expected"], before["observed"]) != (row["expected"], row["observed"]):
            changes.append({**row, "previous_status": before["status"], "values_changed": True})
    changes.sort(
        key=lambda change: (change["status"] not in FINDING_STATUSES, check_rank(change["check_name"]))
    )
    return changes, history[-1]["checked_at"], not previous


def summarise(data: AuditData) -> dict:
    """Counts by status and by check, and of the changes of the last build: what the summary prints."""
    by_status = {status: 0 for status in STATUS_ORDER}
    by_check: dict[str, dict[str, int]] = {}
    for result in data.results:
        by_status[result.status] += 1
        counts = by_check.setdefault(result.row["check_name"], {})
        counts[result.status] = counts.get(result.status, 0) + 1
    return {
        "checks": len(data.results),
        "passed": by_status["pass"],
        "findings": len(data.findings),
        "by_status": by_status,
        "by_check": {name: by_check[name] for name in sorted(by_check, key=check_rank)},
        "error_failures": len(data.error_failures),
        "changed_at": data.changed_at,
        "is_first_build": data.is_first_build,
    }
