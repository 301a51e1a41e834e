"""Read stage: the bytes of a plain-text report → ``str``.

Reports come in UTF-8 (with or without BOM), UTF-16 and GB18030/GBK from older
systems.  A BOM is trusted; otherwise strict UTF-8 is tried, then
charset-normalizer chooses among the encodings Chinese reports actually use.
Anything that is not plainly Chinese text is an :class:`InputError`, never a
page of mojibake.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .model import InputError
from .textdata import HAN_CHAR

#: Encodings considered when there is no BOM and the bytes are not UTF-8.
CANDIDATE_ENCODINGS = ["gb18030", "utf_16_le", "utf_16_be", "big5"]

#: Byte-order marks, longest first (UTF-32's LE BOM starts with UTF-16's).
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

#: Share of Han characters among non-space characters below which decoded
#: text is not taken for a Chinese report (the mark of a wrong guess).
MIN_HAN_SHARE = 0.3


def decode_text(data: bytes) -> str:
    """Decode a report's bytes, or raise :class:`InputError` saying why not."""
    if not data.strip():
        raise InputError("empty file")
    text = _decode_with_bom(data)
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_detected(data)
    if "\x00" in text or _han_share(text) < MIN_HAN_SHARE:
        raise InputError("not Chinese text (binary file or unknown encoding)")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(f"undecodable bytes: starts with a {encoding} BOM but {error.reason} at byte {error.start}") from None
    return None


def _decode_detected(data: bytes) -> str:
    if _looks_binary(data):
        raise InputError("binary file (control bytes), not text")
    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise InputError("undecodable bytes: not UTF-8, and no GB18030/UTF-16/Big5 reading fits")
    return str(best)


def _looks_binary(data: bytes) -> bool:
    """Control bytes other than tab/newline/CR/form feed mark a binary file (UTF-16 has BOMs or NULs in pairs)."""
    sample = data[:4096]
    nul_even = sample[0::2].count(0)
    nul_odd = sample[1::2].count(0)
    if nul_even + nul_odd and min(nul_even, nul_odd) == 0 and max(nul_even, nul_odd) > len(sample) // 8:
        return False  # a BOM-less UTF-16 text: NULs on one side only
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > 0


def _han_share(text: str) -> float:
    visible = len(text) - sum(1 for ch in text if ch.isspace())
    return len(HAN_CHAR.findall(text)) / visible if visible else 0.0
