"""The word data that query analysis needs, derived at build time and shared with the browser.

- **Words**: jieba's dictionary (its words and frequencies) plus the archive's own names (bureaus,
  their short forms, places with and without suffix, department forms), kept only where every
  bigram and trigram of the word occurs in the archive (a word that cannot occur finds nothing,
  and the browser should not download it).  Each word carries its cost for jieba's
  max-probability route, as an integer so that Python and JavaScript add exactly the same numbers,
  its forms (``names.py``) and, for a bureau or a place, the browse page it has.
- **Traditional → simplified**: OpenCC's character table (``opencc-python-reimplemented`` ships
  OpenCC's TSCharacters), for the characters whose simplified form occurs in the archive while
  the traditional one does not (so converting a query never loses an exact match).

Both are written to ``w/<n>.json``, sharded by the first character's code point, and the longer words to
``v/<n>.json``, by their first two, so a query fetches only the shards of its own characters and pairs
(``words.py`` and ``index.js`` read them); so are the grams with postings files of their own or phrase lists.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from importlib import resources

from ..browse.places import region_chain
from ..model import Report
from ..slug import place_slug
from .analyzer import Document, search_key, short_forms
from .names import NameRules, forms, place_names

#: Frequency of the archive's own names (jieba's ``add_word`` would guess; a fixed, high one is
#: what keeps 马村区 and 科技局 whole).
NAME_FREQ = 10**6
#: Costs are -log(probability) × this, rounded: integers add up identically in both languages.
COST_SCALE = 1000
#: Target size of a shard of the word data.
SHARD_BYTES = 2048
#: Han characters, as words are made of them (the browser uses the same ranges).
HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+$")


@dataclass
class Lexicon:
    """Word → cost; word → forms (when not just itself); word → browse URL; traditional → simplified."""

    costs: dict[str, int]
    unknown: int
    forms: dict[str, list[str]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    t2s: dict[str, str] = field(default_factory=dict)


@functools.cache
def jieba_words() -> dict[str, int]:
    """jieba's main dictionary: word → frequency."""
    text = resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    words = {}
    for line in text.splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            words[parts[0]] = int(parts[1])
    return words


def opencc_characters() -> dict[str, str]:
    """OpenCC's TSCharacters: traditional character → its first simplified form (only where they differ)."""
    text = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        trad, _, simplified = line.partition("\t")
        first = simplified.split(" ")[0]
        if len(trad) == 1 and len(first) == 1 and first != trad:
            table[trad] = first
    return table


def archive_grams(docs: list[Document]) -> set[str]:
    """Characters, bigrams and trigrams of the search keys (none across a line); the builder has them
    already, as the keys of its postings."""
    grams: set[str] = set()
    for doc in docs:
        for line in doc.key.split("\n"):
            grams.update(line[i:i + n] for n in (1, 2, 3) for i in range(len(line) - n + 1))
    return grams


def can_occur(word: str, grams: set[str]) -> bool:
    if len(word) <= 2:
        return word in grams
    return all(word[i:i + 3] in grams for i in range(len(word) - 2))


def name_urls(reports: list[Report], rules: NameRules) -> dict[str, str]:
    """Bureau names (as printed, canonical, short) and place names (both ways) → their browse page."""
    urls: dict[str, str] = {}
    short_of = dict(rules.places)
    for report in reports:
        chain = region_chain(report)
        for depth, name in enumerate(chain):
            url = "regions/" + "/".join(place_slug(p) for p in chain[:depth + 1]) + "/"
            for written in filter(None, (name, short_of.get(name))):
                urls.setdefault(search_key(written), url)
        if report.bureau_id:
            for name in (report.bureau, report.bureau_name, *short_forms(report.bureau_name)):
                if name:
                    urls.setdefault(search_key(name), f"bureaus/{report.bureau_id}/")
    return urls


def derive_lexicon(grams: set[str], reports: list[Report], rules: NameRules) -> Lexicon:
    """The lexicon of this archive (``grams``: its characters, bigrams and trigrams): jieba's words that
    can occur in it, its names, its conversions."""
    frequencies = {w: f for w, f in jieba_words().items() if HAN.match(w) and can_occur(w, grams)}
    urls = name_urls(reports, rules)
    names = set(urls) | set(place_names(rules)) | {form for group in rules.groups for form in group}
    for name in names:
        if HAN.match(name):
            frequencies[name] = max(frequencies.get(name, 0), NAME_FREQ)
    total = sum(jieba_words().values())
    costs = {w: round((math.log(total) - math.log(f)) * COST_SCALE) for w, f in frequencies.items()}
    word_forms = {w: found for w in costs if len(w) > 1 and (found := forms(w, rules)) != [w]}
    t2s = {t: s for t, s in opencc_characters().items() if s in grams and t not in grams}
    return Lexicon(costs, round(math.log(total) * COST_SCALE), word_forms, urls, t2s)


def shard_of(char: str, shards: int) -> int:
    return ord(char) % shards


def unmarked(gram: str) -> str:
    """A gram without the marks of names grams and phrase lists (0, 1); a mark alone is kept."""
    return gram.lstrip("\x00\x01") or "\x00"


