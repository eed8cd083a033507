"""Every Rd control arm of the catalog on one axis: how the comparator behaved by trial.

Lenalidomide-dexamethasone (Rd) was the control arm of MAIA and TOURMALINE-MM2 (newly
diagnosed, transplant-ineligible) and of POLLUX, ASPIRE, ELOQUENT-2 and TOURMALINE-MM1
(relapsed/refractory). This script rebuilds the PFS of each trial's Rd arm from the
published summaries (HR-informed, as for re-plotting), prints the reported beside the
reconstructed medians and events, and draws the arms on one axis. The arms were never
randomised against each other: newly diagnosed and relapsed patients, different eras and
follow-up. The gap between MAIA and POLLUX is the disease setting, not the Rd.

    python examples/rd_control_arms.py [--out docs/figures]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mmsurv.crosstrial import cross_trial_arms
from mmsurv.plotting import plot_arms, save_figure

#: Study id -> the id of its Rd control arm (placebo-Rd in the ixazomib trials).
RD_ARMS = {
    "maia-2019-pfs-primary": "Rd",
    "tourmaline-mm2-2021-pfs-primary": "Placebo-Rd",
    "pollux-2016-pfs-primary": "Rd",
    "aspire-2015-pfs-os-primary": "Rd",
    "eloquent-2-2015-pfs-primary": "Rd",
    "tourmaline-mm1-2016-pfs-primary": "Placebo-Rd",
}
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "figures"


def main(argv: list[str] | None = None) -> list[Path]:
    """Print the table and draw the figure; returns the figure written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the figure")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    arms = cross_trial_arms(list(RD_ARMS), "PFS", list(RD_ARMS.values()))
    print(arms)
    figure = plot_arms(arms, title="PFS of the Rd control arms (reconstructed from summaries)")
    written = [save_figure(figure, args.out / "rd-control-arms-pfs.png")]
    for path in written:
        print(f"written: {path}")
    return written


if __name__ == "__main__":
    main()
