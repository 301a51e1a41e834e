"""The search index's postings as files (``builder.py``'s layout): a big gram's list in a file of its own
(``g/<gram>.bin``), or in pieces (``g/<gram>.<block>.bin``, ``pieces.py``), and the small ones in hashed buckets
(``b/<n>.bin``), each file made as its key range's postings come, so that the whole postings are never held."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .packed import gather
from .pieces import Blocks
from .postings import Postings, bucket_numbers, code_table, headers, joined

#: Encoded postings above this many bytes get a file of their own.
OWN_FILE_BYTES = 4096
#: Target size of a bucket of small postings.
BUCKET_BYTES = 4096


def gram_name(key: tuple[int, ...]) -> str:
    return "-".join(f"{code:x}" for code in key)


def posting_files(postings: Postings, phrases: list[str]) -> tuple[dict[str, bytes], dict[str, int], int]:
    """Postings into files: big ones alone, the rest in hashed buckets (each entry: n, n code points, length, data).

    Also the grams with a file of their own and its size in KB (listed in the lexicon shards), and the
    number of buckets.  ``phrases``: the phrase-list grams, sorted (a phrase list's key holds its rank)."""
    layout = PostingLayout()
    files = dict(posting_stream([postings], phrases, layout))
    return files, layout.own, layout.buckets


@dataclass
class PostingLayout:
    """What writing the postings tells the rest of the index: the grams with a file of their own (and its size in
    KB; a gram in pieces: each piece's first report and size in KB, end to end), the number of buckets of the
    others, and every gram's packed key, ascending."""

    own: dict[str, int | list[int]] = field(default_factory=dict)
    buckets: int = 1
    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))


def _keys(table: np.ndarray) -> list[tuple[int, ...]]:
    return [tuple(int(c) for c in row if c >= 0) for row in table]


#: Bytes of bucket files gathered at a time (not the whole index's: the small postings are already in memory once).
BUCKETS_AT_ONCE = 1 << 26


def posting_stream(parts, phrases: list[str], layout: PostingLayout, blocks: Blocks | None = None):
    """``posting_files``' files one at a time, ``(name, bytes)``, from the postings of each key range as it is
    merged (``postings.ranges_merged``): a big gram's file (or its pieces' files, ``g/<gram>.<first block>.bin``,
    ``pieces.Blocks.names``) at once, the small ones kept for the buckets (whose number depends on all of them);
    ``layout`` is filled as they go; ``blocks``: the reports' (postings in pieces need them).  So only the small
    postings (a bucket's worth of bytes per bucket) are ever held, not the whole index's (2.3 GB at 100,000
    reports)."""
    small, keys = [], []
    block_names = blocks.names() if blocks is not None else []
    for part in parts:
        first = part.firsts()
        big = (part.sizes > OWN_FILE_BYTES) | (first >= 0)
        table = code_table(part.keys[big], phrases)
        block = blocks.of(first[big]).tolist() if blocks is not None else [-1] * int(big.sum())
        for key, start, size, piece, at in zip(_keys(table), part.starts[big].tolist(), part.sizes[big].tolist(),
                                               first[big].tolist(), block):
            gram, kb = "".join(map(chr, key)), -(-size // 1024)
            if piece < 0:
                layout.own[gram] = kb
                yield f"g/{gram_name(key)}.bin", part.data[start:start + size].tobytes()
                continue
            layout.own.setdefault(gram, []).extend([piece, kb])
            yield f"g/{gram_name(key)}.{block_names[at]}.bin", part.data[start:start + size].tobytes()
        keys.append(part.keys)
        sizes = part.sizes[~big]
        small.append(Postings(part.keys[~big], np.cumsum(sizes) - sizes, sizes, gather(part.data, part.starts[~big], sizes)))
    layout.keys = np.concatenate(keys) if keys else layout.keys
    rest = joined(small)
    del small
    layout.buckets = max(1, int(rest.sizes.sum()) // BUCKET_BYTES)
    yield from bucket_stream(rest, phrases, layout.buckets)


def bucket_stream(postings: Postings, phrases: list[str], buckets: int):
    """The bucket files of the small postings, gathered a batch of buckets at a time."""
    table = code_table(postings.keys, phrases)
    sizes, starts = postings.sizes, postings.starts
    header, header_sizes = headers(table, sizes)
    number = bucket_numbers(table, buckets)
    del table
    order = np.argsort(number, kind="stable")  # a bucket's grams stay in key order
    header_at = np.cumsum(header_sizes) - header_sizes
    filled = np.bincount(number, weights=header_sizes + sizes, minlength=buckets).astype(np.int64)
    first_gram = np.concatenate([[0], np.cumsum(np.bincount(number, minlength=buckets))])
    ends = np.cumsum(filled)
    bucket = 0
    while bucket < buckets:
        last = max(bucket + 1, int(np.searchsorted(ends, ends[bucket] - filled[bucket] + BUCKETS_AT_ONCE, side="right")))
        chosen = order[first_gram[bucket]:first_gram[last]]
        heads, bodies = gather(header, header_at[chosen], header_sizes[chosen]), gather(postings.data, starts[chosen], sizes[chosen])
        segments = np.empty(2 * len(chosen), dtype=np.int64)
        lengths = np.empty_like(segments)
        lengths[0::2], lengths[1::2] = header_sizes[chosen], sizes[chosen]
        segments[0::2] = np.cumsum(lengths[0::2]) - lengths[0::2]
        segments[1::2] = len(heads) + np.cumsum(lengths[1::2]) - lengths[1::2]
        data = gather(np.concatenate([heads, bodies]), segments, lengths)
        offset = ends[bucket] - filled[bucket]
        for at in range(bucket, last):
            if filled[at]:
                yield f"b/{at}.bin", data[ends[at] - filled[at] - offset:ends[at] - offset].tobytes()
        bucket = last
