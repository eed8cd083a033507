"""The SVG reader on files styled as R's svglite writes them: every line's stroke and
fill set by a ``<style>`` rule on descendants of the root (``.svglite line``), inside a
CDATA section; text coloured by its fill."""

from __future__ import annotations

import numpy as np
import pytest

import mmsurv
from mmsurv.digitizer._svg import read_svg

STYLE = """<defs><style type='text/css'><![CDATA[
    .svglite line, .svglite polyline, .svglite polygon, .svglite path, .svglite rect {
      fill: none;
      stroke: #000000;
    }
    .svglite text { white-space: pre; }
  ]]></style></defs>"""


def _svg(style: str = STYLE, root_class: str = "svglite") -> str:
    """A 2-arm KM figure as base R draws it: a box a little beyond the data (time 0-20 at
    x 100-500, ticks every 5; survival 0-1 at y 350-50, ticks every 0.25), the numbers at
    risk under the axis with row labels in the arms' colours."""
    x = lambda t: 100 + 20 * t  # noqa: E731
    y = lambda s: 350 - 300 * s  # noqa: E731
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='{root_class}' width='600pt' "
        "height='480pt' viewBox='0 0 600 480'>",
        style,
        "<rect width='100%' height='100%' style='stroke: none; fill: #FFFFFF;'/>",
        "<rect x='90' y='40' width='420' height='320' />",
    ]
    for t in range(0, 21, 5):
        parts.append(f"<line x1='{x(t)}' y1='360' x2='{x(t)}' y2='367' />")
        parts.append(
            f"<text x='{x(t)}' y='382' text-anchor='middle' style='font-size: 12px;'>{t}</text>"
        )
    for s in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f"<line x1='90' y1='{y(s)}' x2='83' y2='{y(s)}' />")
        parts.append(
            f"<text x='78' y='{y(s) + 4}' text-anchor='end' style='font-size: 12px;'>{s:g}</text>"
        )
    arms = {
        "Drug": (
            "#D62728",
            [(0, 1), (4, 1), (4, 0.8), (9, 0.8), (9, 0.6), (18, 0.6)],
            [40, 30, 22, 10],
        ),
        "Control": (
            "#1F77B4",
            [(0, 1), (2, 1), (2, 0.7), (7, 0.7), (7, 0.4), (16, 0.4)],
            [38, 24, 12, 4],
        ),
    }
    for row, (label, (colour, pts, counts)) in enumerate(arms.items()):
        points = " ".join(f"{x(t):.2f},{y(s):.2f}" for t, s in pts)
        parts.append(f"<polyline points='{points}' style='stroke-width: 1.5; stroke: {colour};' />")
        base = 410 + 16 * row
        parts.append(
            f"<text x='90' y='{base}' text-anchor='end' style='font-size: 10px; "
            f"fill: {colour};'>{label}</text>"
        )
        for t, n in zip(range(0, 16, 5), counts, strict=True):
            parts.append(
                f"<text x='{x(t)}' y='{base}' text-anchor='middle' "
                f"style='font-size: 10px;'>{n}</text>"
            )
    parts.append("</svg>")
    return "\n".join(parts)


def test_root_descendant_css_gives_the_lines_their_stroke(tmp_path):
    path = tmp_path / "svglite.svg"
    path.write_text(_svg())
    lines = [s for s in read_svg(path).shapes if len(s.points) == 2]
    assert lines and all(s.stroke == (0.0, 0.0, 0.0) and s.fill is None for s in lines)


def test_text_takes_its_fill_colour(tmp_path):
    path = tmp_path / "svglite.svg"
    path.write_text(_svg())
    colours = {w.text: w.colour for w in read_svg(path).words}
    assert colours["Drug"] == pytest.approx((0.839, 0.153, 0.157), abs=1e-3)
    assert colours["Control"] == pytest.approx((0.122, 0.467, 0.706), abs=1e-3)


def test_svglite_figure_is_read_with_its_ticks_and_table(tmp_path):
    path = tmp_path / "svglite.svg"
    path.write_text(_svg())
    result = mmsurv.digitize(path)
    assert result.warnings == ()
    arms = {a.colour: a for a in result.arms}  # no legend: rows go to arms by colour
    assert set(arms) == {"#d62728", "#1f77b4"}
    arms = {"Drug": arms["#d62728"], "Control": arms["#1f77b4"]}
    assert result.calibration.x.source == "labels on tick marks"
    curve = arms["Drug"].curve.to_numpy()
    assert np.allclose(curve, [[0, 1], [4, 1], [4, 0.8], [9, 0.8], [9, 0.6], [18, 0.6]])
    assert arms["Drug"].at_risk["n"].tolist() == [40, 30, 22, 10]
    assert arms["Control"].at_risk["n"].tolist() == [38, 24, 12, 4]


@pytest.mark.parametrize("selector", [".svglite line", "svg line", "svg.svglite line", "#fig line"])
def test_every_form_of_the_root_selector_is_rewritten(tmp_path, selector):
    style = f"<style>{selector} {{ stroke: #000000; fill: none; }}</style>"
    path = tmp_path / "root.svg"
    path.write_text(_svg(style).replace("<svg ", "<svg id='fig' ", 1))
    lines = [s for s in read_svg(path).shapes if len(s.points) == 2]
    assert all(s.stroke == (0.0, 0.0, 0.0) for s in lines)


def test_a_selector_of_another_ancestor_is_left_alone(tmp_path):
    # ``g.panel line`` selects lines inside such a group only: not rewritten
    style = "<style>g.panel line { stroke: #000000; }</style>"
    path = tmp_path / "other.svg"
    path.write_text(_svg(style))
    lines = [s for s in read_svg(path).shapes if len(s.points) == 2]
    assert all(s.stroke is None for s in lines)
