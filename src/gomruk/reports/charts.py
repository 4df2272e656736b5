"""Server-rendered SVG charts of the dashboard tables, drawn with ``leather``.

leather writes plain SVG with presentation attributes: no script, no ``<style>`` element
and no ``style`` attribute, so the charts pass a Content-Security-Policy without
'unsafe-inline', whether shown as ``<img>`` or inline. Each drawn mark gets a ``<title>``
with its label and value (a tooltip, and what the tests compare with the table).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 — we parse only the SVG we just generated
from decimal import Decimal
from typing import Any

import leather
from django.utils import timezone

from gomruk.reports.selectors import Table

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
COLOURS = ["#1f5f99", "#c0392b", "#d4a017", "#2e8b57", "#6c3483", "#7f8c8d"]
CHANNEL_COLOURS = {"0": "#2e8b57", "1": "#1f5f99", "2": "#d4a017", "3": "#c0392b"}
WIDTH, HEIGHT = 640, 320

_THEME = {
    "background_color": "#ffffff",
    "title_color": "#1b1b1b",
    "title_font_family": "sans-serif",
    "tick_color": "#e3e3e3",
    "label_color": "#4a4a4a",
    "label_font_family": "sans-serif",
    "legend_color": "#1b1b1b",
    "legend_font_family": "sans-serif",
}
for _name, _value in _THEME.items():
    setattr(leather.theme, _name, _value)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, Decimal) else value  # leather draws floats


def _label(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d.%m")
    return str(value)


def _marks(table: Table) -> list[tuple[str, list[tuple[Any, Any]]]]:
    """(series name, [(x, value), …]) for each numeric column drawn."""
    drawn = table.columns[1:]
    if table.name == "release_time":
        drawn = table.columns[1:3]
    series = []
    for index, name in enumerate(drawn, start=1):
        series.append((name, [(row[0], row[index]) for row in table.rows if row[index] is not None]))
    return series


def render(table: Table) -> str:
    chart = leather.Chart(table.title)
    series = _marks(table)
    top = max([_number(y) for _, points in series for _, y in points] + [0])
    if table.kind == "lines":
        # Fixed scales: the whole date range on x, zero to the top on y, so a single point or
        # an all-zero series still draws (leather refuses an empty or inverted domain).
        days = [row[0] for row in table.rows] or [timezone.localdate()]
        last = days[-1] if days[-1] > days[0] else days[0] + dt.timedelta(days=1)
        chart.add_x_scale(days[0], last)
        chart.add_y_scale(0, top or 1)
        drawn = 0
        for index, (name, points) in enumerate(series):
            if not points:
                continue
            colour = COLOURS[index % len(COLOURS)]
            data = [(x, _number(y)) for x, y in points]
            chart.add_line(data, name=name, stroke_color=colour)
            chart.add_dots(data, name=name, fill_color=colour, radius=3)
            drawn += 1
        if not drawn:
            chart.add_line([(days[0], 0), (last, 0)], name="—", stroke_color="#cccccc")
    elif table.kind == "bars":
        chart.add_x_scale(0, top or 1)
        points = series[0][1] if series else []
        chart.add_bars([(_number(y), str(x)) for x, y in points] or [(0, "—")], name=series[0][0], fill_color=COLOURS[0])
    else:
        chart.add_y_scale(0, top or 1)
        points = series[0][1] if series else []
        chart.add_columns([(_label(x), _number(y)) for x, y in points], name=series[0][0], fill_color=COLOURS[0])
    svg = chart.to_svg(width=WIDTH, height=HEIGHT)
    return _annotate(svg, table, series)


def _annotate(svg: str, table: Table, series: list[tuple[str, list[tuple[Any, Any]]]]) -> str:
    root = ET.fromstring(svg)  # noqa: S314 — our own output
    root.set("viewBox", f"0 0 {WIDTH} {HEIGHT}")
    root.set("role", "img")
    root.set("aria-label", table.title)
    title = ET.Element(f"{{{SVG_NS}}}title")
    title.text = table.title
    root.insert(0, title)
    groups = [g for g in root.iter(f"{{{SVG_NS}}}g") if "series" in (g.get("class") or "")]
    marked = [g for g in groups if "lines" not in (g.get("class") or "")]
    drawn = [s for s in series if s[1]] if table.kind == "lines" else series[:1]
    for group, (name, points) in zip(marked, drawn, strict=False):
        shapes = [e for e in group if e.tag in (f"{{{SVG_NS}}}rect", f"{{{SVG_NS}}}circle")]
        for shape, (x, y) in zip(shapes, points, strict=False):
            tip = ET.SubElement(shape, f"{{{SVG_NS}}}title")
            tip.text = f"{name} · {_label(x)}: {y}"
            shape.set("data-value", str(y))
            shape.set("data-label", _label(x))
    return ET.tostring(root, encoding="unicode")
