"""Realistic synthetic reports for benchmarks and scale tests.

Built from the seed reports' own paragraphs and headings, recombined under
varied bureaus, places (from the gazetteer), years and 文号, in the layouts
seen in the wild: with or without 版头/文号/主送/版记, titles with 关于 or with
the year first, party-group issuers.  Deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .body import format_number
from .gazetteer import PLACEHOLDER_NAMES, division_names, place
from .model import Report

#: Departments that publish 法治政府建设年度报告, with their 文号 code character.
DEPARTMENTS = (("科学技术局", "科"), ("科技局", "科"), ("教育局", "教"), ("司法局", "司"), ("财政局", "财"),
               ("市场监督管理局", "市监"), ("生态环境局", "环"), ("交通运输局", "交"), ("卫生健康委员会", "卫"),
               ("自然资源和规划局", "资"), ("人力资源和社会保障局", "人社"), ("民政局", "民"))
PROVINCIAL_DEPARTMENTS = (("科学技术厅", "科"), ("教育厅", "教"), ("司法厅", "司"), ("财政厅", "财"))
YEARS = range(2019, 2026)
#: How often a bureau that reports yearly has no report for a year (a year the archive lacks).
MISSED_YEAR = 0.15
TITLE_FORMS = ("{bureau}{year}年法治政府建设工作报告", "{bureau}关于{year}年法治政府建设情况的报告",
               "{bureau}{year}年度法治政府建设年度报告", "中共{bureau}党组关于{year}年法治政府建设工作的报告")


@dataclass(frozen=True)
class Pool:
    """Headings and paragraphs to recombine, taken from real reports."""

    headings: tuple[str, ...]
    paragraphs: tuple[str, ...]


def pool_from_reports(reports: list[Report]) -> Pool:
    """Headings without their numbers, and every paragraph, of the given reports."""
    headings, paragraphs = [], []
    for report in reports:
        for block in report.body:
            if block.kind == "heading" and block.level == 2:
                headings.append(block.text.split("、", 1)[-1])
            elif block.kind == "paragraph" and len(block.text) > 30:
                paragraphs.append(block.text)
    return Pool(tuple(dict.fromkeys(headings)), tuple(dict.fromkeys(paragraphs)))


def synthetic_reports(count: int, pool: Pool, seed: int = 0, yearly: bool = True) -> list[tuple[str, str]]:
    """``count`` reports as ``(file name, text)``, each bureau-year once.

    ``yearly``: as the law asks, a bureau reports year after year: from its first year in the archive
    (2019–2023) to the last, now and then a year missing, and a place has a few such bureaus.  Without it,
    each report is of a random bureau and year, so that nearly every report is the only one of its bureau
    and its county: the worst case for the browse pages (a bureau page and a county page per report)."""
    rng = random.Random(seed)
    places = _unambiguous_places()
    used: set[tuple[str, int]] = set()
    reports = []
    while len(reports) < count:
        for bureau, code, year in (_yearly_bureaus if yearly else _scattered_bureau)(rng, places):
            if len(reports) == count:
                break
            if (bureau, year) in used:
                continue
            used.add((bureau, year))
            reports.append((f"synthetic_{len(reports):05d}.txt", _report_text(rng, pool, bureau, code, year)))
    return reports


def _yearly_bureaus(rng: random.Random, places: list[str]) -> list[tuple[str, str, int]]:
    """(bureau, 文号 code, year) of one to three bureaus of one place, each from its first year to the last."""
    where = rng.choice(places)
    series = []
    for _ in range(rng.randint(1, 3)):
        bureau, code = _bureau(rng, where)
        first = rng.choice(YEARS[:-2])
        series += [(bureau, code, year) for year in range(first, YEARS.stop) if rng.random() > MISSED_YEAR]
    return series


def _scattered_bureau(rng: random.Random, places: list[str]) -> list[tuple[str, str, int]]:
    """One (bureau, 文号 code, year): a random bureau of a random place, a random year."""
    bureau, code = _bureau(rng, rng.choice(places))
    return [(bureau, code, rng.choice(YEARS))]


def _unambiguous_places() -> list[str]:
    names = division_names()
    return sorted(codes[0] for name, codes in names.items() if len(codes) == 1 and name not in PLACEHOLDER_NAMES)


def _bureau(rng: random.Random, where: str) -> tuple[str, str]:
    found = place(where)
    if found.rank == "province":
        department, code = rng.choice(PROVINCIAL_DEPARTMENTS)
    else:
        department, code = rng.choice(DEPARTMENTS)
    return found.name + department, found.name[0] + code


def _report_text(rng: random.Random, pool: Pool, bureau: str, code: str, year: int) -> str:
    form = rng.choice(TITLE_FORMS)
    official = rng.random() < 0.4
    lines = []
    if official:
        issuer = f"中共{bureau}党组" if form.startswith("中共") else bureau
        lines += [f"{issuer}文件", "", f"{code}〔{year + 1}〕{rng.randint(1, 60)}号", ""]
    lines += [form.format(bureau=bureau, year=year), ""]
    if official:
        lines += [rng.choice(("市委、市政府：", "区委、区政府：", "县委、县政府：", "市政府并报市委：")), ""]
    lines += [rng.choice(pool.paragraphs), ""]
    for number in range(1, rng.randint(4, 7) + 1):
        lines += [f"{format_number(2, number)}{rng.choice(pool.headings)}", ""]
        for sub in range(1, rng.randint(0, 3) + 1):
            lines += [f"{format_number(3, sub)}{rng.choice(pool.headings)}。{rng.choice(pool.paragraphs)}", ""]
        lines += [rng.choice(pool.paragraphs), ""]
    if official:
        lines += [f"{bureau}办公室", f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日印发"]
    return "\n".join(lines) + "\n"

