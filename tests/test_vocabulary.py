"""The curated data files: bureau aliases and topics, as shipped and as a maintainer might break them."""

from __future__ import annotations

import pytest

from gongwen.datafiles import load_id_history, load_vocabulary
from gongwen.vocabulary import VocabularyError, canonical_bureau, parse_bureaus, parse_topics, topics_of


def test_printed_names_resolve_to_one_bureau():
    vocabulary = load_vocabulary()
    assert canonical_bureau(vocabulary, "焦作市科技局", "焦作市").name == "焦作市科学技术局"
    assert canonical_bureau(vocabulary, "焦作市科学技术局", "焦作市").slug == "kjj"
    assert canonical_bureau(vocabulary, "西工区科技局", "西工区").name == "西工区科学技术局"
    assert canonical_bureau(vocabulary, "马村区科学科技局", "马村区").name == "马村区科学技术局"
    unknown = canonical_bureau(vocabulary, "信阳市不动产登记中心", "信阳市")
    assert (unknown.name, unknown.slug) == ("信阳市不动产登记中心", "bdcdjzx")


def test_topic_rule_counts_occurrences_of_all_terms():
    topics = parse_topics([{"tag": "行政复议", "slug": "review", "terms": ["行政复议", "行政诉讼"], "min_hits": 2}])
    assert topics_of("依法办理行政复议案件。", topics) == []
    assert topics_of("行政复议一件，行政诉讼一件。", topics) == ["行政复议"]
    assert "合计不少于 2 次" in topics[0].rule()


def test_every_shipped_topic_has_a_slug_terms_and_a_description():
    topics = load_vocabulary().topics
    assert {"法律顾问", "规范性文件", "行政执法", "政务公开", "普法", "行政复议", "科技类校外培训", "信用体系"} <= {t.tag for t in topics}
    assert all(t.slug.isascii() and t.terms and t.description for t in topics)


def test_id_history_points_old_seed_ids_to_current_ones():
    assert load_id_history()["henan/jiaozuo/kxjsj/2023"] == "henan/jiaozuo/kjj/2023"


@pytest.mark.parametrize("data, message", [
    ({"bureaus": [{"name": "某局", "slug": "Not ASCII 局"}]}, "bureaus.yml: bureaus entry 1: needs `name` and an ASCII `slug`"),
    ({"departments": [{"name": "科技局", "slug": "kjj"}, {"name": "科学技术局", "slug": "kxjsj", "aliases": ["科技局"]}]},
     "“科技局” is listed for two entries"),
])
def test_a_broken_bureau_file_names_the_problem(data, message):
    with pytest.raises(VocabularyError, match=message):
        parse_bureaus(data)


def test_a_broken_topic_file_names_the_problem():
    with pytest.raises(VocabularyError, match="topics.yml: entry 2"):
        parse_topics([{"tag": "普法", "slug": "pufa", "terms": ["普法"]}, {"tag": "无词", "slug": "x"}])
