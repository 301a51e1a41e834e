"""Read stage: the bytes of a plain-text report → ``str``.

Reports come in UTF-8 (with or without BOM), UTF-16 and GB18030/GBK from older
systems.  A BOM is trusted; otherwise strict UTF-8 is tried, then
each encoding Chinese reports actually use is tried strictly; where more than
one gives plausible Chinese text, charset-normalizer chooses.
Anything that is not plainly Chinese text is an :class:`InputError`, never a
page of mojibake.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .model import InputError
from .textdata import HAN_CHAR

#: Encodings considered when there is no BOM and the bytes are not UTF-8.
CANDIDATE_ENCODINGS = ["gb18030", "utf_16_le", "utf_16_be"]
#: Control characters that plain text may contain: tab, newline, form feed, CR.
TEXT_CONTROLS = {9, 10, 12, 13}

#: Byte-order marks and the codec each one selects (UTF-32 is not expected in reports).
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
    if not _is_plausible(text):
        raise InputError("not Chinese text (binary file, or too few Han characters for a report)")
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
    """Strict decodes that give plausible Chinese text; charset-normalizer settles a tie."""
    plausible = {}
    for encoding in CANDIDATE_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _is_plausible(text):
            plausible[encoding] = text
    if len(plausible) == 1:
        return next(iter(plausible.values()))
    if plausible:
        best = from_bytes(data, cp_isolation=list(plausible)).best()
        if best is not None and best.encoding in plausible:
            return plausible[best.encoding]
        raise InputError(f"undecodable bytes: the encoding cannot be decided between {' and '.join(plausible)} "
                         "(each gives Chinese text); save the file as UTF-8")
    if any(b < 32 and b not in TEXT_CONTROLS for b in data[:4096]):
        raise InputError("binary file (control bytes), not text")
    raise InputError("undecodable bytes: not UTF-8, GB18030 or UTF-16")


def _is_plausible(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ord(ch) not in TEXT_CONTROLS)
    return controls == 0 and _han_share(text) >= MIN_HAN_SHARE


def _han_share(text: str) -> float:
    visible = len(text) - sum(1 for ch in text if ch.isspace())
    return len(HAN_CHAR.findall(text)) / visible if visible else 0.0
