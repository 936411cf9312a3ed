"""Charts for the report, drawn with matplotlib and inlined as SVG so the report stays one offline file.

The object-oriented Figure API needs no GUI backend and keeps no global state between reports.
"""

from __future__ import annotations

import io

import matplotlib.dates as mdates
from matplotlib.figure import Figure

PHASE_COLOURS = {"Temps I": "#1f77b4", "Temps II": "#d62728"}


def figure_to_svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def territory_count_chart(points: list[dict]) -> str | None:
    """Territory counts stated by each source, by publication date: growth, jumps and disagreements show."""
    if not points:
        return None
    figure = Figure(figsize=(8, 3.8))
    axes = figure.subplots()
    for phase, colour in PHASE_COLOURS.items():
        chosen = [p for p in points if p["period_phase"] == phase]
        if chosen:
            axes.scatter(
                [p["published_on"] for p in chosen], [p["value"] for p in chosen], color=colour, label=phase
            )
    for point in points:
        axes.annotate(
            f"{point['value']:.0f} ({point['publisher'][:28]})",
            (point["published_on"], point["value"]),
            textcoords="offset points",
            xytext=(4, 4),
            fontsize=7,
        )
    axes.set_title("Nombre de territoires cité, par source et date de publication")
    axes.set_ylabel("territoires")
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    axes.legend(title="Phase")
    axes.grid(alpha=0.3)
    return figure_to_svg(figure)


def funding_chart(amounts: list[dict]) -> str | None:
    """The largest national amount stated for each fund and phase, in millions of euros."""
    if not amounts:
        return None
    labels = [f"{a['funds']} — {a['phase']}" for a in amounts]
    values = [a["amount_eur"] / 1e6 for a in amounts]
    colours = [PHASE_COLOURS.get(a["phase"], "#7f7f7f") for a in amounts]
    figure = Figure(figsize=(8, 0.45 * len(amounts) + 1.2))
    axes = figure.subplots()
    axes.barh(labels, values, color=colours)
    for index, value in enumerate(values):
        axes.annotate(
            f"{value:,.0f} M€".replace(",", " "),
            (value, index),
            xytext=(3, -3),
            textcoords="offset points",
            fontsize=7,
        )
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlabel("millions d’euros (échelle logarithmique)")
    axes.set_title("Financements nationaux cités, par fonds et par phase (montant le plus élevé)")
    axes.grid(alpha=0.3, axis="x")
    return figure_to_svg(figure)
