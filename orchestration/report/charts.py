"""Charts for the report, drawn with matplotlib and inlined as SVG so the report stays one offline file.

The object-oriented Figure API needs no GUI backend and keeps no global state between reports. Scales are
linear with their values written in French; labels are whole words, wrapped, and spread so none overlaps another.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib
import matplotlib.dates as mdates
from babel.dates import format_date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from orchestration.report.french import LOCALE, NO_BREAK, french_number

PHASE_COLOURS = {"Temps I": "#1f77b4", "Temps II": "#d62728"}
OTHER_COLOUR = "#7f7f7f"
MAX_LABELLED_POINTS = 12
"""Beyond this many points a chart labels none of them: a dozen labels is what fits beside the points of a
chart 8 inches wide without crowding; the axes still give every value."""
NO_SVG_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}
"""Inline charts carry no RDF metadata: it is invisible, and a browser's text would read it as the page's."""
LABEL_WIDTH = 30
"""Characters per line of a wrapped label (publisher, fund), whole words kept."""
LABEL_FONT_SIZE = 7
LABEL_LINE_POINTS = 10
"""Height of a line of a point's label, in points: its font size, line spacing and a margin."""


def figure_to_svg(figure: Figure) -> str:
    """The figure as an inline <svg> element, its text kept as text (smaller, searchable, never cut)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata=NO_SVG_METADATA)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def wrapped(label: str, width: int = LABEL_WIDTH) -> str:
    """A label on several lines, cut between words only."""
    return "\n".join(textwrap.wrap(label, width=width, break_long_words=False, break_on_hyphens=False))


def short_publisher(publisher: str) -> str:
    """A publisher as a chart names it: its acronym when it gives one (« … (ANCT) » → « ANCT »), else its name
    up to its first comma (« Ministère de l’Économie, des Finances… » → « Ministère de l’Économie »), wrapped."""
    if publisher.endswith(")") and "(" in publisher:
        acronym = publisher[publisher.rindex("(") + 1 : -1]
        if acronym.isupper():
            return acronym
    return wrapped(publisher.split(",")[0])


def spread(values: list[float], sizes: list[float]) -> list[float]:
    """Label heights at or above each value, in the order of the values given, such that no two labels of the
    given heights overlap."""
    order = sorted(range(len(values)), key=values.__getitem__)
    heights = [0.0] * len(values)
    below = None
    for index in order:
        lowest = values[index] if below is None else heights[below] + (sizes[below] + sizes[index]) / 2
        heights[index] = max(values[index], lowest)
        below = index
    return heights


def date_axis(axes) -> None:
    """Dates on the x axis as « nov. 2018 », a few ticks so none overlaps."""
    axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=5))
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _: format_date(mdates.num2date(x).date(), "MMM y", locale=LOCALE))
    )


def value_axis(axes, unit: str | None, axis: str = "y") -> None:
    """A linear value axis written in French; euros in millions, with the unit in the axis label."""
    ticks = axes.yaxis if axis == "y" else axes.xaxis
    if unit == "EUR":
        ticks.set_major_formatter(FuncFormatter(lambda v, _: french_number(v / 1e6)))
        (axes.set_ylabel if axis == "y" else axes.set_xlabel)("millions d’euros")
    else:
        ticks.set_major_formatter(FuncFormatter(lambda v, _: french_number(v, unit)))
        if unit != "percent":
            ticks.set_major_locator(MaxNLocator(integer=True))


def labelled_points(axes, points: list[dict], unit: str | None) -> None:
    """Each point's value and publisher beside it, labels stacked so none overlaps another and tied to their point:
    to the right of the points of the chart's left half, to the left of the others, so no label leaves the chart."""
    if len(points) > MAX_LABELLED_POINTS:
        return
    labels = [
        f"{french_number(point['value'], unit)} — {short_publisher(point['publisher'])}" for point in points
    ]
    values = [point["value"] for point in points]
    low, high = axes.get_ylim()
    for _ in range(3):  # the axis grows to hold the labels, which brings them closer: settle
        per_point = (high - low) / (axes.get_window_extent().height * 72 / axes.figure.dpi)
        sizes = [(label.count("\n") + 1) * LABEL_LINE_POINTS * per_point for label in labels]
        heights = spread(values, sizes)
        high = max(high, *(height + size / 2 for height, size in zip(heights, sizes, strict=True)))
        axes.set_ylim(low, high)
    left, right = axes.get_xlim()
    for point, label, height in zip(points, labels, heights, strict=True):
        on_left = mdates.date2num(point["published_on"]) < (left + right) / 2
        axes.annotate(
            label,
            (point["published_on"], point["value"]),
            xytext=(8 if on_left else -8, height),
            textcoords=("offset points", "data"),
            fontsize=LABEL_FONT_SIZE,
            va="center",
            ha="left" if on_left else "right",
            arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.5}
            if height != point["value"]
            else None,
        )


