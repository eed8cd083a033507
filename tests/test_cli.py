import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mmsurv.cli import main
from mmsurv.study import load_study

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "rossi" / "study.yaml"


def test_reconstruct_example_to_file(tmp_path, capsys):
    out = tmp_path / "ipd.csv"
    assert main(["reconstruct", str(EXAMPLE), "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "arm,time,event"
    assert sum(line.startswith("aid,") for line in lines) == 216
    assert sum(line.startswith("no_aid,") for line in lines) == 216
    err = capsys.readouterr().err.splitlines()
    arm_lines = [line for line in err if not line.startswith("  ")]
    assert len(arm_lines) == 2 and "events 48 (reported 48)" in arm_lines[0]
    # each repair of the digitized clicks is a line under its arm
    assert "  cleaning: point (0, 1) added at the start" in err
    assert any(line.startswith("  note: 2 clicks within 1% of the time axis") for line in err)


def test_reconstruct_reports_every_repair_of_a_digitized_curve(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("time,survival\n-0.0143,1.004\n1,1\n1,0.8\n4,0.8\n4,0.6\n")
    (tmp_path / "study.yaml").write_text(
        "id: t\ntitle: t\ntime_unit: months\narms: [{id: A, n: 10}]\n"
        "endpoints:\n  PFS:\n    arms:\n      A:\n        curve: a.csv\n"
        "        at_risk: {times: [0, 3, 6], n: [10, 8, 4]}\n"
    )
    assert main(["reconstruct", str(tmp_path / "study.yaml"), "-o", str(tmp_path / "o.csv")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("PFS A: Guyot: numbers at risk;")
    assert "  cleaning: 1 survival values clipped to [0, 1]" in err
    assert "  cleaning: 1 times below 0 set to 0" in err
    assert any(
        line.startswith("  note: the curve's last click is at 4, before the at-risk table's time 6")
        for line in err
    )


def test_reconstruct_to_stdout_with_endpoint(capsys):
    assert main(["reconstruct", str(EXAMPLE), "--endpoint", "rearrest"]) == 0
    assert capsys.readouterr().out.startswith("arm,time,event\n")


def test_several_endpoints_get_an_endpoint_column(tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text())
    data["endpoints"]["copy"] = data["endpoints"]["rearrest"]
    for arm in data["endpoints"]["copy"]["arms"].values():
        arm["curve"]["file"] = str(EXAMPLE.parent / arm["curve"]["file"])
    study = tmp_path / "two.yaml"
    study.write_text(yaml.safe_dump(data))
    out = tmp_path / "ipd.csv"
    assert main(["reconstruct", str(study), "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "endpoint,arm,time,event" and len(lines) == 1 + 2 * 432


def test_bad_input_exits_2_with_one_line(tmp_path, capsys):
    data = yaml.safe_load(EXAMPLE.read_text())
    data["endpoints"]["rearrest"]["arms"]["aid"]["at_risk"]["n"][3] = 999
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data))
    (tmp_path / "figure_wpd.csv").write_text((EXAMPLE.parent / "figure_wpd.csv").read_text())
    out = tmp_path / "ipd.csv"
    assert main(["reconstruct", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "bad.yaml: endpoints.rearrest.arms.aid.at_risk.n[3]: 999 exceeds the arm size" in err
    assert not out.exists()


def test_unknown_endpoint_and_study(capsys):
    assert main(["reconstruct", str(EXAMPLE), "--endpoint", "OS"]) == 2
    assert "no endpoint 'OS' (endpoints: rearrest)" in capsys.readouterr().err
    assert main(["reconstruct", "no-such-study"]) == 2
    assert "no catalog study with this id" in capsys.readouterr().err


def test_never_writes_over_an_input(tmp_path, capsys):
    study = tmp_path / "study.yaml"
    study.write_text(EXAMPLE.read_text())
    (tmp_path / "figure_wpd.csv").write_text((EXAMPLE.parent / "figure_wpd.csv").read_text())
    before = study.read_text()
    assert main(["reconstruct", str(study), "-o", str(study)]) == 2
    assert study.read_text() == before
    assert main(["reconstruct", str(study), "-o", str(tmp_path / "figure_wpd.csv")]) == 2
    assert "refusing to write over an input file" in capsys.readouterr().err


def test_catalog_id_from_summaries_writes_both_endpoints(tmp_path, capsys):
    out = tmp_path / "ipd.csv"
    assert main(["reconstruct", "niu-2026-krd-vs-vrd", "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "endpoint,arm,time,event"
    assert len(lines) == 1 + 2 * (42 + 38)
    assert sum(line.startswith("OS,VRd,") for line in lines) == 38
    err = capsys.readouterr().err
    assert "PFS KRd: synthesis from reported summaries; n = 42" in err


def test_hr_blind_flag_changes_the_reconstruction(tmp_path):
    informed, blind = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["reconstruct", "niu-2026-krd-vs-vrd", "-e", "PFS", "-o", str(informed)]) == 0
    assert (
        main(["reconstruct", "niu-2026-krd-vs-vrd", "-e", "PFS", "--hr-blind", "-o", str(blind)])
        == 0
    )
    assert informed.read_text() != blind.read_text()


@pytest.mark.parametrize("args", [["--version"], ["reconstruct", "--help"]])
def test_console_script_runs(args):
    proc = subprocess.run(
        [sys.executable, "-m", "mmsurv.cli", *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert "mmsurv" in proc.stdout or "usage" in proc.stdout


def test_audit_command_exits_1_on_errors_and_prints_findings(capsys):
    assert main(["audit", "niu-2026-krd-vs-vrd"]) == 1
    out = capsys.readouterr().out
    assert "events_from_ci" in out and "ERROR" in out


def test_audit_command_json_and_clean_study(capsys):
    import json

    assert main(["audit", "pollux-2016-pfs-primary", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["study"] == "pollux-2016-pfs-primary"
    assert all(f["severity"] != "error" for f in data[0]["findings"])


TRIALS = [
    "MAIA", "ALCYONE", "POLLUX", "CASTOR", "CANDOR", "CASSIOPEIA", "ELOQUENT-2", "ELOQUENT-3",
    "ICARIA-MM", "IKEMA", "BOSTON", "BELLINI", "TOURMALINE-MM1", "TOURMALINE-MM2", "ASPIRE",
    "ENDEAVOR",
]  # fmt: skip


def test_catalog_list_shows_the_cohort_and_the_trials(capsys):
    assert main(["catalog", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("niu-2026-krd-vs-vrd | ") and "KRd 42" in line for line in lines)
    titles = " ".join(line.split(" | ")[1] for line in lines)
    assert all(trial in titles for trial in TRIALS)


def test_catalog_show_prints_numbers_and_sources(capsys):
    assert main(["catalog", "show", "niu-2026-krd-vs-vrd"]) == 0
    out = capsys.readouterr().out
    assert "source: Niu J" in out and "HR 0.712 (0.95 CI 0.583-0.874)" in out
    assert main(["catalog", "show"]) == 2


def test_user_catalog_folder(tmp_path, capsys):
    data = yaml.safe_load(EXAMPLE.read_text())
    data["id"] = "my-study"
    for arm in data["endpoints"]["rearrest"]["arms"].values():
        arm["curve"]["file"] = str(EXAMPLE.parent / arm["curve"]["file"])
    (tmp_path / "my-study.yaml").write_text(yaml.safe_dump(data))
    assert main(["--catalog", str(tmp_path), "catalog", "list"]) == 0
    assert "my-study | " in capsys.readouterr().out
    assert main(["--catalog", str(tmp_path / "nope"), "catalog", "list"]) == 2


# --------------------------------------------------------------------------- analyze, check

NIU = "niu-2026-krd-vs-vrd"
ICARIA = "icaria-mm-2019-pfs-os-primary"  # OS: nothing to rebuild from


def test_analyze_shows_both_endpoints_published_and_reconstructed(capsys):
    assert main(["analyze", NIU]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{NIU}: published vs reconstructed (HR-informed)"
    assert out[1].split() == [
        "endpoint", "arm", "quantity", "published", "reconstructed", "abs_diff", "rel_diff"
    ]  # fmt: skip
    hr = {cells[0]: cells[2] for cells in map(str.split, out) if cells[1:3] != ["HR", "CI"]
          and cells[1:2] == ["HR"]}  # fmt: skip
    assert hr == {"PFS": "0.712", "OS": "0.627"}
    assert {line.split()[0] for line in out[3:]} == {"PFS", "OS"}


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_analyze_formats(capsys, fmt):
    import json

    assert main(["analyze", NIU, "--endpoint", "OS", "--format", fmt, "--hr-blind"]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        rows = json.loads(out)
        assert {r["endpoint"] for r in rows} == {"OS"}
        assert [r["published"] for r in rows if r["quantity"] == "HR"] == [0.627]
    elif fmt == "csv":
        assert out.startswith("endpoint,arm,quantity,published,reconstructed,abs_diff,rel_diff\n")
    else:
        assert out.startswith("| endpoint | arm | quantity |") and "| OS |" in out


def test_analyze_goes_on_past_an_endpoint_it_cannot_reconstruct(capsys):
    assert main(["analyze", ICARIA]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"mmsurv: {ICARIA} OS: not reconstructed: ")
    assert "no point of this arm's curve is reported" in captured.err
    assert "PFS" in captured.out and "\nOS " not in captured.out
    assert main(["analyze", ICARIA, "--endpoint", "OS"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "endpoints.OS.arms.Isa-Pd: no point of" in err


@pytest.fixture
def niu_without_notes(tmp_path):
    """The carfilzomib cohort without the check notes of its catalog entry."""
    data = yaml.safe_load(load_study(NIU).model_dump_json(exclude_none=True))
    data.pop("check")
    path = tmp_path / "niu.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def test_check_prints_a_line_per_miss_and_exits_1(capsys, niu_without_notes):
    assert main(["check", niu_without_notes, "--endpoint", "PFS"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{NIU} PFS HR CI lower: published 0.583, reconstructed ")
    assert any(line.startswith(f"{NIU} PFS p: published <0.001, reconstructed ") for line in out)
    assert out[-1].startswith("check of 1 study: 7 published numbers: ")
    assert out[-1].endswith("FAILED")


def test_check_of_the_catalog_entry_reports_its_notes_and_passes(capsys):
    assert main(["check", NIU, "--endpoint", "PFS"]) == 0
    out = capsys.readouterr().out
    assert f"{NIU} PFS HR CI lower: published 0.583" in out and "; noted: " in out
    assert out.rstrip().endswith("passed")


def test_check_of_several_studies_with_tolerances(capsys, niu_without_notes):
    wide = ["-t", "hr_ci=1", "-t", "p=2", "--tolerance", "chi2=2"]
    args = ["check", niu_without_notes, "pollux-2016-pfs-primary", *wide, "-e", "PFS"]
    assert main(args) in (0, 1)
    out = capsys.readouterr().out
    assert f"{NIU}: tolerance hr_ci = 1 (default 0.05; override)" in out
    assert "check of 2 studies: " in out
    assert main(["check", niu_without_notes, *wide]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-t", "hrr=1"], "--tolerance: 'hrr=1': unknown tolerance 'hrr'"),
        (["-t", "hr=-1"], "--tolerance: 'hr=-1': '-1' is not a number >= 0"),
        (["-e", "DFS"], "no endpoint 'DFS' (endpoints: PFS, OS)"),
    ],
)
def test_check_bad_arguments_exit_2(capsys, args, message):
    assert main(["check", NIU, *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_check_notes_in_the_study_file(tmp_path, capsys):
    data = yaml.safe_load((ROOT / "src" / "mmsurv" / "catalog" / f"{NIU}.yaml").read_text())
    reason = "95% CIs too narrow for 80 patients; p below the log-rank chi-square's"
    data["check"] = {
        "notes": [
            {"endpoint": ep, "quantity": q, "reason": reason}
            for ep in ("PFS", "OS")
            for q in ("HR CI lower", "HR CI upper", "p", "log-rank chi2")
        ]
    }
    study = tmp_path / "niu.yaml"
    study.write_text(yaml.safe_dump(data))
    assert main(["check", str(study)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 9 and all(line.endswith(f"; noted: {reason}") for line in out[:8])
    assert out[-1] == (
        "check of 1 study: 14 published numbers: 6 within tolerance, 0 missed, 8 noted; passed"
    )
    data["check"]["notes"].append(
        {"endpoint": "PFS", "arm": "KRd", "quantity": "median", "reason": "x"}
    )
    study.write_text(yaml.safe_dump(data))
    assert main(["check", str(study)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{NIU} PFS KRd median: stale note check.notes[8]: published 14, reconstructed 14 " in out
    )


@pytest.mark.parametrize(
    ("note", "field"),
    [
        ({"endpoint": "DFS", "reason": "r"}, "check.notes[0].endpoint: no endpoint 'DFS'"),
        (
            {"endpoint": "PFS", "arm": "Kd", "reason": "r"},
            "check.notes[0].arm: PFS reports no arm 'Kd'",
        ),
        (
            {"endpoint": "PFS", "quantity": "HR CI", "reason": "r"},
            "check.notes[0].quantity: 'HR CI'",
        ),
    ],
)
def test_check_bad_note_fields_exit_2_naming_the_field(tmp_path, capsys, note, field):
    data = yaml.safe_load((ROOT / "src" / "mmsurv" / "catalog" / f"{NIU}.yaml").read_text())
    data["check"] = {"notes": [note]}
    study = tmp_path / "bad.yaml"
    study.write_text(yaml.safe_dump(data))
    assert main(["check", str(study)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"bad.yaml: {field}" in err


# --------------------------------------------------------------------------- plot, compare


def test_plot_writes_one_figure_per_endpoint_asked(tmp_path, capsys):
    out = tmp_path / "km.png"
    assert main(["plot", "niu-2026-krd-vs-vrd", "--endpoint", "PFS", "-o", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert capsys.readouterr().out.strip() == f"written: {out}"


def test_plot_of_several_endpoints_and_studies_is_a_panel(tmp_path):
    from PIL import Image

    one = tmp_path / "one.png"
    both = tmp_path / "both.png"
    assert main(["plot", "niu-2026-krd-vs-vrd", "--endpoint", "PFS", "-o", str(one)]) == 0
    assert main(["plot", "niu-2026-krd-vs-vrd", "-o", str(both)]) == 0
    with Image.open(both) as wide, Image.open(one) as narrow:
        assert wide.size[0] > narrow.size[0]
    svg = tmp_path / "panel.svg"
    args = ["plot", "pollux-2016-pfs-primary", "aspire-2015-pfs-os-primary", "-e", "PFS"]
    assert main([*args, "-o", str(svg)]) == 0
    assert b"<svg" in svg.read_bytes()[:400]


def test_plot_refuses_a_bad_format_and_an_input_file(tmp_path, capsys):
    assert main(["plot", "niu-2026-krd-vs-vrd", "-o", str(tmp_path / "km.gif")]) == 2
    assert "unsupported figure format '.gif'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
    study = Path(__file__).resolve().parents[1] / "examples" / "rossi" / "study.yaml"
    before = study.read_bytes()
    assert main(["plot", str(study), "-o", str(study)]) == 2
    assert "refusing to write over an input file" in capsys.readouterr().err
    assert study.read_bytes() == before


def test_compare_prints_the_table_and_writes_the_forest_plot(tmp_path, capsys):
    out = tmp_path / "forest.pdf"
    ids = ["pollux-2016-pfs-primary", "aspire-2015-pfs-os-primary"]
    assert main(["compare", *ids, "--endpoint", "PFS", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "POLLUX" in text and "ASPIRE" in text and "HR 0.37" in text
    assert "D-Rd vs KRd through Rd" in text
    assert "not randomised" in text
    assert out.read_bytes()[:5] == b"%PDF-"


def test_compare_curves_draws_one_arm_per_study(tmp_path, capsys):
    out = tmp_path / "rd.png"
    ids = ["maia-2019-pfs-primary", "pollux-2016-pfs-primary", "majestec-1-2022-pfs-primary"]
    args = ["compare", *ids, "-e", "PFS", "--curves", str(out), "--arm", "Rd"]
    assert main([*args, "--arm", "Rd", "--arm", "Tec"]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    text = capsys.readouterr().out
    assert "PFS: one arm from each of 3 studies" in text
    assert "majestec-1-2022-pfs-primary: no published PFS hazard ratio; curves only" in text
    assert "PFS: 2 studies" in text and "HR 0.56" in text  # the HR table of the other two
    assert text.count("Cross-trial comparisons are not randomised") == 2
    assert f"written: {out}" in text


def test_compare_puts_a_single_arm_study_beside_control_arms_without_hr(tmp_path, capsys):
    ids = ["bcma-car-t-phase1-pfs-os", "majestec-1-2022-pfs-primary", "eloquent-3-2018-pfs-primary"]
    assert main(["compare", *ids, "-e", "PFS"]) == 0  # no --curves needed: the arms table
    text = capsys.readouterr().out
    assert "PFS: one arm from each of 3 studies" in text
    assert "bcma-car-t-phase1-pfs-os: no published PFS hazard ratio; arms table only" in text
    assert "Single-arm: bcma-car-t-phase1-pfs-os, majestec-1-2022-pfs-primary" in text
    assert "PFS: 1 study" in text and "ELOQUENT-3: EPd vs Pd" in text  # its own trial's HR
    assert "BCMA" not in text.split("PFS: 1 study")[1]  # the single arm joins no HR
    assert text.count("Cross-trial comparisons are not randomised") == 2
    out = tmp_path / "car-t.png"
    assert main(["compare", *ids, "-e", "PFS", "--curves", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "no published PFS hazard ratio; curves only" in capsys.readouterr().out


def test_compare_curves_refusals(tmp_path, capsys):
    out = tmp_path / "same.png"
    ids = ["maia-2019-pfs-primary", "tourmaline-mm1-2016-pfs-primary"]
    assert main(["compare", *ids, "-e", "PFS", "--curves", str(out), "-o", str(out)]) == 2
    assert "-o and --curves name the same file" in capsys.readouterr().err
    assert main(["compare", *ids, "-e", "PFS", "--curves", str(out), "--arm", "Rd"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "tourmaline-mm1-2016-pfs-primary.yaml: endpoints.PFS.arms: no arm 'Rd'" in err
    single = ["majestec-1-2022-pfs-primary"]
    assert main(["compare", *single, "-e", "PFS", "--arm", "Tec", "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert "no study reports a PFS hazard ratio" in captured.err and not captured.out
    assert not list(tmp_path.iterdir())


def test_compare_needs_an_endpoint_the_studies_report(capsys):
    assert main(["compare", "niu-2026-krd-vs-vrd", "--endpoint", "EFS"]) == 2
    assert "no endpoint 'EFS'" in capsys.readouterr().err


def test_output_files_are_created_like_any_new_file(tmp_path, capsys):
    """-o and --junit follow the umask (0644 under 022), as figures do, not 0600."""
    import os

    old = os.umask(0o022)
    try:
        ipd, junit, fig = tmp_path / "ipd.csv", tmp_path / "check.xml", tmp_path / "km.png"
        assert (
            main(["reconstruct", "niu-2026-krd-vs-vrd", "--endpoint", "PFS", "-o", str(ipd)]) == 0
        )
        main(["check", "niu-2026-krd-vs-vrd", "--junit", str(junit)])
        assert main(["plot", "niu-2026-krd-vs-vrd", "--endpoint", "PFS", "-o", str(fig)]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    assert [p.stat().st_mode & 0o777 for p in (ipd, junit, fig)] == [0o644] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["check.xml", "ipd.csv", "km.png"]
