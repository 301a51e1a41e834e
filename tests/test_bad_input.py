"""Bad input: one clear line naming the file and the problem; the other reports still build."""

from __future__ import annotations

import hashlib

import codecs
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, run_gongwen
from gongwen.decode import decode_text
from gongwen.model import InputError

SEED = CORPUS / "001_bfb220357d947980.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_TITLE = "义马市科学技术局2024年法治政府建设年度工作报告"


@pytest.mark.parametrize("encoded", [
    SEED_TEXT.encode("gb18030"),
    SEED_TEXT.encode("gbk"),
    codecs.BOM_UTF8 + SEED_TEXT.encode("utf-8"),
    SEED_TEXT.encode("utf-16"),          # with BOM
    SEED_TEXT.encode("utf-16-le"),       # without BOM
    SEED_TEXT.encode("utf-16-be"),
], ids=["gb18030", "gbk", "utf-8-bom", "utf-16-bom", "utf-16-le", "utf-16-be"])
def test_legacy_encodings_decode_to_the_same_text(encoded):
    assert decode_text(encoded).lstrip("\ufeff") == SEED_TEXT


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"  \n\r\n ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20, "binary"),
    (bytes(range(256)) * 8, "binary"),
    (b"\xef\xbb\xbf" + "报告".encode("utf-8") + b"\xff\xfe\xfa", "undecodable"),
    (b"This is an English text file, not a report.\n" * 5, "not Chinese text"),
])
def test_bad_bytes_raise_clear_errors(data, message):
    with pytest.raises(InputError, match=message):
        decode_text(data)


