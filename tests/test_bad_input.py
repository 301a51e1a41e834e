"""Bad input: one clear Chinese line naming the file, the problem and the fix; the other reports still build."""

from __future__ import annotations

import codecs
import hashlib
import json
import random
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, run_gongwen
from gongwen.readers.decode import decode_text
from gongwen.messages import MESSAGES
from gongwen.model import OVERRIDABLE, InputError
from gongwen.sidecar import read_sidecar

SEED = CORPUS / "001_bfb220357d947980.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_TITLE = "义马市科学技术局2024年法治政府建设年度工作报告"
#: A validation report line: level, code, file, text.
LINE = re.compile(r"^(?P<level>错误|警告) \[(?P<code>[EW]-[A-Z0-9-]+)\] (?P<file>[^：]+)：(?P<text>.+)$")


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


@pytest.mark.parametrize("data, code", [
    (b"", "E-EMPTY"),
    (b"  \n\r\n ", "E-EMPTY"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20, "E-BINARY"),
    (bytes(range(256)) * 8, "E-BINARY"),
    (b"\xef\xbb\xbf" + "报告".encode("utf-8") + b"\xff\xfe\xfa", "E-BAD-BOM"),
    (b"This is an English text file, not a report.\n" * 5, "E-NOT-CHINESE"),
])
def test_bad_bytes_raise_clear_errors(data, code):
    with pytest.raises(InputError) as raised:
        decode_text(data)
    assert raised.value.code == code and "处理：" in str(raised.value)


#: A 政务公开 office's report in Traditional characters, saved as Big5 by an old system.
TRADITIONAL = ("義馬市科學技術局2024年法治政府建設年度工作報告\n"
               "2024年，我局在市委、市政府的堅強領導下，深入學習貫徹習近平法治思想，全面落實法治政府建設各項任務。\n"
               "一、加強組織領導，壓實法治建設責任\n局黨組把法治政府建設擺在全局工作的重要位置，主要負責人切實履行第一責任人職責。\n")
JAPANESE = ("令和6年度における法治行政の推進状況について報告します。当局は、市の指導の下、各種の施策を着実に実施しました。\n"
            "一、組織体制の強化\n局長が責任者として、法令遵守の徹底に取り組みました。職員研修を年4回実施しました。\n")


@pytest.mark.parametrize("data", [
    TRADITIONAL.encode("big5"),
    JAPANESE.encode("shift_jis"),
    JAPANESE.encode("euc_jp"),
    bytes(byte | 0x80 for byte in random.Random(7).randbytes(2000)),  # no control bytes: not plainly binary
], ids=["big5", "shift-jis", "euc-jp", "byte-garbage"])
def test_other_encodings_are_refused_never_published_garbled(data):
    """Big5 read as GBK gives `竡皑カ厩м…`: such a decode is refused with the advice to save as UTF-8."""
    with pytest.raises(InputError) as raised:
        decode_text(data)
    assert raised.value.code in ("E-ENCODING", "E-NOT-CHINESE")
    assert "另存为" in str(raised.value) and "UTF-8" in str(raised.value)
    assert "竡" not in str(raised.value)


def test_chinese_prose_is_mostly_common_characters():
    """Each test above is refused by the common-character share alone, kana aside: Big5 read as GBK is
    `竡皑カ厩м…`, 38% common characters; the seeds score over 99%."""
    from gongwen.readers.decode import KANA, is_chinese_prose
    garbled = KANA.sub("", TRADITIONAL.encode("big5").decode("gb18030"))
    assert garbled.startswith("竡皑") and not is_chinese_prose(garbled)
    for seed in CORPUS.glob("*.txt"):
        assert is_chinese_prose(seed.read_text(encoding="utf-8")), seed.name


