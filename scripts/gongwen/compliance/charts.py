"""Static SVG charts for the 公开情况 pages, drawn by hand from the counts at build time.

No chart library and nothing loaded from another host: each chart is one inline ``<svg>`` with a
``viewBox`` (it scales to a phone's width and prints), a ``<title>`` and ``<desc>`` for screen
readers, and every text escaped.  The numbers are also in the page's tables beside the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

#: Bar colours (dark enough for white text around them, distinct in greyscale print).
COLOURS = {"published": "#455a64", "on_time": "#2e7d32", "complete": "#1565c0", "late": "#c62828", "undated": "#9e9e9e"}
FONT = 'font-family="sans-serif"'
#: Drawing width: about a phone's, so that 11–13 px text stays readable there; CSS caps the desktop size.
WIDTH = 400


@dataclass(frozen=True)
class Series:
    key: str  # a COLOURS key
    label: str


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(title)}</title>', f'<desc id="{ident}-d">{escape(desc)}</desc>',
        *body, "</svg>"])


def _legend(series: list[Series], y: int) -> list[str]:
    parts, x = [], 10
    for item in series:
        parts += [f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLOURS[item.key]}"/>',
                  f'<text x="{x + 16}" y="{y + 11}" font-size="13" {FONT} fill="#212121">{escape(item.label)}</text>']
        x += 30 + 14 * len(item.label)
    return parts


def year_bars(rows: list[tuple[int, dict[str, int]]], series: list[Series], ident: str = "chart-years") -> str:
    """A group of horizontal bars per year (one bar per series, value at its end): ``[(year, {key: count})]``.

    Horizontal so that a phone's width holds any number of years with readable labels."""
    width, label_w, bar_h, top = WIDTH, 48, 14, 34
    plot_w = width - label_w - 44
    group_h = bar_h * len(series) + 10
    height = top + group_h * max(len(rows), 1)
    peak = max([counts[s.key] for _, counts in rows for s in series] + [1])
    body = _legend(series, 8)
    for i, (year, counts) in enumerate(rows):
        y0 = top + i * group_h
        body.append(f'<text x="{label_w - 6}" y="{y0 + group_h / 2 + 2:.1f}" font-size="13" text-anchor="end" '
                    f'{FONT} fill="#212121">{year}</text>')
        for j, item in enumerate(series):
            value = counts[item.key]
            w = plot_w * value / peak
            y = y0 + j * bar_h
            body.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{COLOURS[item.key]}"/>')
            body.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 3}" font-size="11" {FONT} fill="#212121">{value}</text>')
    desc = "；".join(f"{year}年度：" + "，".join(f"{s.label}{counts[s.key]}" for s in series) for year, counts in rows)
    return _svg(width, height, "各年度公开情况（部门数）", desc or "暂无数据", body, ident)


def share_bars(rows: list[tuple[str, dict[str, int]]], series: list[Series], ident: str = "chart-provinces") -> str:
    """One stacked 100% bar per region: ``rows`` is ``[(name, {series key: count})]``; shares of the row's total."""
    width, label_w, row_h, top = WIDTH, 110, 22, 34
    plot_w = width - label_w - 40
    height = top + row_h * max(len(rows), 1) + 10
    body = _legend(series, 8)
    desc = []
    for i, (name, counts) in enumerate(rows):
        total = sum(counts[s.key] for s in series) or 1
        y = top + i * row_h
        body.append(f'<text x="{label_w - 6}" y="{y + 15}" font-size="13" text-anchor="end" {FONT} fill="#212121">'
                    f'{escape(name)}</text>')
        x = float(label_w)
        for item in series:
            w = plot_w * counts[item.key] / total
            if w > 0:
                body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{COLOURS[item.key]}"/>')
            x += w
        first = counts[series[0].key] / total
        body.append(f'<text x="{label_w + plot_w + 6}" y="{y + 15}" font-size="12" {FONT} fill="#212121">'
                    f'{round(first * 100)}%</text>')
        desc.append(f"{name}：" + "，".join(f"{s.label}{counts[s.key]}" for s in series))
    return _svg(width, height, f"各地区{series[0].label}比例", "；".join(desc) or "暂无数据", body, ident)
