"""Rendering the audit as JSON (for machines), Markdown (for a pull request) or HTML (for auditors), each in the
same order: the summary, the findings by severity, check and claim, the passes last."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from orchestration.report.charts import claim_chart, funding_chart, territory_count_chart
from orchestration.report.data import (
    FINDING_STATUSES,
    MAX_CHANGES_SHOWN,
    PHASES,
    AuditData,
    Result,
    Side,
    claim_of,
)
from orchestration.report.french import (
    CHECK_LABELS,
    STATUS_HEADINGS,
    STATUS_LABELS,
    VALUE_LABELS,
    french_moment,
    french_number,
    reference_label,
    status_count,
)

TEMPLATES = Path(__file__).parent / "templates"
CHART_CHECKS = ("same_figure_across_sources", "counts_over_time", "against_reference")
"""Checks whose claims are values stated by sources over time: each disagreeing claim gets its chart."""
FACET_NAMES = ("regions", "phases", "publishers", "dates")
NOT_SHOWN_HINT = "voir le JSON (tdi audit --format json) ou audit.audit_check_results"


def quote_parts(side: Side) -> tuple[str, str, str]:
    """The side's quote cut around the figure in question: before it, the figure (empty if none), after it."""
    if not side.quote or side.span is None:
        return side.quote or "", "", ""
    start, end = side.span
    return side.quote[:start], side.quote[start:end], side.quote[end:]


def highlighted(side: Side) -> Markup:
    """The side's quote, escaped, with the figure in question, and only it, marked."""
    before, figure, after = quote_parts(side)
    marked = Markup("<mark>{}</mark>").format(figure) if figure else Markup("")
    return escape(before) + marked + escape(after)


def source_of(side: Side, result: Result, documents: dict[str, dict]) -> dict:
    """Who states a side, for a reader: the document's publisher, date, public URL and capture, or the reference
    data named in words."""
    document = documents.get(side.document_id or "")
    if document:
        return {"label": f"{document['publisher_label']}, {document['date_label']}", "document": document}
    if side.document_id:
        return {"label": reference_label(side.document_id, result.row["subject"]), "document": None}
    return {"label": "", "document": None}


def values_line(result: Result) -> str:
    """The compared values in words: « un document : 17 · l’autre : 18 »."""
    expected_label, observed_label = VALUE_LABELS.get(result.row["check_name"], ("attendu", "constaté"))
    line = (
        f"{expected_label} : {french_number(result.row['expected'], result.unit)} · "
        f"{observed_label} : {french_number(result.row['observed'], result.unit)}"
    )
    if result.row["tolerance"]:
        line += f" · tolérance : {french_number(100 * result.row['tolerance'], 'percent')}"
    return line


def history_line(result: Result) -> str:
    """When the result appeared and each change of status since, to the minute."""
    steps = [
        f"{'apparu' if index == 0 else STATUS_LABELS[change['status']]} le {french_moment(change['checked_at'])}"
        + (f" ({STATUS_LABELS[change['status']]})" if index == 0 else "")
        for index, change in enumerate(result.history)
    ]
    return " ; ".join(steps)


def facets(result: Result, documents: dict[str, dict]) -> dict[str, list[str]]:
    """What the report's filters select a result by: regions, phases, publishers and dates of both sides."""
    sides = (result.left, result.right)
    parts = result.row["subject"].split(" · ")
    sources = [source_of(side, result, documents) for side in sides]
    return {
        "regions": sorted({side.region for side in sides if side.region}),
        "phases": sorted({side.phase for side in sides if side.phase} | {p for p in parts if p in PHASES}),
        "publishers": sorted(
            {s["document"]["publisher_label"] if s["document"] else s["label"] for s in sources if s["label"]}
        ),
        "dates": sorted({str(s["document"]["published_on"]) for s in sources if s["document"]}),
    }


def claim_points(
    results: list[Result], documents: dict[str, dict]
) -> tuple[list[dict], list[tuple[str, float]]]:
    """The values each source states about a claim (one point per document and value) and the reference values."""
    points: dict[tuple[str, float], dict] = {}
    references: dict[tuple[str, float], tuple[str, float]] = {}
    for result in results:
        for side in (result.left, result.right):
            if side.value is None or not side.document_id:
                continue
            document = documents.get(side.document_id)
            if document and document["published_on"]:
                points[(side.document_id, side.value)] = {
                    "published_on": document["published_on"],
                    "value": side.value,
                    "publisher": document["publisher_label"],
                }
            elif side.document_id.startswith("reference:"):
                label = reference_label(side.document_id, result.row["subject"])
                references[(label, side.value)] = (label, side.value)
    return sorted(points.values(), key=lambda p: (p["published_on"], p["value"])), list(references.values())


