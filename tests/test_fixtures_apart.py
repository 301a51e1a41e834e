"""The maintainers' ``corpus/`` and the tests' fixtures are apart: files dropped into ``corpus/`` never break ``make test``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import CORPUS, ROOT, SEEDS, jiaozuo_2022

#: Tests that count or compare the seed corpus (pages, rejections, golden pages, the built home page).
SUBSET = ["tests/test_golden.py", "tests/test_seeds.py", "tests/test_bad_input.py::test_check_accounts_for_every_file",
          "tests/test_bad_input.py::test_check_exits_zero_on_the_seeds_and_non_zero_with_a_rejected_file",
          "tests/test_site.py::test_home_page_is_a_portal",
          "tests/test_site.py::test_reports_json_has_every_report_with_url"]
#: What a maintainer's working copy has besides the repo's own files.
NOT_COPIED = shutil.ignore_patterns(".venv", ".git", "site", ".bench", "__pycache__", "artifacts", "*.egg-info",
                                    ".pytest_cache")


def test_the_seed_fixtures_live_in_tests_not_in_corpus():
    assert CORPUS.is_relative_to(ROOT / "tests") and len(SEEDS) == 5
    assert all(path.is_relative_to(ROOT / "tests") for path in SEEDS)


def test_extra_files_in_corpus_leave_the_suite_unaffected(tmp_path):
    """A copy of the repo whose corpus/ holds what maintainers drop in (another report, a broken file,
    a stray sidecar, a sub-folder): the tests that count and compare the seeds still pass there."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    if (ROOT.parent / "shared").is_dir():  # the shared seeds beside the repo, as on a developer's machine
        (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    corpus = copy / "corpus"
    (corpus / "2022" / "焦作").mkdir(parents=True)
    (corpus / "2022" / "焦作" / "焦作市科技局2022.txt").write_text(jiaozuo_2022(), encoding="utf-8")
    (corpus / "broken.docx").write_bytes(b"PK\x03\x04 not a docx")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (corpus / "stray.meta.yml").write_text("doc_number: 某〔2024〕1号\n", encoding="utf-8")
    (corpus / "000_acc9ae5d28c10407.txt.meta.yml").write_text("doc_numer: 马科〔2026〕3号\n", encoding="utf-8")
    environment = os.environ | {"PYTHONPATH": str(copy / "scripts")}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *SUBSET],
                          cwd=copy, env=environment, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
