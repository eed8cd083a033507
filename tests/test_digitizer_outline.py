"""Curves drawn as the filled outline of their stroke are read as their centre lines.

The figures are written here from known patients: each arm's Kaplan-Meier staircase is
outlined the way drawing programs do it (miter joins, or round joins with the outer
bends as arcs; butt caps), next to a filled confidence band and a filled legend box,
which are areas and must not be taken for curves.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmsurv
from mmsurv.digitizer._outline import outline_centre
from mmsurv.km import km_curve, step_values

X0, Y0, WIDTH, HEIGHT, T_MAX = 60.0, 20.0, 400.0, 250.0, 40.0


def _page(t: np.ndarray) -> np.ndarray:
    return X0 + WIDTH * t / T_MAX


def _staircase(time: np.ndarray, event: np.ndarray) -> np.ndarray:
    """The drawn vertices (page coordinates, y down) of a Kaplan-Meier curve."""
    t, s = km_curve(time, event)
    xs, ys = [0.0], [1.0]
    for ti, si in zip(t, s, strict=True):
        if si < ys[-1]:
            xs += [ti, ti]
            ys += [ys[-1], si]
    if xs[-1] < time.max():
        xs.append(float(time.max()))
        ys.append(ys[-1])
    return np.column_stack([_page(np.array(xs)), Y0 + HEIGHT * (1 - np.array(ys))])


def _outline(centre: np.ndarray, width: float, round_joins: bool) -> np.ndarray:
    """The outline of a staircase line of ``width``: butt caps, miter or round joins."""
    h = width / 2
    upper, lower = [], []
    last = len(centre) - 1
    for k, (x, y) in enumerate(centre):
        after = centre[k + 1] - centre[k] if k < last else centre[k] - centre[k - 1]
        before = centre[k] - centre[k - 1] if k > 0 else after
        if k in (0, last):  # butt cap: across the segment's own direction
            across = (0.0, h) if abs(after[1] if k == 0 else before[1]) <= 1e-12 else (h, 0.0)
            if across[0] == 0.0:
                upper.append((x, y - h))
                lower.append((x, y + h))
            else:
                upper.append((x + h, y))
                lower.append((x - h, y))
            continue
        turning_down = abs(before[1]) <= 1e-12  # horizontal, then the drop
        if round_joins and turning_down:  # the upper side goes round the bend
            angles = np.linspace(0, np.pi / 2, 7)
            upper += [(x + h * np.sin(a), y - h * np.cos(a)) for a in angles]
            lower.append((x - h, y + h))
        elif round_joins:  # the lower side goes round the bend
            angles = np.linspace(0, np.pi / 2, 7)
            upper.append((x + h, y - h))
            lower += [(x - h * np.cos(a), y + h * np.sin(a)) for a in angles]
        else:
            upper.append((x + h, y - h))
            lower.append((x - h, y + h))
    return np.array(upper + lower[::-1])


def _svg(polygons: list[tuple[np.ndarray, str]], extra: str = "") -> str:
    paths = "\n".join(
        f'<path d="M {" L ".join(f"{x:.5f} {y:.5f}" for x, y in pts)} Z" '
        f'style="fill: {colour}; stroke: none;"/>'
        for pts, colour in polygons
    )
    ticks_x = "".join(
        f'<line x1="{_page(v):.5f}" y1="{Y0 + HEIGHT}" x2="{_page(v):.5f}" y2="{Y0 + HEIGHT + 5}"'
        ' style="stroke: #000;"/>'
        f'<text x="{_page(v):.5f}" y="{Y0 + HEIGHT + 17}" text-anchor="middle">{v:g}</text>'
        for v in (0, 10, 20, 30, 40)
    )
    ticks_y = "".join(
        f'<line x1="{X0 - 5}" y1="{Y0 + HEIGHT * (1 - v):.5f}" x2="{X0}" '
        f'y2="{Y0 + HEIGHT * (1 - v):.5f}" style="stroke: #000;"/>'
        f'<text x="{X0 - 8}" y="{Y0 + HEIGHT * (1 - v) + 4:.5f}" text-anchor="end">{v:g}</text>'
        for v in (0, 0.25, 0.5, 0.75, 1)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="500" height="320" '
        'viewBox="0 0 500 320" style="font-size: 10px;">'
        f'<rect x="{X0}" y="{Y0}" width="{WIDTH}" height="{HEIGHT}" '
        'style="fill: none; stroke: #000;"/>'
        f"{extra}{paths}{ticks_x}{ticks_y}</svg>"
    )


def _pdf(polygons: list[tuple[np.ndarray, str]], path) -> None:
    """The same figure as :func:`_svg`, written by matplotlib as a PDF (page units)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon, Rectangle

    fig = plt.figure(figsize=(500 / 72, 320 / 72))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 500)
    ax.set_ylim(320, 0)
    ax.axis("off")
    ax.add_patch(Rectangle((X0, Y0), WIDTH, HEIGHT, fill=False, edgecolor="black", lw=1))
    for pts, colour in polygons:
        ax.add_patch(Polygon(pts, closed=True, facecolor=colour, edgecolor="none"))
    for v in (0, 10, 20, 30, 40):
        ax.plot([_page(v)] * 2, [Y0 + HEIGHT, Y0 + HEIGHT + 5], color="black", lw=1)
        ax.text(_page(v), Y0 + HEIGHT + 14, f"{v:g}", ha="center", va="center", fontsize=10)
    for v in (0, 0.25, 0.5, 0.75, 1):
        y = Y0 + HEIGHT * (1 - v)
        ax.plot([X0 - 5, X0], [y, y], color="black", lw=1)
        ax.text(X0 - 8, y, f"{v:g}", ha="right", va="center", fontsize=10)
    fig.savefig(path)
    plt.close(fig)


