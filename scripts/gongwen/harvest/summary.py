"""The harvest's account in Chinese: one line per source, then each problem with what to do."""

from __future__ import annotations

from .crawl import NOTED, Source, Tally

#: What to do about each kind of problem.
FIXES = {
    "network": "稍后再运行 gongwen harvest（会从中断处继续，已保存的不再下载）。",
    "http": "核对该网址能否在浏览器中打开；网页已删除时无需处理。",
    "size": "如确需此文件，用 --max-mb 提高单个文件上限后再运行。",
    "loop": "该网站的跳转设置有误；可在浏览器中打开后手工保存到 corpus/。",
    "pages": "核对列表页；如该栏目确有更多页，用 --max-pages 提高上限后再运行。",
    "repeat": "无需处理（网站的翻页指回了已读过的内容）。",
    "path": "无需处理（文件名已被拒绝，没有写入任何文件）。",
    "robots": "网站不允许采集该地址；如确需，请联系网站或手工保存到 corpus/。",
    "host": "如该网站确属来源机关，在来源文件中该来源的 allow_hosts 下列出它。",
    "scheme": "无需处理。",
}


def progress_line(url: str, tally: Tally) -> str:
    return f"{url}：列表页 {tally.pages} 页，{tally_counts(tally)}"


def tally_counts(tally: Tally) -> str:
    """What a source gave so far, listing pages aside (the progress bar shows those as its bar)."""
    return f"报告 {tally.found} 篇，保存文件 {tally.files} 个，跳过 {tally.skipped} 条，错误 {tally.errors} 条"


def summary_text(results: list[tuple[Source, Tally]], total_sources: int, stopped: bool = False) -> str:
    totals = Tally()
    for _, tally in results:
        for name in ("pages", "found", "new", "unchanged", "changed", "files", "skipped", "errors"):
            setattr(totals, name, getattr(totals, name) + getattr(tally, name))
    head = (f"采集{'中断' if stopped else '完成'}：来源 {total_sources} 个，完成 {len(results)} 个；列表页 {totals.pages} 页；"
            f"报告 {totals.found} 篇（新增 {totals.new}，未变 {totals.unchanged}，有变动 {totals.changed}）；"
            f"保存文件 {totals.files} 个；跳过非报告 {totals.skipped} 条；错误 {totals.errors} 条")
    lines = [head]
    if stopped:
        lines.append("提示：再次运行同一命令即从中断处继续。")
    for source, tally in results:
        lines.append("来源 " + progress_line(source.url, tally))
        for kind, url, text in tally.problems:
            label = "说明" if kind in NOTED else "错误"
            lines.append(f"{label} {url}：{text}。处理：{FIXES.get(kind, '')}")
    return "\n".join(lines) + "\n"
