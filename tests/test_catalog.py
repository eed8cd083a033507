"""The built-in study catalog: every file loads, is well formed and matches its sources."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from mmsurv.study import catalog_dir, load_study

DATA = Path(__file__).parent / "data"

FILES = sorted(catalog_dir().glob("*.yaml"))
IDS = [path.stem for path in FILES]

PHASE3 = [
    "MAIA",
    "ALCYONE",
    "POLLUX",
    "CASTOR",
    "CANDOR",
    "CASSIOPEIA",
    "ELOQUENT-2",
    "ELOQUENT-3",
    "ICARIA-MM",
    "IKEMA",
    "BOSTON",
    "BELLINI",
    "TOURMALINE-MM1",
    "TOURMALINE-MM2",
    "ASPIRE",
    "ENDEAVOR",
]


@pytest.fixture(scope="module")
def studies():
    return {study_id: load_study(study_id) for study_id in IDS}


@pytest.fixture(scope="module")
def raw():
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in FILES}


def _matches(study, trial: str) -> bool:
    title = (study.title or "").upper()
    return title.startswith(trial + ":") or study.id.startswith(trial.lower() + "-")


def test_catalog_is_not_empty():
    assert len(FILES) > 40


@pytest.mark.parametrize("study_id", IDS)
def test_every_file_loads_with_its_id(study_id):
    study = load_study(study_id)
    assert study.id == study_id
    assert study.time_unit == "months"
    assert study.title and study.design


def test_ids_are_unique(raw):
    ids = [data["id"] for data in raw.values()]
    assert len(ids) == len(set(ids))
    assert all(data["id"] == stem for stem, data in raw.items())


def test_every_study_has_a_cited_source(studies):
    for study in studies.values():
        assert any(src.citation for src in study.sources), study.id


def test_comparisons_name_arms_of_the_study(studies):
    for study in studies.values():
        for name, endpoint in study.endpoints.items():
            assert set(endpoint.arms) <= set(study.arm_ids), (study.id, name)
            comp = endpoint.comparison
            if comp is not None:
                assert comp.treatment in study.arm_ids, (study.id, name)
                assert comp.reference in study.arm_ids, (study.id, name)


def test_transcribed_files_say_where_they_come_from():
    for path in FILES:
        if path.stem.startswith("niu-"):
            continue
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Transcribed from"), path.name
        assert "trials.yaml" in first or "SEEDS.md" in first, path.name


def test_phase3_trials_and_the_cohort_are_covered(studies):
    for trial in PHASE3:
        hits = [s for s in studies.values() if _matches(s, trial)]
        assert hits, trial
        assert any("PFS" in s.endpoints for s in hits), trial
    assert "niu-2026-krd-vs-vrd" in studies
    assert any(_matches(s, "MAJESTEC-1") for s in studies.values())
    assert any(s.id.startswith("isatuximab-phase2") for s in studies.values())
    assert set(SEED_SINGLE_ARMS) <= set(studies)


# the single-arm studies the source documents cite, with the document that does, and the
# numbers each entry carries with the phrase of SEEDS.md that prints them
SEED_SINGLE_ARMS = {
    "bcma-car-t-phase1-pfs-os": "source document 001",
    "nooka-dara-pd-pfs-os": "source document 000",
    "dara-dcep-emd-2022-pfs-os": "source document 003",
}
SEED_NUMBERS = [
    ("bcma-car-t-phase1-pfs-os", "n", 24, "BCMA CAR-T phase I, 24 patients"),
    ("bcma-car-t-phase1-pfs-os", "PFS/follow_up/median", 17.4, "median follow-up 17.4 (0.9-38.7)"),
    ("bcma-car-t-phase1-pfs-os", "PFS/follow_up/max", 38.7, "median follow-up 17.4 (0.9-38.7)"),
    ("bcma-car-t-phase1-pfs-os", "PFS/arms/CAR-T/median", 18.8, "median PFS 18.8 (10.1-NE)"),
    ("bcma-car-t-phase1-pfs-os", "PFS/arms/CAR-T/median_ci", [10.1, "NE"], "18.8 (10.1-NE)"),
    ("bcma-car-t-phase1-pfs-os", "OS/arms/CAR-T/median", "NR", "OS not reached"),
    ("nooka-dara-pd-pfs-os", "n", 22, "Daratumumab-pomalidomide-dex, 22 patients"),
    ("nooka-dara-pd-pfs-os", "OS/arms/Dara-Pd/median", 15.18, "median OS 15.18"),
    ("nooka-dara-pd-pfs-os", "PFS/arms/Dara-Pd/median", 3.2, "median PFS 3.2 months"),
    ("dara-dcep-emd-2022-pfs-os", "n", 31, "Daratumumab in 31 EMD patients"),
    ("dara-dcep-emd-2022-pfs-os", "PFS/arms/DARA-DCEP/median", 5, "median PFS 5, OS 10 months"),
    ("dara-dcep-emd-2022-pfs-os", "OS/arms/DARA-DCEP/median", 10, "median PFS 5, OS 10 months"),
]


@pytest.mark.parametrize(("study_id", "path", "value", "phrase"), SEED_NUMBERS)
def test_single_arm_numbers_are_those_the_source_documents_print(
    raw, study_id, path, value, phrase
):
    assert phrase in " ".join((DATA / "SEEDS.md").read_text(encoding="utf-8").split())
    data = raw[study_id]
    got = data["arms"][0]["n"] if path == "n" else _get(data["endpoints"], path)
    assert got == value


@pytest.mark.parametrize("study_id", sorted(SEED_SINGLE_ARMS))
def test_single_arm_studies_have_one_arm_and_no_comparison(studies, study_id):
    study = studies[study_id]
    assert len(study.arms) == 1
    assert all(ep.comparison is None for ep in study.endpoints.values())
    assert any(SEED_SINGLE_ARMS[study_id] in (src.citation or "") for src in study.sources)


# numbers entered beyond the reference table: (study id, path, value, where the source
# that prints it lives); the entry must list that source
FILLS = [
    ("bellini-2021-pfs-os-final", "PFS/comparison/hr_ci", [0.43, 0.78], "bloodcancerstoday.com"),
    ("bellini-2021-pfs-os-final", "OS/comparison/hr_ci", [0.8, 1.77], "bloodcancerstoday.com"),
    ("bellini-2021-pfs-os-final", "PFS/arms/Ven-Vd/median_ci", [16.2, 26.4], "bloodcancerstoday"),
    (
        "bellini-2021-pfs-os-final",
        "PFS/arms/Placebo-Vd/median_ci",
        [9.5, 14.6],
        "bloodcancerstoday",
    ),
    ("bellini-2021-pfs-os-final", "OS/arms/Ven-Vd/median_ci", [44.4, "NE"], "bloodcancerstoday"),
    (
        "bellini-2021-pfs-os-final",
        "OS/arms/Placebo-Vd/median_ci",
        [44.0, "NE"],
        "bloodcancerstoday",
    ),
    ("bellini-2020-pfs-os-primary", "OS/arms/Ven-Vd/events", 41, "progetto-odin.it"),
    ("bellini-2020-pfs-os-primary", "OS/arms/Placebo-Vd/events", 11, "progetto-odin.it"),
    ("aspire-2018-os-final", "OS/comparison/hr_ci", [0.67, 0.95], "biospace.com/overall-survival"),
    ("aspire-2018-os-final", "OS/comparison/p_sided", "one-sided", "biospace.com/overall-survival"),
    (
        "alcyone-2020-pfs-os-interim",
        "PFS/comparison/hr_ci",
        [0.34, 0.51],
        "medthority.com/news/2019",
    ),
]


@pytest.mark.parametrize(("study_id", "path", "value", "host"), FILLS)
def test_numbers_beyond_the_reference_list_the_source_that_prints_them(
    raw, study_id, path, value, host
):
    assert _get(raw[study_id]["endpoints"], path) == value
    assert any(host in (src.get("url") or "") for src in raw[study_id]["source"])


def test_aspire_numbers_at_risk_start_at_the_arm_size(studies):
    study = studies["aspire-2015-pfs-os-primary"]
    for arm in study.arms:
        table = study.endpoint("PFS").arms[arm.id].at_risk
        assert table.times[0] == 0 and table.n[0] == arm.n
        assert list(table.n) == sorted(table.n, reverse=True)


def _get(node, path: str):
    """Follow a '/'-separated path; ``arms=NAME`` picks a reference arm by its name,
    ``arms[i]`` by its position."""
    for key in path.split("/"):
        if key.startswith("arms[") and key.endswith("]"):
            node = node["arms"][int(key[5:-1])]
        elif key.startswith("arms="):
            node = next(arm for arm in node["arms"] if arm["name"] == key[len("arms=") :])
        else:
            node = node[key]
    return node


def _ref_arm(entry, name):
    return next(arm for arm in entry["arms"] if arm["name"] == name)


# (study id, path in the study's endpoints, reference entry, path in the entry)
SAMPLES = [
    ("maia-2019-pfs-primary", "PFS/comparison/hr", "MAIA_PFS_primary", "hazard_ratio/value"),
    ("maia-2019-pfs-primary", "PFS/arms/Rd/events", "MAIA_PFS_primary", "arms=Rd/events"),
    ("maia-2021-pfs-os-interim", "OS/comparison/hr_ci", "MAIA_OS_56mo", "hazard_ratio/ci"),
    (
        "alcyone-2025-os-final",
        "OS/arms/D-VMP/median_ci",
        "ALCYONE_OS_final",
        "arms=D-VMP/median_ci95",
    ),
    ("pollux-2016-pfs-primary", "PFS/arms/Rd/events", "POLLUX_PFS_primary", "arms=Rd/events"),
    ("pollux-2023-os-final", "OS/arms/D-Rd/median", "POLLUX_OS_final", "arms=D-Rd/median_months"),
    ("castor-2023-os-final", "OS/arms/Vd/events", "CASTOR_OS_final", "arms=Vd/events"),
    ("candor-2023-pfs-os-final", "OS/comparison/hr_ci", "CANDOR_OS_final", "hazard_ratio/ci"),
    (
        "cassiopeia-2024-pfs-part2-ltfu",
        "PFS/arms/D-maint/median_ci",
        "CASSIOPEIA_PFS_part2_LTFU",
        "arms=Dara maintenance/median_ci95",
    ),
    (
        "eloquent-2-2020-os-final",
        "OS/comparison/ci_level",
        "ELOQUENT2_OS_final",
        "hazard_ratio/ci_level",
    ),
    (
        "eloquent-3-2023-os-final",
        "OS/arms/EPd/median",
        "ELOQUENT3_OS_final",
        "arms=EPd/median_months",
    ),
    (
        "icaria-mm-2019-pfs-os-primary",
        "PFS/comparison/hr",
        "ICARIA_PFS_primary",
        "hazard_ratio/value",
    ),
    (
        "ikema-2021-pfs-interim",
        "PFS/comparison/ci_level",
        "IKEMA_PFS_interim",
        "hazard_ratio/ci_level",
    ),
    ("ikema-2021-pfs-interim", "PFS/comparison/hr_ci", "IKEMA_PFS_interim", "hazard_ratio/ci"),
    ("ikema-2023-os-final", "OS/arms/Kd/median_ci", "IKEMA_OS_final", "arms=Kd/median_ci95"),
    (
        "boston-2020-pfs-os-primary",
        "PFS/arms/SVd/median",
        "BOSTON_PFS_primary",
        "arms=SVd/median_months",
    ),
    ("bellini-2020-pfs-os-primary", "OS/comparison/hr", "BELLINI_OS_primary", "hazard_ratio/value"),
    (
        "tourmaline-mm1-2021-os-final",
        "OS/comparison/hr",
        "TOURMALINE-MM1_OS_final",
        "hazard_ratio/value",
    ),
    (
        "tourmaline-mm2-2021-pfs-primary",
        "PFS/comparison/hr_ci",
        "TOURMALINE-MM2_PFS_primary",
        "hazard_ratio/ci",
    ),
    (
        "aspire-2015-pfs-os-primary",
        "PFS/arms/KRd/at_risk/n",
        "ASPIRE_PFS_primary",
        "numbers_at_risk/KRd",
    ),
    ("endeavor-2017-os-interim2", "OS/comparison/p", "ENDEAVOR_OS_interim2", "p_value"),
    (
        "endeavor-2017-os-interim2",
        "OS/arms/Kd56/events",
        "ENDEAVOR_OS_interim2",
        "arms=Kd56/events",
    ),
    (
        "majestec-1-2022-pfs-primary",
        "PFS/arms/Tec/median_ci",
        "MajesTEC-1_PFS_primary",
        "arms[0]/median_ci95",
    ),
]

# (study id, endpoint, arm id, month, reference entry, arm name): landmark in percent
LANDMARKS = [
    ("maia-2019-pfs-primary", "PFS", "D-Rd", 30, "MAIA_PFS_primary", "D-Rd"),
    ("alcyone-2020-pfs-os-interim", "OS", "VMP", 36, "ALCYONE_OS_40mo", "VMP"),
    ("pollux-2016-pfs-primary", "PFS", "Rd", 12, "POLLUX_PFS_primary", "Rd"),
    ("eloquent-2-2015-pfs-primary", "PFS", "ERd", 24, "ELOQUENT2_PFS_primary", "ERd"),
]


@pytest.mark.parametrize(("study_id", "path", "entry_id", "ref_path"), SAMPLES)
def test_sampled_numbers_equal_the_reference(raw, reference, study_id, path, entry_id, ref_path):
    got = _get(raw[study_id]["endpoints"], path)
    assert got == _get(reference[entry_id], ref_path)


@pytest.mark.parametrize(("study_id", "endpoint", "arm_id", "month", "entry_id", "arm"), LANDMARKS)
def test_landmarks_are_the_reference_percent_as_fractions(
    raw, reference, study_id, endpoint, arm_id, month, entry_id, arm
):
    mark = raw[study_id]["endpoints"][endpoint]["arms"][arm_id]["landmarks"][month]
    ref = next(m for m in _ref_arm(reference[entry_id], arm)["landmarks"] if m["month"] == month)
    assert math.isclose(mark["survival"] * 100, ref["survival_pct"], abs_tol=1e-9)
    if ref["ci95"]:
        for got, want in zip(mark["ci"], ref["ci95"], strict=True):
            assert math.isclose(got * 100, want, abs_tol=1e-9)


def test_arm_sizes_equal_the_reference(studies, reference):
    pairs = [
        ("icaria-mm-2024-os-final", "Isa-Pd", "ICARIA_OS_final", "Isa-Pd"),
        ("ikema-2023-pfs-final", "Kd", "IKEMA_PFS_final", "Kd"),
        ("endeavor-2016-pfs-primary", "Kd56", "ENDEAVOR_PFS_primary", "Kd56"),
        ("candor-2020-pfs-primary", "KdD", "CANDOR_PFS_primary", "KdD"),
    ]
    for study_id, arm_id, entry_id, name in pairs:
        assert studies[study_id].arm(arm_id).n == _ref_arm(reference[entry_id], name)["n"]


def test_every_reference_trial_endpoint_has_a_study(studies, reference):
    for entry in reference.values():
        if entry["trial"] not in PHASE3:
            continue
        endpoint = entry["endpoint"].split()[0]
        hits = [s for s in studies.values() if _matches(s, entry["trial"])]
        assert any(endpoint in s.endpoints for s in hits), (entry["trial"], endpoint)


# --------------------------------------------------------------------------- the catalog as a test suite


@pytest.fixture(scope="module")
def checks():
    from mmsurv import check_study

    return {study_id: check_study(study_id) for study_id in IDS}


@pytest.mark.parametrize("study_id", IDS)
def test_every_entry_reconstructs_and_passes_check_at_the_default_tolerances(checks, study_id):
    result = checks[study_id]
    assert result.passed, "\n".join(str(miss) for miss in result.misses)


def test_what_check_notes_explain_is_what_the_audit_finds_or_nothing_to_build_from(checks):
    noted = {
        (study_id, row.endpoint, row.quantity)
        for study_id, result in checks.items()
        for row in result.noted
    }
    niu = {
        ("niu-2026-krd-vs-vrd", endpoint, quantity)
        for endpoint in ("PFS", "OS")
        for quantity in ("HR CI lower", "HR CI upper", "p", "log-rank chi2")
    }
    assert niu <= noted
    whole = {(s, e) for s, e, q in noted - niu}
    assert whole == {
        ("bcma-car-t-phase1-pfs-os", "OS"),
        ("boston-2020-pfs-os-primary", "OS"),
        ("cassiopeia-2019-pfs-part1-primary", "PFS"),
        ("eloquent-2-ext3y-pfs-os-interim", "PFS"),
        ("icaria-mm-2019-pfs-os-primary", "OS"),
        ("ikema-2021-pfs-interim", "PFS"),
        ("maia-2021-pfs-os-interim", "OS"),
    }
    from mmsurv import audit

    rules = {(f.rule, f.endpoint) for f in audit("niu-2026-krd-vs-vrd").findings}
    assert {("events_from_ci", "PFS"), ("events_from_ci", "OS"), ("p_vs_logrank", "PFS")} <= rules


# (study id, endpoint) of the single-arm entries that can be rebuilt (the CAR-T OS is not
# reached with nothing else printed)
SEED_PLOTS = [
    ("bcma-car-t-phase1-pfs-os", "PFS"),
    ("nooka-dara-pd-pfs-os", "PFS"),
    ("nooka-dara-pd-pfs-os", "OS"),
    ("dara-dcep-emd-2022-pfs-os", "PFS"),
    ("dara-dcep-emd-2022-pfs-os", "OS"),
]


@pytest.mark.parametrize(("study_id", "endpoint"), SEED_PLOTS)
def test_single_arm_entries_replot_with_their_published_median(studies, study_id, endpoint):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mmsurv import analyze_endpoint, plot_km

    study = studies[study_id]
    ipd, result = analyze_endpoint(study, endpoint)
    (arm,) = study.arm_ids
    assert len(ipd) == study.arm(arm).n
    ax = plot_km(result, study.endpoint(endpoint), ipd=ipd, study=study, endpoint=endpoint)
    markers = [a for a in ax.get_children() if a.get_gid() == "published-median"]
    points = [(m.get_xdata()[0], m.get_ydata()[0]) for m in markers]
    assert points == [(study.endpoint(endpoint).arms[arm].median, 0.5)]
    assert not [a for a in ax.get_children() if a.get_gid() == "hr-annotation"]
    plt.close(ax.figure)
