"""Sidecars (``NAME.meta.yml``): the fields a maintainer sets by hand, checked one line at a time.

A mistake in a sidecar never unpublishes the report: the report is published
from its own text, every bad line is reported at once as an ERROR naming the
sidecar, the line and the fix ("did you mean ``doc_number``?"), and the good
lines are still used.  Dates are accepted as a person writes them
(``2025-03-01``, ``2025年3月1日``, ``二〇二五年三月一日``); a list may be written
as one line (``recipients: 市委、市政府``).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any

import yaml
from pydantic import TypeAdapter, ValidationError

from .extract import split_list
from .messages import field_label, warn
from .model import OVERRIDABLE, FrontMatter
from .provenance import site_date

#: A sidecar is named after its report: ``NAME.txt.meta.yml`` or ``NAME.meta.yml``.
SIDECAR_SUFFIX = ".meta.yml"
#: Fields holding a date, and lists that may be written as one line split at 、，.
DATE_FIELDS = {"date_signed", "date_printed"}
LIST_FIELDS = {"recipients", "cc", "topics", "tags"}
#: How to write a field's value, where the schema's own rule would not tell a maintainer.
VALUE_HINTS = {
    "year": "写四位数字的报告年度，如 year: 2024。",
    "id": "只用小写字母、数字、- 和 /，如 id: henan/jiaozuo/kjj/2023。",
    "bureau_id": "只用小写字母、数字、- 和 /，如 bureau_id: henan/jiaozuo/kjj。",
    "level": "写 省级、市级、县级 或 乡级。",
    "title": "写报告标题的文字。",
}
#: Chinese for the kinds of pydantic error a sidecar value meets.
ERROR_KINDS = {"int_parsing": "不是整数", "int_type": "不是整数", "string_pattern_mismatch": "格式不对",
               "literal_error": "不是允许的取值", "greater_than_equal": "超出范围", "less_than_equal": "超出范围",
               "string_too_short": "不能为空", "string_type": "不是文字", "list_type": "不是列表"}


@dataclass(frozen=True)
class Sidecar:
    """What a sidecar sets (fields that passed their checks) and one ERROR line per problem."""

    fields: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def read_sidecar(name: str, raw: bytes | str) -> Sidecar:
    """Parse and check a sidecar's bytes; nothing here raises on a maintainer's mistake."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        return Sidecar(errors=[warn("overridden", "E-SIDECAR-ENCODING", sidecar=name)])
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as error:
        return _line_by_line(name, text) or Sidecar(errors=[warn(
            "overridden", "E-SIDECAR-YAML", sidecar=name, line=_error_line(error, text), detail="无法按 YAML 读取")])
    if data is None:
        return Sidecar()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return Sidecar(errors=[warn("overridden", "E-SIDECAR-NOT-MAPPING", sidecar=name)])
    return check_fields(name, data, {str(key.value): key.start_mark.line + 1 for key, _ in node.value})


def _error_line(error: yaml.YAMLError, text: str) -> int:
    """The line a YAML error is on: where the problem is found, or where the unclosed part began
    when the problem is only found at the end of the file."""
    problem, context = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    if problem is not None and (problem.index < len(text.rstrip()) or context is None):
        return problem.line + 1
    return context.line + 1 if context is not None else 1


def _line_by_line(name: str, text: str) -> Sidecar | None:
    """A flat sidecar (one ``field: value`` a line, as maintainers write them) with a YAML mistake: each
    line is read on its own, so the good lines still count and every bad line is reported, in order.
    None when the sidecar is not flat (an indented line), where a line alone means nothing."""
    lines = text.splitlines()
    if any(line[:1].isspace() and line.strip() for line in lines):
        return None
    fields, errors = {}, []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            parsed = yaml.safe_load(line)
        except yaml.YAMLError:
            parsed = None
        if not isinstance(parsed, dict) or len(parsed) != 1:
            errors.append(warn("overridden", "E-SIDECAR-LINE", sidecar=name, line=number))
            continue
        (key, value), = parsed.items()
        checked = _problem(str(key), value, name, number)
        if isinstance(checked, str):
            errors.append(checked)
        else:
            fields[str(key)] = checked[0]
    return Sidecar(fields, errors)


def check_fields(name: str, data: dict, lines: dict[str, int] | None = None) -> Sidecar:
    """Check each field of a sidecar (``lines``: the line each key stands on, for the messages)."""
    fields, errors = {}, []
    for key, value in data.items():
        problem = _problem(str(key), value, name, (lines or {}).get(str(key), 1))
        if isinstance(problem, str):
            errors.append(problem)
        else:
            fields[str(key)] = problem[0]
    return Sidecar(fields, errors)


def _problem(key: str, value: Any, name: str, line: int) -> str | tuple[Any]:
    """``(value,)`` as the schema wants it, or the ERROR line saying why not."""
    if key not in OVERRIDABLE:
        close = difflib.get_close_matches(key, OVERRIDABLE, n=1, cutoff=0.6)
        suggestion = f"是否应为 `{close[0]}`？" if close else ""
        return warn("overridden", "E-SIDECAR-UNKNOWN-FIELD", sidecar=name, line=line, field=key,
                    suggestion=suggestion, allowed="、".join(OVERRIDABLE))
    if key in DATE_FIELDS and value is None:  # an empty line clears the date
        return (None,)
    if key in DATE_FIELDS:
        date = sidecar_date(value)
        if date is None:
            return warn("overridden", "E-SIDECAR-BAD-DATE", sidecar=name, line=line, field=key,
                        label=field_label(key), value=value)
        return (date,)
    if key in LIST_FIELDS and isinstance(value, str):
        value = split_list(value)
    if key == "issuer_kind" and value is not None and str(value) not in _kind_names():
        return warn("overridden", "E-SIDECAR-BAD-VALUE", sidecar=name, line=line, field=key, label=field_label(key),
                    value=value, detail="不是允许的取值", hint=f"写 {'、'.join(_kind_names())} 之一。")
    try:
        return (_adapter(key).validate_python(value),)
    except ValidationError as error:
        kind = ERROR_KINDS.get(error.errors()[0]["type"], "类型或格式不对")
        return warn("overridden", "E-SIDECAR-BAD-VALUE", sidecar=name, line=line, field=key, label=field_label(key),
                    value=value, detail=kind, hint=VALUE_HINTS.get(key, "对照维护指南中的字段说明改写。"))


def sidecar_date(value: Any) -> dt.date | None:
    """A date as a maintainer writes it: YAML's own date, 2025-03-01, 2025/3/1, 2025年3月1日, 二〇二五年三月一日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return site_date(str(value)) if isinstance(value, (str, int)) else None


def _kind_names() -> list[str]:
    from .issuers import issuer_kinds  # the kinds are data (issuer-kinds.yml), not a fixed list in the schema
    return [kind.name for kind in issuer_kinds()]


@lru_cache(maxsize=None)
def _adapter(key: str) -> TypeAdapter:
    info = FrontMatter.model_fields[key]
    return TypeAdapter(Annotated[info.annotation, info])
