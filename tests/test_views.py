"""Every public result object and the study show as a compact HTML table in a notebook."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

import mmsurv
from mmsurv.meta import pool
from mmsurv.views import MAX_ROWS, html_view

NIU = "niu-2026-krd-vs-vrd"


@pytest.fixture(scope="module")
def study():
    return mmsurv.load_study(NIU)


@pytest.fixture(scope="module")
def comparison():
    return mmsurv.compare_studies(["pollux-2016-pfs-primary", "aspire-2015-pfs-os-primary"], "PFS")


def _objects(study, comparison):
    _, report = mmsurv.reconstruct(study, "PFS")
    _, result = mmsurv.analyze_endpoint(study, "PFS")
    meta = pool([0.37, 0.69], [0.17, 0.1])
    return {
        "Study": study,
        "AuditReport": mmsurv.audit(study),
        "EndpointReport": report,
        "AnalysisResult": result,
        "CheckResult": mmsurv.check_study(study, "PFS"),
        "Tolerances": mmsurv.Tolerances(hr=0.1),
        "ComparisonTable": comparison,
        "MetaResult": meta,
        "PooledEstimate": meta.fixed,
        "BucherResult": comparison.indirect[0],
        "CrossTrialArms": mmsurv.cross_trial_arms(
            ["maia-2019-pfs-primary", "pollux-2016-pfs-primary"], "PFS"
        ),
    }


def test_every_result_has_a_compact_html_view_and_a_short_repr(study, comparison):
    for name, obj in _objects(study, comparison).items():
        html = obj._repr_html_()
        assert html.startswith('<div class="mmsurv-view">') or html.startswith("<p><b>"), name
        assert "<b>" in html, name
        assert len(html) < 20_000, name  # a compact table, not a dump
        assert "None" not in re.sub(r"<[^>]+>", " ", html), name  # missing shows blank
        text = repr(obj)
        assert len(text.splitlines()[0]) <= 160, name


def test_study_repr_is_one_line_and_its_table_is_tidy(study):
    assert repr(study) == (
        "Study('niu-2026-krd-vs-vrd': 2 arms (KRd n=42, VRd n=38); endpoints PFS, OS; months)"
    )
    assert str(study) == repr(study)
    table = study.table()
    assert list(table[["endpoint", "arm"]].itertuples(index=False, name=None)) == [
        ("PFS", "KRd"),
        ("PFS", "VRd"),
        ("OS", "KRd"),
        ("OS", "VRd"),
    ]
    assert table["n"].tolist() == [42, 38, 42, 38]
    assert table.loc[0, "hr"] == 0.712 and math.isnan(table.loc[1, "hr"])
    assert not any(isinstance(v, (dict, list)) for v in table.to_numpy().ravel())
    html = study._repr_html_()
    assert "Niu J, Lin P" in html and "Times in months." in html


def test_audit_table_has_no_dict_cells_and_nan_for_missing(study):
    table = mmsurv.audit(study).table()
    assert not any(isinstance(v, (dict, list)) for v in table.to_numpy().ravel())
    assert table["numbers"].map(lambda s: isinstance(s, str) and s.startswith("{")).all()
    ci = table[table["rule"] == "events_from_ci"].iloc[0]
    assert '"hr": 0.712' in ci["numbers"]
    assert table["arm"].isna().any() and None not in table["arm"].tolist()


def test_check_view_lists_only_what_failed():
    html = mmsurv.check_study("pollux-2016-pfs-primary", "PFS")._repr_html_()
    assert "passed" in html


def test_html_view_cuts_long_tables():
    frame = pd.DataFrame({"x": range(MAX_ROWS + 5)})
    html = html_view("long", frame)
    assert html.count("<tr") == MAX_ROWS + 1 and "and 5 more rows" in html


def test_items_of_results_have_one_line_reprs(study, comparison):
    rd = mmsurv.cross_trial_arms(["maia-2019-pfs-primary", "pollux-2016-pfs-primary"], "PFS")
    _, result = mmsurv.analyze_endpoint(study, "PFS")
    items = {
        "TrialArm": rd.arms[0],
        "ComparedStudy": comparison.studies[0],
        "Finding": mmsurv.audit(study).findings[0],
        "ArmComparison": result.comparison,
        "ArmSummary": result.arms["KRd"],
        "Miss": mmsurv.check_study(study).noted[0],
    }
    for name, item in items.items():
        text = repr(item)
        assert text.startswith(f"{name}(") and "\n" not in text, name
        assert "array(" not in text and len(text) < 400, name
    assert (
        repr(items["TrialArm"]) == "TrialArm(MAIA: Rd: n 369, events 143, median 31.9; summaries)"
    )
    assert repr(items["ComparedStudy"]).startswith(
        "ComparedStudy(POLLUX: D-Rd vs Rd: published HR 0.37 (95% CI 0.27-0.52); reconstructed"
    )
