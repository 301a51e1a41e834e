/* The search page (docs/search/index.md): form ↔ URL, results in tiers with snippets, the
 * zero-result hints, results while typing.  The DOM is built with textContent and createElement
 * only: a report containing <script> shows it as text.
 */
(function () {
  "use strict";
  var GW = window.gongwenSearch = window.gongwenSearch || {};
  var PAGE = GW.PAGE, FIELDS = GW.FIELDS;
  var TYPING_PAUSE_MS = 200;  // below a person's pause before Enter (the benchmark waits 300 ms)
  var TIER_NAMES = { 1: "完全匹配", 2: "包含全部词语", 3: "部分匹配" };
  var TIER_HINTS = { 1: "含有检索词原文", 2: "含有检索词的全部词语，顺序、位置不限", 3: "只含有部分词语" };

  // ---- snippets -----------------------------------------------------------------------------
  function occurrences(text, needles) {
    var spans = [];
    needles.forEach(function (needle) {
      for (var at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) spans.push([at, at + needle.length]);
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]); else merged.push(s.slice());
    });
    return merged;
  }

  // Where the first `count` code points of `text` end, in UTF-16 units (the index counts code points).
  function codeUnits(text, count) {
    var at = 0;
    for (var n = 0; n < count && at < text.length; n++) at += text.codePointAt(at) > 0xffff ? 2 : 1;
    return at;
  }

  // The first match of the paragraph holding the most different needles (words), in the text
  // (else in the metadata); with one needle, simply the first match in the text.
  function bestSpan(text, spans, bodyStart) {
    var inBody = spans.filter(function (s) { return s[0] > bodyStart; }), best = null, bestCount = 0, seen = {};
    inBody.forEach(function (s) {
      var line = text.lastIndexOf("\n", s[0] - 1) + 1;
      if (!seen[line]) seen[line] = { first: s, texts: new Set() };
      seen[line].texts.add(text.slice(s[0], s[1]));
      if (seen[line].texts.size > bestCount) { bestCount = seen[line].texts.size; best = seen[line].first; }
    });
    return best || spans[0] || [bodyStart + 1, bodyStart + 1];
  }

  // A window of one paragraph around the best match in the text (else in the metadata).
  function snippet(text, metaEnd, needles) {
    var bodyStart = codeUnits(text, metaEnd);
    var spans = occurrences(text, needles);
    var first = bestSpan(text, spans, bodyStart);
    var lineStart = text.lastIndexOf("\n", first[0] - 1) + 1, lineEnd = text.indexOf("\n", first[0]);
    if (lineEnd < 0) lineEnd = text.length;
    var start = Math.max(lineStart, first[0] - 40), end = Math.min(lineEnd, first[0] + 100);
    var parts = [], at = start;
    spans.forEach(function (s) {
      if (s[1] <= start || s[0] >= end) return;
      var a = Math.max(s[0], start), b = Math.min(s[1], end);
      if (a > at) parts.push({ text: text.slice(at, a) });
      parts.push({ text: text.slice(a, b), mark: true });
      at = b;
    });
    if (end > at) parts.push({ text: text.slice(at, end) });
    return { before: start > lineStart, parts: parts, after: end < lineEnd };
  }

  // ---- page ---------------------------------------------------------------------------------
  function stateFromUrl() {
    var params = new URLSearchParams(location.search), state = {};
    FIELDS.forEach(function (name) { state[name] = params.get(name) || ""; });
    return state;
  }

  function urlFromState(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    var query = params.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function link(text, href) { var a = element("a", "", text); a.href = href; return a; }

  function needlesOf(result, tier) {
    if (tier === 1) return result.phrases.map(function (p) { return p.text; });
    return [].concat.apply([], result.words.map(function (w) { return w.forms; }));
  }

  function renderResult(doc, tier, rank, meta, result) {
    return GW.fetchFile(GW.textFile(meta, doc), "text").then(function (file) {
      var split = file.indexOf("\n"), row = JSON.parse(file.slice(0, split)), key = file.slice(split + 1);
      var item = element("li", "gw-result");
      item.dataset.url = row.url;
      item.dataset.tier = String(tier);
      item.value = rank;  // the tier headings between results are list items too
      var title = link(row.title, new URL(row.url, GW.root).href);
      title.className = "gw-result__title";
      item.append(element("h3")); item.firstChild.append(title);
      var details = [row.bureau, row.year + "年", row.doc_number, row.region].filter(Boolean).join(" · ");
      item.append(element("p", "gw-result__meta", details));
      var cut = snippet(key, row.text_at, needlesOf(result, tier)), p = element("p", "gw-result__snippet");
      if (cut.before) p.append("…");
      cut.parts.forEach(function (part) { p.append(part.mark ? element("mark", "", part.text) : part.text); });
      if (cut.after) p.append("…");
      item.append(p);
      return item;
    });
  }

  function statusText(result) {
    if (!result.phrases.length && !result.docs.length) return "请输入检索词，或选择筛选条件。";
    if (result.deferred) return "完全匹配 " + result.counts[0] + " 篇报告；只含检索词部分词语的报告列在其后，翻过这些结果时再查。";
    var parts = [TIER_NAMES[1] + " " + result.counts[0] + " 篇"];
    if (result.counts[1] || result.counts[2]) parts.push(TIER_NAMES[2] + " " + result.counts[1] + " 篇");
    if (result.counts[2]) parts.push(TIER_NAMES[3] + " " + result.counts[2] + " 篇");
    return "共找到 " + result.docs.length + " 篇报告（" + parts.join("，") + "）";
  }

  // No result: what was searched, a query with fewer words that finds something, browse pages named.
  function zeroHints(hints, query, result, search) {
    hints.replaceChildren();
    if (result.docs.length || !result.phrases.length) { hints.hidden = true; return; }
    hints.hidden = false;
    hints.append(element("p", "", "没有找到含有“" + query + "”的报告。"));
    if (result.suggestion) {
      var p = element("p", "gw-hints__try", "试试：");
      var a = link(result.suggestion, urlFromState({ q: result.suggestion }));
      a.addEventListener("click", function (event) { event.preventDefault(); search(result.suggestion); });
      p.append(a);
      hints.append(p);
    }
    var named = result.words.filter(function (w) { return w.url; });
    if (named.length) {
      var browse = element("p", "gw-hints__browse", "浏览：");
      named.forEach(function (w, i) { if (i) browse.append("、"); browse.append(link(w.text, new URL(w.url, GW.root).href)); });
      hints.append(browse);
    }
    var more = element("p", "", "也可以减少词语、改用简称或全称，或");
    more.append(link("按部门", new URL("bureaus/", GW.root).href), "、", link("按地区", new URL("regions/", GW.root).href), "浏览。");
    hints.append(more);
  }

  GW.page = { snippet: snippet, stateFromUrl: stateFromUrl, urlFromState: urlFromState, element: element,
              renderResult: renderResult, statusText: statusText, zeroHints: zeroHints, TIER_NAMES: TIER_NAMES,
              TIER_HINTS: TIER_HINTS, TYPING_PAUSE_MS: TYPING_PAUSE_MS, PAGE: PAGE };
})();
