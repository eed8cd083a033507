"""The ``mmsurv`` command.

Bad input exits with status 2 and one line naming the file, the field and the problem.
Output files are written whole (to a temporary file, then renamed) or not at all, and
never over an input file.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._output import check_output, write_text
from .errors import InputError

__all__ = ["main"]


def _inputs_of(study) -> list[Path]:
    """Files a study was read from (the YAML and its curve and at-risk CSVs)."""
    paths = []
    if study.path:
        base = Path(study.path).parent
        paths.append(Path(study.path))
        for ep in study.endpoints.values():
            for res in ep.arms.values():
                for part in (res.curve, res.at_risk):
                    if part is not None and part.source:
                        paths.append(base / part.source)
    return paths


def _endpoints(study, requested: str | None) -> list[str]:
    if requested is None:
        return list(study.endpoints)
    study.endpoint(requested)  # raises with the list of names
    return [requested]


def _ipd_csv(blocks: list[tuple[str, list[dict]]], with_endpoint: bool, with_draw: bool) -> str:
    """The IPD of each endpoint's draws (one draw without ``--draws``) as CSV."""
    out = io.StringIO()
    out.write(("draw," if with_draw else "") + ("endpoint," if with_endpoint else ""))
    out.write("arm,time,event\n")
    for endpoint, sets in blocks:
        for k, arms in enumerate(sets):
            prefix = (f"{k}," if with_draw else "") + (f"{endpoint}," if with_endpoint else "")
            for arm_id, arm in arms.items():
                lines = [
                    f"{prefix}{arm_id},{t:.10g},{int(e)}\n"
                    for t, e in zip(arm.time.tolist(), arm.event.tolist(), strict=True)
                ]
                out.writelines(lines)
    return out.getvalue()


def _cmd_reconstruct(args: argparse.Namespace) -> int:
    from .draws import draw_arrays
    from .study import load_study

    study = load_study(args.study)
    if args.output is not None:
        check_output(args.output, _inputs_of(study))
    names = _endpoints(study, args.endpoint)
    blocks = []
    for name in names:
        if args.endpoint is None and not study.endpoints[name].arms:
            print(f"{name}: skipped (no arm reports anything)", file=sys.stderr)
            continue
        sets, report = draw_arrays(
            study, name, args.draws or 1, seed=args.seed, hr_blind=args.hr_blind
        )
        for line in report.summary_lines():
            print(line, file=sys.stderr)
        blocks.append((name, sets))
    if not blocks:
        raise InputError("no endpoint reports anything to reconstruct", file=study.path)
    text = _ipd_csv(blocks, with_endpoint=len(names) > 1, with_draw=args.draws is not None)
    write_text("-" if args.output is None else args.output, text, _inputs_of(study))
    return 0


def _cmd_analyze(args: argparse.Namespace) -> int:
    from .pipeline import analyze_study
    from .published import format_table
    from .study import load_study

    study = load_study(args.study)
    table = analyze_study(study, args.endpoint, hr_blind=args.hr_blind)
    for name, problem in table.attrs["not_reconstructed"].items():
        print(f"mmsurv: {study.id} {name}: not reconstructed: {problem}", file=sys.stderr)
    for line in table.attrs["not_kept"]:
        print(f"mmsurv: {study.id} {line}", file=sys.stderr)
    if args.format == "text":
        mode = "HR-blind" if args.hr_blind else "HR-informed"
        print(f"{study.id}: published vs reconstructed ({mode})")
    print(format_table(table, args.format))
    if args.draws is not None:
        _print_draw_intervals(study, table, args)
    return 0


def _print_draw_intervals(study, table, args: argparse.Namespace) -> None:
    """The draws' interval of every reconstructed quantity, after the usual table."""
    import pandas as pd

    from .published import format_table
    from .uncertainty import draw_intervals

    frames = []
    for name in dict.fromkeys(table["endpoint"]):
        result = draw_intervals(study, name, args.draws, seed=args.seed, hr_blind=args.hr_blind)
        if args.format == "text":
            print()
            print(f"{study.id} " + "\n".join(result.lines()))
        frames.append(result.table().assign(endpoint=name))
    if args.format != "text":
        intervals = pd.concat(frames, ignore_index=True)
        print(format_table(intervals[["endpoint", *intervals.columns[:-1]]], args.format))