def territory_count_chart(points: list[dict]) -> str | None:
    """Territory counts stated by each source, by publication date: growth, jumps and disagreements show."""
    if not points:
        return None
    figure = Figure(figsize=(8, 4))
    axes = figure.subplots()
    for phase, colour in PHASE_COLOURS.items():
        chosen = [p for p in points if p["period_phase"] == phase]
        if chosen:
            axes.scatter(
                [p["published_on"] for p in chosen], [p["value"] for p in chosen], color=colour, label=phase
            )
    axes.margins(x=0.08, y=0.15)
    value_axis(axes, "count")
    date_axis(axes)
    labelled_points(axes, points, "count")
    axes.set_title("Nombre de territoires cité, par source et date de publication")
    axes.set_ylabel("territoires")
    axes.legend(title="Phase", loc="lower right")
    axes.grid(alpha=0.3)
    return figure_to_svg(figure)


def funding_chart(amounts: list[dict]) -> str | None:
    """The largest national amount stated for each fund and phase, on a linear scale, each amount written."""
    if not amounts:
        return None
    labels = [wrapped(f"{a['funds']} ({a['phase'].replace(' ', NO_BREAK)})") for a in amounts]
    values = [a["amount_eur"] for a in amounts]
    colours = [PHASE_COLOURS.get(a["phase"], OTHER_COLOUR) for a in amounts]
    lines = sum(label.count("\n") + 1 for label in labels)
    figure = Figure(figsize=(8, 0.22 * lines + 0.25 * len(amounts) + 1.2))
    axes = figure.subplots()
    positions = range(len(amounts))
    axes.barh(positions, values, color=colours)
    axes.set_yticks(positions, labels, fontsize=8)
    for position, value in zip(positions, values, strict=True):
        axes.annotate(
            french_number(value, "EUR"), (value, position), xytext=(4, 0), textcoords="offset points",
            va="center", fontsize=8,
        )  # fmt: skip
    axes.invert_yaxis()
    axes.set_xlim(0, max(values) * 1.35)
    value_axis(axes, "EUR", axis="x")
    axes.set_title("Financements nationaux cités, par fonds et par phase (montant le plus élevé)")
    axes.grid(alpha=0.3, axis="x")
    return figure_to_svg(figure)


def claim_chart(points: list[dict], references: list[tuple[str, float]], unit: str | None) -> str:
    """The values a claim's sources state, by publication date, and the reference's value as a dashed line: a
    disagreement shows as points apart."""
    figure = Figure(figsize=(6.4, 2.6))
    axes = figure.subplots()
    axes.scatter([p["published_on"] for p in points], [p["value"] for p in points], color="#000091", zorder=3)
    for label, value in references:
        axes.axhline(value, color="#c00000", linestyle="--", linewidth=1)
        axes.annotate(
            f"{wrapped(label, 40)} : {french_number(value, unit)}", (0, value), xycoords=("axes fraction", "data"),
            xytext=(2, 3), textcoords="offset points", fontsize=7, color="#c00000",
        )  # fmt: skip
    axes.margins(x=0.15, y=0.3)
    value_axis(axes, unit)
    date_axis(axes)
    labelled_points(axes, points, unit)
    axes.set_title("Valeurs citées par chaque source, par date de publication", fontsize=9)
    axes.grid(alpha=0.3)
    return figure_to_svg(figure)
