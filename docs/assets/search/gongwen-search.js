/* Exact Chinese search over the static index in search/ (built by scripts/gongwen/search/).
 *
 * The analysis below (fold, searchKey, parseQuery) mirrors scripts/gongwen/search/analyzer.py
 * character for character; tests/test_search_browser.py checks the two agree in Chromium.
 * A phrase is found from the positions of its trigrams, so every hit is verified exactly:
 * no result is reported that does not contain the phrase, and none that does is missed.
 */
(function () {
  "use strict";

  // ---- analysis: twin of analyzer.py / searchdata.py -------------------------------------
  var DROPPED = " \t\r\f\v\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff";
  var ASCII_TO_FULL = { ",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？" };
  var KEY_DOC_NUMBER = /[\[（【［〔]([0-9]{4})[\]）】］〕](?=[0-9]{1,4}号)/g;
  var QUERY_DOC_NUMBER = /([\u3400-\u9fff]*)\s*[\[（【［〔]?\s*((?:19|20)[0-9]{2})\s*[\]）】］〕]?\s*([0-9]{1,4})\s*号/g;

  function foldChar(ch) {
    var code = ch.codePointAt(0);
    if ((code >= 0xff10 && code <= 0xff19) || (code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a)) {
      ch = String.fromCodePoint(code - 0xfee0);
    }
    if (ch >= "A" && ch <= "Z") return ch.toLowerCase();
    return Object.prototype.hasOwnProperty.call(ASCII_TO_FULL, ch) ? ASCII_TO_FULL[ch] : ch;
  }

  function fold(text) {
    var out = "";
    for (var ch of text) out += DROPPED.indexOf(ch) >= 0 ? " " : foldChar(ch);
    return out;
  }

  function searchKey(text) {
    var out = "";
    for (var ch of text) if (DROPPED.indexOf(ch) < 0) out += foldChar(ch);
    return out.replace(KEY_DOC_NUMBER, "〔$1〕");
  }

  function parseQuery(query) {
    var folded = fold(query), phrases = [], seen = {};
    function add(text, docNumber) {
      var id = (docNumber ? "1" : "0") + text;
      if (!seen[id]) { seen[id] = true; phrases.push({ text: text, docNumber: docNumber }); }
    }
    folded.replace(QUERY_DOC_NUMBER, function (m, prefix, year, number) { add(prefix + "〔" + year + "〕" + number + "号", true); return m; });
    folded.replace(QUERY_DOC_NUMBER, " ").split(/\s+/).forEach(function (part) {
      var key = searchKey(part);
      if (key) add(key, false);
    });
    return phrases;
  }

  // ---- index files -------------------------------------------------------------------------
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href);
  var base = new URL("search/", root);
  var cache = {};

  function fetchFile(path, kind) {
    if (!cache[path]) {
      cache[path] = fetch(new URL(path, base)).then(function (response) {
        if (!response.ok) throw new Error(path + ": HTTP " + response.status);
        return kind === "json" ? response.json() : kind === "text" ? response.text() : response.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      });
      cache[path].catch(function () { delete cache[path]; });  // a failed fetch is tried again next time
    }
    return cache[path];
  }

  function Reader(bytes, at, end) { this.bytes = bytes; this.at = at || 0; this.end = end === undefined ? bytes.length : end; }
  Reader.prototype.next = function () {
    var value = 0, scale = 1, byte;
    do { byte = this.bytes[this.at++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80);
    return value;
  };

  // Postings of a gram (its code points): its own file, or an entry of its hashed bucket.
  function postings(meta, gram) {
    var codes = Array.from(gram).map(function (ch) { return ch.codePointAt(0); });
    var name = codes.map(function (c) { return c.toString(16); }).join("-");
    if (meta.ownSet.has(name)) return fetchFile("g/" + name + ".bin");
    var bucket = codes.reduce(function (value, code) { return (value * 7919 + code) % meta.buckets; }, codes.length);
    return fetchFile("g/" + bucket + ".bin").then(function (bytes) {
      var reader = new Reader(bytes);
      while (reader.at < bytes.length) {
        var n = reader.next(), same = n === codes.length;
        for (var i = 0; i < n; i++) same = reader.next() === codes[i] && same;
        var length = reader.next();
        if (same) return bytes.subarray(reader.at, reader.at + length);
        reader.at += length;
      }
      return null;
    }, function () { return null; });
  }

  // A gram's postings, decoded into typed arrays (a common gram is in nearly every report, so
  // no object per report): `docs` ascending and, for trigrams, each report's positions in
  // pos[from[i]] … pos[from[i + 1] - 1], ascending.
  var NO_POSITION = 0x7fffffff;  // a one- or two-character phrase: where it is is not indexed

  function decodeDocs(bytes) {
    if (!bytes) return { docs: new Int32Array(0) };
    var reader = new Reader(bytes), count = reader.next(), docs = new Int32Array(count), doc = 0;
    for (var i = 0; i < count; i++) { doc += reader.next(); docs[i] = doc; }
    return { docs: docs };
  }

  function decodePositions(bytes) {
    if (!bytes) return { docs: new Int32Array(0), from: new Int32Array(1), pos: new Int32Array(0) };
    var reader = new Reader(bytes), count = reader.next(), doc = 0, at = 0;
    // Each number takes at least one byte, so the file's length bounds the number of positions.
    var docs = new Int32Array(count), from = new Int32Array(count + 1), pos = new Int32Array(bytes.length);
    for (var i = 0; i < count; i++) {
      doc += reader.next();
      docs[i] = doc;
      from[i] = at;
      for (var n = reader.next(), position = 0; n > 0; n--) { position += reader.next(); pos[at++] = position; }
    }
    from[count] = at;
    return { docs: docs, from: from, pos: pos };
  }

  // The index of the first entry ≥ value in sorted[at …]; lists are walked together in step.
  function seek(sorted, value, at) {
    while (at < sorted.length && sorted[at] < value) at++;
    return at;
  }

  // Whether `doc` is in lists[from …] (each with ascending `docs`); moves each list's cursor at[k]
  // to it, so that a caller going through documents in ascending order walks every list once.
  function inAll(lists, doc, at, from) {
    for (var k = from; k < lists.length; k++) {
      at[k] = seek(lists[k].docs, doc, at[k]);
      if (lists[k].docs[at[k]] !== doc) return false;
    }
    return true;
  }

  function has(sorted, lo, hi, value) {
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] === value) return true;
      if (sorted[mid] < value) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  // A phrase's hits: the reports containing it (ascending), in each how often and where first.
  function Hits() { this.docs = []; this.count = []; this.first = []; }
  Hits.prototype.add = function (doc, count, first) { this.docs.push(doc); this.count.push(count); this.first.push(first); };

  // One or two characters: the reports holding that gram (exact, no positions).  Three or more:
  // trigrams at offsets 0, 3, 6, … and the last three characters cover the phrase, and their
  // positions verify it exactly.
  function phraseHits(meta, phrase) {
    var chars = Array.from(phrase.text);
    if (chars.length < 3) {
      return postings(meta, phrase.text).then(decodeDocs).then(function (list) {
        var hits = new Hits();
        list.docs.forEach(function (doc) { hits.add(doc, 0, NO_POSITION); });
        return hits;
      });
    }
    var offsets = [];
    for (var i = 0; i + 3 <= chars.length; i += 3) offsets.push(i);
    if (offsets[offsets.length - 1] + 3 < chars.length) offsets.push(chars.length - 3);
    return Promise.all(offsets.map(function (o) {
      return postings(meta, chars.slice(o, o + 3).join("")).then(decodePositions);
    })).then(function (lists) { return verified(lists, offsets); });
  }

  function verified(lists, offsets) {
    var hits = new Hits(), base = lists[0], at = new Int32Array(lists.length);
    for (var i = 0; i < base.docs.length; i++) {
      var doc = base.docs[i];
      if (!inAll(lists, doc, at, 1)) continue;
      var count = 0, first = NO_POSITION;
      for (var q = base.from[i]; q < base.from[i + 1]; q++) {
        var start = base.pos[q], whole = true;
        for (var k = 1; k < lists.length && whole; k++) {
          var list = lists[k];
          whole = has(list.pos, list.from[at[k]], list.from[at[k] + 1] - 1, start + offsets[k]);
        }
        if (whole) { if (!count) first = start; count++; }
      }
      if (count) hits.add(doc, count, first);
    }
    return hits;
  }

  // ---- query → ranked documents -------------------------------------------------------------
  function filtered(meta, filters, state, doc) {
    if (state.year && String(meta.first_year + meta.year[doc]) !== state.year) return false;
    if (!filters) return true;
    if (state.level && filters.levels[filters.level[doc]] !== state.level) return false;
    if (state.bureau && filters.bureaus[filters.bureau[doc]] !== state.bureau) return false;
    if (state.region && !filters.region[doc].some(function (r) { return filters.regions[r] === state.region; })) return false;
    return true;
  }

  // 0: the 文号 asked for is the report's own; 1: every phrase is in its title; 2: in its
  // metadata; 3: only in its text.  `firsts` holds where each phrase first occurs in the report.
  function tier(meta, phrases, firsts, doc) {
    if (phrases.some(function (p, i) { return p.docNumber && firsts[i] < meta.meta_end[doc]; })) return 0;
    if (firsts.every(function (f) { return f < meta.title_end[doc]; })) return 1;
    if (firsts.every(function (f) { return f < meta.meta_end[doc]; })) return 2;
    return 3;
  }

  // The same query and filters give the same result: kept for a while, so that a search prepared
  // while the visitor was typing (see prefetch below) is shown at once when they press Enter.
  var searches = new Map(), SEARCHES_KEPT = 32;
  function searchOnce(meta, state) {
    var key = JSON.stringify(FIELDS.map(function (name) { return state[name] || ""; }));
    if (!searches.has(key)) {
      searches.set(key, search(meta, state));
      searches.get(key).catch(function () { searches.delete(key); });
      if (searches.size > SEARCHES_KEPT) searches.delete(searches.keys().next().value);
    }
    return searches.get(key);
  }

  // Reports holding every phrase and passing the filters, ascending, with their tier and occurrences.
  function ranked(meta, filters, state, phrases, hitLists) {
    var out = { docs: [], tier: [], count: [] }, at = new Int32Array(hitLists.length);
    var candidates = hitLists.length ? hitLists[0].docs : Array.from({ length: meta.count }, function (_, doc) { return doc; });
    for (var i = 0; i < candidates.length; i++) {
      var doc = candidates[i];
      if (!inAll(hitLists, doc, at, 0) || !filtered(meta, filters, state, doc)) continue;
      var firsts = hitLists.map(function (hits, k) { return hits.first[at[k]]; });
      var count = hitLists.reduce(function (sum, hits, k) { return sum + hits.count[at[k]]; }, 0);
      out.docs.push(doc); out.tier.push(tier(meta, phrases, firsts, doc)); out.count.push(count);
    }
    return out;
  }

  // Relevance: tier, then more occurrences, then newer; or by year first.  Ties: index order.
  function ordered(meta, found, byYear) {
    var docs = found.docs, tiers = found.tier, counts = found.count, year = meta.year;
    var order = docs.map(function (_, i) { return i; });
    order.sort(byYear
      ? function (a, b) { return year[docs[b]] - year[docs[a]] || tiers[a] - tiers[b] || counts[b] - counts[a] || docs[a] - docs[b]; }
      : function (a, b) { return tiers[a] - tiers[b] || counts[b] - counts[a] || year[docs[b]] - year[docs[a]] || docs[a] - docs[b]; });
    return order.map(function (i) { return docs[i]; });
  }

  function search(meta, state) {
    var phrases = parseQuery(state.q);
    var needFilters = state.level || state.bureau || state.region;
    return Promise.all([needFilters ? loadFilters() : null].concat(phrases.map(function (p) { return phraseHits(meta, p); }))).then(function (got) {
      if (!phrases.length && !(state.year || state.level || state.bureau || state.region)) return { phrases: phrases, docs: [] };
      var found = ranked(meta, got[0], state, phrases, got.slice(1));
      return { phrases: phrases, docs: ordered(meta, found, state.sort === "year") };
    });
  }

  // ---- snippets -----------------------------------------------------------------------------
  function occurrences(text, phrases) {
    var spans = [];
    phrases.forEach(function (p) {
      for (var at = text.indexOf(p.text); at >= 0; at = text.indexOf(p.text, at + 1)) spans.push([at, at + p.text.length]);
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

  // A window of one paragraph around the first match in the text (else in the metadata).
  function snippet(text, metaEnd, phrases) {
    var bodyStart = codeUnits(text, metaEnd);
    var spans = occurrences(text, phrases);
    var first = spans.filter(function (s) { return s[0] > bodyStart; })[0] || spans[0] || [bodyStart + 1, bodyStart + 1];
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
  var PAGE = 10;
  var PREFETCH_PAUSE_MS = 120;
  var FIELDS = ["q", "year", "bureau", "region", "level", "sort"];

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

  function fillSelect(select, values, label) {
    select.replaceChildren(new Option(label, ""));
    values.forEach(function (v) { select.add(new Option(v, v)); });
  }

  function rowOf(doc, meta) {
    return fetchFile("d/" + Math.floor(doc / meta.chunk) + ".json", "json").then(function (rows) { return rows[doc % meta.chunk]; });
  }

  function renderResult(doc, meta, phrases) {
    return fetchFile("t/" + doc + ".txt", "text").then(function (file) {
      var split = file.indexOf("\n"), row = JSON.parse(file.slice(0, split)), key = file.slice(split + 1);
      var item = element("li", "gw-result");
      item.dataset.url = row.url;
      var link = element("a", "gw-result__title", row.title);
      link.href = new URL(row.url, root).href;
      item.append(element("h3")); item.firstChild.append(link);
      var details = [row.bureau, row.year + "年", row.doc_number, row.region].filter(Boolean).join(" · ");
      item.append(element("p", "gw-result__meta", details));
      var cut = snippet(key, meta.meta_end[doc], phrases), p = element("p", "gw-result__snippet");
      if (cut.before) p.append("…");
      cut.parts.forEach(function (part) { p.append(part.mark ? element("mark", "", part.text) : part.text); });
      if (cut.after) p.append("…");
      item.append(p);
      return item;
    });
  }

  var metaPromise = null;
  function loadMeta() {
    if (!metaPromise) {
      metaPromise = fetchFile("meta.json", "json").then(function (meta) { meta.ownSet = new Set(meta.own); return meta; });
    }
    return metaPromise;
  }

  function loadFilters() { return fetchFile("filters.json", "json"); }

  // Every result's URL for a query (for the benchmark and for scripts; the page shows PAGE at a time).
  function resultUrls(query, filters) {
    return loadMeta().then(function (meta) {
      return searchOnce(meta, Object.assign({ q: query }, filters || {})).then(function (result) {
        return Promise.all(result.docs.map(function (doc) { return rowOf(doc, meta).then(function (row) { return row.url; }); }));
      });
    });
  }

  function start(box) {
    var form = box.querySelector("form"), status = box.querySelector(".gw-status");
    var list = box.querySelector(".gw-results"), more = box.querySelector(".gw-more");
    var generation = 0, named = { bureau: "全部部门", region: "全部地区", level: "全部层级" };

    function fillYears(meta) {
      var select = form.elements.year;
      if (select.dataset.filled) return;
      select.dataset.filled = "1";
      var years = Array.from(new Set(meta.year)).sort(function (a, b) { return b - a; });
      fillSelect(select, years.map(function (y) { return String(meta.first_year + y); }), "全部年度");
    }

    // The bureau, region and level lists come with filters.json, fetched the first time they are wanted.
    var namedFilled = null;
    function fillNamed() {
      if (namedFilled) return namedFilled;
      namedFilled = loadFilters().then(function (filters) {
        ["bureau", "region", "level"].forEach(function (name) {
          var select = form.elements[name], value = select.value;
          fillSelect(select, filters[name === "bureau" ? "bureaus" : name === "region" ? "regions" : "levels"], named[name]);
          select.value = value;
        });
      });
      return namedFilled;
    }

    function showPage(meta, result, from, mine) {
      var docs = result.docs.slice(from, from + PAGE);
      return Promise.all(docs.map(function (doc) { return renderResult(doc, meta, result.phrases); })).then(function (items) {
        if (mine !== generation) return;
        items.forEach(function (item) { list.append(item); });
        more.hidden = from + PAGE >= result.docs.length;
        more.onclick = function () { box.dataset.state = "loading"; showPage(meta, result, from + PAGE, mine); };
        box.dataset.shown = location.search;
        box.dataset.state = "done";
      });
    }

    // A value not (yet) among a select's options gets an option of its own until the list arrives.
    function setFields(state) {
      FIELDS.forEach(function (name) {
        var field = form.elements[name];
        if (!field) return;
        field.value = state[name];
        if (field.tagName === "SELECT") {
          if (state[name] && field.value !== state[name]) {
            field.add(new Option(state[name], state[name]));
            field.value = state[name];
          }
        }
      });
    }

    function run(state) {
      var mine = ++generation;
      box.dataset.state = "loading";
      setFields(state);
      if (state.bureau || state.region || state.level) fillNamed().then(function () { setFields(state); });
      if (!state.q.trim() && !(state.year || state.bureau || state.region || state.level)) {
        list.replaceChildren();
        more.hidden = true;
        status.textContent = "请输入检索词，或选择筛选条件。";
        box.dataset.count = "0";
        box.dataset.shown = location.search;
        box.dataset.state = "done";
        return Promise.resolve();  // nothing is fetched until there is something to search
      }
      return loadMeta().then(function (meta) {
        fillYears(meta);
        setFields(state);
        return searchOnce(meta, state).then(function (result) {
          if (mine !== generation) return;
          list.replaceChildren();
          status.textContent = result.phrases.length || result.docs.length ? "共找到 " + result.docs.length + " 篇报告" : "请输入检索词，或选择筛选条件。";
          box.dataset.count = String(result.docs.length);
          return showPage(meta, result, 0, mine);
        });
      }).catch(function (error) {
        status.textContent = "检索出错：" + error.message;
        box.dataset.state = "error";
      });
    }

    function formState() {
      var state = {};
      FIELDS.forEach(function (name) { state[name] = form.elements[name] ? form.elements[name].value.trim() : ""; });
      return state;
    }

    function submit(event) {
      if (event) event.preventDefault();
      var state = formState();
      history.pushState(null, "", urlFromState(state));
      run(state);
    }

    // While the visitor types (an input method commits a word or phrase at a time), the query
    // so far is searched and its first page of result files fetched, without showing anything:
    // pressing Enter then finds them in the caches.  Waits for a pause in typing, so a query
    // typed letter by letter (a 文号, pinyin without an input method) is not searched at each key.
    var typing = null;
    function prefetch() {
      clearTimeout(typing);
      typing = setTimeout(function () {
        var state = formState();
        if (!state.q) return;
        loadMeta().then(function (meta) {
          return searchOnce(meta, state).then(function (result) {
            result.docs.slice(0, PAGE).forEach(function (doc) { fetchFile("t/" + doc + ".txt", "text"); });
          });
        }).catch(function () { /* shown, if it persists, when the query is submitted */ });
      }, PREFETCH_PAUSE_MS);
    }

    form.addEventListener("submit", submit);
    form.elements.q.addEventListener("input", function (event) { if (!event.isComposing) prefetch(); });
    form.elements.q.addEventListener("compositionend", prefetch);
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) { s.addEventListener("change", submit); });
    ["bureau", "region", "level"].forEach(function (name) {
      ["focus", "pointerdown"].forEach(function (type) { form.elements[name].addEventListener(type, fillNamed); });
    });
    ["focus", "pointerdown"].forEach(function (type) {
      form.elements.year.addEventListener(type, function () { loadMeta().then(fillYears); });
    });
    window.addEventListener("popstate", function () { run(stateFromUrl()); });
    run(stateFromUrl());
  }

  window.gongwenSearch = { fold: fold, searchKey: searchKey, parseQuery: parseQuery, resultUrls: resultUrls };
  function boot() { var box = document.getElementById("gw-search"); if (box) start(box); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot); else boot();
})();
