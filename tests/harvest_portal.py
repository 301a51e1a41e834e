"""A portal the harvest tests serve on 127.0.0.1: the project's own templates of the common portal systems.

Every page here is written for the tests (no third-party text).  ``Portal`` counts each request, the
bodies it sent, how many requests were in flight at once and when each came, so that a test can check
what the harvest asked for; it answers ``If-None-Match``/``If-Modified-Since`` with 304 like a real server.
"""

from __future__ import annotations

import hashlib
import select
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Wed, 01 Mar 2023 08:00:00 GMT"


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict = field(default_factory=dict)
    fail_first: int = 0  # answer 500 this many times first
    slow_first: float = 0.0  # the first answer comes this many seconds late
    redirect: str | None = None


class Portal:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.dynamic: list[tuple[str, callable]] = []
        self.hits: Counter = Counter()
        self.bodies: Counter = Counter()  # 200 answers with a body, by path
        self.times: list[float] = []
        self.active = self.max_active = 0
        self.lock = threading.Lock()
        self.server = None

    def add(self, path: str, body: bytes | str, **options) -> None:
        self.routes[path] = Route(body.encode("utf-8") if isinstance(body, str) else body, **options)

    def start(self, port: int = 0) -> str:
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                portal._answer(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _route(self, path: str) -> Route | None:
        if path in self.routes:
            return self.routes[path]
        for prefix, make in self.dynamic:
            if path.startswith(prefix):
                return make(path)
        return None

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path
        with self.lock:
            self.hits[path] += 1
            self.times.append(time.monotonic())
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            count = self.hits[path]
        left = []

        def leave() -> None:
            # Counted out once, as soon as the client can have its whole answer or has gone: the
            # server's thread may still be finishing when the harvest rightly sends its next request.
            if not left:
                left.append(True)
                with self.lock:
                    self.active -= 1
        try:
            route = self._route(path)
            if route is None:
                return self._send(request, 404, {"Content-Type": "text/plain"}, b"not found", leave)
            if route.slow_first and count == 1 and not _client_waits(request, route.slow_first):
                return  # the harvest gave up waiting (its time-out): no longer in flight
            if count <= route.fail_first:
                return self._send(request, 500, {"Content-Type": "text/plain"}, b"busy", leave)
            if route.redirect:
                return self._send(request, 302, {"Location": route.redirect}, b"", leave)
            etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            headers = {"Content-Type": route.content_type, "ETag": etag, "Last-Modified": LAST_MODIFIED, **route.headers}
            if route.status == 200 and (request.headers.get("If-None-Match") == etag or (
                    "If-None-Match" not in request.headers and request.headers.get("If-Modified-Since") == LAST_MODIFIED)):
                return self._send(request, 304, {"ETag": etag}, b"", leave)
            if route.status == 200:
                with self.lock:
                    self.bodies[path] += 1
            self._send(request, route.status, headers, route.body, leave)
        finally:
            leave()

    @staticmethod
    def _send(request, status: int, headers: dict, body: bytes, leave) -> None:
        try:
            request.send_response(status)
            for name, value in headers.items():
                request.send_header(name, value)
            if status != 304:
                request.send_header("Content-Length", str(len(body)))
            leave()  # the last write below is what lets the client go on
            request.end_headers()
            if status != 304:
                request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the harvest gave up waiting (a time-out test)


def _client_waits(request: BaseHTTPRequestHandler, seconds: float) -> bool:
    """Hold an answer back ``seconds``; False as soon as the client closes its connection (a time-out)."""
    end = time.monotonic() + seconds
    connection = request.connection
    while (left := end - time.monotonic()) > 0:
        readable, _, _ = select.select([connection], [], [], left)
        if readable and not connection.recv(1, socket.MSG_PEEK):
            return False
        if readable:
            time.sleep(min(left, 0.01))  # the client sent more (pipelining): keep waiting
    return True


# ------------------------------------------------------------------ page templates

def listing_page(title: str, entries: list[tuple[str, str]], bar: str = "", script: str = "", charset: str | None = "utf-8") -> str:
    """A column page of a portal: navigation, the list, a page bar (static links or a script)."""
    items = "\n".join(f'<li><a href="{escape(url)}" title="{escape(text)}" target="_blank">{escape(text[:18])}</a>'
                      f'<span class="date">2024-03-01</span></li>' for text, url in entries)
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html><html><head>{meta}<title>{escape(title)}</title></head><body>
<div class="nav"><a href="/">网站首页</a><a href="/xxgk/">政府信息公开目录</a><a href="/hdjl/">互动交流平台入口</a></div>
<div class="position">当前位置：首页 &gt; 政府信息公开 &gt; {escape(title)}</div>
<div class="list"><ul>
{items}
</ul></div>
<div class="page">{bar}</div>
{script}
<div class="footer">主办单位：示例市人民政府办公室　网站标识码：0000000000</div>
</body></html>"""


def report_page(title: str, paragraphs: list[str], attachments: list[tuple[str, str]] = (), meta: dict | None = None,
                printed: dict | None = None, charset: str | None = "utf-8") -> str:
    """A detail page: the title in ``div.article_title`` (no ``<h1>``), 《政府网站发展指引》 meta tags or
    printed 发布时间/来源 lines, the text in ``#zoom``, attachment links."""
    tags = "".join(f'<meta name="{escape(k)}" content="{escape(v)}">' for k, v in (meta or {}).items())
    lines = "　".join(f"{escape(k)}：{escape(v)}" for k, v in (printed or {}).items())
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    files = "".join(f'<p><a href="{escape(url)}">{escape(text)}</a></p>' for text, url in attachments)
    head = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html><html><head>{head}{tags}<title>{escape(title)}</title></head><body>
<div class="nav"><a href="/">网站首页</a><a href="/xxgk/">政府信息公开目录</a></div>
<div class="article"><div class="article_title">{escape(title)}</div>
<div class="article_info">{lines}</div>
<div id="zoom">{body}</div>
<div class="attachments">{files}</div></div>
<div class="footer">主办单位：示例市人民政府办公室</div>
</body></html>"""


def report_text(bureau: str, year: int) -> list[str]:
    """A short report in the four required parts (written for the tests)."""
    return [
        f"{year}年，{bureau}在上级党委政府领导下，围绕法治政府建设目标，把依法行政贯穿工作全过程，现将情况报告如下。",
        "一、主要举措和成效",
        f"（一）健全制度。全年修订内部规章三项，清理规范性文件十一件，重大行政决策全部经过合法性审查。",
        f"（二）规范执法。推行行政执法公示、全过程记录和重大执法决定法制审核三项制度，案卷评查合格率保持较高水平。",
        "二、存在的不足和原因",
        "执法人员专业培训仍不充分，部分基层单位合法性审查力量薄弱。",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "主要负责人四次主持专题会议研究法治工作，带头参加年度述法。",
        f"四、{year + 1}年工作安排",
        f"{year + 1}年将继续完善制度建设，加强执法队伍培训，提升依法行政能力。",
        bureau,
        f"{year + 1}年2月20日",
    ]
