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

from .messages import field_label, say, warning_parts
from .pipeline import BuildResult

#: Where a maintainer reads what every code means.
GUIDE = "docs/maintaining.md（网站上的“维护指南”）"


def summary_line(result: BuildResult, orphan_sidecars: list[str]) -> str:
    """One line: how many files, pages, merged files, files not published, errors and warnings."""
    errors, warnings = problem_lines(result, orphan_sidecars)
    merged = sum(len(report.alternates) for report in result.reports)
    return (f"共 {result.inputs} 个文件：发布 {len(result.reports)} 个页面"
            + (f"（另有 {merged} 个文件是同一报告的其他格式，并入其页面）" if merged else "")
            + f"，未发布 {len(result.rejections)} 个；错误 {len(errors)} 条，警告 {len(warnings)} 条")


def problem_lines(result: BuildResult, orphan_sidecars: list[str]) -> tuple[list[str], list[str]]:
    """The 错误 lines and the 警告 lines, each naming its file (a sidecar's bad line is an 错误 of its report)."""
    errors = [f"错误 [{r.code}] {r.source}：{r.reason}" for r in sorted(result.rejections, key=lambda r: r.source)]
    errors += [f"错误 [E-ORPHAN-SIDECAR] {name}：{say('E-ORPHAN-SIDECAR')}" for name in orphan_sidecars]
    warnings = []
    for report in sorted(result.reports, key=lambda r: r.source):
        for warning in report.warnings:
            field, code, text = warning_parts(warning)
            if code.startswith("E-"):
                errors.append(f"错误 [{code}] {report.source}：{text}")
            else:
                warnings.append(f"警告 [{code}] {report.source}：{field}（{field_label(field)}）：{text}")
    return errors, warnings


def validation_report(result: BuildResult, orphan_sidecars: list[str]) -> str:
    """Plain-text report: the summary line, then one line per problem."""
    errors, warnings = problem_lines(result, orphan_sidecars)
    lines = [summary_line(result, orphan_sidecars), *errors, *warnings]
    if len(lines) > 1:
        lines.append(f"每条都写明了处理办法；各代码的说明见 {GUIDE}。")
    return "\n".join(lines) + "\n"


def has_errors(result: BuildResult, orphan_sidecars: list[str]) -> bool:
    """Whether any file was not published or any sidecar line was not used."""
    return bool(problem_lines(result, orphan_sidecars)[0])
