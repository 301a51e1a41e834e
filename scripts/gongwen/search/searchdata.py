"""Named text data of the search: what counts as a space, which forms are equivalent.

Every table here has a twin in ``docs/assets/search/analysis.js``; the
parity test in Chromium fails if they drift apart.
"""

from __future__ import annotations

import re

#: Characters dropped from the search key: spaces of every width and invisible
#: characters that Word and web pages leave inside Chinese text.  A newline is
#: kept: it separates fields and paragraphs, and no phrase spans it.
#: (…and the other control characters but the newline, which separates a key's lines: code points 0 and 1 mark
#: the index's names grams and phrase lists, so a key must never hold them; ``analysis.js`` drops the same.)
CONTROLS = "".join(map(chr, [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F]))
DROPPED = frozenset(" \t\r\f\v\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff" + CONTROLS)

#: ASCII punctuation typed in a query where the text has the full-width form.
ASCII_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}

#: Quotes around a query (or part of it) ask for exact matches only; they are not searched for.
QUOTES = "\"“”「」"

#: Brackets around the year of a 文号, all normalised to 〔〕 (U+3014/U+3015).
OPEN_BRACKETS = "[（【［〔"
CLOSE_BRACKETS = "]）】］〕"

#: A 文号's year in any bracket form inside the (already half-width) key.
KEY_DOC_NUMBER = re.compile(r"[\[（【［〔]([0-9]{4})[\]）】］〕](?=[0-9]{1,4}号)")

#: The year-and-number part of a 文号 in a key, kept as one word when segmenting.
KEY_DOC_NUMBER_WORD = re.compile(r"〔[0-9]{4}〕[0-9]{1,4}号")

#: A 文号 typed in a query: 焦科组〔2024〕5号, 焦科组[2024]5号, 焦科组（2024）5号, 焦科组2024 5号.
QUERY_DOC_NUMBER = re.compile(
    r"([\u3400-\u9fff]*)\s*[\[（【［〔]?\s*((?:19|20)[0-9]{2})\s*[\]）】］〕]?\s*([0-9]{1,4})\s*号")

#: Everyday short forms of department names: a report of 信阳市科学技术局 is
#: found by 信阳市科技局 even where its text only uses the full name.
BUREAU_SHORT_FORMS = (
    ("科学技术局", "科技局"), ("科学技术厅", "科技厅"), ("市场监督管理局", "市场监管局"),
    ("人力资源和社会保障局", "人社局"), ("卫生健康委员会", "卫健委"), ("生态环境局", "环保局"),
    ("自然资源和规划局", "自然资源局"), ("交通运输局", "交通局"), ("人民政府", "政府"),
)