def claim_charts(data: AuditData) -> dict[tuple[str, str], Markup]:
    """A chart for each claim printed among the écarts of a check that compares values over time."""
    by_claim: dict[tuple[str, str], list[Result]] = {}
    for result in data.results:
        by_claim.setdefault(result.claim_key, []).append(result)
    charts = {}
    for section in data.sections:
        if section.status != "fail" or section.check_name not in CHART_CHECKS:
            continue
        for claim, _ in section.shown():
            points, references = claim_points(by_claim[claim.key], data.documents)
            if points:
                unit = claim.results[0].unit
                charts[claim.key] = Markup(claim_chart(points, references, unit))
    return charts


def changes_shown(data: AuditData) -> list[dict]:
    """The changes of the last build the summary prints: status before and after, check, claim and explanation."""
    results = {result.row["result_id"]: result for result in data.results}
    printed = {r.row["result_id"] for section in data.sections for _, shown in section.shown() for r in shown}
    shown = []
    for change in data.changes[:MAX_CHANGES_SHOWN]:
        result = results.get(change["result_id"])
        shown.append(
            {
                "status": change["status"],
                "what": "valeurs changées"
                if change.get("values_changed")
                else ("nouveau" if change["previous_status"] is None else "statut changé"),
                "previous": STATUS_LABELS.get(change["previous_status"] or "", ""),
                "check": CHECK_LABELS.get(change["check_name"], change["check_name"]),
                "claim": claim_of(change)[1],
                "explanation": result.row["explanation"] if result else "",
                "anchor": f"r-{change['result_id']}" if change["result_id"] in printed else None,
            }
        )
    return shown


def json_result(result: Result) -> dict:
    return {**result.row, "claim": result.claim_title, "history": result.history}


