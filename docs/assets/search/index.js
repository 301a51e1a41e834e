/* The index files under search/ (written by scripts/gongwen/search/builder.py and lexicon.py):
 * fetching with a cache, postings of grams, exact phrase hits from trigram positions, the lexicon
 * shards a query needs, and the word statistics.  A phrase is found from the positions of its
 * trigrams, so every hit is verified exactly: none reported that does not contain the phrase,
 * none that does is missed.
 */
(function () {
  "use strict";
  var GW = window.gongwenSearch = window.gongwenSearch || {};

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

  // The lexicon shard of a character (w/, lexicon.py: cp % shards), or of the first two characters
  // of a longer text (v/: (cp1 × 65537 + cp2) % pairs).
  function shardOf(meta, ch) { return ch.codePointAt(0) % meta.words.shards; }
  function pairOf(meta, text) { var cs = Array.from(text); return (cs[0].codePointAt(0) * 65537 + cs[1].codePointAt(0)) % meta.words.pairs; }

  // The shard that lists a gram's own postings file (`o`) or its phrase list (`p`): by its first two
  // characters after the mark of names grams or phrase lists (lexicon.gram_shard), a single one's by it.
  function gramShard(meta, gram) {
    var bare = Array.from(gram).filter(function (ch) { return ch.codePointAt(0) > 1; });
    var path = bare.length > 1 ? "v/" + pairOf(meta, bare.join("")) : "w/" + shardOf(meta, bare[0] || "\u0000");
    return fetchFile(path + ".json", "json");
  }

  // What the lexicon says of a gram's postings: the size in KB of its own file, or of each of its
  // pieces ([first report, KB, first report, KB, …]), or null (a bucket).
  function ownFile(meta, gram) {
    return gramShard(meta, gram).then(function (shard) { return Object.prototype.hasOwnProperty.call(shard.o, gram) ? shard.o[gram] : null; });
  }

  // Whether a phrase of three or more characters has a phrase list of its own (frequent.py).
  function isListed(meta, text) {
    return gramShard(meta, text).then(function (shard) {
      if (!shard.phraseSet) shard.phraseSet = new Set(shard.p);
      return shard.phraseSet.has(text);
    });
  }

  // A big gram's postings come in pieces by year and province (pieces.py): the first reports of
  // those that may hold a report of `ranges` ([start, end) of report numbers, ascending and apart;
  // null: every piece).
  function piecesIn(meta, own, ranges) {
    var chosen = [];
    for (var i = 0; i < own.length; i += 2) {
      var start = own[i], end = i + 2 < own.length ? own[i + 2] : meta.count;
      if (!ranges || overlaps(ranges, start, end)) chosen.push(start);
    }
    return chosen;
  }

  // The block (a province's reports of a year) that holds report `doc`: its name in the index's file
  // names (pieces.Blocks.names: its year and its province's number, so that a report added elsewhere
  // renames no file of it) and its first report.
  function blockOf(meta, doc) {
    var blocks = meta.blocks, lo = 0, hi = blocks.length / 2;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (blocks[2 * mid] <= doc) lo = mid; else hi = mid; }
    return { name: meta.year[doc] + "-" + blocks[2 * lo + 1], start: blocks[2 * lo] };
  }

  // A result's file: its row and its search key (builder: t/<block>/<n>.txt).
  function textFile(meta, doc) {
    var block = blockOf(meta, doc);
    return "t/" + block.name + "/" + (doc - block.start) + ".txt";
  }

  // Whether a range of `ranges` meets [start, end) (binary search: a phrase's candidates may be thousands of ranges).
  function overlaps(ranges, start, end) {
    var lo = 0, hi = ranges.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (ranges[mid][1] <= start) lo = mid + 1; else hi = mid; }
    return lo < ranges.length && ranges[lo][0] < end;
  }

  // Whether a report is in `ranges` (null: all of them).
  function inRanges(ranges, doc) { return !ranges || overlaps(ranges, doc, doc + 1); }

  // Postings of a gram (its code points), as a list of byte arrays in report order: its own file,
  // the pieces of it that `ranges` need, or an entry of its hashed bucket.
  function postings(meta, gram, ranges) {
    var codes = Array.from(gram).map(function (ch) { return ch.codePointAt(0); });
    var name = codes.map(function (c) { return c.toString(16); }).join("-");
    return ownFile(meta, gram).then(function (own) {
      if (typeof own === "number") return fetchFile("g/" + name + ".bin").then(function (bytes) { return [bytes]; });
      if (own) return Promise.all(piecesIn(meta, own, ranges).map(function (first) {
        return fetchFile("g/" + name + "." + blockOf(meta, first).name + ".bin").then(function (bytes) { bytes.base = first; return bytes; });
      }));
      var bucket = codes.reduce(function (value, code) { return (value * 7919 + code) % meta.buckets; }, codes.length);
      return fetchFile("b/" + bucket + ".bin").then(function (bytes) {
        var reader = new Reader(bytes);
        while (reader.at < bytes.length) {
          var n = reader.next(), same = n === codes.length;
          for (var i = 0; i < n; i++) same = reader.next() === codes[i] && same;
          var length = reader.next();
          if (same) return [bytes.subarray(reader.at, reader.at + length)];
          reader.at += length;
        }
        return [];
      }, function () { return []; });
    });
  }

  // Each entry of a gram's postings, in report order, over all its parts (each a list whose first
  // delta counts from 0, or from its first report for a piece: `base`): `each(reader, doc)` reads the
  // entry's payload.
  function eachEntry(parts, each) {
    parts.forEach(function (bytes) {
      var reader = new Reader(bytes), count = reader.next(), doc = bytes.base || 0;
      for (var i = 0; i < count; i++) { doc += reader.next(); each(reader, doc); }
    });
  }

  function entryCount(parts) { return parts.reduce(function (sum, bytes) { return sum + new Reader(bytes).next(); }, 0); }

  // A gram's postings, decoded into typed arrays (a common gram is in nearly every report, so
  // no object per report): `docs` ascending and, for trigrams, each report's positions in
  // pos[from[i]] … pos[from[i + 1] - 1], ascending.
  var NO_POSITION = 0x7fffffff;  // a one- or two-character phrase: where it is is not indexed

  function decodeDocs(parts) {
    var docs = new Int32Array(entryCount(parts)), i = 0;
    eachEntry(parts, function (_, doc) { docs[i++] = doc; });
    return { docs: docs };
  }

  function decodePositions(parts) {
    var count = entryCount(parts), i = 0, at = 0;
    // Each number takes at least one byte, so the files' length bounds the number of positions.
    var docs = new Int32Array(count), from = new Int32Array(count + 1);
    var pos = new Int32Array(parts.reduce(function (sum, bytes) { return sum + bytes.length; }, 0));
    eachEntry(parts, function (reader, doc) {
      docs[i] = doc;
      from[i++] = at;
      for (var n = reader.next(), position = 0; n > 0; n--) { position += reader.next(); pos[at++] = position; }
    });
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

  // A phrase's hits: the reports containing it (ascending), in each how often and where first; typed
  // arrays of at most `capacity` hits (a common phrase is in nearly every report), cut to `size` by trimmed().
  function Hits(capacity) {
    this.size = 0; this.docs = new Int32Array(capacity || 0); this.count = new Int32Array(capacity || 0); this.first = new Int32Array(capacity || 0);
  }
  Hits.prototype.add = function (doc, count, first) { var i = this.size++; this.docs[i] = doc; this.count[i] = count; this.first[i] = first; };
  Hits.prototype.trimmed = function () {
    this.docs = this.docs.subarray(0, this.size); this.count = this.count.subarray(0, this.size); this.first = this.first.subarray(0, this.size);
    return this;
  };
  // Where `doc` is among the hits, or -1.
  Hits.prototype.indexOf = function (doc) {
    var lo = 0, hi = this.size - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (this.docs[mid] === doc) return mid;
      if (this.docs[mid] < doc) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  };

  // A frequent phrase's own list (frequent.py): per report how often and the part it first occurs
  // in (0 title, 1 names, 2 metadata, 3 text), given as the start of that part.
  function listedHits(meta, gram, ranges) {
    return postings(meta, "\u0001" + gram, ranges).then(function (parts) {
      var hits = new Hits(entryCount(parts)), starts = [0, meta.parts[0], meta.parts[1], meta.parts[2]];
      eachEntry(parts, function (reader, doc) { var value = reader.next(); hits.add(doc, Math.floor(value / 4), starts[value % 4]); });
      return hits;
    });
  }

  // One or two characters: the reports holding that gram (exact, no positions).  A frequent phrase:
  // its own list.  Otherwise three or more: trigrams at offsets 0, 3, 6, … and the last three
  // characters cover the phrase, and their positions verify it exactly.
  // `ranges`: the reports a filter allows ([start, end) of report numbers; null: all); hits outside
  // them may be returned too (a piece holds several provinces), the caller filters them.
  function phraseHits(meta, phrase, ranges) {
    var chars = Array.from(phrase.text);
    if (chars.length >= 3) {
      return isListed(meta, phrase.text).then(function (listed) {
        return listed ? listedHits(meta, phrase.text, ranges) : trigramHits(meta, chars, ranges);
      });
    }
    return postings(meta, phrase.text, ranges).then(decodeDocs).then(function (list) {
      var hits = new Hits(0);
      hits.docs = list.docs; hits.size = list.docs.length;
      hits.count = new Int32Array(hits.size); hits.first = new Int32Array(hits.size).fill(NO_POSITION);
      return hits;
    });
  }

  // A phrase rarely contains only common trigrams: the small postings are fetched first, and the
  // big ones (in pieces, or BIG_KB and more; `202` of every date) only where the small ones leave a
  // report that may hold the phrase: the pieces of those reports (issue 24: a 文号 fetched 2 MB of
  // `202` and `号` at 100,000 reports for one report).  A long query that no report contains never
  // fetches them.  Every report holding the phrase holds its small trigrams, so the answer is exact.
  var BIG_KB = 32;
  function trigramHits(meta, chars, ranges) {
    var offsets = GW.coverOffsets(chars.length);
    var grams = offsets.map(function (o) { return chars.slice(o, o + 3).join(""); });
    function decoded(gram, near) { return postings(meta, gram, near).then(decodePositions); }
    return Promise.all(grams.map(function (g) { return ownFile(meta, g); })).then(function (owns) {
      var big = owns.map(function (own) { return Array.isArray(own) || (own || 0) >= BIG_KB; });
      var small = grams.filter(function (_, k) { return !big[k]; });
      if (!small.length || small.length === grams.length) return Promise.all(grams.map(function (g) { return decoded(g, ranges); }));
      return Promise.all(small.map(function (g) { return decoded(g, ranges); })).then(function (smallLists) {
        var near = candidateRanges(docsInAll(smallLists), ranges), next = 0;
        if (!near.length) return null;  // no report can hold the phrase: nothing to verify
        return Promise.all(grams.map(function (g, k) { return big[k] ? decoded(g, near) : smallLists[next++]; }));
      });
    }).then(function (lists) { return lists ? verified(lists, offsets) : new Hits(); });
  }

  // About the KB that the hits of `texts` in `ranges` take, from their lexicon shards (which the query's
  // analysis has fetched): a phrase list's, or the verifying trigrams' (all of them: at most that).
  function hitsKb(meta, texts, ranges) {
    return Promise.all(texts.map(function (text) {
      var chars = Array.from(text);
      if (chars.length < 3) return ownKb(meta, text, ranges);
      return isListed(meta, text).then(function (listed) {
        if (listed) return ownKb(meta, "\u0001" + text, ranges);
        return Promise.all(GW.coverOffsets(chars.length).map(function (o) { return ownKb(meta, chars.slice(o, o + 3).join(""), ranges); })).then(sum);
      });
    })).then(sum);
  }

  function sum(values) { return values.reduce(function (a, b) { return a + b; }, 0); }

  // The KB of a gram's postings in `ranges` (0: it shares a bucket).
  function ownKb(meta, gram, ranges) {
    return ownFile(meta, gram).then(function (own) {
      if (!Array.isArray(own)) return own || 0;
      var chosen = new Set(piecesIn(meta, own, ranges)), kb = 0;
      for (var i = 0; i < own.length; i += 2) if (chosen.has(own[i])) kb += own[i + 1];
      return kb;
    });
  }

  // The reports in every list (each with ascending `docs`), ascending.
  function docsInAll(lists) {
    var at = new Int32Array(lists.length), docs = [];
    for (var i = 0; i < lists[0].docs.length; i++) if (inAll(lists, lists[0].docs[i], at, 1)) docs.push(lists[0].docs[i]);
    return docs;
  }

  // `docs` (ascending) that `ranges` allow (null: all), as ranges of report numbers, neighbours joined.
  function candidateRanges(docs, ranges) {
    var out = [];
    docs.forEach(function (doc) {
      if (!inRanges(ranges, doc)) return;
      var last = out[out.length - 1];
      if (last && last[1] === doc) last[1] = doc + 1; else out.push([doc, doc + 1]);
    });
    return out;
  }

  function verified(lists, offsets) {
    var first = lists[0], hits = new Hits(first.docs.length), at = new Int32Array(lists.length);
    for (var i = 0; i < first.docs.length; i++) {
      var doc = first.docs[i];
      if (!inAll(lists, doc, at, 1)) continue;
      var count = 0, where = NO_POSITION;
      for (var q = first.from[i]; q < first.from[i + 1]; q++) {
        var start = first.pos[q], whole = true;
        for (var k = 1; k < lists.length && whole; k++) {
          var list = lists[k];
          whole = has(list.pos, list.from[at[k]], list.from[at[k] + 1] - 1, start + offsets[k]);
        }
        if (whole) { if (!count) where = start; count++; }
      }
      if (count) hits.add(doc, count, where);
    }
    return hits.trimmed();
  }

  // The reports whose names (title, bureau, place, year) hold a gram of one or two characters:
  // the builder indexes those under the gram's code points preceded by 0.
  function namesDocs(meta, text, ranges) {
    return postings(meta, "\u0000" + text, ranges).then(decodeDocs).then(function (list) { return list.docs; });
  }

  // meta.json does not grow with the archive: documents are numbered by year (then province), so
  // the year of each (for the filter and "newest first") is spread out here from the first document
  // of each year.
  var metaPromise = null;
  function loadMeta() {
    if (!metaPromise) {
      metaPromise = fetchFile("meta.json", "json").then(function (meta) {
        meta.year = new Int32Array(meta.count);
        meta.years.forEach(function (pair, i) {
          var end = i + 1 < meta.years.length ? meta.years[i + 1][1] : meta.count;
          meta.year.fill(pair[0], pair[1], end);
        });
        return meta;
      });
    }
    return metaPromise;
  }

  function loadFilters() { return fetchFile("filters.json", "json"); }

  // The reports a year and a province allow, as [start, end) ranges of report numbers (meta.blocks:
  // where each year's province starts, and which province it is); null when neither is given.
  function docRanges(meta, year, province) {
    if (!year && !province) return null;
    var ranges = [], blocks = meta.blocks;
    for (var i = 0; i < blocks.length; i += 2) {
      var start = blocks[i], end = i + 2 < blocks.length ? blocks[i + 2] : meta.count;
      if ((!year || String(meta.year[start]) === year) && (!province || meta.provinces[blocks[i + 1]] === province)) ranges.push([start, end]);
    }
    return ranges;
  }

  // The lexicon shards a query's analysis needs (lexicon.py): of its characters `chars` (w/: the
  // characters' own entries and conversions) and of its adjacent pairs `pairs` (v/: the words of two
  // characters or more, by their first two).  The grams' own files and phrase lists are in the same
  // shards (gramShard), fetched when a phrase or word needs them.
  function lexicon(meta, chars, pairs) {
    function fetched(folder, numbers) {
      return Promise.all(numbers.map(function (n) { return fetchFile(folder + "/" + n + ".json", "json"); })).then(function (got) {
        var shards = {};
        numbers.forEach(function (n, i) { shards[n] = got[i]; });
        return shards;
      });
    }
    var wanted = Array.from(new Set(chars.map(function (ch) { return shardOf(meta, ch); })));
    var wantedPairs = Array.from(new Set(pairs.map(function (pair) { return pairOf(meta, pair); })));
    return Promise.all([fetched("w", wanted), fetched("v", wantedPairs)]).then(function (got) {
      function lookup(table, key) { return table && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined; }
      return {
        unknown: meta.words.unknown,
        entry: function (word) {
          var single = Array.from(word).length === 1, shard = single ? got[0][shardOf(meta, word)] : got[1][pairOf(meta, word)];
          return lookup(shard && shard.w, word);
        },
        simplified: function (ch) { var shard = got[0][shardOf(meta, ch)]; return lookup(shard && shard.t, ch); }
      };
    });
  }

  // Analysis of a query with the lexicon of its characters and pairs (and, after converting
  // traditional characters, of the simplified ones).
  function analyseQuery(meta, query) {
    var folded = GW.fold(query), other = GW.otherShards(folded), chars = GW.hanChars(folded).concat(other.chars);
    return lexicon(meta, chars, GW.hanPairs(folded).concat(other.pairs)).then(function (first) {
      var simplified = GW.toSimplified(first, folded);
      if (simplified === folded) return first;
      var missing = GW.hanChars(simplified).filter(function (ch) { return chars.indexOf(ch) < 0; });
      return lexicon(meta, chars.concat(missing), GW.hanPairs(simplified).concat(other.pairs));  // the cut is of the simplified text
    }).then(function (lex) { return GW.analyse(lex, query); });
  }

  GW.root = root; GW.fetchFile = fetchFile; GW.phraseHits = phraseHits; GW.inAll = inAll; GW.namesDocs = namesDocs;
  GW.NO_POSITION = NO_POSITION; GW.Hits = Hits; GW.inRanges = inRanges; GW.loadMeta = loadMeta; GW.loadFilters = loadFilters; GW.docRanges = docRanges;
  GW.hitsKb = hitsKb; GW.textFile = textFile;
  GW.candidateRanges = candidateRanges; GW.docsInAll = docsInAll; GW.lexicon = lexicon; GW.analyseQuery = analyseQuery;
})();