def _write(folder: Path, name: str, data: bytes | str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


NO_TITLE = "本单位全年依法行政，取得了一定成效，现将有关情况报告如下：各项工作稳步推进。\n一、主要工作\n依法履职。"


@pytest.fixture
def bad_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(CORPUS.glob("*.txt")):
        shutil.copy(seed, corpus / seed.name)
    _write(corpus, "empty.txt", b"")
    _write(corpus, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    _write(corpus, "no-title.txt", NO_TITLE)
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
    _write(corpus, "big5-report.txt", TRADITIONAL.encode("big5"))
    _write(corpus, "orphan.meta.yml", "doc_number: 某〔2024〕1号\n")
    return corpus


def _lines(stdout: str) -> dict[str, list[re.Match]]:
    found: dict[str, list[re.Match]] = {}
    for line in stdout.splitlines()[1:]:
        match = LINE.match(line)
        if match:
            found.setdefault(match.group("file"), []).append(match)
    return found


def test_check_accounts_for_every_file(bad_corpus):
    done = run_gongwen("check", "--corpus", str(bad_corpus))
    assert done.returncode == 1  # files were not published: check says so with its exit code
    lines = done.stdout.splitlines()
    assert lines[0].startswith("共 18 个文件：发布 7 个页面，未发布 11 个；错误 12 条")
    found = _lines(done.stdout)
    errors = {name: [m.group("code") for m in matches if m.group("level") == "错误"] for name, matches in found.items()}
    assert errors["empty.txt"] == ["E-EMPTY"]
    assert errors["binary.txt"] == ["E-BINARY"]
    assert errors["no-title.txt"] == ["E-NO-TITLE"]
    assert errors["no-year.txt"] == ["E-NO-YEAR"]
    assert errors["sub/dir/copy-of-001.txt"] == ["E-DUPLICATE-FILE"]
    assert "001_bfb220357d947980.txt" in found["sub/dir/copy-of-001.txt"][0].group("text")
    assert not errors.get("same-id.txt")  # published under a collision id, with a warning
    digest = hashlib.sha256((bad_corpus / "same-id.txt").read_bytes()).hexdigest()
    assert any(m.group("code") == "W-ID-TAKEN" and f"“henan/sanmenxia/yima/kjj/2024-{digest[:6]}”" in m.group("text")
               and "001_bfb220357d947980.txt" in m.group("text") for m in found["same-id.txt"])
    assert errors["report.docx"] == ["E-DOCX-UNREADABLE"]
    assert errors["old/report.doc"] == ["E-DOC-UNREADABLE"] and "另存为 .docx" in found["old/report.doc"][0].group("text")
    assert errors["deep/er/notes.xyz"] == ["E-UNSUPPORTED-TYPE"] and "“.xyz”" in found["deep/er/notes.xyz"][0].group("text")
    assert errors["README"] == ["E-UNSUPPORTED-TYPE"]
    assert errors["sub/.DS_Store"] == ["E-HIDDEN-FILE"]
    assert errors["big5-report.txt"] == ["E-ENCODING"]
    assert ".git/" not in done.stdout
    assert errors["orphan.meta.yml"] == ["E-ORPHAN-SIDECAR"]
    assert any(m.group("code") == "W-NUMBERING" for m in found["gbk-report.txt"])
    assert all(LINE.match(line) for line in lines[1:-1]) and lines[-1].startswith("每条都写明了处理办法")


def test_every_message_names_the_problem_and_the_fix_in_chinese():
    for code, message in MESSAGES.items():
        assert re.fullmatch(r"[EW]-[A-Z0-9-]+", code)
        assert re.search(r"[\u4e00-\u9fff]", message.text), code
        assert message.fix or code.startswith("W-"), f"{code} says no fix"


def test_check_exits_zero_on_the_seeds_and_non_zero_with_a_rejected_file(tmp_path):
    clean = run_gongwen("check", "--corpus", str(CORPUS))
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout.startswith("共 5 个文件：发布 5 个页面，未发布 0 个；错误 0 条")
    for seed in sorted(CORPUS.glob("*.txt")):
        shutil.copy(seed, tmp_path / seed.name)
    _write(tmp_path, "empty.txt", b"")
    assert run_gongwen("check", "--corpus", str(tmp_path)).returncode == 1
    assert run_gongwen("check", "--strict", "--corpus", str(tmp_path)).returncode == 1


def test_sidecar_overrides_fields_and_says_so(tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)
    _write(tmp_path, f"{SEED.stem}.meta.yml", "doc_number: 义科〔2025〕3号\ndate_printed: 2025-03-01\n")
    done = run_gongwen("extract", "--json", str(tmp_path / SEED.name))
    row = json.loads(done.stdout)[0]
    assert row["doc_number"] == "义科〔2025〕3号" and row["date_printed"] == "2025-03-01"
    assert row["overridden"] == ["date_printed", "doc_number"]
    assert not any(w.startswith(("doc_number:", "date_printed:")) for w in row["warnings"])
    assert any(w.startswith("printer: [W-NO-PRINTER]") for w in row["warnings"])


@pytest.mark.parametrize("written", ["2025-03-01", "2025年3月1日", "二〇二五年三月一日", "'2025/3/1'"])
def test_sidecar_dates_are_read_as_people_write_them(tmp_path, written):
    shutil.copy(SEED, tmp_path / SEED.name)
    _write(tmp_path, f"{SEED.name}.meta.yml", f"date_signed: {written}\n")
    row = json.loads(run_gongwen("extract", "--json", str(tmp_path / SEED.name)).stdout)[0]
    assert row["date_signed"] == "2025-03-01" and row["overridden"] == ["date_signed"]


@pytest.mark.parametrize("sidecar, code, line, words", [
    ("colour: red\n", "E-SIDECAR-UNKNOWN-FIELD", 1, ["“colour”"]),
    ("year: next\n", "E-SIDECAR-BAD-VALUE", 1, ["year", "year: 2024"]),
    ("- just\n- a list\n", "E-SIDECAR-NOT-MAPPING", None, ["字段: 值"]),
    ("doc_number: 义科〔2025〕3号\nid: Not An Ascii Slug\n", "E-SIDECAR-BAD-VALUE", 2, ["id", "小写字母"]),
    ("title: x\ndoc_number: [unclosed\n", "E-SIDECAR-LINE", 2, ["引号", "其余各行照常采用"]),
    ("cc:\n  - [unclosed\n", "E-SIDECAR-YAML", 2, ["整个文件未采用", "引号"]),
    ("date_printed: 2025年13月1日\n", "E-SIDECAR-BAD-DATE", 1, ["2025-03-01、2025年3月1日 或 二〇二五年三月一日"]),
    ("title: x\nissuer_kind: 科技局\n", "E-SIDECAR-BAD-VALUE", 2, ["人民政府", "街道乡镇", "不是允许的取值"]),
])
def test_a_bad_sidecar_never_unpublishes_the_report(tmp_path, sidecar, code, line, words):
    """The report is published from its own text; the sidecar error is an ERROR naming the file, the line and the fix."""
    shutil.copy(SEED, tmp_path / SEED.name)
    _write(tmp_path, f"{SEED.name}.meta.yml", sidecar)
    done = run_gongwen("check", "--corpus", str(tmp_path))
    assert done.stdout.startswith("共 1 个文件：发布 1 个页面，未发布 0 个；错误 1 条")
    assert done.returncode == 1
    error = next(m for m in _lines(done.stdout)[SEED.name] if m.group("level") == "错误")
    assert error.group("code") == code
    assert f"元数据文件 {SEED.name}.meta.yml" in error.group("text") and "处理：" in error.group("text")
    if line:
        assert f"第 {line} 行" in error.group("text")
    for word in words:
        assert word in error.group("text")


def test_every_sidecar_error_at_once_with_did_you_mean(tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)
    _write(tmp_path, f"{SEED.name}.meta.yml",
           "doc_numer: 义科〔2025〕3号\nprinter: 义马市科学技术局办公室\ndate_signed: 2025年3月1日\n"
           "date_printd: 2025-03-02\nlevel: 村级\ncc: [市司法局\n")
    done = run_gongwen("check", "--corpus", str(tmp_path))
    errors = [m for m in _lines(done.stdout)[SEED.name] if m.group("level") == "错误"]
    assert [(m.group("code"), re.search(r"第 (\d+) 行", m.group("text")).group(1)) for m in errors] == [
        ("E-SIDECAR-UNKNOWN-FIELD", "1"), ("E-SIDECAR-UNKNOWN-FIELD", "4"), ("E-SIDECAR-BAD-VALUE", "5"),
        ("E-SIDECAR-LINE", "6")]
    assert "是否应为 `doc_number`？" in errors[0].group("text")
    assert "是否应为 `date_printed`？" in errors[1].group("text")
    row = json.loads(run_gongwen("extract", "--json", str(tmp_path / SEED.name)).stdout)[0]
    assert row["title"] == SEED_TITLE  # still published, from its own text, with the good lines applied
    assert row["printer"] == "义马市科学技术局办公室" and row["date_signed"] == "2025-03-01"
    assert row["overridden"] == ["date_signed", "printer"] and row["doc_number"] is None


def test_a_title_less_text_is_published_with_a_sidecar_title(tmp_path):
    """Text copied from a web page starts at the body; the error says to add title:, and doing so publishes it."""
    body = SEED_TEXT.split("\n\n", 1)[1]
    _write(tmp_path, "web.txt", body)
    done = run_gongwen("check", "--corpus", str(tmp_path))
    error = _lines(done.stdout)["web.txt"][0]
    assert error.group("code") == "E-NO-TITLE"
    assert "web.txt.meta.yml" in error.group("text") and "title:" in error.group("text") and "year:" in error.group("text")
    _write(tmp_path, "web.txt.meta.yml", f"title: {SEED_TITLE}\n")
    done = run_gongwen("check", "--corpus", str(tmp_path))
    assert done.stdout.startswith("共 1 个文件：发布 1 个页面，未发布 0 个；错误 0 条"), done.stdout
    row = json.loads(run_gongwen("extract", "--json", str(tmp_path / "web.txt")).stdout)[0]
    assert (row["title"], row["year"], row["issuer"]) == (SEED_TITLE, 2024, "义马市科学技术局")
    assert row["overridden"] == ["title"] and row["id"] == "henan/sanmenxia/yima/kjj/2024"


def test_a_title_without_a_year_is_published_with_a_sidecar_year(tmp_path):
    _write(tmp_path, "no-year.txt", SEED_TEXT.replace("2024年法治政府建设年度工作报告", "法治政府建设年度工作报告", 1))
    assert _lines(run_gongwen("check", "--corpus", str(tmp_path)).stdout)["no-year.txt"][0].group("code") == "E-NO-YEAR"
    _write(tmp_path, "no-year.meta.yml", "year: 2024\n")
    assert run_gongwen("check", "--corpus", str(tmp_path)).returncode == 0


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    done = run_gongwen("check", "--corpus", str(tmp_path / "nowhere"))
    assert done.returncode != 0 and "找不到报告文件夹" in done.stderr


def test_an_id_set_by_hand_that_is_taken_is_rejected(tmp_path):
    for seed in sorted(CORPUS.glob("*.txt")):
        shutil.copy(seed, tmp_path / seed.name)
    _write(tmp_path, "other.txt", SEED_TEXT.replace("积极推动法治政府建设", "积极推动法治建设", 1))
    _write(tmp_path, "other.txt.meta.yml", "id: henan/jiaozuo/kjj/2023\n")
    error = _lines(run_gongwen("check", "--corpus", str(tmp_path)).stdout)["other.txt"][0]
    assert error.group("code") == "E-ID-TAKEN"
    assert "“henan/jiaozuo/kjj/2023”已被 002_e9196ebf62140957.txt 使用" in error.group("text")


def test_two_bureaus_with_one_slug_are_warned_about(tmp_path):
    """不动产登记局 and 不动产地籍局 in one city both abbreviate to bdcdjj: the check names the clash."""
    text = (CORPUS / "004_a3d568ff32f023b9.txt").read_text(encoding="utf-8")
    _write(tmp_path, "a.txt", text.replace("信阳市科学技术局", "信阳市不动产登记局"))
    _write(tmp_path, "b.txt", text.replace("信阳市科学技术局", "信阳市不动产地籍局"))
    done = run_gongwen("check", "--corpus", str(tmp_path))
    assert done.stdout.startswith("共 2 个文件：发布 2 个页面，未发布 0 个")
    warning = next(m for m in _lines(done.stdout)["b.txt"] if m.group("code") == "W-BUREAU-ID-SHARED")
    assert "“henan/xinyang/bdcdjj”也是 信阳市不动产登记局 的 id" in warning.group("text")


#: What may stay English in a maintainer's output: codes, file names and paths, field keys, options and commands.
NOT_PROSE = re.compile(r"\[[EW]-[A-Z0-9-]+\]|[\w./-]*\.[A-Za-z0-9]{1,8}\b|\b[a-z]+(?:_[a-z]+)+\b|--?[a-z-]+|\{[a-z,]+\}")
#: Three English words in a row: a sentence (or the start of one) a Chinese maintainer would have to read.
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?:[\s,;:'()]+[A-Za-z]{2,}){2,}")


def english_sentences(text: str) -> list[str]:
    from gongwen.model import FrontMatter
    for key in sorted(FrontMatter.model_fields, key=len, reverse=True):
        text = re.sub(rf"\b{key}\b", " ", text)
    return ENGLISH_WORDS.findall(NOT_PROSE.sub(" ", text))


def test_english_sentences_are_found_by_the_scan():
    assert english_sentences("错误 x.txt：the file is not readable") == ["the file is not readable"]
    assert english_sentences("错误 [E-NO-TITLE] a.txt：doc_number 与 source_doc_number，见 docs/maintaining.md") == []


def test_no_english_sentence_in_the_validation_report_or_the_help(bad_corpus):
    _write(bad_corpus, "001_bfb220357d947980.txt.meta.yml", "doc_numer: 1\ndate_signed: 昨天\nlevel: 乡级\n- x\n")
    _write(bad_corpus, "002_e9196ebf62140957.txt.meta.yml", "year: 二〇二三\nid: Not a slug\ncolour: red\n")
    outputs = [run_gongwen("check", "--corpus", str(bad_corpus)).stdout]
    outputs += [run_gongwen(*command, "--help").stdout for command in
                ([], ["extract"], ["build"], ["check"], ["schema"], ["synth"])]
    outputs.append(run_gongwen("synth", "--count", "many").stderr)
    assert "错误 [E-SIDECAR-LINE]" in outputs[0] and "用法：gongwen" in outputs[1]
    for output in outputs:
        assert english_sentences(output) == [], output


def test_the_maintainers_guide_lists_every_code():
    from conftest import ROOT
    from gongwen.messages import codes_table
    guide = (ROOT / "docs" / "maintaining.md").read_text(encoding="utf-8")
    assert codes_table() in guide, "paste the output of gongwen.messages.codes_table() into docs/maintaining.md"
    for heading in ("## 添加报告", "## 纠正元数据", "## 处理报错", "## 发布"):
        assert heading in guide
    assert "docs/maintaining.md" in (ROOT / "README.md").read_text(encoding="utf-8")


SIDECAR_LINES = st.lists(st.one_of(
    st.sampled_from(["title: 某局2024年报告", "year: 2024", "year: x", "doc_numer: 1", "date_signed: 2025年2月30日",
                     "level: 乡级", "recipients: 市委、市政府", "- a", "id: A B", "tags: [", "cc: {a: 1}", "date_printed:"]),
    st.text(max_size=40)), max_size=8)


@given(SIDECAR_LINES, st.binary(max_size=60))
@settings(max_examples=40, deadline=None, derandomize=True, database=None)
def test_reading_any_sidecar_never_raises(lines, raw):
    """A sidecar is a maintainer's hand-written file: whatever it holds, the answer is fields and ERROR lines."""
    for data in ("\n".join(lines).encode("utf-8"), raw):
        found = read_sidecar("x.txt.meta.yml", data)
        assert all(error.startswith("overridden: [E-SIDECAR-") for error in found.errors)
        assert set(found.fields) <= set(OVERRIDABLE)


def test_an_undeclared_big5_web_page_is_refused_not_read_as_gbk():
    from gongwen.readers.html import read_html
    page = f"<html><body><div id='zoom'><p>{TRADITIONAL.replace(chr(10), '</p><p>')}</p></div></body></html>"
    with pytest.raises(InputError) as raised:
        read_html(page.encode("big5"))
    assert raised.value.code == "E-HTML-ENCODING"
    assert read_html(page.encode("big5").replace(b"<html>", b"<html><meta charset='big5'>")).items[0].startswith("義馬市")


def test_a_corpus_of_refused_files_only_still_builds_a_site(tmp_path):
    """Nothing publishable (a maintainer's first try with files the archive refuses): the site is built, with no
    report, and every file has its line; the search index is empty, not a crash."""
    from conftest import build_site
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus, "empty.txt", b"")
    _write(corpus, "notitle.txt", "2024年，我局坚持依法行政，推进法治政府建设，取得新成效。\n")
    site, done = build_site(tmp_path, corpus)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "共 2 个文件：发布 0 个页面，未发布 2 个" in done.stdout
    assert (site / "index.html").exists() and (site / "search").is_dir()