def _cmd_check(args: argparse.Namespace) -> int:
    from .check import junit_xml, parse_tolerances, summarize
    from .pipeline import check_study
    from .study import load_study

    tolerances = parse_tolerances(args.tolerance or [], hr_blind=args.hr_blind)
    if args.junit is not None:
        check_output(args.junit)  # before any work: a folder, a device, no such folder
    studies, results, errors = [], [], []
    for ref in args.studies:  # with --junit, a study that cannot be checked is reported too
        try:
            study = load_study(ref)
            studies.append(study)
            results.append(
                check_study(study, args.endpoint, tolerances=tolerances, hr_blind=args.hr_blind)
            )
        except InputError as exc:
            if args.junit is None:
                raise
            errors.append((ref, exc))
    if args.junit is not None:
        inputs = [path for study in studies for path in _inputs_of(study)]
        inputs += [Path(ref) for ref, _ in errors if Path(ref).is_file()]
        write_text(args.junit, junit_xml(results, errors), inputs)
    for result in results:
        for line in result.lines():
            print(line)
    print(
        f"check of {len(results)} stud{'y' if len(results) == 1 else 'ies'}: {summarize(results)}"
    )
    if args.draws is not None:
        for study in studies:
            _print_out_of_line(study, args)
    if errors:
        raise errors[0][1]
    return 0 if all(r.passed for r in results) else 1


def _print_out_of_line(study, args: argparse.Namespace) -> None:
    """Published numbers outside the draws' interval widened by their rounding: a
    complement to the tolerances, which alone set the exit status."""
    from .uncertainty import draw_intervals

    for name in _endpoints(study, args.endpoint):
        if not study.endpoints[name].arms:
            continue
        result = draw_intervals(study, name, args.draws, seed=args.seed, hr_blind=args.hr_blind)
        rows = [r for r in result.rows if r.out_of_line]
        print(
            f"{study.id} {name}: {len(rows)} published number(s) out of line with "
            f"{result.draws} draws (reconstruction uncertainty; a complement to the "
            "tolerances, not part of the exit status)"
        )
        for r in rows:
            print(
                f"  {r.quantity} {r.arm}: published {r.published:g}, draws [{r.lo:.4g}, {r.hi:.4g}]"
            )


def _protect(output: str, studies) -> None:
    """Refuse a figure path that is an input file or cannot be written safely."""
    inputs = [path for study in studies for path in _inputs_of(study)]
    check_output(output, inputs, stdout_ok=False)


