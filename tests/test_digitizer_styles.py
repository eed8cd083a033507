"""The vector reader on the figure styles R's plotting packages draw (hand-written SVGs):
confidence limits as dashed lines in the arm's colour (``plot.survfit(conf.int = TRUE)``),
black arms told apart by line type only, axes drawn apart from the plot (no box, as
``rms::survplot`` draws them) with the curves labelled in their colours and the at-risk
rows named at the right, and table cells printing the count with its percentage
(survminer's ``risk.table = "abs_pct"``)."""

from __future__ import annotations

import numpy as np
import pytest

import mmsurv

DRUG = [(0, 1), (4, 1), (4, 0.8), (9, 0.8), (9, 0.6), (18, 0.6)]
CONTROL = [(0, 1), (2, 1), (2, 0.7), (7, 0.7), (7, 0.4), (16, 0.4)]
#: Drug's pointwise limits: they step where Drug steps (the upper one capped at 1 at 4)
UPPER = [(0, 1), (9, 1), (9, 0.8), (18, 0.8)]
LOWER = [(0, 1), (4, 1), (4, 0.55), (9, 0.55), (9, 0.35), (18, 0.35)]


def _x(t: float) -> float:
    return 100 + 20 * t


def _y(s: float) -> float:
    return 350 - 300 * s


def _polyline(points, colour: str, dash: str | None = None) -> str:
    coords = " ".join(f"{_x(t):.2f},{_y(s):.2f}" for t, s in points)
    dashed = f" stroke-dasharray='{dash}'" if dash else ""
    return f"<polyline points='{coords}' fill='none' stroke='{colour}'{dashed} />"


def _text(x: float, y: float, text: str, anchor: str = "middle", colour: str = "#000000") -> str:
    return (
        f"<text x='{x}' y='{y}' text-anchor='{anchor}' font-size='10' fill='{colour}'>{text}</text>"
    )


def _figure(curves: list[str], extra: list[str], box: bool = True) -> str:
    """Time 0-20 at x 100-500 (ticks every 5), survival 0-1 at y 350-50 (every 0.25),
    in a box a little beyond the data, or with R's detached axes when ``box`` is false:
    each axis line from its first tick to its last, drawn with its ticks as separate
    segments that meet."""
    parts = [
        "<svg xmlns='http://www.w3.org/2000/svg' width='600' height='480' viewBox='0 0 600 480'>"
    ]
    if box:
        parts.append("<rect x='90' y='40' width='420' height='320' fill='none' stroke='#000000'/>")
        bottom, left = 360, 90
    else:
        bottom, left = 375, 75
        parts.append(f"<line x1='100' y1='{bottom}' x2='500' y2='{bottom}' stroke='#000000'/>")
        parts.append(f"<line x1='{left}' y1='350' x2='{left}' y2='50' stroke='#000000'/>")
    for t in range(0, 21, 5):
        parts.append(
            f"<line x1='{_x(t)}' y1='{bottom}' x2='{_x(t)}' y2='{bottom + 7}' stroke='#000000'/>"
        )
        parts.append(_text(_x(t), bottom + 22, str(t)))
    for s in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f"<line x1='{left}' y1='{_y(s)}' x2='{left - 7}' y2='{_y(s)}' stroke='#000000'/>"
        )
        parts.append(_text(left - 12, _y(s) + 4, f"{s:g}", anchor="end"))
    parts += curves + extra + ["</svg>"]
    return "\n".join(parts)


def _legend(entries: list[tuple[str, str, str | None]]) -> list[str]:
    """Legend keys (short lines in each arm's style) and labels at the top right."""
    out = []
    for k, (label, colour, dash) in enumerate(entries):
        y = 70 + 15 * k
        dashed = f" stroke-dasharray='{dash}'" if dash else ""
        out.append(
            f"<line x1='400' y1='{y}' x2='420' y2='{y}' stroke='{colour}'{dashed} />"
            + _text(426, y + 4, label, anchor="start")
        )
    return out


def _table(rows: list[tuple[str, list[str]]], label_at: str = "left", split: bool = False):
    """At-risk rows under the axis, the cells centred on ticks 0, 5, 10, 15; with
    ``split``, a cell's words (``40`` and ``(100)``) as separate text runs, as a PDF's
    text layer gives them."""
    out = []
    char = 6.0  # a character's width at font size 10, as the SVG reader takes it
    for k, (label, cells) in enumerate(rows):
        y = 430 + 16 * k
        out.append(
            _text(70, y, label, anchor="end")
            if label_at == "left"
            else _text(520, y, label, anchor="start")
        )
        for t, cell in zip(range(0, 16, 5), cells, strict=False):
            if not split:
                out.append(_text(_x(t), y, cell))
                continue
            start = _x(t) - char * len(cell) / 2
            for word in cell.split(" "):
                out.append(_text(start, y, word, anchor="start"))
                start += char * (len(word) + 1)
    return out


def _ci_figure() -> str:
    curves = [
        _polyline(DRUG, "#D62728"),
        _polyline(UPPER, "#D62728", "4 4"),
        _polyline(LOWER, "#D62728", "4 4"),
        _polyline(CONTROL, "#1F77B4"),
    ]
    legend = _legend([("Drug", "#D62728", None), ("Control", "#1F77B4", None)])
    return _figure(curves, legend)


def test_dashed_confidence_limits_in_the_arm_colour_are_left_out(tmp_path):
    path = tmp_path / "ci.svg"
    path.write_text(_ci_figure())
    result = mmsurv.digitize(path)
    assert [a.label for a in result.arms] == ["Drug", "Control"]
    assert np.allclose(result.arms[0].curve.to_numpy(), DRUG)
    assert np.allclose(result.arms[1].curve.to_numpy(), CONTROL)
    assert any("2 confidence limits" in w for w in result.warnings)
    # the two limits share a style, but are no curves drawn alike
    assert not any("same colour and dash" in w for w in result.warnings)


