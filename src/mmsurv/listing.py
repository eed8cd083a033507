"""The catalog as text: one line per study, and a study's reported numbers with their
sources (``mmsurv catalog list`` and ``mmsurv catalog show``)."""

from __future__ import annotations

from .study import ArmResults, Study

__all__ = ["catalog_line", "describe"]


def catalog_line(study: Study) -> str:
    """One line: id, title, design, endpoints, arms with n."""
    arms = ", ".join(f"{a.id} {a.n}" for a in study.arms)
    return " | ".join(
        [study.id, study.title or "", study.design or "", "+".join(study.endpoints), arms]
    )


def _arm_numbers(res: ArmResults) -> list[str]:
    out = []
    if res.median is not None:
        ci = ""
        if res.median_ci is not None:
            lo, hi = (("NE" if v is None else f"{v:g}") for v in res.median_ci)
            ci = f" ({lo}-{hi})"
        value = res.median if isinstance(res.median, str) else f"{res.median:g}"
        out.append(f"median {value}{ci}")
    if res.events is not None:
        out.append(f"events {res.events}")
    for t, lm in sorted(res.landmarks.items()):
        ci = f" ({lm.ci[0]:g}-{lm.ci[1]:g})" if lm.ci and None not in lm.ci else ""
        out.append(f"S({t:g}) {lm.survival:g}{ci}")
    if res.at_risk is not None:
        out.append(f"at risk at {len(res.at_risk.times)} times")
    if res.curve is not None:
        out.append(f"digitized curve ({len(res.curve.time)} points)")
    return out


def _notes(notes) -> list[str]:
    if not notes:
        return []
    return [notes] if isinstance(notes, str) else list(notes)


def describe(study: Study) -> str:
    """The reported numbers of a study with their sources, as readable text."""
    lines = [study.id, f"  {study.title or ''}".rstrip()]
    if study.design:
        lines.append(f"  design: {study.design}; time unit: {study.time_unit}")
    for src in study.sources:
        ref = "; ".join(part for part in (src.citation, src.doi, src.url) if part)
        lines.append(f"  source: {ref}")
        lines += [f"    note: {n}" for n in _notes(src.notes)]
    lines += [f"  note: {n}" for n in _notes(study.notes)]
    lines.append("  arms: " + ", ".join(f"{a.id} (n = {a.n}; {a.name})" for a in study.arms))
    for name, ep in study.endpoints.items():
        lines.append(f"  {name}:")
        fu = ep.follow_up
        if fu is not None:
            parts = [
                f"{k} {v:g}"
                for k, v in (
                    ("max", fu.max),
                    ("median", fu.median),
                    ("min", fu.min),
                    ("accrual", fu.accrual),
                )
                if v is not None
            ]
            if parts:
                lines.append(f"    follow-up: {', '.join(parts)}")
        for arm_id, res in ep.arms.items():
            numbers = _arm_numbers(res)
            lines.append(f"    {arm_id}: {'; '.join(numbers) if numbers else 'nothing reported'}")
            lines += [f"      note: {n}" for n in _notes(res.notes)]
        comp = ep.comparison
        if comp is not None:
            parts = [f"{comp.treatment} vs {comp.reference}"]
            if comp.hr is not None:
                ci = ""
                if comp.hr_ci is not None:
                    ci = f" ({comp.ci_level:.3g} CI {comp.hr_ci[0]:g}-{comp.hr_ci[1]:g})"
                parts.append(f"HR {comp.hr:g}{ci}")
            if comp.p is not None:
                parts.append(f"p {comp.p}" + (f" {comp.p_sided}" if comp.p_sided else ""))
            if comp.logrank_chi2 is not None:
                parts.append(f"log-rank chi2 {comp.logrank_chi2:g}")
            if comp.adjusted:
                parts.append("adjusted")
            lines.append(f"    comparison: {'; '.join(parts)}")
            lines += [f"      note: {n}" for n in _notes(comp.notes)]
        lines += [f"    note: {n}" for n in _notes(ep.notes)]
    return "\n".join(lines)
