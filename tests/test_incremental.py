"""A second ``gongwen build`` redoes only what changed, and its site is the cold build's, byte for byte.

Both builds use the checkout's own ``mkdocs.yml``: generated pages go to the build's work folder
beside the site, so the checkout (its hand-written ``docs/``) is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from conftest import ROOT, SEEDS, jiaozuo_2022, run_gongwen
from gongwen.buildpaths import work_dir
from gongwen.cli import FULL_BUILD_MARK
from gongwen.corpus import program_version
from gongwen.memos import EntryFolder

CONFIG = ROOT / "mkdocs.yml"


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` → SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def entry_index(site: Path) -> dict:
    """The reports whose search entries the build kept (``memos.EntryFolder``), by digest."""
    return EntryFolder(work_dir(site) / "search-entries", program_version()).old


def build(corpus: Path, site: Path) -> str:
    done = run_gongwen("build", "--corpus", str(corpus), "--site", str(site), "--config", str(CONFIG))
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_rebuild_after_adding_changing_and_deleting_gives_the_cold_build(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, corpus / seed.name)
    checkout = {name: tree(ROOT / name) for name in ("docs", "overrides")} | {"mkdocs.yml": tree(ROOT)["mkdocs.yml"]}
    site = tmp_path / "out" / "site"
    assert FULL_BUILD_MARK in build(corpus, site)
    assert len(entry_index(site)) == len(SEEDS)  # each report's search entries, on disk for the next build
    kept = site / "reports" / "henan" / "xinyang" / "kjj" / "2024" / "index.html"  # SEEDS[4], untouched
    kept_time = kept.stat().st_mtime_ns

    (corpus / "005_jiaozuo_2022.txt").write_text(jiaozuo_2022(), encoding="utf-8")  # added
    changed = corpus / SEEDS[0].name
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("法治", "法治建设", 1), encoding="utf-8")         # changed, and
    # a later date than any other report: the site's build date moves, the kept page's sitemap date must not
    (corpus / f"{changed.name}.meta.yml").write_text("date_printed: 2026-05-01\n", encoding="utf-8")
    (corpus / SEEDS[3].name).unlink()                                                 # deleted (西工区)

    gone = site / "reports" / "henan" / "luoyang" / "xigong" / "kjj" / "2024"
    assert gone.is_dir()
    second = build(corpus, site)
    assert not gone.exists()
    assert FULL_BUILD_MARK not in second and "网站已生成" in second
    assert kept.stat().st_mtime_ns == kept_time  # an unchanged report's page was not rebuilt
    assert len(entry_index(site)) == len(SEEDS)  # one added, one deleted: its entries and the changed one's old gone

    cold = tmp_path / "cold" / "site"
    assert FULL_BUILD_MARK in build(corpus, cold)
    assert tree(site) == tree(cold)
    assert tree(work_dir(site) / "docs") == tree(work_dir(cold) / "docs")
    # nothing outside the builds' own output changed: the checkout, and the scratch folder
    assert checkout == {name: tree(ROOT / name) for name in ("docs", "overrides")} | {"mkdocs.yml": tree(ROOT)["mkdocs.yml"]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cold", "corpus", "out"]
    # the build's own output: the site, its work folder and the validation report (build/validation-report.txt)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".gongwen", "build", "site"]


def test_clean_removes_the_site_and_its_work_folder_and_the_next_build_is_full(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS[0], corpus / SEEDS[0].name)
    site = tmp_path / "site"
    build(corpus, site)
    assert FULL_BUILD_MARK not in build(corpus, site)
    done = run_gongwen("clean", "--site", str(site), "--docs", str(tmp_path / "no-docs"))
    assert done.returncode == 0, done.stderr
    assert not site.exists() and not work_dir(site).exists()
    assert FULL_BUILD_MARK in build(corpus, site)
