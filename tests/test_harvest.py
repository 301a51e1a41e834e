"""``gongwen harvest`` against a portal served on 127.0.0.1 (tests/harvest_portal.py): every pagination
style, robots.txt, failures, politeness, conditional second runs, a killed run resumed, a changed report."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml
from warcio.archiveiterator import ArchiveIterator

from gongwen.harvest.crawl import Harvest, Source
from gongwen.harvest.fetch import Interrupted, Politeness
from gongwen.harvest.summary import summary_text
from harvest_portal import Portal, listing_page, report_page, report_text

FIXED_NOW = "2026-03-01T08:00:00Z"
FAST = Politeness(contact="tests@example.org", delay=0, timeout=0.5, retries=2, backoff=0.5, max_bytes=50_000)
#: The reports of the portal: folder (under the host's) → the title its listing shows.
REPORTS = {
    "static/art/a1": "甲市司法局2023年法治政府建设年度报告",
    "static/art/b1": "平潭综合实验区2022年法治政府建设情况",
    "static/art/c1": "甲市交通运输局关于报送2023年度法治政府建设情况的函",
    "trs/t1": "甲市财政局关于2022年法治工作情况暨2023年工作要点的报告",
    "trs/t2": "甲市教育局2023年度法治政府建设工作报告",
    "trs/t3": "甲市民政局2023年依法行政工作情况报告",
    "jcms/art/h1": "甲市卫生健康委员会2023年法治政府建设年度报告",
    "jcms/art/i1": "甲市水利局2023年法治建设工作报告",
    "jcms/art/k1": "甲市自然资源局2023年法治政府建设年度报告",
    "json/art/j1": "甲市应急管理局2023年法治政府建设年度报告",
    "json/art/j2": "甲市审计局2023年法治政府建设情况报告",
    "endless/art/l1": "甲市商务局2023年法治政府建设年度报告",
}
#: Documents of the columns that are not annual reports, never fetched.
OTHERS = {
    "/static/art/n1.html": "甲市司法局关于印发2024年法治政府建设工作要点的通知",
    "/static/art/n2.html": "甲市司法局2023年政府信息公开工作年度报告",
    "/trs/n3.html": "甲市人民政府关于法治政府建设示范创建实施方案的批复",
    "/jcms/art/n4.html": "甲市法治政府建设实施方案",
    "/json/art/n5.html": "甲市人民政府办公室关于开展行政执法案卷评查的通知",
}


def build_portal(portal: Portal, base: str) -> None:
    add = portal.add
    add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    meta = lambda title, day: {"ArticleTitle": title, "PubDate": f"2024-03-{day:02d} 09:30", "ContentSource": "甲市司法局",
                               "SiteName": "甲市人民政府", "SiteIDCode": "0000000000", "ColumnName": "法治政府建设",
                               "Url": f"{base}/x"}
    # Static pagination: index.html, index_1.html, index_2.html (and a 下一页 link).
    add("/static/index.html", listing_page("法治政府建设", [
        (REPORTS["static/art/a1"], "art/a1.html"), (OTHERS["/static/art/n1.html"], "art/n1.html"),
        (OTHERS["/static/art/n2.html"], "art/n2.html")],
        '<a href="index.html">1</a><a href="index_1.html">2</a><a href="index_2.html">3</a><a href="index_1.html">下一页</a>'))
    add("/static/index_1.html", listing_page("法治政府建设", [(REPORTS["static/art/b1"], "art/b1.html")],
                                             '<a href="index.html">1</a><a href="index_2.html">下一页</a>'))
    add("/static/index_2.html", listing_page("法治政府建设", [
        (REPORTS["static/art/c1"], "art/c1.html"), ("乙县司法局2023年法治政府建设年度报告", "/private/art/p1.html")]))
    add("/static/art/a1.html", report_page(REPORTS["static/art/a1"], report_text("甲市司法局", 2023),
                                           [("附件：年度报告（PDF版）", "../files/a1.pdf")], meta(REPORTS["static/art/a1"], 1)))
    add("/static/files/a1.pdf", b"%PDF-1.4\n% a test attachment, not parsed by the harvest\n", content_type="application/pdf")
    add("/static/art/b1.html", report_page(REPORTS["static/art/b1"], ["全文见附件。"],
                                           [("平潭2022年法治政府建设情况.docx", "../files/b1.docx"), ("同上（PDF）", "../files/b1.pdf")],
                                           meta(REPORTS["static/art/b1"], 2)))
    add("/static/files/b1.docx", b"PK\x03\x04 a test docx attachment", content_type="application/octet-stream")
    add("/static/files/b1.pdf", b"%PDF-1.4\n% another test attachment\n", content_type="application/pdf")
    add("/static/art/c1.html", report_page(REPORTS["static/art/c1"], report_text("甲市交通运输局", 2023),
                                           printed={"发布时间": "2024-03-05", "来源": "甲市交通运输局", "索引号": "000000-2024-00005"}))
    add("/private/art/p1.html", report_page("乙县司法局2023年法治政府建设年度报告", report_text("乙县司法局", 2023)))
    for path, title in OTHERS.items():
        add(path, report_page(title, ["这不是年度报告。"]))
    # Script pagination (TRS): createPageHTML(countPage, 0, "index", "html"); a GBK listing with no charset.
    script = '<script>var countPage = 3; var currentPage = 0;\ncreatePageHTML(countPage, currentPage, "index", "html");</script>'
    add("/trs/index.html", listing_page("依法行政", [(REPORTS["trs/t1"], "t1.html"), (OTHERS["/trs/n3.html"], "n3.html")],
                                        script=script, charset=None).encode("gb18030"), content_type="text/html")
    add("/trs/index_1.html", listing_page("依法行政", [(REPORTS["trs/t2"], "t2.html"),
                                                      (REPORTS["static/art/a1"], "/static/art/a1.html")], script=script.replace("0;", "1;")))
    add("/trs/index_2.html", listing_page("依法行政", [(REPORTS["trs/t3"], "t3.html"),
                                                      ("丙县财政局2021年法治政府建设年度报告", "gone.html"),
                                                      ("丁县财政局2021年法治政府建设年度报告", "loop.html")]))
    add("/trs/t1.html", report_page(REPORTS["trs/t1"], report_text("甲市财政局", 2022), charset=None).encode("gb18030"),
        content_type="text/html")
    add("/trs/t2.html", report_page(REPORTS["trs/t2"], report_text("甲市教育局", 2023)), fail_first=1)
    add("/trs/t3.html", report_page(REPORTS["trs/t3"], report_text("甲市民政局", 2023)), slow_first=0.8)
    add("/trs/loop.html", "", redirect="/trs/loop2.html")
    add("/trs/loop2.html", "", redirect="/trs/loop.html")
    # Records embedded as XML in a script (大汉 JCMS): three in the page, two more from the data proxy.
    record = lambda title, url: f'<record><![CDATA[<li><a href="{url}" title="{title}">{title}</a><span>2024-03-01</span></li>]]></record>'
    store = lambda records, total: (f'<datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?columnid=5"></a>]]>'
                                    f'</nextgroup><recordset>{"".join(records)}</recordset><totalrecord>{total}</totalrecord></datastore>')
    add("/jcms/col/col5/index.html", listing_page("法治建设", [], script='<script type="text/xml">' + store([
        record(REPORTS["jcms/art/h1"], "/jcms/art/h1.html"), record(REPORTS["jcms/art/i1"], "/jcms/art/i1.html"),
        record(OTHERS["/jcms/art/n4.html"], "/jcms/art/n4.html")], 5) + "</script>"))
    add("/module/web/jpage/dataproxy.jsp?columnid=5&startrecord=4&endrecord=6&perpage=3", store([
        record(REPORTS["jcms/art/k1"], "/jcms/art/k1.html"), record("戊县司法局2023年法治政府建设年度报告", "http://192.0.2.1/art/x.html")], 5),
        content_type="text/xml")
    add("/jcms/art/h1.html", report_page(REPORTS["jcms/art/h1"], report_text("甲市卫生健康委员会", 2023), meta=meta(REPORTS["jcms/art/h1"], 3)))
    add("/jcms/art/i1.html", report_page(REPORTS["jcms/art/i1"], report_text("甲市水利局", 2023)))
    add("/jcms/art/k1.html", report_page(REPORTS["jcms/art/k1"], ["全文见附件。"], [
        ("年度报告.pdf", "/jcms/download?id=1"), ("大文件.pdf", "/jcms/files/big.pdf"), ("外站附件.pdf", "http://192.0.2.1/x.pdf")]))
    add("/jcms/download?id=1", b"%PDF-1.4\n% named by the server\n", content_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="../../../escape.pdf"'})
    add("/jcms/files/big.pdf", b"%PDF-1.4\n" + b"0" * 80_000, content_type="application/pdf")
    # A JSON list behind the page.
    add("/json/index.html", listing_page("法治政府建设年度报告", [], script='<script>var listUrl = "data/list_1.json";</script>'))
    add("/json/data/list_1.json", json.dumps({"totalPage": 2, "data": {"list": [
        {"title": REPORTS["json/art/j1"], "url": "/json/art/j1.html"}]}}, ensure_ascii=False), content_type="application/json")
    add("/json/data/list_2.json", json.dumps({"totalPage": 2, "data": {"list": [
        {"title": REPORTS["json/art/j2"], "url": "/json/art/j2.html"},
        {"title": OTHERS["/json/art/n5.html"], "url": "/json/art/n5.html"}]}}, ensure_ascii=False), content_type="application/json")
    add("/json/art/j1.html", report_page(REPORTS["json/art/j1"], report_text("甲市应急管理局", 2023)))
    add("/json/art/j2.html", report_page(REPORTS["json/art/j2"], report_text("甲市审计局", 2023)))
    # Endless pagination: every page links to the next and lists the same entry.
    endless = lambda path: __import__("harvest_portal").Route(listing_page("法治政府建设", [
        (REPORTS["endless/art/l1"], "/endless/art/l1.html")],
        f'<a href="index_{int(path.rsplit("_", 1)[-1].split(".")[0]) + 1 if "_" in path else 1}.html">下一页</a>').encode())
    portal.dynamic.append(("/endless/index", endless))
    add("/endless/art/l1.html", report_page(REPORTS["endless/art/l1"], report_text("甲市商务局", 2023)))


COLUMNS = ["/static/index.html", "/trs/index.html", "/jcms/col/col5/index.html", "/json/index.html", "/endless/index.html"]


@pytest.fixture
def portal():
    server = Portal()
    base = server.start()
    build_portal(server, base)
    yield server, base
    server.stop()


def harvest(base: str, corpus: Path, work: Path, budget: int | None = None, **options) -> list:
    sources = [Source(base + path) for path in COLUMNS]
    return Harvest(corpus, work, options.pop("politeness", FAST), now=lambda: FIXED_NOW, budget=budget, **options).run(sources)


def host_folder(corpus: Path) -> Path:
    (folder,) = [p for p in corpus.iterdir() if p.is_dir()]
    return folder


def corpus_bytes(corpus: Path) -> dict[str, bytes]:
    return {p.relative_to(corpus).as_posix(): p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}


def test_every_report_is_found_and_nothing_else(portal, tmp_path):
    server, base = portal
    results = harvest(base, tmp_path / "corpus", tmp_path / "work")
    host = host_folder(tmp_path / "corpus")
    folders = {p.parent.relative_to(host).as_posix() for p in host.rglob("provenance.yml")}
    assert folders == set(REPORTS)
    assert all(server.hits[path] == 0 for path in OTHERS), "a non-report page was fetched"
    assert sum(tally.skipped for _, tally in results) == len(OTHERS)
    assert server.hits["/static/art/a1.html"] == 1, "a report in two columns is fetched once"
    assert server.hits["/trs/index_1.html"] == server.hits["/trs/index_2.html"] == 1  # createPageHTML's pages
    assert server.hits["/module/web/jpage/dataproxy.jsp?columnid=5&startrecord=4&endrecord=6&perpage=3"] == 1
    assert server.hits["/json/data/list_2.json"] == 1


def test_robots_txt_and_other_hosts_are_obeyed_and_one_request_at_a_time(portal, tmp_path):
    server, base = portal
    results = harvest(base, tmp_path / "corpus", tmp_path / "work")
    assert not any(path.startswith("/private/") for path in server.hits)
    assert server.hits["/robots.txt"] == 1
    assert server.max_active == 1
    notes = [(kind, url) for _, tally in results for kind, url, _ in tally.problems]
    assert ("robots", base + "/private/art/p1.html") in notes
    assert ("host", "http://192.0.2.1/x.pdf") in notes and ("host", "http://192.0.2.1/art/x.html") in notes


def test_the_portal_counts_requests_in_flight_together_and_not_one_the_client_gave_up():
    """The check above is only as good as the portal's count: two clients waiting at once are 2, a client
    that timed out is counted out before its retry comes (CI once saw 2 from that race)."""
    import threading
    import urllib.request

    server = Portal()
    base = server.start()
    server.add("/slow.html", "x", slow_first=0.6)
    server.add("/later.html", "y", slow_first=0.3)
    try:
        with pytest.raises(OSError):  # a time-out, then the same path asked again
            urllib.request.urlopen(base + "/slow.html", timeout=0.1)
        threading.Event().wait(0.2)
        assert urllib.request.urlopen(base + "/slow.html", timeout=5).read() == b"x"
        assert server.max_active == 1
        waiting = threading.Thread(target=lambda: urllib.request.urlopen(base + "/later.html", timeout=5).read())
        waiting.start()
        while not server.active:  # the first client is being answered (slowly)
            threading.Event().wait(0.01)
        urllib.request.urlopen(base + "/slow.html", timeout=5).read()
        waiting.join()
        assert server.max_active == 2
    finally:
        server.stop()


def test_requests_to_one_host_are_spaced_by_the_delay(portal, tmp_path):
    server, base = portal
    slow = Politeness(delay=0.05, timeout=5, retries=0, backoff=0)
    Harvest(tmp_path / "corpus", tmp_path / "work", slow, now=lambda: FIXED_NOW).run([Source(base + "/static/index.html")])
    gaps = [b - a for a, b in zip(server.times, server.times[1:])]
    assert len(gaps) >= 6 and min(gaps) >= 0.045


def test_failures_retry_on_5xx_and_timeouts_not_on_4xx_and_end_loops(portal, tmp_path):
    server, base = portal
    results = harvest(base, tmp_path / "corpus", tmp_path / "work")
    host = host_folder(tmp_path / "corpus")
    assert server.hits["/trs/t2.html"] == 2 and (host / "trs/t2/page.html").is_file()  # 500, then success
    assert server.hits["/trs/t3.html"] == 2 and (host / "trs/t3/page.html").is_file()  # time-out, then success
    assert server.hits["/trs/gone.html"] == 1  # 404: no retry
    problems = {url: (kind, text) for _, tally in results for kind, url, text in tally.problems}
    assert problems[base + "/trs/gone.html"][0] == "http"
    assert problems[base + "/trs/loop.html"][0] == "loop" and "重定向循环" in problems[base + "/trs/loop.html"][1]
    assert problems[base + "/jcms/files/big.pdf"][0] == "size"
    assert not list(host.rglob("big*"))
    text = summary_text(results, len(COLUMNS))
    assert text.startswith("采集完成：来源 5 个，完成 5 个") and "处理：" in text and "错误 3 条" in text


def test_files_are_kept_byte_for_byte_inside_the_corpus_with_provenance(portal, tmp_path):
    server, base = portal
    harvest(base, tmp_path / "corpus", tmp_path / "work")
    host = host_folder(tmp_path / "corpus")
    assert (host / "trs/t1/page.html").read_bytes() == server.routes["/trs/t1.html"].body  # GBK, untouched
    k1 = host / "jcms/art/k1"
    assert (k1 / "escape.pdf").read_bytes() == server.routes["/jcms/download?id=1"].body
    assert [p for p in tmp_path.rglob("escape.pdf")] == [k1 / "escape.pdf"], "a ../ file name left the folder"
    record = yaml.safe_load((host / "static/art/b1/provenance.yml").read_text(encoding="utf-8"))
    assert record["source_url"] == base + "/static/art/b1.html"
    assert record["page"]["PubDate"] == "2024-03-02 09:30" and record["page"]["ContentSource"] == "甲市司法局"
    assert record["page"]["SiteIDCode"] == "0000000000" and record["page"]["ColumnName"] == "法治政府建设"
    by_name = {entry["name"]: entry for entry in record["files"]}
    assert set(by_name) == {"page.html", "b1.docx", "b1.pdf"}
    for name, entry in by_name.items():
        assert entry["sha256"] == hashlib.sha256((host / "static/art/b1" / name).read_bytes()).hexdigest()
        assert entry["retrieved_at"] == FIXED_NOW and entry["etag"].startswith('"') and entry["last_modified"]
    assert by_name["b1.pdf"]["url"] == base + "/static/files/b1.pdf"
    printed = yaml.safe_load((host / "static/art/c1/provenance.yml").read_text(encoding="utf-8"))["page"]
    assert printed == {"PubDate": "2024-03-05", "ContentSource": "甲市交通运输局", "IndexNumber": "000000-2024-00005"}


def test_every_exchange_is_in_the_warc(portal, tmp_path):
    server, base = portal
    harvest(base, tmp_path / "corpus", tmp_path / "work")
    responses, requests, truncated = {}, 0, []
    for path in (tmp_path / "work" / "warc").glob("*.warc.gz"):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                requests += record.rec_type == "request"
                if record.rec_headers.get_header("WARC-Truncated"):
                    truncated.append(record.rec_headers.get_header("WARC-Target-URI"))
                if record.rec_type == "response":
                    responses.setdefault(record.rec_headers.get_header("WARC-Target-URI"), []).append(
                        (record.http_headers.get_statuscode(), record.content_stream().read()))
    assert requests == sum(server.hits.values())
    assert sum(len(v) for v in responses.values()) == requests - 1  # the time-out got no answer
    assert truncated == [base + "/jcms/files/big.pdf"]
    assert responses[base + "/robots.txt"][0][0] == "200"
    assert responses[base + "/trs/t2.html"][0][0] == "500" and responses[base + "/trs/t2.html"][1][0] == "200"
    assert responses[base + "/static/files/a1.pdf"][0][1] == server.routes["/static/files/a1.pdf"].body


def test_second_run_downloads_nothing_unchanged(portal, tmp_path):
    server, base = portal
    harvest(base, tmp_path / "corpus", tmp_path / "work")
    before = corpus_bytes(tmp_path / "corpus")
    server.bodies.clear()
    server.hits.clear()
    results = harvest(base, tmp_path / "corpus", tmp_path / "work")
    assert sum(server.hits.values()) > 20, "the second run asked nothing"
    downloaded = {path for path, count in server.bodies.items() if count and path != "/robots.txt"}
    assert downloaded == {"/jcms/files/big.pdf"}, downloaded  # refused for its size, so asked again; nothing else
    assert corpus_bytes(tmp_path / "corpus") == before
    assert sum(t.new for _, t in results) == 0 and sum(t.unchanged for _, t in results) == len(REPORTS)


@pytest.mark.parametrize("budget", [5, 17, 30])
def test_killed_run_resumed_gives_the_same_corpus(tmp_path, budget):
    corpora, asked, port = {}, {}, 0
    for name, stop in (("whole", None), ("resumed", budget)):
        server = Portal()
        base = server.start(port)  # the same address both times: the corpus names it
        port = server.server.server_port
        build_portal(server, base)
        try:
            if stop is not None:
                with pytest.raises(Interrupted):
                    harvest(base, tmp_path / name, tmp_path / f"{name}-work", budget=stop)
                assert sum(server.hits.values()) == stop
            harvest(base, tmp_path / name, tmp_path / f"{name}-work")
            asked[name] = sum(server.hits.values())
        finally:
            server.stop()
        corpora[name] = corpus_bytes(tmp_path / name)
    assert corpora["resumed"] == corpora["whole"]
    assert asked["resumed"] <= asked["whole"] + 1, "the resumed run asked again for what it had (robots.txt aside)"
    assert not any(Path(p).name.endswith(".part") for p in corpora["resumed"])


def test_a_changed_report_is_kept_as_a_second_version(portal, tmp_path):
    server, base = portal
    harvest(base, tmp_path / "corpus", tmp_path / "work")
    host = host_folder(tmp_path / "corpus")
    first = (host / "static/art/a1/page.html").read_bytes()
    changed = report_page(REPORTS["static/art/a1"], report_text("甲市司法局", 2023)[:-2] + ["（2024年3月9日更正）", "甲市司法局", "2024年2月20日"],
                          [("附件：年度报告（PDF版）", "../files/a1.pdf")],
                          {"ArticleTitle": REPORTS["static/art/a1"], "PubDate": "2024-03-09 10:00", "ContentSource": "甲市司法局"})
    server.add("/static/art/a1.html", changed)
    results = harvest(base, tmp_path / "corpus", tmp_path / "work")
    folder = host / "static/art/a1"
    assert (folder / "page.html").read_bytes() == first
    assert (folder / "page.v2.html").read_text(encoding="utf-8") == changed
    record = yaml.safe_load((folder / "provenance.yml").read_text(encoding="utf-8"))
    pages = [e for e in record["files"] if e["url"] == base + "/static/art/a1.html"]
    assert [(e["name"], e["version"]) for e in pages] == [("page.html", 1), ("page.v2.html", 2)]
    assert pages[1]["page"]["PubDate"] == "2024-03-09 10:00"
    assert sum(t.changed for _, t in results) == 1


def test_endless_pagination_ends_with_a_message(tmp_path):
    server = Portal()
    base = server.start()
    server.dynamic.append(("/more/index", lambda path: __import__("harvest_portal").Route(listing_page("栏目", [
        (f"第{path}号其他文件的通知公告标题", f"/more/doc{len(path)}{path.count('_')}{hash(path) % 100000}.html")],
        f'<a href="index_{int(path.rsplit("_", 1)[-1].split(".")[0]) + 1 if "_" in path else 1}.html">下一页</a>').encode())))
    try:
        (source, tally), = Harvest(tmp_path / "c", tmp_path / "w", FAST, now=lambda: FIXED_NOW, max_pages=12).run(
            [Source(base + "/more/index.html")])
    finally:
        server.stop()
    assert tally.pages == 12 and tally.skipped == 12
    assert [kind for kind, _, _ in tally.problems] == ["pages"]


def test_a_column_paginated_by_a_page_div_script_is_walked_to_its_last_page(tmp_path):
    server = Portal()
    base = server.start()
    server.add("/robots.txt", "User-agent: *\nDisallow:\n", content_type="text/plain")
    bar = lambda current: f"<script>createPageHTML('page_div',3, {current},'list','shtml',7);</script>"
    titles = {1: "丙省司法厅2023年法治政府建设年度报告", 2: "丙省民政厅关于2023年度法治政府建设情况的报告",
              3: "丙省商务厅2023年法治政府建设工作报告"}
    for page, name in ((1, "list.shtml"), (2, "list_2.shtml"), (3, "list_3.shtml")):
        server.add(f"/col/{name}", listing_page("法治政府建设", [(titles[page], f"art/{page}.shtml"),
                                                                 (f"丙省第{page}号关于开展执法检查的通知", f"art/n{page}.shtml")],
                                               script=bar(page)))
        server.add(f"/col/art/{page}.shtml", report_page(titles[page], report_text("丙省司法厅", 2023)))
    try:
        (source, tally), = Harvest(tmp_path / "c", tmp_path / "w", FAST, now=lambda: FIXED_NOW).run(
            [Source(base + "/col/list.shtml")])
    finally:
        server.stop()
    assert server.hits["/col/list_2.shtml"] == server.hits["/col/list_3.shtml"] == 1 and "/col/list_1.shtml" not in server.hits
    assert (tally.pages, tally.found, tally.new, tally.skipped, tally.errors) == (3, 3, 3, 3, 0)