def render_json(data: AuditData) -> str:
    payload = {
        "generated_at": data.generated_at.isoformat(timespec="seconds"),
        "warehouse": data.warehouse,
        "summary": {**data.summary, "changes": data.changes},
        "checks": [json_result(result) for result in data.results],
        "documents": list(data.documents.values()),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def markdown_quote(side: Side, source: dict) -> str:
    """A side as a Markdown quote, the figure in question in bold, then who states it and where to read it."""
    before, figure, after = quote_parts(side)
    line = f"> « {before}{f'**{figure}**' if figure else ''}{after} » — {source['label']}"
    document = source["document"]
    if document:
        if document["source_url"]:
            line += f", <{document['source_url']}>"
        line += f", capture `tdi show {document['short_sha256']}`"
    return line


def markdown_summary(data: AuditData) -> list[str]:
    by_status = data.summary["by_status"]
    lines = [
        "## Synthèse",
        "",
        f"**{french_number(data.summary['checks'])} vérifications** : "
        + ", ".join(status_count(status, count) for status, count in by_status.items())
        + ".",
        "",
        "| vérification | " + " | ".join(STATUS_LABELS[status] for status in by_status) + " |",
        "|---|" + "---|" * len(by_status),
    ]
    for check_name, counts in data.summary["by_check"].items():
        cells = " | ".join(french_number(counts.get(status, 0)) for status in by_status)
        lines.append(f"| {CHECK_LABELS.get(check_name, check_name)} | {cells} |")
    lines += ["", "### Depuis la construction précédente", "", changes_sentence(data), ""]
    if not data.is_first_build:
        for change in changes_shown(data):
            previous = f", était {change['previous']}" if change["previous"] else ""
            lines.append(
                f"- **{STATUS_LABELS[change['status']]}** ({change['what']}{previous}) — {change['check']} · "
                f"{change['claim']}" + (f" : {change['explanation']}" if change["explanation"] else "")
            )
    return [*lines, ""]


def changes_sentence(data: AuditData) -> str:
    """One sentence on what the last build that changed a result changed."""
    if data.changed_at is None:
        return "Aucune construction n’est enregistrée."
    when = french_moment(data.changed_at)
    if data.is_first_build:
        return f"Première construction ({when}) : tous les résultats sont apparus."
    hidden = len(data.changes) - MAX_CHANGES_SHOWN
    rest = f" ; les {hidden} autres sont dans audit.audit_check_history" if hidden > 0 else ""
    return f"{len(data.changes)} résultats apparus ou changés à la construction du {when}{rest}."


def markdown_section(section, data: AuditData) -> list[str]:
    lines = [
        f"### {CHECK_LABELS.get(section.check_name, section.check_name)} ({french_number(section.total)})",
        "",
    ]
    for claim, results in section.shown():
        lines += [f"#### {claim.title} ({french_number(len(claim.results))})", ""]
        for result in results:
            lines += [
                f"- **{STATUS_LABELS[result.status]}** — {result.row['explanation']} ({values_line(result)})",
                "",
                markdown_quote(result.left, source_of(result.left, result, data.documents)),
                ">",
                markdown_quote(result.right, source_of(result.right, result, data.documents)),
                "",
            ]
        if len(claim.results) > len(results):
            lines += [
                f"Et {french_number(len(claim.results) - len(results))} autres constats sur ce point.",
                "",
            ]
    count, claims = section.not_shown()
    if count:
        lines += [
            f"Et {french_number(count)} autres constats ({french_number(claims)} autres points) : {NOT_SHOWN_HINT}.",
            "",
        ]
    return lines


def markdown_passes(section, data: AuditData) -> list[str]:
    lines = [
        f"### {CHECK_LABELS.get(section.check_name, section.check_name)} ({french_number(section.total)})",
        "",
        "| point vérifié | explication |",
        "|---|---|",
    ]
    printed = 0
    for claim, results in section.shown():
        lines += [f"| {claim.title} | {r.row['explanation'].replace('|', '/')} |" for r in results]
        printed += len(results)
    if section.total > printed:
        lines.append(f"| et {french_number(section.total - printed)} autres | {NOT_SHOWN_HINT} |")
    return [*lines, ""]


def by_status(data: AuditData) -> list[tuple[str, list]]:
    """The report's sections under their status, in the report's order; statuses with no result left out."""
    return [
        (status, sections)
        for status in (*FINDING_STATUSES, "pass")
        if (sections := [section for section in data.sections if section.status == status])
    ]


def render_markdown(data: AuditData) -> str:
    lines = [
        "# Rapport d’audit — Territoires d’industrie",
        "",
        f"Généré le {french_moment(data.generated_at)} depuis l’entrepôt `{Path(data.warehouse).name}`.",
        "",
        *markdown_summary(data),
    ]
    for status, sections in by_status(data):
        lines += [f"## {STATUS_HEADINGS[status]} ({french_number(sum(s.total for s in sections))})", ""]
        for section in sections:
            lines += markdown_passes(section, data) if status == "pass" else markdown_section(section, data)
    return "\n".join(lines) + "\n"


def render_html(data: AuditData) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    environment.filters["highlighted"] = highlighted
    environment.filters["number"] = french_number
    environment.filters["moment"] = french_moment
    template = environment.get_template("audit_report.html.j2")
    shown_facets = {
        result.row["result_id"]: facets(result, data.documents)
        for section in data.sections
        for _, results in section.shown()
        for result in results
    }
    return template.render(
        data=data,
        facets=shown_facets,
        options={name: sorted({v for f in shown_facets.values() for v in f[name]}) for name in FACET_NAMES},
        warehouse_name=Path(data.warehouse).name,
        findings=[(status, sections) for status, sections in by_status(data) if status != "pass"],
        passes=[section for section in data.sections if section.status == "pass"],
        changes=changes_shown(data),
        changes_sentence=changes_sentence(data),
        claim_charts=claim_charts(data),
        source_of=source_of,
        values_line=values_line,
        history_line=history_line,
        status_labels=STATUS_LABELS,
        status_headings=STATUS_HEADINGS,
        check_labels=CHECK_LABELS,
        not_shown_hint=NOT_SHOWN_HINT,
        territory_chart=Markup(territory_count_chart(data.territory_counts) or ""),
        funding_chart=Markup(funding_chart(data.funding) or ""),
    )


RENDERERS = {"json": render_json, "md": render_markdown, "html": render_html}
