"""The anti-CD38 phase III trials side by side: a panel of PFS curves and a forest plot.

Daratumumab (MAIA, ALCYONE, POLLUX, CASTOR, CANDOR) and isatuximab (IKEMA, ICARIA-MM)
were each tested against a different backbone, so their hazard ratios answer different
questions. This script rebuilds the PFS of every trial from the catalog (published
summaries, HR-informed), draws the curves in one panel, and puts the published and
reconstructed HRs in a forest plot with the pooled estimates and the Bucher indirect
comparisons the catalog allows (trials sharing a control arm). Cross-trial comparisons
are not randomised: read them as hypotheses.

    python examples/anti_cd38_trials.py [--out docs/figures]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import mmsurv
from mmsurv.analysis import analyze_endpoint
from mmsurv.meta import compare_studies
from mmsurv.plotting import KMPanel, plot_forest, plot_panel, save_figure

TRIALS = {
    "maia-2019-pfs-primary": "MAIA (D-Rd vs Rd)",
    "alcyone-2018-pfs-primary": "ALCYONE (D-VMP vs VMP)",
    "pollux-2016-pfs-primary": "POLLUX (D-Rd vs Rd)",
    "castor-2016-pfs-primary": "CASTOR (D-Vd vs Vd)",
    "candor-2020-pfs-primary": "CANDOR (KdD vs Kd)",
    "ikema-2023-pfs-final": "IKEMA (Isa-Kd vs Kd)",
    "icaria-mm-2019-pfs-os-primary": "ICARIA-MM (Isa-Pd vs Pd)",
}
ENDPOINT = "PFS"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "figures"


def _panel(study_id: str, title: str) -> KMPanel:
    study = mmsurv.load_study(study_id)
    ipd, result = analyze_endpoint(study, ENDPOINT)
    labels = {arm.id: arm.id for arm in study.arms}
    return KMPanel(result, ipd=ipd, study=study, endpoint=ENDPOINT, labels=labels, title=title)


def main(argv: list[str] | None = None) -> list[Path]:
    """Draw the panel and the forest plot; returns the figures written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the figures")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    panel = plot_panel(
        [_panel(study_id, title) for study_id, title in TRIALS.items()],
        ncols=4,
        sharex=False,
        title="Anti-CD38 phase III trials: reconstructed PFS (cross-trial comparisons are "
        "not randomised)",
    )
    comparison = compare_studies(list(TRIALS), ENDPOINT)
    print(comparison)
    rows = comparison.table(ci_level=0.95)
    rows["label"] = [TRIALS[study_id] for study_id in rows["study_id"]]
    forest = plot_forest(
        rows,
        pooled=comparison.pooled(),
        title="Anti-CD38 trials, PFS: published and reconstructed HRs",
    )
    written = [
        save_figure(panel, args.out / "anti-cd38-pfs-panel.png"),
        save_figure(forest, args.out / "anti-cd38-pfs-forest.png"),
    ]
    for path in written:
        print(f"written: {path}")
    return written


if __name__ == "__main__":
    main()
