"""Re-analysis of the carfilzomib cohort: reconstruct, re-plot, audit and analyze.

Niu et al. (West China Med J 2026) compared carfilzomib-Rd (n = 42) with bortezomib-Rd
(n = 38) in relapsed/refractory myeloma and printed medians, adjusted HRs with CIs, a
log-rank chi-square and an 18-month follow-up, without a usable figure. This script

1. audits the printed numbers against each other (``mmsurv audit``);
2. rebuilds both arms of PFS and OS from the summaries, honouring the published HRs;
3. analyses the rebuilt patients and puts every published number beside its value;
4. re-plots both Kaplan-Meier figures with numbers at risk.

    python examples/carfilzomib_cohort.py [--out docs/figures]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import mmsurv
from mmsurv.analysis import analyze_endpoint
from mmsurv.plotting import plot_km, save_figure
from mmsurv.published import format_table, published_vs_reconstructed

STUDY = "niu-2026-krd-vs-vrd"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "figures"


def main(argv: list[str] | None = None) -> list[Path]:
    """Run the re-analysis; returns the figures written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the figures")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    study = mmsurv.load_study(STUDY)
    print(mmsurv.audit(study).to_text(), end="\n\n")

    written = []
    for endpoint in ("PFS", "OS"):
        ipd, report = mmsurv.reconstruct(study, endpoint)
        print(report, end="\n\n")
        ipd, result = analyze_endpoint(study, endpoint)
        print(format_table(published_vs_reconstructed(study, endpoint, result)), end="\n\n")
        figure = plot_km(result, ipd=ipd, study=study, endpoint=endpoint)
        written.append(save_figure(figure, args.out / f"{STUDY}-{endpoint.lower()}.png"))
    for path in written:
        print(f"written: {path}")
    return written


if __name__ == "__main__":
    main()
