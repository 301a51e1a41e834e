"""Query words: jieba's algorithm over the build's lexicon, name forms from general rules, traditional
characters from OpenCC's table, and the lexicon's shards (what the browser downloads) read back intact."""

from __future__ import annotations

import json
import math
import re

import jieba
import pytest

from conftest import SEEDS
from gongwen.datafiles import load_vocabulary
from gongwen.pipeline import report_from_text
from gongwen.search.analyzer import document
from gongwen.search.builder import gram_key, search_files
from gongwen.search.postingfiles import gram_name
from gongwen.search.lexicon import (COST_SCALE, Lexicon, archive_grams, derive_lexicon, jieba_words, lexicon_files, opencc_characters,
                                    gram_shard, pair_of, read_lexicon, shard_of)
from gongwen.search.names import NameRules, department_groups, forms, name_rules, short_place
from gongwen.search.words import analyse, cut


@pytest.fixture(scope="module")
def reports():
    return [report_from_text(path.read_text(encoding="utf-8"), path.name, "0" * 64) for path in SEEDS]


@pytest.fixture(scope="module")
def lexicon(reports):
    return derive_lexicon(archive_grams([document(r) for r in reports]), reports, name_rules(load_vocabulary(), reports))


def test_cut_is_jiebas_dag_and_max_probability_route():
    """Over jieba's whole dictionary, ``cut`` gives exactly jieba's own ``lcut(HMM=False)`` on every Han run
    of the seeds: the algorithm is jieba's, only the costs are integers (so that JavaScript adds the same)."""
    words = jieba_words()
    total = sum(words.values())
    full = Lexicon({w: round((math.log(total) - math.log(f)) * COST_SCALE) for w, f in words.items() if f},
                   round(math.log(total) * COST_SCALE))
    tokenizer = jieba.Tokenizer()
    runs = [run for path in SEEDS for run in re.findall(r"[\u4e00-\u9fa5]+", path.read_text(encoding="utf-8"))]
    assert len(runs) > 1000
    assert [cut(full, run) for run in runs] == [tokenizer.lcut(run, HMM=False) for run in runs]


def test_name_forms_follow_general_rules_not_a_list_per_bureau():
    """The rules work for places and bureaus the seeds do not have (郑州, 金水区, 苏州 from the division table)."""
    rules = NameRules(department_groups(load_vocabulary()),
                      tuple((p, short_place(p)) for p in ("郑州市", "金水区", "苏州市", "河南省")))
    assert set(forms("苏州科技局", rules)) >= {"苏州科技局", "苏州市科学技术局", "苏州科学技术局"}
    assert "金水区科学技术局" in forms("郑州金水区科技局", rules)  # the city in front may be left out
    assert set(forms("郑州市政府", rules)) == {"郑州市政府", "郑州市人民政府", "郑州政府", "郑州人民政府"}
    assert forms("市场监管局", rules) == ["市场监督管理局", "市场监管局"]
    assert forms("法治政府", rules) == ["法治政府"] and forms("法律顾问", rules) == ["法律顾问"]
    assert short_place("城区") is None and short_place("义马市") == "义马"


def test_traditional_characters_come_from_opencc_and_only_where_the_archive_needs_them(lexicon, reports):
    table = opencc_characters()
    assert len(table) > 2500 and table["顧"] == "顾" and table["執"] == "执" and table["區"] == "区"
    text = "".join(document(r).key for r in reports)
    assert lexicon.t2s["顧"] == "顾" and lexicon.t2s["執"] == "执"
    assert all(simple in text and trad not in text for trad, simple in lexicon.t2s.items())
    assert len(lexicon.t2s) < len(table)


