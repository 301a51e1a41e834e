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