def _write(folder: Path, name: str, data: bytes | str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


@pytest.fixture
def bad_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(CORPUS.glob("*.txt")):
        shutil.copy(seed, corpus / seed.name)
    _write(corpus, "empty.txt", b"")
    _write(corpus, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    _write(corpus, "no-title.txt", "本单位全年依法行政，取得了一定成效，现将有关情况报告如下：各项工作稳步推进。\n一、主要工作\n依法履职。")
    _write(corpus, "no-year.txt", "某某县科技局法治政府建设工作报告\n\n全年依法行政，取得成效。\n一、主要工作\n依法履职。")
    _write(corpus, "sub/dir/copy-of-001.txt", SEED.read_bytes())
    _write(corpus, "same-id.txt", SEED_TEXT.replace("积极推动法治政府建设", "积极推动法治建设", 1))
    _write(corpus, "report.docx", b"PK\x03\x04 not really a docx")
    _write(corpus, "old/report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    _write(corpus, "deep/er/notes.xyz", "随便什么内容")
    _write(corpus, "README", "no extension at all")
    _write(corpus, "sub/.DS_Store", b"\x00\x00\x00\x01Bud1")
    _write(corpus, ".git/objects/ab/cdef", b"a hidden folder is not part of the corpus")
    _write(corpus, "gbk-report.txt", (CORPUS / "003_0f6a7d55f317c3d7.txt").read_text(encoding="utf-8")
           .replace("西工区", "瀍河回族区").encode("gbk"))
    _write(corpus, "orphan.meta.yml", "doc_number: 某〔2024〕1号\n")
    return corpus


def test_check_accounts_for_every_file(bad_corpus):
    done = run_gongwen("check", "--corpus", str(bad_corpus))
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "17 input files: 7 pages, 10 rejected"
    errors = {line.split(":", 1)[0].removeprefix("ERROR "): line for line in lines if line.startswith("ERROR")}
    assert "empty file" in errors["empty.txt"]
    assert "binary" in errors["binary.txt"]
    assert "no recognisable title" in errors["no-title.txt"]
    assert "no recognisable year" in errors["no-year.txt"]
    assert "same bytes as 001_bfb220357d947980.txt" in errors["sub/dir/copy-of-001.txt"]
    assert "same-id.txt" not in errors  # published under a collision id, with a warning
    digest = hashlib.sha256((bad_corpus / "same-id.txt").read_bytes()).hexdigest()
    assert any(line.startswith(
        f"WARNING same-id.txt: id: “henan/sanmenxia/yima/kjj/2024” is already taken by 001_bfb220357d947980.txt, "
        f"so this report is published as “henan/sanmenxia/yima/kjj/2024-{digest[:6]}”") for line in lines)
    assert "not a readable .docx" in errors["report.docx"]
    assert "unsupported file type “.doc”" in errors["old/report.doc"] and "save it as .docx" in errors["old/report.doc"]
    assert "unsupported file type “.xyz”" in errors["deep/er/notes.xyz"]
    assert "unsupported file type “(none)”" in errors["README"]
    assert "hidden file" in errors["sub/.DS_Store"]
    assert ".git/" not in done.stdout
    assert "sidecar names no corpus file" in errors["orphan.meta.yml"]
    assert "WARNING gbk-report.txt: heading numbering" in done.stdout


def test_check_strict_fails_on_errors_and_passes_on_the_seeds(bad_corpus):
    assert run_gongwen("check", "--strict", "--corpus", str(bad_corpus)).returncode == 1
    clean = run_gongwen("check", "--strict", "--corpus", str(CORPUS))
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout.startswith("5 input files: 5 pages, 0 rejected")


def test_sidecar_overrides_fields_and_says_so(tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)
    _write(tmp_path, f"{SEED.stem}.meta.yml", "doc_number: 义科〔2025〕3号\ndate_printed: 2025-03-01\n")
    done = run_gongwen("extract", "--json", str(tmp_path / SEED.name))
    row = __import__("json").loads(done.stdout)[0]
    assert row["doc_number"] == "义科〔2025〕3号" and row["date_printed"] == "2025-03-01"
    assert row["overridden"] == ["date_printed", "doc_number"]
    assert not any(w.startswith(("doc_number:", "date_printed:")) for w in row["warnings"])
    assert any(w.startswith("printer:") for w in row["warnings"])


@pytest.mark.parametrize("sidecar, message", [
    ("colour: red\n", "unknown field(s) colour"),
    ("year: next\n", "year"),
    ("- just\n- a list\n", "not a mapping"),
    ("id: Not An Ascii Slug\n", "id"),
    ("doc_number: [unclosed\n", "not valid UTF-8 YAML"),
])
def test_bad_sidecars_name_the_sidecar(tmp_path, sidecar, message):
    shutil.copy(SEED, tmp_path / SEED.name)
    _write(tmp_path, f"{SEED.name}.meta.yml", sidecar)
    done = run_gongwen("check", "--corpus", str(tmp_path))
    assert f"ERROR {SEED.name}: sidecar {SEED.name}.meta.yml" in done.stdout
    assert message in done.stdout


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    done = run_gongwen("check", "--corpus", str(tmp_path / "nowhere"))
    assert done.returncode != 0 and "does not exist" in done.stderr


def test_an_id_set_by_hand_that_is_taken_is_rejected(tmp_path):
    for seed in sorted(CORPUS.glob("*.txt")):
        shutil.copy(seed, tmp_path / seed.name)
    _write(tmp_path, "other.txt", SEED_TEXT.replace("积极推动法治政府建设", "积极推动法治建设", 1))
    _write(tmp_path, "other.txt.meta.yml", "id: henan/jiaozuo/kjj/2023\n")
    done = run_gongwen("check", "--corpus", str(tmp_path))
    assert "ERROR other.txt: id “henan/jiaozuo/kjj/2023” (set in the sidecar) is already taken by 002_e9196ebf62140957.txt" in done.stdout


def test_two_bureaus_with_one_slug_are_warned_about(tmp_path):
    """不动产登记局 and 不动产地籍局 in one city both abbreviate to bdcdjj: the check names the clash."""
    text = (CORPUS / "004_a3d568ff32f023b9.txt").read_text(encoding="utf-8")
    _write(tmp_path, "a.txt", text.replace("信阳市科学技术局", "信阳市不动产登记局"))
    _write(tmp_path, "b.txt", text.replace("信阳市科学技术局", "信阳市不动产地籍局"))
    done = run_gongwen("check", "--corpus", str(tmp_path))
    assert "2 input files: 2 pages, 0 rejected" in done.stdout
    assert "WARNING b.txt: bureau_id: “henan/xinyang/bdcdjj” is also the id of 信阳市不动产登记局" in done.stdout
