"""The validation report: what a maintainer reads after dropping files into ``corpus/``, in Chinese.

Every input file is accounted for: published (with its warnings) or not
published (with the reason and the fix).  The summary line makes a lost file
visible at a glance: inputs = pages + files merged into another's page + files
not published.  Each other line is one problem:

    错误 [E-NO-TITLE] 文件路径：问题。处理：怎么办。
    警告 [W-NO-DOC-NUMBER] 文件路径：doc_number（发文字号）：问题。处理：怎么办。

A 错误 is a file, or a sidecar line, that was not used; a 警告 a published page
with an empty or doubtful field.  The codes are stable (messages.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .messages import field_label, say, warning_parts
from .pipeline import BuildResult

#: Where a maintainer reads what every code means.
GUIDE = "docs/maintaining.md（网站上的“维护指南”）"


@dataclass(frozen=True)
class Tally:
    """What the validation report says, in parts that add up: the province jobs of a large build
    (``provincejobs.py``) each count their own, and their sum is the whole corpus's report, line for line.
    ``errors``: (order, file, line), order 0 for files not published, 1 for orphan sidecars, 2 for a
    published report's sidecar errors; ``warnings``: (file, line)."""

    inputs: int = 0
    pages: int = 0
    merged: int = 0
    unpublished: int = 0
    errors: tuple[tuple[int, str, str], ...] = ()
    warnings: tuple[tuple[str, str], ...] = ()


def tally(result: BuildResult, orphan_sidecars: list[str]) -> Tally:
    errors = [(0, r.source, f"错误 [{r.code}] {r.source}：{r.reason}") for r in result.rejections]
    errors += [(1, name, f"错误 [E-ORPHAN-SIDECAR] {name}：{say('E-ORPHAN-SIDECAR')}") for name in orphan_sidecars]
    warnings = []
    for report in result.reports:
        for warning in report.warnings:
            field, code, text = warning_parts(warning)
            if code.startswith("E-"):
                errors.append((2, report.source, f"错误 [{code}] {report.source}：{text}"))
            else:
                warnings.append((report.source, f"警告 [{code}] {report.source}：{field}（{field_label(field)}）：{text}"))
    merged = sum(len(report.alternates) for report in result.reports)
    return Tally(result.inputs, len(result.reports), merged, len(result.rejections), tuple(errors), tuple(warnings))


def added(tallies: list[Tally]) -> Tally:
    """Several parts of a corpus as one (each list sorted by file, stably: a file's own lines keep their order)."""
    errors = sorted((e for t in tallies for e in t.errors), key=lambda e: e[:2])
    warnings = sorted((w for t in tallies for w in t.warnings), key=lambda w: w[0])
    return Tally(*(sum(getattr(t, name) for t in tallies) for name in ("inputs", "pages", "merged", "unpublished")),
                 tuple(errors), tuple(warnings))


def tally_summary(counted: Tally) -> str:
    """One line: how many files, pages, merged files, files not published, errors and warnings."""
    return (f"共 {counted.inputs} 个文件：发布 {counted.pages} 个页面"
            + (f"（另有 {counted.merged} 个文件是同一报告的其他格式，并入其页面）" if counted.merged else "")
            + f"，未发布 {counted.unpublished} 个；错误 {len(counted.errors)} 条，警告 {len(counted.warnings)} 条")


def tally_report(counted: Tally) -> str:
    """Plain-text report: the summary line, then one line per problem."""
    ordered = added([counted])
    lines = [tally_summary(counted), *(e[2] for e in ordered.errors), *(w[1] for w in ordered.warnings)]
    if len(lines) > 1:
        lines.append(f"每条都写明了处理办法；各代码的说明见 {GUIDE}。")
    return "\n".join(lines) + "\n"


def summary_line(result: BuildResult, orphan_sidecars: list[str]) -> str:
    return tally_summary(tally(result, orphan_sidecars))


def problem_lines(result: BuildResult, orphan_sidecars: list[str]) -> tuple[list[str], list[str]]:
    """The 错误 lines and the 警告 lines, each naming its file (a sidecar's bad line is an 错误 of its report)."""
    ordered = added([tally(result, orphan_sidecars)])
    return [e[2] for e in ordered.errors], [w[1] for w in ordered.warnings]


def validation_report(result: BuildResult, orphan_sidecars: list[str]) -> str:
    return tally_report(tally(result, orphan_sidecars))


def has_errors(result: BuildResult, orphan_sidecars: list[str]) -> bool:
    """Whether any file was not published or any sidecar line was not used."""
    return bool(tally(result, orphan_sidecars).errors)