def _cmd_plot(args: argparse.Namespace) -> int:
    from .draws import reconstruct_draws
    from .pipeline import analyze_endpoint
    from .plotting import KMPanel, plot_km, plot_panel, save_figure
    from .study import load_study

    studies = [load_study(ref) for ref in args.studies]
    panels = []
    for study in studies:
        for name in _endpoints(study, args.endpoint):
            if args.endpoint is None and not study.endpoints[name].arms:
                continue
            ipd, result = analyze_endpoint(study, name, hr_blind=args.hr_blind)
            band = None
            if args.draws is not None:
                band, _ = reconstruct_draws(
                    study, name, args.draws, seed=args.seed, hr_blind=args.hr_blind
                )
            panels.append(KMPanel(result, ipd=ipd, study=study, endpoint=name, band=band))
    if not panels:
        raise InputError("no endpoint reports anything to plot", file=studies[0].path)
    output = args.output or f"{studies[0].id if len(studies) == 1 else 'panel'}.png"
    _protect(output, studies)
    figure: Any
    if len(panels) == 1:
        figure = plot_km(
            panels[0].result,
            ipd=panels[0].ipd,
            study=studies[0],
            endpoint=panels[0].endpoint,
            band=panels[0].band,
        )
    else:
        figure = plot_panel(panels, ncols=min(len(panels), args.columns))
    print(f"written: {save_figure(figure, output)}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from .study import load_study

    studies = [load_study(ref) for ref in args.studies]
    outputs = [path for path in (args.output, args.curves) if path]
    for path in outputs:
        _protect(path, studies)
    if len(outputs) == 2 and Path(outputs[0]).resolve() == Path(outputs[1]).resolve():
        raise InputError("-o and --curves name the same file", file=args.curves)
    has_hr = [_has_hr(s, args.endpoint) for s in studies]
    # arms side by side when asked for, or when a study (single-arm) has no HR to compare
    with_arms = bool(args.curves or args.arm) or not all(has_hr)
    compared = studies
    if with_arms:  # the curves may include studies without a published HR
        compared = [s for s, hr in zip(studies, has_hr, strict=True) if hr]
    if args.output and not compared:
        raise InputError(
            f"no study reports a {args.endpoint} hazard ratio: no forest plot", file=args.output
        )
    if with_arms:
        _compare_arms(args, studies)
        shown = "curves only" if args.curves else "arms table only"
        for study in studies:
            if study not in compared:
                print(f"{study.id}: no published {args.endpoint} hazard ratio; {shown}")
    if compared:
        _compare_hrs(args, compared)
    return 0


def _has_hr(study, endpoint: str) -> bool:
    comp = study.endpoint(endpoint).comparison
    return comp is not None and comp.hr is not None


def _compare_arms(args: argparse.Namespace, studies) -> None:
    from .crosstrial import format_cross_trial
    from .pipeline import cross_trial_arms

    arms = cross_trial_arms(studies, args.endpoint, args.arm, hr_blind=args.hr_blind)
    print(format_cross_trial(arms))
    print()
    if args.curves:
        from .plotting import plot_arms, save_figure

        print(f"written: {save_figure(plot_arms(arms), args.curves)}")


def _compare_hrs(args: argparse.Namespace, studies) -> None:
    from .meta import format_comparison
    from .pipeline import compare_studies

    comparison = compare_studies(studies, args.endpoint, hr_blind=args.hr_blind, method=args.method)
    print(format_comparison(comparison))
    if args.output:
        from .plotting import plot_forest, save_figure

        figure = plot_forest(
            comparison, title=f"{args.endpoint}: published and reconstructed hazard ratios"
        )
        print(f"written: {save_figure(figure, args.output)}")


def _cmd_audit(args: argparse.Namespace) -> int:
    from ._audit import format_audit
    from .pipeline import audit

    reports = [audit(ref) for ref in args.studies]
    print(format_audit(reports, args.format))
    return 1 if any(r.has_errors for r in reports) else 0


def _cmd_catalog(args: argparse.Namespace) -> int:
    from .listing import catalog_line, describe
    from .pipeline import load_catalog
    from .study import load_study

    if args.action == "show":
        if not args.id:
            raise InputError("'catalog show' needs a study id (see 'mmsurv catalog list')")
        print(describe(load_study(args.id)))
        return 0
    if args.id:
        raise InputError("'catalog list' takes no id")
    for study in load_catalog():
        print(catalog_line(study))
    return 0


def _cmd_digitize(args: argparse.Namespace) -> int:
    from .digitizer import digitize

    result = digitize(
        args.figure, x_axis=args.x_axis, y_axis=args.y_axis, arms=args.arms, page=args.page
    )
    for warning in result.warnings:
        print(f"{args.figure}: warning: {warning}", file=sys.stderr)
    if args.time_unit is None and result.time_unit is None:
        print(
            f"{args.figure}: warning: no time unit read from the axis title: months "
            "assumed (give --time-unit)",
            file=sys.stderr,
        )
    sizes = {}
    if args.n:
        ids = [arm.id for arm in result.arms]
        if len(args.n) != len(ids):
            raise InputError(
                f"{len(args.n)} sizes for {len(ids)} curves ({', '.join(ids)})", field="--n"
            )
        sizes = dict(zip(ids, args.n, strict=True))
    study_id = "".join(c if c.isalnum() or c in "._-" else "-" for c in Path(args.figure).stem)
    written = result.save(
        args.output,
        study_id=study_id.strip("._-") or "digitized",
        endpoint=args.endpoint,
        time_unit=args.time_unit,
        n=sizes,
    )
    print(result.table().to_string(index=False))
    print(f"written: {written} (one curve CSV per arm, digitized.png)")
    return 0


def _whole_from(least: int):
    """An argparse type: a whole number of at least ``least``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{value} is below {least}")
        return value

    return parse


def _draw_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--draws", type=_whole_from(1), metavar="K", help=what)
    p.add_argument(
        "--seed", type=_whole_from(0), default=0, metavar="S", help="seed of the draws (default: 0)"
    )


def _parser() -> argparse.ArgumentParser:
    from . import __version__
    from .published import FORMATS

    parser = argparse.ArgumentParser(
        prog="mmsurv",
        description="Re-analyse published survival results: reconstruct individual patient "
        "data from Kaplan-Meier curves or reported summaries, refit, re-plot, audit, compare.",
    )
    parser.add_argument("--version", action="version", version=f"mmsurv {__version__}")
    parser.add_argument(
        "--catalog",
        action="append",
        metavar="DIR",
        help="a folder of study YAML files to add to the catalog (repeatable; also MMSURV_CATALOG)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("reconstruct", help="IPD of every arm of an endpoint (CSV)")
    p.add_argument("study", help="study YAML file or catalog id")
    p.add_argument("--endpoint", "-e", help="endpoint name (default: every endpoint)")
    p.add_argument("-o", "--output", help="CSV file to write (default: standard output)")
    p.add_argument(
        "--hr-blind",
        action="store_true",
        help="rebuild arms from summaries without the published HR (then the HR of the "
        "reconstruction checks the paper's)",
    )
    _draw_options(p, "plausible IPD sets, draw 0 the point reconstruction (a first column 'draw')")
    p.set_defaults(run=_cmd_reconstruct)

    p = sub.add_parser("analyze", help="published vs reconstructed numbers, side by side")
    p.add_argument("study", help="study YAML file or catalog id")
    p.add_argument("--endpoint", "-e", help="endpoint name (default: every endpoint)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--hr-blind", action="store_true", help="reconstruct without the published HR")
    _draw_options(
        p,
        "also the 95%% interval of every reconstructed number over K plausible IPD sets "
        "(reconstruction uncertainty, not sampling)",
    )
    p.set_defaults(run=_cmd_analyze)

    p = sub.add_parser(
        "check",
        help="exit 1 when a reconstruction misses a published number beyond its tolerance",
        description="Reconstruct each study, compare every published number with the "
        "reconstruction and print one line per miss. Exit 0 when everything is within "
        "tolerance (misses explained by the study's check: notes included), 1 otherwise.",
    )
    p.add_argument("studies", nargs="+", metavar="STUDY", help="study YAML files or catalog ids")
    p.add_argument("--endpoint", "-e", help="endpoint name (default: every endpoint)")
    p.add_argument(
        "--tolerance",
        "-t",
        action="append",
        metavar="NAME=VALUE",
        help="override a tolerance (repeatable): hr, hr_blind, hr_ci, median, median_ci, "
        "events, survival, survival_ci, p, chi2; a bare number is the HR tolerance "
        "(hr, or hr_blind with --hr-blind). Wins over the study file's check: block",
    )
    p.add_argument(
        "--hr-blind",
        action="store_true",
        help="reconstruct without the published HR: the HR is then a genuine check "
        "(tolerance hr_blind)",
    )
    p.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    _draw_options(
        p,
        "also list the published numbers outside the interval of K plausible IPD sets "
        "widened by their rounding (does not change the exit status)",
    )
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser(
        "audit", help="consistency findings of the reported numbers (exit 1 on an error)"
    )
    p.add_argument("studies", nargs="+", metavar="STUDY", help="study YAML files or catalog ids")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=_cmd_audit)

    p = sub.add_parser("plot", help="Kaplan-Meier figure with numbers at risk (PNG, SVG or PDF)")
    p.add_argument("studies", nargs="+", metavar="STUDY", help="study YAML files or catalog ids")
    p.add_argument("--endpoint", "-e", help="endpoint name (default: every endpoint)")
    p.add_argument("-o", "--output", help="figure file, .png/.svg/.pdf (default: <study id>.png)")
    p.add_argument("--columns", type=int, default=2, help="plots per row of a panel (default: 2)")
    p.add_argument("--hr-blind", action="store_true", help="reconstruct without the published HR")
    _draw_options(
        p,
        "also draw the pointwise 95%% band of the Kaplan-Meier curves of K plausible IPD "
        "sets (reconstruction uncertainty, not sampling)",
    )
    p.set_defaults(run=_cmd_plot)

    p = sub.add_parser(
        "compare", help="several trials side by side: HRs, pooled estimates, indirect comparisons"
    )
    p.add_argument("studies", nargs="+", metavar="ID", help="study YAML files or catalog ids")
    p.add_argument("--endpoint", "-e", required=True, help="endpoint name, e.g. PFS")
    p.add_argument("-o", "--output", help="forest plot to write (.png/.svg/.pdf)")
    p.add_argument(
        "--curves",
        metavar="FILE",
        help="also draw one arm of every study on one axis (.png/.svg/.pdf); a study "
        "without a published HR (single-arm) always joins the arms table",
    )
    p.add_argument(
        "--arm",
        action="append",
        metavar="ARM",
        help="arm id for --curves: once for every study (e.g. Rd) or once per study "
        "(default: each study's reference arm, or a single-arm study's only arm)",
    )
    p.add_argument(
        "--method",
        choices=["DL", "PM", "REML"],
        default="DL",
        help="between-trial variance for the random-effects estimate (default: DL)",
    )
    p.add_argument("--hr-blind", action="store_true", help="reconstruct without the published HR")
    p.set_defaults(run=_cmd_compare)

    p = sub.add_parser(
        "digitize",
        help="curves and numbers at risk of a Kaplan-Meier figure (PDF, SVG, PNG, JPEG) "
        "-> a study folder",
    )
    p.add_argument("figure", help="the figure: .pdf, .svg, .png, .jpg")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write")
    for axis in ("x", "y"):
        p.add_argument(
            f"--{axis}-axis",
            nargs=2,
            type=float,
            metavar=("START", "END"),
            help=f"values of the first and last {axis} tick marks (images: read by OCR "
            "with the ocr extra, else required)",
        )
    p.add_argument(
        "--arms",
        type=int,
        help="number of curves (PDF/SVG: the longest; images: the strongest colours)",
    )
    p.add_argument("--page", type=int, default=1, help="PDF page (default: 1)")
    p.add_argument(
        "--n",
        type=int,
        nargs="+",
        help="arm sizes, one per curve in the printed order "
        "(default: the at-risk table's first count)",
    )
    p.add_argument("--endpoint", default="survival", help="endpoint name (default: survival)")
    p.add_argument(
        "--time-unit",
        choices=["months", "weeks", "days", "years"],
        help="unit of the time axis (default: the one the axis title names, else months)",
    )
    p.set_defaults(run=_cmd_digitize)

    p = sub.add_parser("catalog", help="the built-in studies: list, or show one")
    p.add_argument("action", nargs="?", choices=["list", "show"], default="list")
    p.add_argument("id", nargs="?", help="study id (for show)")
    p.set_defaults(run=_cmd_catalog)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    0 success, 1 a check or an audit that fails, 2 bad input or an argument error (one
    line on standard error), 130 interrupted (Ctrl-C; no output file is left half-written).
    """
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("mmsurv: interrupted", file=sys.stderr)
        return 130


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.catalog:
        for folder in args.catalog:
            if not Path(folder).is_dir():
                print(f"mmsurv: error: {folder}: --catalog: not a folder", file=sys.stderr)
                return 2
        extra = os.environ.get("MMSURV_CATALOG")
        os.environ["MMSURV_CATALOG"] = os.pathsep.join([*args.catalog, *([extra] if extra else [])])
    try:
        return args.run(args)
    except InputError as exc:
        print(f"mmsurv: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
