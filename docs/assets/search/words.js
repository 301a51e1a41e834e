/* A query's words for tiers 2 and 3 (rank.js): each word's hits over its forms (科技局 or 科学技术局),
 * which of them name the word, the ranking keys without the score for every report at once, and
 * the lengths of the reports the score orders.
 * A natural query's words are in nearly every report (at 100,000 reports `2024年` is in 98 % of
 * them), so everything here is typed arrays, one entry per report: no object per report per word
 * (they took 30 ms and 40 ms of garbage collection of a 420 ms query; issue 24).
 */
(function () {
  "use strict";
  var GW = window.gongwenSearch = window.gongwenSearch || {};

  var inRanges = GW.inRanges;  // index.js

  // Where an indexed position is (builder.part_starts): the names below parts[1], the metadata below parts[2].
  function inNames(meta, at) { return at < meta.parts[1]; }
  function inMetadata(meta, at) { return at < meta.parts[2]; }

  // A word's hits (GW.Hits, typed): per report of `ranges` how often any of its forms occurs and where
  // first, so that the word statistics are those of the reports searched; `names` (one byte per hit)
  // is set by markNames.
  function wordHits(meta, word, ranges) {
    var forms = word.forms.map(function (text) { return { text: text, docNumber: word.docNumber }; });
    return Promise.all(forms.map(function (f) { return GW.phraseHits(meta, f, ranges); })).then(function (got) {
      var hits = got.length === 1 ? inside(got[0], ranges) : union(meta, got, ranges);
      hits.names = new Uint8Array(hits.size);
      return hits;
    });
  }

  // A form's hits in `ranges` (a piece holds several provinces: hits outside them may have come).
  function inside(hits, ranges) {
    if (!ranges) return hits;
    var out = new GW.Hits(hits.size);
    for (var i = 0; i < hits.size; i++) if (inRanges(ranges, hits.docs[i])) out.add(hits.docs[i], hits.count[i], hits.first[i]);
    return out.trimmed();
  }

  // The forms' hits added up per report, over a table of every report (forms overlap: 科技局 is in 市科技局).
  function union(meta, lists, ranges) {
    var count = new Int32Array(meta.count), first = new Int32Array(meta.count).fill(GW.NO_POSITION);
    var seen = new Uint8Array(meta.count), size = 0;
    lists.forEach(function (hits) {
      for (var i = 0; i < hits.size; i++) {
        var doc = hits.docs[i];
        if (!seen[doc]) { if (!inRanges(ranges, doc)) continue; seen[doc] = 1; size++; }
        count[doc] += hits.count[i]; first[doc] = Math.min(first[doc], hits.first[i]);
      }
    });
    var out = new GW.Hits(size);
    for (var doc = 0; doc < meta.count; doc++) if (seen[doc]) out.add(doc, count[doc], first[doc]);
    return out;
  }

  // A word's forms of one or two characters: where they are is not indexed, so the names grams say whether a
  // report's names hold them.
  function shortForms(word) { return word.forms.filter(function (f) { return Array.from(f).length < 3; }); }

  // Which of a word's hits hold its short forms in their names.
  function markNames(meta, word, hits, ranges) {
    return Promise.all(shortForms(word).map(function (f) { return GW.namesDocs(meta, f, ranges); })).then(function (lists) {
      lists.forEach(function (docs) {  // both ascending: walked together
        for (var i = 0, at = 0; i < docs.length && at < hits.size; i++) {
          while (at < hits.size && hits.docs[at] < docs[i]) at++;
          if (hits.docs[at] === docs[i]) hits.names[at] = 1;
        }
      });
    });
  }

  // The names grams of a word's short forms fetched now, while its postings come: when tier 1 leaves room on
  // the first page, ordering tiers 2–3 needs them, and they would otherwise be a round of requests of their own
  // after the postings (at 100,000 reports, 40 ms of a natural query's 420).
  function namesAhead(meta, word, ranges) {
    shortForms(word).forEach(function (f) { GW.namesDocs(meta, f, ranges).catch(function () {}); });
  }

  // How many of the words each report holds (one byte per report of the archive).
  function matchedWords(meta, hits) {
    var matched = new Uint8Array(meta.count);
    hits.forEach(function (wordHits) { for (var i = 0; i < wordHits.size; i++) matched[wordHits.docs[i]]++; });
    return matched;
  }

  // The ranking keys of every report without the word score (rank.js): own 文号 typed, (words matched),
  // words in its names (title, bureau, place, year).  `code` folds them into one number, each key below
  // `base` (at most the number of words), larger first; `keys` gives them as a list, for the score's sort.
  function coarseTable(meta, words, hits, matched) {
    var own = new Uint8Array(meta.count), names = new Uint8Array(meta.count), base = words.length + 1;
    hits.forEach(function (wordHits, k) {
      for (var i = 0; i < wordHits.size; i++) {
        var doc = wordHits.docs[i], first = wordHits.first[i];
        if (words[k].docNumber && inMetadata(meta, first)) own[doc] = 1;
        if (wordHits.names[i] || inNames(meta, first)) names[doc]++;
      }
    });
    return {
      code: function (doc, partial) { return partial ? (own[doc] * base + matched[doc]) * base + names[doc] : own[doc] * base + names[doc]; },
      keys: function (doc, partial) { return partial ? [own[doc], matched[doc], names[doc]] : [own[doc], names[doc]]; },
      span: function (partial) { return partial ? base * base * base : base * base; }  // every code is below it
    };
  }

  // The lengths of the keys of `docs` (builder.length_code: one byte on a log scale), for the word
  // score (tiers 2 and 3): only the files `s/<k>.bin` that hold them, meta.stats.reports reports
  // each, or `sc/<k>.bin` (meta.stats.coarse of them) where half of its files or more are needed; the
  // average is meta's.  `length` is every report's, filled as files arrive (`filled`: which s/ files).
  var lengths = new WeakMap();
  function loadStats(meta, docs) {
    if (!lengths.has(meta)) lengths.set(meta, { length: new Float64Array(meta.count), average: meta.stats.average, filled: new Set() });
    var stats = lengths.get(meta), per = meta.stats.reports, coarse = meta.stats.coarse || 1, wanted = new Map();
    docs.forEach(function (doc) {
      var k = Math.floor(doc / per), c = Math.floor(k / coarse);
      if (stats.filled.has(k)) return;
      if (!wanted.has(c)) wanted.set(c, new Set());
      wanted.get(c).add(k);
    });
    var files = [];
    wanted.forEach(function (fine, c) {
      if (coarse > 1 && 2 * fine.size >= coarse) files.push(["sc/" + c + ".bin", c * coarse]);
      else fine.forEach(function (k) { files.push(["s/" + k + ".bin", k]); });
    });
    return Promise.all(files.map(function (file) {
      return GW.fetchFile(file[0]).then(function (bytes) {
        var first = file[1] * per;
        for (var i = 0; i < bytes.length; i++) stats.length[first + i] = Math.pow(2, bytes[i] / meta.length_steps);
        for (var k = file[1]; k * per < first + bytes.length; k++) stats.filled.add(k);
      });
    })).then(function () { return stats; });
  }

  GW.inMetadata = inMetadata; GW.wordHits = wordHits; GW.markNames = markNames; GW.namesAhead = namesAhead; GW.matchedWords = matchedWords;
  GW.coarseTable = coarseTable; GW.loadStats = loadStats;
})();
