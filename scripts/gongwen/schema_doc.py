"""``docs/schema.md`` made from the model: the schema is documented in one place.

The page is committed; a test fails when it no longer matches the model, and
``gongwen schema > docs/schema.md`` brings it back in step.
"""

from __future__ import annotations

from .model import OVERRIDABLE, FrontMatter, ItemWhere, RequiredItems, Section

INTRO = """# 元数据说明（front matter schema）

每篇报告页面的 YAML front matter 都按下表生成，并在构建时逐页校验；不符合即构建失败，错误信息指明页面与字段。
文本不能确定的字段为 `null`，并在 `warnings` 中说明原因，从不猜测。

Each report page's front matter follows this table and is validated at build time.
A field the text does not establish is `null` with a line in `warnings`; nothing is guessed.
This page is generated from `scripts/gongwen/model.py` (`gongwen schema > docs/schema.md`).
"""


def _type_name(annotation) -> str:
    """``str | None`` and the like, with the pipe escaped for a Markdown table cell."""
    name = annotation.__name__ if isinstance(annotation, type) else str(annotation)
    for noise in ("typing.", "datetime.", "gongwen.model."):
        name = name.replace(noise, "")
    return name.replace("Optional[Literal", "None | Literal").replace("]]", "]").replace("|", "\\|")


def schema_markdown() -> str:
    rows = ["| field | type | meaning |", "| --- | --- | --- |"]
    for name, info in FrontMatter.model_fields.items():
        rows.append(f"| `{name}` | `{_type_name(info.annotation)}` | {info.description} |")
    section_rows = [f"| `{name}` | {info.description} |" for name, info in Section.model_fields.items()]
    item_rows = [f"| `{name}` | {info.description} |" for name, info in RequiredItems.model_fields.items()]
    where_rows = [f"| `{name}` | {info.description} |" for name, info in ItemWhere.model_fields.items()]
    sidecar = ", ".join(f"`{name}`" for name in OVERRIDABLE)
    return "\n".join([
        INTRO, *rows, "",
        "## `sections`", "", "| field | meaning |", "| --- | --- |", *section_rows, "",
        "## `required_items`", "", "| field | meaning |", "| --- | --- |", *item_rows, "",
        "## `required_items_where` (one entry per found item)", "", "| field | meaning |", "| --- | --- |",
        *where_rows, "",
        "## Sidecar `NAME.meta.yml`", "",
        "A YAML mapping beside a corpus file (`NAME.txt.meta.yml` or `NAME.meta.yml`) sets any of these fields "
        f"by hand: {sidecar}. The page lists them under `overridden`, and their warnings are dropped.", "",
    ])