def _arms(seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    out = []
    for scale in (14.0, 25.0):
        event_time = np.round(rng.exponential(scale, 30) * 2) / 2 + 0.5  # runs >= 5 pt
        censor = rng.uniform(5, 45, 30)
        time = np.minimum(event_time, censor)
        event = (event_time <= censor).astype(int)
        keep = time < T_MAX
        out.append((time[keep], event[keep]))
    return out


def _assert_reads(curve: np.ndarray, time: np.ndarray, event: np.ndarray) -> None:
    t, s = km_curve(time, event)
    xs = np.unique(curve[:, 0])
    last = np.array([curve[curve[:, 0] == u, 1].min() for u in xs])
    grid = np.linspace(0, time.max() * 0.999, 3001)
    gap = np.abs(step_values(xs, last, grid) - step_values(t, s, grid))
    away = np.min(np.abs(grid[:, None] - t[None, :]), axis=1) > 1e-3  # not at a drop itself
    assert np.max(gap[away]) <= 1e-4


@pytest.mark.parametrize("suffix", [".svg", ".pdf"])
@pytest.mark.parametrize("round_joins", [False, True])
@pytest.mark.parametrize("width", [0.5, 2.5])
def test_outlined_curves_are_read_as_their_centre_lines(tmp_path, round_joins, width, suffix):
    arms = _arms(seed=7)
    band = _staircase(*arms[0])
    band = np.vstack([band - np.array([0, 12]), band[::-1] + np.array([0, 20])])  # a band
    legend = np.array([[380, 40], [440, 40], [440, 70], [380, 70]], dtype=float)
    polygons = [(band, "#a6cee3"), (legend, "#eeeeee")]
    colours = ("#1f78b4", "#e31a1c")
    polygons += [
        (_outline(_staircase(t, e), width, round_joins), c)
        for (t, e), c in zip(arms, colours, strict=True)
    ]
    path = tmp_path / f"outlined{suffix}"
    if suffix == ".svg":
        path.write_text(_svg(polygons))
    else:
        _pdf(polygons, path)
    result = mmsurv.digitize(path)
    assert len(result.arms) == 2
    assert any("outline" in w for w in result.warnings)
    by_colour = {a.colour: a for a in result.arms}
    for (t, e), c in zip(arms, colours, strict=True):
        _assert_reads(by_colour[c].curve.to_numpy(), t, e)


def test_a_curve_ending_in_a_drop_keeps_it():
    centre = np.array([[0, 0], [10, 0], [10, 30], [25, 30], [25, 80]], dtype=float)
    got = outline_centre(_outline(centre, 2.0, round_joins=True), 1e-6, 6.0)
    assert got is not None
    np.testing.assert_allclose(got, centre, atol=1e-9)


def test_areas_are_not_outlines():
    square = np.array([[0, 0], [50, 0], [50, 50], [0, 50]], dtype=float)
    assert outline_centre(square, 1e-6, 6.0) is None
    stairs = np.array([[0, 0], [10, 0], [10, 30], [25, 30]], dtype=float)
    band = np.vstack([stairs, stairs[::-1] + np.array([[0, 3], [0, 7], [0, 11], [0, 15]])])
    assert outline_centre(band, 1e-6, 60.0) is None  # its limits are apart unevenly
    assert outline_centre(_outline(stairs, 8.0, round_joins=False), 1e-6, 6.0) is None  # too wide


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.5, 20), min_size=1, max_size=12),
    st.lists(st.floats(0.5, 20), min_size=1, max_size=12),
    st.floats(0.2, 4.0),
    st.booleans(),
)
def test_any_staircase_outline_gives_back_its_centre(runs, drops, width, round_joins):
    k = min(len(runs), len(drops))
    xs = np.concatenate([[0.0], np.cumsum(np.asarray(runs[:k]) + width)])
    ys = np.concatenate([[0.0], np.cumsum(np.asarray(drops[:k]) + width)])
    centre = [(xs[0], ys[0])]
    for i in range(k):
        centre += [(xs[i + 1], ys[i]), (xs[i + 1], ys[i + 1])]
    centre.append((xs[-1] + runs[0] + width, ys[-1]))
    centre_arr = np.array(centre)
    got = outline_centre(_outline(centre_arr, width, round_joins), 1e-6, 10.0)
    assert got is not None
    np.testing.assert_allclose(got, centre_arr, atol=1e-7)


