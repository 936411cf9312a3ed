"""Rendering the audit as JSON (for machines), Markdown (for a pull request) or HTML (for auditors)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from orchestration.report.charts import funding_chart, territory_count_chart
from orchestration.report.data import AuditData

TEMPLATES = Path(__file__).parent / "templates"

STATUS_LABELS = {
    "pass": "conforme",
    "fail": "écart",
    "warn": "à vérifier",
    "not_enough_data": "données insuffisantes",
    "gone": "disparu",
}
CHECK_LABELS = {
    "stated_vs_listed": "Nombre annoncé / liste qui suit",
    "same_figure_across_sources": "Même chiffre selon les sources",
    "counts_over_time": "Évolution dans le temps",
    "part_vs_whole": "Partie / tout",
    "regions_vs_national": "Somme des régions / national",
    "against_reference": "Référentiel officiel",
    "plausibility": "Vraisemblance",
    "warehouse_integrity": "Intégrité de l’entrepôt",
}

NUMBER = re.compile(
    r"(?<![\w/&#])(?!(?:19|20)\d\d\b)(?:plus d[e’']\s?|près de |environ )?\d[\d\s\u00a0\u202f.,]*\d?\s?"
    r"(?:%|M€|Md€|k€|millions?|milliards?|mille)?(?:\s?d[’']euros)?",
)


def highlight_figures(quote: str | None) -> Markup:
    """Escape the quote and mark its figures, so an auditor's eye lands on the numbers being compared."""
    if not quote:
        return Markup("")
    escaped = str(escape(quote))
    return Markup(NUMBER.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))


def render_json(data: AuditData) -> str:
    payload = {
        "generated_at": data.generated_at,
        "warehouse": data.warehouse,
        "summary": data.summary,
        "checks": [{**check, "history": data.history.get(check["result_id"], [])} for check in data.checks],
        "documents": data.documents,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def render_markdown(data: AuditData) -> str:
    lines = [
        "# Rapport d’audit — Territoires d’industrie",
        "",
        f"Généré le {data.generated_at} depuis `{data.warehouse}`.",
        "",
        f"**{data.summary['checks']} vérifications**, {data.summary['passed']} conformes, "
        f"{data.summary['findings']} constats.",
        "",
        "| vérification | statut | sujet | explication |",
        "|---|---|---|---|",
    ]
    for check in data.checks:
        lines.append(
            f"| {CHECK_LABELS.get(check['check_name'], check['check_name'])} | {STATUS_LABELS[check['status']]} "
            f"| {check['subject'].replace('|', '/')} | {check['explanation'].replace('|', '/')} |"
        )
    lines += ["", "## Constats", ""]
    for finding in data.findings:
        lines += [
            f"### {finding['subject']}",
            "",
            f"*{STATUS_LABELS[finding['status']]}* ({finding['severity']}) — {finding['explanation']}",
            "",
            f"> {finding['left_document_id']} : {finding['left_quote']}",
            ">",
            f"> {finding['right_document_id']} : {finding['right_quote']}",
            "",
        ]
    return "\n".join(lines) + "\n"


def render_html(data: AuditData) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    environment.filters["highlight"] = highlight_figures
    template = environment.get_template("audit_report.html.j2")
    documents = {document["document_id"]: document for document in data.documents}
    return template.render(
        data=data,
        documents=documents,
        status_labels=STATUS_LABELS,
        check_labels=CHECK_LABELS,
        territory_chart=Markup(territory_count_chart(data.territory_counts) or ""),
        funding_chart=Markup(funding_chart(data.funding) or ""),
    )


RENDERERS = {"json": render_json, "md": render_markdown, "html": render_html}
