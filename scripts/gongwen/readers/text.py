"""Plain text (.txt): UTF-8 with or without BOM, GB18030/GBK, UTF-16 — see ``readers/decode.py``."""

from __future__ import annotations

from .decode import decode_text
from .base import Reading


def read_text(data: bytes) -> Reading:
    return Reading(format="txt", items=(decode_text(data),))
