"""Write the example study: a digitized figure of a real trial, with its numbers at risk.

The Rossi recidivism experiment (Rossi, Berk & Lenihan 1980; shipped with lifelines)
randomized 432 released prisoners to financial aid or none and followed them for 52
weeks. This script makes what a paper would print about it: the Kaplan-Meier curve of
each arm clicked with a digitizer's error (exported as WebPlotDigitizer does, both
curves in one file), the numbers at risk under the figure and the events per arm. The
output is committed; rerunning the script reproduces it byte for byte.

    python examples/rossi/make_study.py
"""

from pathlib import Path

import numpy as np

from mmsurv.validation import paper_view, real_datasets

HERE = Path(__file__).parent
IDS = {"financial aid": "aid", "no aid": "no_aid"}


def main() -> None:
    data = real_datasets()["rossi"]
    view = paper_view(data)
    clicks = {IDS[label]: arm.clicks for label, arm in view.items()}
    rows = max(c.shape[0] for c in clicks.values())
    lines = [",,".join(clicks) + ",", ",".join(["X,Y"] * len(clicks))]
    for i in range(rows):
        cells = []
        for c in clicks.values():
            cells += [f"{c[i, 0]:.4f}", f"{c[i, 1]:.4f}"] if i < c.shape[0] else ["", ""]
        lines.append(",".join(cells))
    (HERE / "figure_wpd.csv").write_text("\n".join(lines) + "\n")

    arms, results = [], []
    for label, arm in view.items():
        arm_id = IDS[label]
        arms.append(f"  - {{id: {arm_id}, label: {label}, n: {arm.n}}}")
        times = ", ".join(f"{t:g}" for t in arm.at_risk["times"])
        counts = ", ".join(str(n) for n in arm.at_risk["n"])
        results.append(
            f"      {arm_id}:\n"
            f"        events: {arm.total_events}\n"
            f"        curve: {{file: figure_wpd.csv, dataset: {arm_id}}}\n"
            f"        at_risk: {{times: [{times}], n: [{counts}]}}"
        )
    t, _ = data.arm("financial aid")
    text = "\n".join(
        [
            "# Written by make_study.py from the Rossi recidivism data (lifelines): the clicks",
            "# carry a simulated digitizer error; numbers at risk and events are exact.",
            "id: rossi-1980-financial-aid",
            "title: Financial aid and re-arrest of released prisoners (Rossi et al. 1980)",
            "design: randomized experiment",
            "source:",
            '  citation: "Rossi PH, Berk RA, Lenihan KJ. Money, Work, and Crime: Some '
            'Experimental Results. Academic Press 1980"',
            "time_unit: weeks",
            "arms:",
            *arms,
            "endpoints:",
            "  rearrest:",
            f"    follow_up: {{max: {np.max(t):g}}}",
            "    arms:",
            *results,
            "",
        ]
    )
    (HERE / "study.yaml").write_text(text)


if __name__ == "__main__":
    main()