def test_queries_are_cut_into_the_archives_words(lexicon):
    def cut_query(query):
        return [w.text for w in analyse(lexicon, query).words]
    assert cut_query("信阳市科学技术局2024年") == ["信阳市科学技术局", "2024年"]
    assert cut_query("马村区科技局") == ["马村区科技局"] or cut_query("马村区科技局") == ["马村区", "科技局"]
    assert cut_query("法律顧問") == ["法律顾问"] and cut_query("行政執法") == ["行政", "执法"]
    assert cut_query("西工区科技局2024年度报告")[-2:] == ["2024年", "报告"]
    assert cut_query("焦科组（2024）5号 法治") == ["焦科组〔2024〕5号", "法治"]
    pasted = "全面贯彻落实党的二十大和二十届二中、三中全会精神，全面贯彻落实市委、市政府决策部署，紧紧围绕法治政府建设工作任务"
    assert len(analyse(lexicon, pasted).words) == 12 and analyse(lexicon, pasted).phrases[0].text == pasted
    assert analyse(lexicon, '"法治政府"').exact_only and not analyse(lexicon, "法治政府").exact_only
    科技局 = next(w for w in analyse(lexicon, "义马科技局").words if w.text == "科技局")
    assert set(科技局.forms) == {"科技局", "科学技术局"}


def test_lexicon_keeps_only_words_that_can_occur_and_reads_back_from_its_shards(lexicon, reports):
    keys = "\n".join(document(r).key for r in reports)
    assert "法治" in lexicon.costs and "量子力学" not in lexicon.costs
    assert {"马村区", "马村", "义马", "科技局", "科学技术局"} <= set(lexicon.costs)
    assert all(len(w) == 1 or w[:2] in keys for w in lexicon.costs if w not in lexicon.urls and len(w) < 3)
    assert lexicon.urls["马村区"].startswith("regions/henan/jiaozuo/") and lexicon.urls["信阳市科技局"].startswith("bureaus/")
    files, shards, pairs = lexicon_files(lexicon)
    assert shards > 1 and pairs > 1 and len(files) == shards + pairs
    back = read_lexicon(files, lexicon.unknown)
    assert all(json.loads(data)["o"] == {} and json.loads(data)["p"] == [] for data in files.values())  # no grams given
    # a word of two characters or more is in the shard of its first two (v/), a character in its own (w/)
    for name, data in files.items():
        for word in json.loads(data)["w"]:
            assert name == (f"v/{pair_of(word, pairs)}.json" if len(word) > 1 else f"w/{shard_of(word, shards)}.json")
    built = search_files(reports)  # the builder takes the grams from its postings: the same lexicon
    shipped = read_lexicon(built, json.loads(built["meta.json"])["words"]["unknown"])
    assert (shipped.costs, shipped.forms, shipped.urls, shipped.t2s) == (lexicon.costs, lexicon.forms, lexicon.urls, lexicon.t2s)
    assert (back.costs, back.forms, back.urls, back.t2s) == (lexicon.costs, lexicon.forms, lexicon.urls, lexicon.t2s)


def test_grams_with_a_file_of_their_own_are_listed_in_the_shard_of_their_first_two_characters(reports):
    """meta.json no longer carries the list (it grows with the archive): each shard lists its own grams, a
    longer gram's by its first two characters after the marks (v/), a single character's by it (w/)."""
    files = search_files(reports * 40)  # enough documents for some postings to get a file of their own
    meta = json.loads(files["meta.json"])
    assert "own" not in meta
    listed = {gram: name for name, data in files.items() if name.startswith(("w/", "v/")) for gram in json.loads(data)["o"]}
    own_files = {name for name in files if name.startswith("g/")}  # buckets are b/<n>.bin
    assert listed and {f"g/{gram_name(gram_key(gram))}.bin" for gram in listed} == own_files
    for gram, shard in listed.items():
        bare = gram.lstrip("\x00\x01")
        assert shard == (f"v/{pair_of(bare, meta['words']['pairs'])}.json" if len(bare) > 1
                         else f"w/{shard_of(bare, meta['words']['shards'])}.json") == gram_shard(gram, meta["words"]["shards"], meta["words"]["pairs"])
        size = len(files[f"g/{gram_name(gram_key(gram))}.bin"])  # listed with its size in KB, rounded up
        assert json.loads(files[shard])["o"][gram] == -(-size // 1024) > 4