@pytest.mark.parametrize("round_joins", [False, True])
@pytest.mark.parametrize("last_drop", [1.5, 30.0])
def test_a_last_drop_is_kept(round_joins, last_drop):
    centre = np.array([[0, 0], [10, 0], [10, 30], [25, 30], [25, 30 + last_drop]], dtype=float)
    got = outline_centre(_outline(centre, 2.0, round_joins), 1e-6, 6.0)
    assert got is not None
    np.testing.assert_allclose(got, centre, atol=1e-9)


@pytest.mark.parametrize("round_joins", [False, True])
def test_a_last_drop_shorter_than_half_the_line_is_kept(round_joins):
    """A last event among many at risk ends the curve in a drop shorter than half its
    line's width: the outline's right side then stops between the level and the
    line's lower edge, above it the butt cap, and the drop is read from that side."""
    quarter = np.linspace(0, np.pi / 2, 7)
    if round_joins:  # the outer side of each bend is an arc about its corner
        first = [(10, -1), (11, 0)]  # as a PDF gives a Bezier arc: its two ends
        top = [(25 + np.sin(a), 30 - np.cos(a)) for a in quarter]
        foot = [(10 - np.sin(a), 30 + np.cos(a)) for a in quarter]
    else:
        first, top, foot = [(11, -1)], [(26, 29)], [(9, 31)]
    right = [(26, 30.6), (25, 30.6), (25, 31)]  # the right side, the butt cap, the step
    outline = np.array([(0, -1), *first, (11, 29), *top, *right, *foot, (9, 1), (0, 1)])
    got = outline_centre(outline, 1e-6, 6.0)
    assert got is not None
    expected = [[0, 0], [10, 0], [10, 30], [25, 30], [25, 30.6]]
    np.testing.assert_allclose(got, expected, atol=1e-9)


def test_a_band_of_nearly_constant_width_is_not_an_outline():
    """A band whose limits are nearly one width apart still has its lower steps under
    its upper ones; a line's outline has them moved left by the bends."""
    upper = np.array([[0, 0], [10, 0], [10, 30], [25, 30], [25, 60], [40, 60]], dtype=float)
    lower = upper + np.array([[0, 4.0], [0, 4.0], [0, 4.05], [0, 4.05], [0, 4.1], [0, 4.1]])
    band = np.vstack([upper, lower[::-1]])
    assert outline_centre(band, 1e-6, 6.0) is None
