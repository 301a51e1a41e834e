"""Read stage: the bytes of a plain-text report → ``str``, or a refusal; never a guess.

Reports come in UTF-8 (with or without BOM), UTF-16 and GB18030/GBK from older
systems.  A BOM is trusted, and so is strict UTF-8 (bytes of another encoding
almost never pass it).  Otherwise each encoding Chinese reports actually use is
tried strictly, and a decode is accepted only when it reads as Chinese prose:
nearly all of its Han characters are among the 3,755 common characters of
GB 2312's level 1 (the national standard's 一级常用汉字; Python's codec holds
the list), and it has no Japanese kana.  Bytes of another encoding decoded as
GBK (Big5, Shift-JIS, random bytes) give rare characters and kana, so they are
refused with the advice to save the file as UTF-8 — never published garbled.
Where more than one encoding reads as Chinese, charset-normalizer chooses.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from charset_normalizer import from_bytes

from ..messages import fail
from ..textdata import HAN_CHAR

#: Encodings considered when there is no BOM and the bytes are not UTF-8.
CANDIDATE_ENCODINGS = ["gb18030", "utf_16_le", "utf_16_be"]
#: Control characters that plain text may contain: tab, newline, form feed, CR.
TEXT_CONTROLS = {9, 10, 12, 13}
#: Any other control character: the mark of binary data.
CONTROL = re.compile("[" + "".join(chr(c) for c in range(32) if c not in TEXT_CONTROLS) + "]")

#: Byte-order marks and the codec each one selects (UTF-32 is not expected in reports).
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

#: Share of Han characters among non-space characters below which decoded
#: text is not taken for a Chinese report (the mark of a wrong guess).
MIN_HAN_SHARE = 0.3
#: Share of a guessed decode's Han characters that must be common (GB 2312 level 1).
#: The seeds score 0.999 (their rarest line 0.994); Big5 read as GBK scores 0.38,
#: random bytes about 0.2: 0.9 leaves room for names and place names (瀍河).
MIN_COMMON_SHARE = 0.9
#: Japanese kana: a Chinese report has none; EUC-JP read as GBK keeps its kana.
KANA = re.compile(r"[\u3040-\u30ff]")
#: Kana allowed in a report (a quoted Japanese name) before the decode counts as Japanese.
MAX_KANA_SHARE = 0.01


@lru_cache(maxsize=1)
def common_hanzi() -> frozenset[str]:
    """The 3,755 characters of GB 2312 level 1 (rows 16–55), the standard list of common Han characters."""
    found = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:  # the last row has 89 characters, not 94
                pass
    return frozenset(found)


def decode_text(data: bytes) -> str:
    """Decode a report's bytes, or raise :class:`InputError` saying why not."""
    if not data.strip():
        raise fail("E-EMPTY")
    text = _decode_with_bom(data)
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return _decode_detected(data)
    if CONTROL.search(text):
        raise fail("E-BINARY")
    if han_share(text) < MIN_HAN_SHARE:
        raise fail("E-NOT-CHINESE", detail=f"汉字只占 {han_share(text):.0%}")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise fail("E-BAD-BOM", encoding=encoding, position=error.start) from None
    return None


def _decode_detected(data: bytes) -> str:
    """Strict decodes that read as Chinese prose; charset-normalizer settles a tie."""
    plausible = {}
    for encoding in CANDIDATE_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if is_chinese_prose(text):
            plausible[encoding] = text
    if len(plausible) == 1:
        return next(iter(plausible.values()))
    if plausible:
        best = from_bytes(data, cp_isolation=list(plausible)).best()
        if best is not None and best.encoding in plausible:
            return plausible[best.encoding]
        raise fail("E-ENCODING", detail=f"按 {' 和 '.join(plausible)} 解码都像中文")
    if any(b < 32 and b not in TEXT_CONTROLS for b in data[:4096]):
        raise fail("E-BINARY")
    raise fail("E-ENCODING", detail="不是 UTF-8，按 GB18030 或 UTF-16 解码也不像中文，可能是 Big5 或其他编码")


def is_chinese_prose(text: str) -> bool:
    """Whether a guessed decode reads as Chinese: Han text, mostly common characters, no kana, no control bytes."""
    han = HAN_CHAR.findall(text)
    if CONTROL.search(text) or not han or han_share(text, len(han)) < MIN_HAN_SHARE:
        return False
    return han_reads_as_chinese(text, han)


def han_reads_as_chinese(text: str, han: list[str] | None = None) -> bool:
    """Whether the Han characters of a text (markup and all) are those of Chinese prose: mostly common
    characters, and no kana beside them.  Text without Han characters says nothing, so passes."""
    han = HAN_CHAR.findall(text) if han is None else han
    if not han:
        return True
    common_share = sum(map(common_hanzi().__contains__, han)) / len(han)
    return common_share >= MIN_COMMON_SHARE and len(KANA.findall(text)) <= MAX_KANA_SHARE * len(han)


def han_share(text: str, han_count: int | None = None) -> float:
    """Han characters among the non-space characters (``han_count`` when already counted)."""
    visible = sum(map(len, text.split()))  # the non-space characters, counted in C
    if han_count is None:
        han_count = len(HAN_CHAR.findall(text))
    return han_count / visible if visible else 0.0
