"""Hostile command lines and study files: one line and exit 2, never a traceback, a hang
or a device overwritten."""

import os
import stat
import time
from pathlib import Path

import pytest

from mmsurv import cli
from mmsurv._yaml_loader import safe_load
from mmsurv.cli import main
from mmsurv.errors import InputError
from mmsurv.study import load_study

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "rossi" / "study.yaml"

SMALL = """\
id: small
arms: [{id: A, n: 20}]
endpoints:
  PFS:
    follow_up: {max: 24}
    arms:
      A: {median: 10}
"""


def one_error_line(capsys, *parts):
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("mmsurv: error: ")]
    assert len(errors) == 1 and "Traceback" not in err, err
    for part in parts:
        assert part in err, err
    return err


def test_dash_is_standard_output(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["reconstruct", str(EXAMPLE), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("arm,time,event\n")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("target", ["folder", "device", "empty"])
def test_output_that_is_not_a_file_is_refused(tmp_path, capsys, target):
    path = {"folder": str(tmp_path), "device": os.devnull, "empty": ""}[target]
    assert main(["reconstruct", str(EXAMPLE), "-o", path]) == 2
    one_error_line(capsys)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # the device is still a device
    assert main(["check", str(EXAMPLE), "--junit", path]) == 2
    one_error_line(capsys)


def test_a_symlink_to_a_device_is_not_replaced(tmp_path, capsys):
    link = tmp_path / "out.csv"
    link.symlink_to(os.devnull)
    assert main(["reconstruct", str(EXAMPLE), "-o", str(link)]) == 2
    one_error_line(capsys, "not a regular file")
    assert link.is_symlink() and stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_figures_refuse_standard_output_and_devices(capsys):
    assert main(["plot", str(EXAMPLE), "-o", "-"]) == 2
    one_error_line(capsys, "name a file")
    assert main(["plot", str(EXAMPLE), "-o", os.devnull]) == 2
    one_error_line(capsys, "not a regular file")


def test_unwritable_place_is_one_line(capsys):
    assert main(["reconstruct", str(EXAMPLE), "-o", "/proc/mmsurv-out.csv"]) == 2
    one_error_line(capsys, "/proc/mmsurv-out.csv")


def test_output_gets_the_usual_mode(tmp_path):
    out = tmp_path / "ipd.csv"
    old = os.umask(0o022)
    try:
        assert main(["reconstruct", str(EXAMPLE), "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o600)  # a file replaced keeps its mode
        assert main(["reconstruct", str(EXAMPLE), "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == ["ipd.csv"]


def test_ctrl_c_is_one_line_and_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_cmd_audit", interrupted)
    assert main(["audit", str(EXAMPLE)]) == 130
    assert capsys.readouterr().err == "mmsurv: interrupted\n"


# --------------------------------------------------------------------------- YAML


def test_duplicate_key_names_the_key_and_line(tmp_path, capsys):
    study = tmp_path / "dup.yaml"
    study.write_text(SMALL + "      A: {median: 12}\n")
    assert main(["reconstruct", str(study)]) == 2
    one_error_line(capsys, "line 8: duplicate key 'A' (first given at line 7)")


def test_merge_keys_may_be_overridden():
    data = safe_load("base: &b {median: 10, events: 12}\narm: {<<: *b, median: 11}\n")
    assert data["arm"] == {"median": 11, "events": 12}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: " + "[" * 600 + "]" * 600 + "\n", "line 1: nested deeper than"),
        ("a: &a [1, *a]\n", "line 1: an alias refers to itself"),
        ("!!python/object/apply:os.system ['true']\n", "line 1: could not determine"),
    ],
)
def test_hostile_yaml_is_one_line(tmp_path, capsys, text, problem):
    study = tmp_path / "hostile.yaml"
    study.write_text(text)
    assert main(["reconstruct", str(study)]) == 2
    one_error_line(capsys, f"hostile.yaml: {problem}")


def test_alias_bomb_is_refused_quickly(tmp_path, capsys):
    lines = ["a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    lines += ["id: x", "arms: [{id: A, n: 10}]", "endpoints: {PFS: {arms: {A: {curve: *a11}}}}"]
    study = tmp_path / "bomb.yaml"
    study.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    assert main(["reconstruct", str(study)]) == 2
    assert time.perf_counter() - start < 5
    one_error_line(capsys, "expands to more than")


def test_scalar_aliases_still_work(tmp_path):
    study = tmp_path / "ok.yaml"
    study.write_text(SMALL.replace("n: 20", "n: &n 20").replace("max: 24", "max: &m 24"))
    assert load_study(study).arm("A").n == 20


def test_non_utf8_study_names_the_encoding(tmp_path, capsys):
    study = tmp_path / "latin.yaml"
    study.write_bytes(SMALL.replace("small", "small\ntitle: caf\xe9").encode("cp1252"))
    assert main(["audit", str(study)]) == 2
    one_error_line(capsys, "save the file as UTF-8")


def test_utf16_study_is_read(tmp_path):
    study = tmp_path / "utf16.yaml"
    study.write_text(SMALL, encoding="utf-16")
    assert load_study(study).arm("A").n == 20


def test_save_figure_never_replaces_a_device(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mmsurv.plotting import save_figure

    link = tmp_path / "km.png"
    link.symlink_to(os.devnull)
    fig = plt.figure()
    try:
        with pytest.raises(InputError, match="not a regular file"):
            save_figure(fig, link)
    finally:
        plt.close(fig)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode) and link.is_symlink()
