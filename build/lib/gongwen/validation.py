"""The validation report: what a maintainer reads after dropping files into ``corpus/``.

Every input file is accounted for: published (with its warnings) or rejected
(with its reason).  The counts line makes a lost file visible at a glance:
inputs = pages + rejections.
"""

from __future__ import annotations

from .pipeline import BuildResult


def validation_report(result: BuildResult, orphan_sidecars: list[str]) -> str:
    """Plain-text report, one line per problem, each naming the file."""
    lines = [f"{result.inputs} input files: {len(result.reports)} pages, {len(result.rejections)} rejected"]
    lines += [f"ERROR {r.source}: {r.reason}" for r in result.rejections]
    lines += [f"ERROR {name}: sidecar names no corpus file (expected NAME.meta.yml beside NAME.txt)" for name in orphan_sidecars]
    for report in sorted(result.reports, key=lambda r: r.source):
        lines += [f"WARNING {report.source}: {warning}" for warning in report.warnings]
    return "\n".join(lines) + "\n"


def has_errors(result: BuildResult, orphan_sidecars: list[str]) -> bool:
    return bool(result.rejections or orphan_sidecars)