def test_confidence_limits_do_not_displace_an_arm_asked_for(tmp_path):
    # Drug's limits run as long as Drug, longer than Control: kept as the longest, they
    # would push Control out
    path = tmp_path / "ci.svg"
    path.write_text(_ci_figure())
    result = mmsurv.digitize(path, arms=2)
    assert [a.label for a in result.arms] == ["Drug", "Control"]
    assert np.allclose(result.arms[1].curve.to_numpy(), CONTROL)


def test_black_arms_told_apart_by_line_type_are_both_read(tmp_path):
    curves = [_polyline(DRUG, "#000000"), _polyline(CONTROL, "#000000", "6 3")]
    legend = _legend([("Drug", "#000000", None), ("Control", "#000000", "6 3")])
    table = _table([("Drug", ["40", "30", "22", "10"]), ("Control", ["38", "24", "12", "4"])])
    path = tmp_path / "mono.svg"
    path.write_text(_figure(curves, legend + table))
    result = mmsurv.digitize(path)
    arms = {a.label: a for a in result.arms}
    assert set(arms) == {"Drug", "Control"}
    assert np.allclose(arms["Control"].curve.to_numpy(), CONTROL)
    assert arms["Drug"].at_risk["n"].tolist() == [40, 30, 22, 10]  # rows by legend label
    assert arms["Control"].at_risk["n"].tolist() == [38, 24, 12, 4]
    assert not any("confidence limit" in w and "left out" in w for w in result.warnings)


def test_a_shorter_black_arm_stepping_at_the_other_arms_times_is_no_limit(tmp_path):
    # yearly follow-up: Short steps only where Long does and stays above it, as a limit
    # would, but it stops at 10 while Long steps on to 18 (a limit runs to its curve's end)
    long_arm = [(0, 1), (4, 1), (4, 0.8), (9, 0.8), (9, 0.6), (14, 0.6), (14, 0.4), (18, 0.4)]
    long_arm += [(18, 0.2), (19, 0.2)]
    short = [(0, 1), (4, 1), (4, 0.9), (9, 0.9), (9, 0.85), (10, 0.85)]
    curves = [_polyline(long_arm, "#000000"), _polyline(short, "#000000", "6 3")]
    path = tmp_path / "mono.svg"
    path.write_text(_figure(curves, []))
    result = mmsurv.digitize(path, arms=2)
    read = sorted((a.curve.to_numpy() for a in result.arms), key=len)
    assert np.allclose(read[0], short)
    assert np.allclose(read[1], long_arm)
    assert not any("confidence limit" in w and "left out" in w for w in result.warnings)


def _rms_figure() -> str:
    curves = [_polyline(DRUG, "#D62728"), _polyline(CONTROL, "#1F77B4", "2 6")]
    labels = [
        _text(_x(10), _y(0.65), "Drug", colour="#D62728"),
        _text(_x(12), _y(0.35), "Control", colour="#1F77B4"),
    ]
    table = _table(
        [("Drug", ["40", "30", "22", "10"]), ("Control", ["38", "24", "12", "4"])],
        label_at="right",
    )
    return _figure(curves, labels + table, box=False)


def test_axes_apart_from_the_plot_frame_it(tmp_path):
    path = tmp_path / "rms.svg"
    path.write_text(_rms_figure())
    result = mmsurv.digitize(path)
    assert not any("no axis box" in w for w in result.warnings)
    assert result.calibration.x.source == "labels on tick marks"
    assert result.calibration.y.source == "labels on tick marks"
    assert np.allclose(result.arms[0].curve.to_numpy(), DRUG)


def test_curve_labels_and_row_names_at_the_right_attach_the_table(tmp_path):
    path = tmp_path / "rms.svg"
    path.write_text(_rms_figure())
    arms = {a.label: a for a in mmsurv.digitize(path).arms}
    assert set(arms) == {"Drug", "Control"}
    assert arms["Drug"].at_risk["n"].tolist() == [40, 30, 22, 10]
    assert arms["Control"].at_risk["n"].tolist() == [38, 24, 12, 4]


@pytest.mark.parametrize("split", [False, True])
def test_cells_with_the_percentage_at_risk_give_the_count(tmp_path, split):
    def cells(counts: list[int]) -> list[str]:
        return [f"{n} ({round(100 * n / counts[0])})" for n in counts]

    rows = [("Drug", cells([40, 30, 22, 10])), ("Control", cells([38, 24, 12, 4]))]
    curves = [_polyline(DRUG, "#D62728"), _polyline(CONTROL, "#1F77B4")]
    legend = _legend([("Drug", "#D62728", None), ("Control", "#1F77B4", None)])
    text = _figure(curves, legend + _table(rows, split=split))
    path = tmp_path / "pct.svg"
    path.write_text(text)
    arms = {a.label: a for a in mmsurv.digitize(path).arms}
    assert arms["Drug"].at_risk["n"].tolist() == [40, 30, 22, 10]
    assert arms["Control"].at_risk["n"].tolist() == [38, 24, 12, 4]


def test_touching_table_cells_of_a_pdf_are_two_words():
    from mmsurv.digitizer._pdf import _split_cells

    def chars(text: str, x: float) -> list[dict]:
        return [{"text": c, "x0": x + 5 * i, "x1": x + 5 * (i + 1)} for i, c in enumerate(text)]

    parts = _split_cells(chars("(100)6", 0.0))
    assert ["".join(c["text"] for c in p) for p in parts] == ["(100)", "6"]
    assert len(_split_cells(chars("f(x)", 0.0))) == 1
