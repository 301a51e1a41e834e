/* Query → ranked reports, in three tiers (docs/search.md):
 *   1. every phrase exactly (unchanged; quotes ask for this tier only);
 *   2. every word of the query, in any order and place ("包含全部词语");
 *   3. when tiers 1–2 fill less than a page: most of the words ("部分匹配").
 * Within tiers 2 and 3: the typed 文号 first, then how many words are in the report's names
 * (title, bureau, place, year), then a BM25 word score with the report's length, then newest.
 */
(function () {
  "use strict";
  var GW = window.gongwenSearch = window.gongwenSearch || {};
  var PAGE = 10, K1 = 1.2, B = 0.75;
  GW.PAGE = PAGE;

  // Whether a report passes the filters: the year and the province from its number alone
  // (`ranges`, rangesOf), the rest from filters.json (loaded only for a bureau, a level, or a
  // region below a province).
  function filtered(meta, filters, state, doc, ranges) {
    if (!inRanges(ranges, doc)) return false;
    if (!filters) return true;
    if (state.level && filters.levels[filters.level[doc]] !== state.level) return false;
    if (state.bureau && filters.bureaus[filters.bureau[doc]] !== state.bureau) return false;
    if (state.region && !filters.region[doc].some(function (r) { return filters.regions[r] === state.region; })) return false;
    return true;
  }

  var inRanges = GW.inRanges, inMetadata = GW.inMetadata;  // index.js, words.js

  // Where an indexed position is (builder.part_starts): the title below parts[0], the names below
  // parts[1], the metadata below parts[2], then the text.
  function inTitle(meta, at) { return at < meta.parts[0]; }

  // Tier 1 order: 0 the 文号 asked for is the report's own; 1 every phrase in its title; 2 in its
  // metadata; 3 only in its text.  `firsts` holds where each phrase first occurs in the report.
  function group(meta, phrases, firsts) {
    if (phrases.some(function (p, i) { return p.docNumber && inMetadata(meta, firsts[i]); })) return 0;
    if (firsts.every(function (f) { return inTitle(meta, f); })) return 1;
    if (firsts.every(function (f) { return inMetadata(meta, f); })) return 2;
    return 3;
  }

  // Reports holding every phrase and passing the filters, ascending, with their group and occurrences.
  function exact(meta, filters, state, phrases, hitLists, ranges) {
    var out = { docs: [], group: [], count: [] }, at = new Int32Array(hitLists.length);
    var candidates = hitLists.length ? hitLists[0].docs : Array.from({ length: meta.count }, function (_, doc) { return doc; });
    for (var i = 0; i < candidates.length; i++) {
      var doc = candidates[i];
      if (!GW.inAll(hitLists, doc, at, 0) || !filtered(meta, filters, state, doc, ranges)) continue;
      var firsts = hitLists.map(function (hits, k) { return hits.first[at[k]]; });
      var count = hitLists.reduce(function (sum, hits, k) { return sum + hits.count[at[k]]; }, 0);
      out.docs.push(doc); out.group.push(group(meta, phrases, firsts)); out.count.push(count);
    }
    return out;
  }

  // Sorts `docs` by `keys(doc)` (arrays compared in order, larger first), or by year first.
  function sortBy(meta, docs, keys, byYear) {
    var order = docs.map(function (doc) { var k = keys(doc); if (byYear) k.unshift(meta.year[doc]); k.push(meta.year[doc], -doc); return { doc: doc, k: k }; });
    order.sort(function (a, b) {
      for (var i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return b.k[i] - a.k[i];
      return 0;
    });
    return order.map(function (o) { return o.doc; });
  }

  // The order of sortBy for keys that are small integers, for many reports at once (a natural query's tier 3
  // holds nearly every report: at 100,000 reports sortBy's arrays and comparisons took 45 ms and more in garbage
  // collection): each report's keys folded into one number `code(doc)` (below `span`, larger first; coarseTable),
  // and a counting sort, stable, of the reports taken newest year first, then ascending — the ties' order in sortBy.
  function coarseOrder(meta, docs, code, byYear, span) {
    var taken = newestFirst(meta, Int32Array.from(docs).sort()), codes = new Int32Array(taken.length);
    var oldest = byYear && taken.length ? meta.year[taken[taken.length - 1]] : 0;  // newestFirst: the last is the oldest
    for (var i = 0; i < taken.length; i++) codes[i] = (byYear ? (meta.year[taken[i]] - oldest) * span : 0) + code(taken[i]);
    return countingSort(taken, codes);
  }

  // `docs` by `codes` (one per report, small integers), larger first, stable.
  function countingSort(docs, codes) {
    var top = codes.reduce(function (a, b) { return Math.max(a, b); }, 0), starts = new Int32Array(top + 2);
    for (var i = 0; i < codes.length; i++) starts[top - codes[i] + 1]++;
    for (var n = 1; n <= top + 1; n++) starts[n] += starts[n - 1];
    var out = new Array(docs.length);
    for (i = 0; i < docs.length; i++) out[starts[top - codes[i]]++] = docs[i];
    return out;
  }

  // Reports (ascending) with the newest year first, ascending within a year (reports are numbered by year).
  function newestFirst(meta, ascending) {
    var runs = [];
    for (var end = ascending.length; end > 0;) {
      var start = end, year = meta.year[ascending[end - 1]];
      while (start > 0 && meta.year[ascending[start - 1]] === year) start--;
      runs.push({ year: year, docs: ascending.subarray(start, end) });
      end = start;
    }
    runs.sort(function (a, b) { return b.year - a.year; });
    var out = new Int32Array(ascending.length), at = 0;
    runs.forEach(function (run) { out.set(run.docs, at); at += run.docs.length; });
    return out;
  }

  // Tiers 2 and 3 from the words' hits; `taken` are the reports of tier 1.  Ordering them needs
  // the names grams, then the lengths of the reports whose order is shown (`ranker`): at once for
  // the first page when tier 1 leaves room on it, else only when the visitor pages past tier 1.
  function wordTiers(meta, filters, state, analysis, taken, wordHitsFetched, ranges) {
    var words = analysis.words, n = words.length;
    return wordHitsFetched.then(function (hits) {
      var matched = GW.matchedWords(meta, hits), all = [], most = [], need = Math.max(1, Math.ceil(n / 2));
      var every = !ranges && !filters;  // no filter: not asked per report (nearly every report, for a natural query)
      for (var doc = 0; doc < meta.count; doc++) {
        var m = matched[doc];
        if (m < need || taken.has(doc) || !(every || filtered(meta, filters, state, doc, ranges))) continue;
        if (m === n) all.push(doc); else most.push(doc);
      }
      if (taken.size + all.length >= PAGE) most = [];
      var tiers = { all: all, most: most, hits: hits, matched: matched, ranked: null };
      tiers.rank = ranker(meta, state, tiers, words, ranges);
      return !all.length && !most.length ? tiers : taken.size >= PAGE ? tiers : tiers.rank(PAGE - taken.size);
    });
  }

  // `tiers.rank(upTo)`: the first `upTo` reports of tiers 2–3 (all without `upTo`) in their final
  // order.  Both tiers are sorted first without the word score (own 文号, words, words in names);
  // then only the groups of equal keys that hold those reports are scored, which needs their
  // lengths alone (a natural query's first page: a few groups, not every report; issue 24).
  function ranker(meta, state, tiers, words, ranges) {
    var hits = tiers.hits, byYear = state.sort === "year", done = [0, 0], table = null;
    var searched = ranges ? ranges.reduce(function (sum, r) { return sum + r[1] - r[0]; }, 0) : meta.count;
    function groupKey(doc, partial) { return (byYear ? meta.year[doc] * table.span(partial) : 0) + table.code(doc, partial); }
    function groupsEnd(docs, partial, upTo) {  // where the groups holding the first `upTo` reports end
      if (upTo <= 0 || upTo >= docs.length) return Math.max(0, Math.min(upTo, docs.length));
      var last = groupKey(docs[upTo - 1], partial), end = upTo;
      while (end < docs.length && groupKey(docs[end], partial) === last) end++;
      return end;
    }
    function sortSpan(docs, from, to, keys) {
      return from >= to ? docs : docs.slice(0, from).concat(sortBy(meta, docs.slice(from, to), keys, byYear), docs.slice(to));
    }
    function rankUpTo(upTo) {
      var ends = [groupsEnd(tiers.all, false, upTo), groupsEnd(tiers.most, true, upTo - tiers.all.length)];
      var todo = tiers.all.slice(done[0], ends[0]).concat(tiers.most.slice(done[1], ends[1]));
      if (!todo.length) return Promise.resolve(tiers);
      return GW.loadStats(meta, todo).then(function (stats) {
        var keys = scorer(meta, stats, hits, table, searched);
        tiers.all = sortSpan(tiers.all, done[0], ends[0], function (doc) { return keys(doc, false); });
        tiers.most = sortSpan(tiers.most, done[1], ends[1], function (doc) { return keys(doc, true); });
        done = [Math.max(done[0], ends[0]), Math.max(done[1], ends[1])];
        return tiers;
      });
    }
    return function (upTo) {
      if (!tiers.all.length && !tiers.most.length) return Promise.resolve(tiers);
      if (!tiers.ranked) {
        tiers.ranked = Promise.all(words.map(function (w, k) { return GW.markNames(meta, w, hits[k], ranges); })).then(function () {
          table = GW.coarseTable(meta, words, hits, tiers.matched);
          tiers.all = coarseOrder(meta, tiers.all, function (doc) { return table.code(doc, false); }, byYear, table.span(false));
          tiers.most = coarseOrder(meta, tiers.most, function (doc) { return table.code(doc, true); }, byYear, table.span(true));
          return tiers;
        });
      }
      var want = upTo === undefined ? tiers.all.length + tiers.most.length : upTo;
      tiers.ranked = tiers.ranked.then(function () { return rankUpTo(want); });
      return tiers.ranked;
    };
  }

  // Ranking keys of a report: own 文号 typed, (words matched), words in its names, BM25 (over the
  // `searched` reports: all, or those a year or province filter allows); `table`: the keys without the
  // score (words.js coarseTable).
  function scorer(meta, stats, hits, table, searched) {
    var total = searched === undefined ? meta.count : searched;
    var idf = hits.map(function (wordHits) { return Math.log(1 + (total - wordHits.size + 0.5) / (wordHits.size + 0.5)); });
    return function (doc, partial) {
      var score = 0, norm = K1 * (1 - B + B * stats.length[doc] / stats.average);
      hits.forEach(function (wordHits, k) {
        var at = wordHits.indexOf(doc);
        if (at < 0) return;
        var tf = wordHits.count[at] || 1;
        score += idf[k] * tf * (K1 + 1) / (tf + norm);
      });
      return table.keys(doc, partial).concat([score]);
    };
  }

  // The nearest query that finds something: the words in the most reports, as many as still meet.
  function suggestion(words, hits) {
    var order = words.map(function (_, k) { return k; }).sort(function (a, b) { return hits[b].size - hits[a].size; });
    var kept = [], common = null;
    order.forEach(function (k) {
      var next = common ? common.filter(function (doc) { return hits[k].indexOf(doc) >= 0; }) : Array.from(hits[k].docs);
      if (next.length) { kept.push(k); common = next; }
    });
    if (!kept.length || kept.length === words.length) return "";
    return kept.sort(function (a, b) { return a - b; }).map(function (k) { return words[k].text; }).join(" ");
  }

  // The province of a region (a province, city or county of the archive): a report's in it, from the
  // block its number falls in; null for a region no report has.
  function provinceOf(meta, filters, region) {
    if (meta.provinces.indexOf(region) >= 0) return region;
    var number = filters.regions.indexOf(region);
    for (var doc = 0; number >= 0 && doc < meta.count; doc++) {
      if (filters.region[doc].indexOf(number) < 0) continue;
      var block = 0;
      while (block + 2 < meta.blocks.length && meta.blocks[block + 2] <= doc) block += 2;
      return meta.provinces[meta.blocks[block + 1]];
    }
    return null;
  }

  // The reports a year or region filter allows, as ranges of report numbers: only their postings
  // are fetched (pieces.py).  A city or county needs filters.json first, to know its province.
  function rangesOf(meta, state) {
    if (!state.region || meta.provinces.indexOf(state.region) >= 0) return Promise.resolve(GW.docRanges(meta, state.year, state.region));
    return GW.loadFilters().then(function (filters) {
      var province = provinceOf(meta, filters, state.region);
      return province === null ? [] : GW.docRanges(meta, state.year, province);
    });
  }

  function search(meta, state) {
    return Promise.all([GW.analyseQuery(meta, state.q), rangesOf(meta, state)]).then(function (got) {
      return searchIn(meta, state, got[0], got[1]);
    });
  }

  // Words whose hits would take more than this are not fetched beside the phrases: when tier 1 fills
  // the first page, tiers 2 and 3 wait until the visitor pages past it (at 100,000 reports the
  // word `习近平` of `习近平法治思想` is 919 KB of positions, for tiers after 97,000 exact results).
  GW.WORDS_AT_ONCE_KB = 64;

  function searchIn(meta, state, analysis, ranges) {
    var anyFilter = state.year || state.level || state.bureau || state.region;
    var needFilters = state.level || state.bureau || (state.region && meta.provinces.indexOf(state.region) < 0);
    var phrases = analysis.phrases;
    var result = { phrases: phrases, words: analysis.words, docs: [], tiers: [], counts: [0, 0, 0], suggestion: "" };
    if (!phrases.length && !anyFilter) return result;
    var sameWords = analysis.words.length === phrases.length && analysis.words.every(function (w, i) { return w.forms.length === 1 && w.forms[0] === phrases[i].text; });
    var wordsToo = !analysis.exactOnly && !sameWords;
    function fetchWords() { return Promise.all(analysis.words.map(function (w) { return GW.wordHits(meta, w, ranges); })); }
    var forms = wordsToo ? [].concat.apply([], analysis.words.map(function (w) { return w.forms; })) : [];
    return GW.hitsKb(meta, forms, ranges).then(function (kb) {
      // Cheap words are fetched at once, beside the phrases (one round of requests, not two).
      var wordHitsFetched = wordsToo && kb <= GW.WORDS_AT_ONCE_KB ? fetchWords() : null;
      return Promise.all([needFilters ? GW.loadFilters() : null, everyPhraseHits(meta, phrases, ranges)]).then(function (got) {
        got = [got[0]].concat(got[1]);
        exactTier(meta, state, result, exact(meta, got[0], state, phrases, got.slice(1), ranges));
        if (!wordsToo) return result;
        if (result.docs.length < PAGE) analysis.words.forEach(function (w) { GW.namesAhead(meta, w, ranges); });
        function tiers(hits) { return withWordTiers(meta, got[0], state, analysis, result, hits, ranges); }
        if (wordHitsFetched || result.docs.length < PAGE) return tiers(wordHitsFetched || fetchWords());
        var later = null;
        result.deferred = true;  // tiers 2–3 unknown until the visitor pages past tier 1 (page.js says so)
        result.ranked = function (upTo) {
          if (!later) later = tiers(fetchWords()).then(function () { result.deferred = false; });
          return later.then(function () { return result.ranked(upTo); });  // withWordTiers' own by now
        };
        return result;
      });
    });
  }

  // Tier 1 needs every phrase: when some phrases' postings are big (over WORDS_AT_ONCE_KB) and others
  // small, the small ones are fetched first, and the big ones only in the pieces of the reports the
  // small ones leave (`三门峡市 行政执法` at 100,000 reports: 行政执法's positions in 221 reports' pieces).
  function everyPhraseHits(meta, phrases, ranges) {
    function hitsIn(near) { return function (p) { return GW.phraseHits(meta, p, near); }; }
    return Promise.all(phrases.map(function (p) { return GW.hitsKb(meta, [p.text], ranges); })).then(function (kbs) {
      var big = kbs.map(function (kb) { return kb > GW.WORDS_AT_ONCE_KB; });
      if (big.every(Boolean) || !big.some(Boolean)) return Promise.all(phrases.map(hitsIn(ranges)));
      var small = phrases.filter(function (_, k) { return !big[k]; });
      return Promise.all(small.map(hitsIn(ranges))).then(function (smallHits) {
        var near = GW.candidateRanges(GW.docsInAll(smallHits), ranges), next = 0;
        return Promise.all(phrases.map(function (p, k) {
          return !big[k] ? smallHits[next++] : near.length ? hitsIn(near)(p) : new GW.Hits();
        }));
      });
    });
  }

  function exactTier(meta, state, result, found) {
    var at = new Map(found.docs.map(function (doc, i) { return [doc, i]; }));
    result.docs = sortBy(meta, found.docs, function (doc) { var i = at.get(doc); return [-found.group[i], found.count[i]]; }, state.sort === "year");
    result.tiers = result.docs.map(function () { return 1; });
    result.counts[0] = result.docs.length;
    // Tier 1 always comes first: its first page of rows is fetched now, while the words are counted.
    result.docs.slice(0, PAGE).forEach(function (doc) { GW.fetchFile(GW.textFile(meta, doc), "text").catch(function () {}); });
  }

  // Tiers 2–3 after tier 1, from the words' hits (`wordHitsFetched`, a promise).
  function withWordTiers(meta, filters, state, analysis, result, wordHitsFetched, ranges) {
    return wordTiers(meta, filters, state, analysis, new Set(result.docs), wordHitsFetched, ranges).then(function (tiers) {
      var exactDocs = result.docs.slice(0, result.counts[0]);
      function place() {
        result.docs = exactDocs.concat(tiers.all, tiers.most);
        result.tiers = exactDocs.map(function () { return 1; }).concat(tiers.all.map(function () { return 2; }), tiers.most.map(function () { return 3; }));
      }
      place();
      result.counts[1] = tiers.all.length; result.counts[2] = tiers.most.length;
      // Tiers 2–3 in their final order up to position `upTo` of the results (all without it).
      result.ranked = function (upTo) {
        return tiers.rank(upTo === undefined ? undefined : upTo - exactDocs.length).then(function () { place(); return result; });
      };
      if (!result.docs.length) result.suggestion = suggestion(analysis.words, tiers.hits);
      return result;
    });
  }

  // The same query and filters give the same result: kept for a while, so that a search prepared
  // while the visitor was typing is shown at once when they press Enter.
  var searches = new Map(), SEARCHES_KEPT = 32;
  GW.FIELDS = ["q", "year", "bureau", "region", "level", "sort"];
  function searchOnce(meta, state) {
    var key = JSON.stringify(GW.FIELDS.map(function (name) { return state[name] || ""; }));
    if (!searches.has(key)) {
      searches.set(key, search(meta, state));
      searches.get(key).catch(function () { searches.delete(key); });
      if (searches.size > SEARCHES_KEPT) searches.delete(searches.keys().next().value);
    }
    return searches.get(key);
  }

  function rowOf(doc, meta) {
    return GW.fetchFile("d/" + Math.floor(doc / meta.chunk) + ".json", "json").then(function (rows) { return rows[doc % meta.chunk]; });
  }

  // Every result's URL for a query (for the benchmark and for scripts): tier 1 only, unless
  // `tiers` is true (then every tier, in order).
  function resultUrls(query, filters, tiers) {
    return GW.loadMeta().then(function (meta) {
      return searchOnce(meta, Object.assign({ q: query }, filters || {})).then(function (result) {
        return (tiers && result.ranked ? result.ranked() : Promise.resolve(result)).then(function () {
          var docs = result.docs.filter(function (_, i) { return tiers || result.tiers[i] === 1; });
          return Promise.all(docs.map(function (doc) { return rowOf(doc, meta).then(function (row) { return row.url; }); }));
        });
      });
    });
  }

  GW.searchOnce = searchOnce; GW.resultUrls = resultUrls; GW.scorer = scorer; GW.sortBy = sortBy; GW.coarseOrder = coarseOrder;
})();