def pair_of(word: str, pairs: int) -> int:
    """The shard ``v/<n>.json`` of a word of two or more characters: by its first two (as ``lexicon.js``)."""
    return (ord(word[0]) * 65537 + ord(word[1])) % pairs


def gram_shard(gram: str, shards: int, pairs: int) -> str:
    """The lexicon file of a word, a conversion, or a gram's own postings file or phrase list: by its first two
    characters (after the marks) in ``v/``, a single character's in ``w/``."""
    bare = unmarked(gram)
    return f"v/{pair_of(bare, pairs)}.json" if len(bare) > 1 else f"w/{shard_of(bare, shards)}.json"


def lexicon_files(lexicon: Lexicon, own: dict[str, int | list[int]] | None = None,
                  phrases: list[str] = ()) -> tuple[dict[str, bytes], int, int]:
    """The lexicon as ``w/<n>.json`` shards by a first character and ``v/<n>.json`` shards by the first two;
    with the counts of each.  Each shard is ``{"w": {word: [cost, forms?, url?]}, "o": {gram: KB}, "p": [gram]}``,
    and ``w/`` also has ``"t": {trad: simp}``.

    ``w`` holds the words: a single character in ``w/``, a longer word in ``v/``, because a query's cut needs only
    the words that start with two of its adjacent characters, and the archive's names make the words of a common
    first character many (at 100,000 reports 551 words under 大, 8 KB gzip, most of them bureaus with their forms
    and links): sharded by one character, a natural query fetched 23–30 KB of lexicon.

    ``o`` lists the grams whose postings have a file of their own, with its size in KB (the browser fetches the
    big ones of a phrase only when the small ones leave a report), or for a gram in pieces (``pieces.py``) each
    piece's first report and size in KB, end to end; ``p`` lists the grams that have a phrase list
    (``frequent.py``).  Both by the gram's first two characters too (``gram_shard``): by one, the grams of ``2``
    or ``法`` with their pieces made the largest ``w/`` shards 3–4 KB gzip at 100,000 reports, most of a natural
    query's lexicon bytes.  The browser learns which file holds a gram's postings without downloading the whole
    list (which grows with the archive)."""
    own = own or {}
    entries = {word: _entry(lexicon, word, cost) for word, cost in lexicon.costs.items()}
    longer = {word: entry for word, entry in entries.items() if len(word) > 1}
    single = {gram: kb for gram, kb in own.items() if len(unmarked(gram)) == 1}
    size = len(json.dumps({w: e for w, e in entries.items() if len(w) == 1}, ensure_ascii=False)) + 8 * len(lexicon.t2s) \
        + _own_size(single.values())
    pair_size = len(json.dumps(longer, ensure_ascii=False)) + 20 * len(phrases) \
        + _own_size(kb for gram, kb in own.items() if gram not in single)
    shards, pairs = max(1, size // SHARD_BYTES), max(1, pair_size // SHARD_BYTES)
    contents = {f"w/{n}.json": {"w": {}, "t": {}, "o": {}, "p": []} for n in range(shards)}
    contents |= {f"v/{n}.json": {"w": {}, "o": {}, "p": []} for n in range(pairs)}
    for word in sorted(entries):
        contents[gram_shard(word, shards, pairs)]["w"][word] = entries[word]
    for trad in sorted(lexicon.t2s):
        contents[gram_shard(trad, shards, pairs)]["t"][trad] = lexicon.t2s[trad]
    for gram in sorted(own):
        contents[gram_shard(gram, shards, pairs)]["o"][gram] = own[gram]
    for gram in sorted(phrases):
        contents[gram_shard(gram, shards, pairs)]["p"].append(gram)
    files = {name: json.dumps(c, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
             for name, c in contents.items()}
    return files, shards, pairs


def _own_size(owns) -> int:
    """About the bytes of ``o`` entries in a shard: a size, or a piece's first report and size each."""
    return sum(12 if isinstance(kb, int) else 14 * len(kb) for kb in owns)


def _entry(lexicon: Lexicon, word: str, cost: int) -> list:
    """A word's entry: its cost, then its forms (0: just itself) when it has forms or a browse URL, then the URL."""
    entry: list = [cost]
    if word in lexicon.urls or word in lexicon.forms:
        entry.append(lexicon.forms.get(word, 0))
    if word in lexicon.urls:
        entry.append(lexicon.urls[word])
    return entry


def read_lexicon(files: dict[str, bytes], unknown: int) -> Lexicon:
    """The lexicon back from its shards, as the browser sees it."""
    lexicon = Lexicon({}, unknown)
    for name, data in files.items():
        if not name.startswith(("w/", "v/")):
            continue
        shard = json.loads(data)
        lexicon.t2s.update(shard.get("t", {}))
        for word, entry in shard["w"].items():
            lexicon.costs[word] = entry[0]
            if len(entry) > 1 and entry[1]:
                lexicon.forms[word] = entry[1]
            if len(entry) > 2:
                lexicon.urls[word] = entry[2]
    return lexicon
