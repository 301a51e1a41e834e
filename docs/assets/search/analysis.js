/* Query analysis: twin of scripts/gongwen/search/analyzer.py, searchdata.py and words.py.
 *
 * fold, searchKey and parseQuery define the exact phrases (tier 1); phraseWords and cut define
 * the words (tiers 2 and 3) with jieba's algorithm over the lexicon built with the index.  The
 * functions here are pure: the lexicon comes in as a lookup (index.js fetches its shards).
 * tests/test_search_browser.py and tests/test_search_words.py compare them with Python in Chromium.
 */
(function () {
  "use strict";
  var GW = window.gongwenSearch = window.gongwenSearch || {};

  // …and the other control characters but the newline (searchdata.CONTROLS: the index's marks are code points 0 and 1)
  var DROPPED = " \t\r\f\v\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff" +
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f";
  var QUOTES = "\"“”「」";
  var ASCII_TO_FULL = { ",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？" };
  var KEY_DOC_NUMBER = /[\[（【［〔]([0-9]{4})[\]）】］〕](?=[0-9]{1,4}号)/g;
  var QUERY_DOC_NUMBER = /([\u3400-\u9fff]*)\s*[\[（【［〔]?\s*((?:19|20)[0-9]{2})\s*[\]）】］〕]?\s*([0-9]{1,4})\s*号/g;
  // The pieces of a phrase's key: a year, an ASCII run, a Han run (cut into words), in this order.
  var PIECE = /([0-9]{4}年)度?|([0-9a-z]+)|([\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3ffff}]+)/gu;
  var MAX_WORDS = 12;  // words.py: beyond this many, a query's words are not searched as words
  var HAN = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3ffff}]/u;

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

  function exactOnly(query) {
    for (var ch of query) if (QUOTES.indexOf(ch) >= 0) return true;
    return false;
  }

  function parseQuery(query) {
    var folded = "", phrases = [], seen = {};
    for (var ch of fold(query)) folded += QUOTES.indexOf(ch) >= 0 ? " " : ch;
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

  // The Han characters of a text, once each (their lexicon shards are what a query needs).
  function hanChars(text) {
    var found = [];
    for (var ch of text) if (HAN.test(ch) && found.indexOf(ch) < 0) found.push(ch);
    return found;
  }

  // The pairs of adjacent Han characters of a text, once each: the lexicon shards of the words of two
  // characters or more that its cut may use (every such word starts with two adjacent characters).
  function hanPairs(text) {
    var found = [], chars = Array.from(text);
    for (var i = 0; i + 1 < chars.length; i++) {
      var pair = chars[i] + chars[i + 1];
      if (HAN.test(chars[i]) && HAN.test(chars[i + 1]) && found.indexOf(pair) < 0) found.push(pair);
    }
    return found;
  }

  // Where the trigrams that verify a phrase of `length` characters start (frequent.cover).
  function coverOffsets(length) {
    var offsets = [];
    for (var i = 0; i + 3 <= length; i += 3) offsets.push(i);
    if (offsets[offsets.length - 1] + 3 < length) offsets.push(length - 3);
    return offsets;
  }

  // The lexicon shards, beyond those of its Han characters and pairs (hanChars, hanPairs), of the grams a query looks
  // up whatever the lexicon says: its phrases (or their verifying trigrams) and, unless it asks for phrases only, the
  // words cut without the lexicon (years, ASCII runs).  `chars`: such grams of one character that is not Han (their
  // w/ shard); `pairs`: the first two characters of the longer ones when not both Han (their v/ shard, index.js
  // gramShard).  They then come with the analysis' first round, not in a round of their own after it (at 100,000
  // reports, 20 ms of a query holding a year or a 文号).
  function otherShards(text) {
    var found = { chars: [], pairs: [] };
    function add(gram) {
      var chars = Array.from(gram), list = chars.length === 1 ? found.chars : found.pairs, key = chars.slice(0, 2).join("");
      if (!(HAN.test(chars[0]) && (chars.length === 1 || HAN.test(chars[1]))) && list.indexOf(key) < 0) list.push(key);
    }
    function addWithTrigrams(looked) {  // its own file or phrase list, else the trigrams that verify it
      var chars = Array.from(looked);
      add(looked);
      if (chars.length > 3) coverOffsets(chars.length).forEach(function (o) { add(chars.slice(o, o + 3).join("")); });
    }
    var words = !exactOnly(text);
    parseQuery(text).forEach(function (phrase) {
      addWithTrigrams(phrase.text);
      if (words && !phrase.docNumber) phrase.text.replace(PIECE, function (m, year, ascii) { if (year || ascii) addWithTrigrams(year || ascii); return m; });
    });
    return found;
  }

  // `lexicon.entry(word)`: [cost, forms, url] or undefined; `lexicon.simplified(ch)`; `lexicon.unknown`.
  function toSimplified(lexicon, text) {
    var out = "";
    for (var ch of text) out += lexicon.simplified(ch) || ch;
    return out;
  }

  // jieba's cut without HMM over one Han run: DAG of the words starting at each character, then
  // the route of smallest total cost (= highest probability), right to left; ties: the longer word.
  function cut(lexicon, run) {
    var chars = Array.from(run), length = chars.length, score = new Array(length + 1), next = new Array(length + 1);
    score[length] = 0; next[length] = length;
    for (var start = length - 1; start >= 0; start--) {
      var ends = [], word = "";
      for (var end = start + 1; end <= length; end++) {
        word += chars[end - 1];
        if (lexicon.entry(word)) ends.push(end);
      }
      if (!ends.length) ends.push(start + 1);
      var bestScore = -Infinity, bestEnd = -1;
      ends.forEach(function (end) {
        var entry = lexicon.entry(chars.slice(start, end).join(""));
        var value = -(entry ? entry[0] : lexicon.unknown) + score[end];
        if (value > bestScore || (value === bestScore && end > bestEnd)) { bestScore = value; bestEnd = end; }
      });
      score[start] = bestScore; next[start] = bestEnd;
    }
    var words = [];
    for (var at = 0; at < length; at = next[at]) words.push(chars.slice(at, next[at]).join(""));
    return words;
  }

  function phraseWords(lexicon, key) {
    var found = [];
    key.replace(PIECE, function (m, year, ascii, han) {
      if (han) found.push.apply(found, cut(lexicon, han)); else found.push(year || ascii);
      return m;
    });
    return found;
  }

  // The query as phrases (tier 1) and words, each with its forms and browse link (tiers 2 and 3).
  function analyse(lexicon, query) {
    var phrases = parseQuery(toSimplified(lexicon, query)), words = [], seen = {};
    phrases.forEach(function (phrase) {
      var texts = phrase.docNumber ? [phrase.text] : phraseWords(lexicon, phrase.text);
      texts.forEach(function (text) {
        if (seen[text]) return;
        seen[text] = true;
        var entry = phrase.docNumber ? null : lexicon.entry(text);
        var forms = entry && entry[1] ? entry[1] : [text];
        words.push({ text: text, forms: forms, docNumber: phrase.docNumber, url: entry && entry[2] || null });
      });
    });
    return { phrases: phrases, words: words.slice(0, MAX_WORDS), exactOnly: exactOnly(query) };
  }

  GW.fold = fold; GW.searchKey = searchKey; GW.parseQuery = parseQuery; GW.exactOnly = exactOnly;
  GW.hanChars = hanChars; GW.hanPairs = hanPairs; GW.otherShards = otherShards; GW.coverOffsets = coverOffsets; GW.toSimplified = toSimplified; GW.cut = cut; GW.phraseWords = phraseWords; GW.analyse = analyse;
})();
