import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mmsurv.cli import main

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
    assert len(err) == 2 and "events 48 (reported 48)" in err[0]


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
]


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
