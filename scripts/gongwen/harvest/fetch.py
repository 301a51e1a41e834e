"""The polite HTTP client of a harvest: every request goes through :meth:`Client.get`.

It obeys robots.txt (``urllib.robotparser``, its ``Crawl-delay`` too), sends one request at a time
(the harvest is sequential) and waits ``delay`` seconds between two requests to one host, names the
archive and a contact in its User-Agent, gives up on a response after ``timeout`` seconds, retries a
5xx or a time-out with growing pauses (never a 4xx), stops reading a file larger than ``max_bytes``,
fetches only http(s) on the hosts it is allowed, follows redirects itself (a loop or too many end
with a message) and writes each exchange to a WARC file.  Failures come back as Chinese text in
:attr:`Fetched.problem`, never as an exception; only :class:`Interrupted` (a test's request budget,
standing for a killed run) escapes.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import responses
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ARCHIVE_AGENT = "gongwen-archive"


@dataclass(frozen=True)
class Politeness:
    """How the harvest treats a portal (the defaults are the polite ones; tests set ``delay`` 0)."""

    contact: str = "见本库“关于本库”页"
    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    max_bytes: int = 100 * 1024 * 1024
    max_redirects: int = 10

    @property
    def user_agent(self) -> str:
        contact = self.contact.encode("ascii", "backslashreplace").decode()  # a header is Latin-1
        return f"{ARCHIVE_AGENT}/1.0 (public archive of government reports; contact: {contact})"


@dataclass
class Fetched:
    """One answer: ``status`` 200/304/… (0: none), ``body`` (None on 304 or failure), ``problem`` when it failed;
    ``kind`` says which failure (``robots``, ``host``, ``scheme``, ``loop``, ``size``, ``http``, ``network``)."""

    url: str
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    problem: str | None = None
    kind: str | None = None
    final_url: str = ""


class Interrupted(Exception):
    """The request budget ran out (tests: a run killed after N requests)."""


class TooLarge(Exception):
    """A file over the size cap: what was read of it before the harvest stopped reading."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        super().__init__(status)
        self.status, self.headers, self.body = status, headers, body


class WarcLog:
    """Every HTTP exchange as a WARC request and response record (appended: one file per harvest folder)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.stream = path.open("ab")
        self.writer = WARCWriter(self.stream, gzip=True)

    def request(self, url: str, request_headers: dict) -> None:
        """The request as sent (written before the answer: a request that got none is on record too)."""
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", parts.netloc), *request_headers.items()],
                                   is_http_request=True)
        self.writer.write_record(self.writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                                                http_headers=request))
        self.stream.flush()

    def response(self, url: str, status: int, headers: dict, body: bytes, truncated: bool = False) -> None:
        """The answer; a file cut at the size cap is marked ``WARC-Truncated: length``."""
        response = StatusAndHeaders(f"{status} {responses.get(status, '')}".strip(), list(headers.items()),
                                    protocol="HTTP/1.1")
        extra = {"WARC-Truncated": "length"} if truncated else None
        self.writer.write_record(self.writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                                http_headers=response, warc_headers_dict=extra))
        self.stream.flush()

    def close(self) -> None:
        self.stream.close()


class Client:
    def __init__(self, politeness: Politeness, warc: WarcLog | None = None, budget: int | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.politeness, self.warc, self.budget = politeness, warc, budget
        self.sleep, self.clock = sleep, clock
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy from the environment: the harvest talks to the portal itself
        self.last: dict[str, float] = {}
        self.robots: dict[str, RobotFileParser] = {}
        self.requests = 0

    def get(self, url: str, hosts: set[str], etag: str | None = None, modified: str | None = None) -> Fetched:
        """GET ``url`` (conditionally when ``etag``/``modified`` are known), following redirects on ``hosts``."""
        seen: set[str] = set()
        current = url
        while True:
            refused = self._refused(current, hosts)
            if refused:
                return Fetched(url, problem=refused[1], kind=refused[0], final_url=current)
            seen.add(current)
            answer = self._exchange(current, _conditional(etag, modified))
            answer.url, answer.final_url = url, current
            location = answer.headers.get("location")
            if not (300 <= answer.status < 400 and answer.status != 304 and location):
                return answer
            current = urljoin(current, location)
            if current in seen:
                return Fetched(url, problem=f"重定向循环（{current} 又指回已访问的地址），已停止", kind="loop")
            if len(seen) > self.politeness.max_redirects:
                return Fetched(url, problem=f"重定向超过 {self.politeness.max_redirects} 次，已停止", kind="loop")

    def _refused(self, url: str, hosts: set[str]) -> tuple[str, str] | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return "scheme", f"只采集 http/https 地址，不采集 {url}"
        if parts.netloc.lower() not in hosts:
            return "host", f"{parts.netloc} 不是来源网站（如需采集，在来源的 allow_hosts 中列出）"
        if not self._robots(parts.scheme, parts.netloc).can_fetch(self.politeness.user_agent, url):
            return "robots", f"该网站的 robots.txt 不允许采集 {url}"
        return None

    def _robots(self, scheme: str, host: str) -> RobotFileParser:
        key = f"{scheme}://{host}"
        if key not in self.robots:
            rules = RobotFileParser(key + "/robots.txt")
            answer = self._exchange(key + "/robots.txt", {})
            if answer.status in (401, 403) or answer.status == 0 or answer.status >= 500:
                rules.disallow_all = True  # not allowed to read the rules, or no answer: ask nothing
            elif answer.status >= 400 or answer.body is None:
                rules.allow_all = True
            else:
                rules.parse(answer.body.decode("utf-8", errors="replace").splitlines())
            self.robots[key] = rules
        return self.robots[key]

    def _exchange(self, url: str, extra: dict[str, str]) -> Fetched:
        """One request and its retries (5xx and time-outs only, pausing ``backoff``, 2×, 4× … seconds)."""
        headers = {"User-Agent": self.politeness.user_agent, "Accept-Encoding": "identity", **extra}
        problem = ""
        for attempt in range(self.politeness.retries + 1):
            if attempt:
                self.sleep(self.politeness.backoff * 2 ** (attempt - 1))
            self._wait(urlsplit(url).netloc)
            try:
                status, answer_headers, body = self._request(url, headers)
            except TooLarge as cut:
                if self.warc is not None:
                    self.warc.response(url, cut.status, cut.headers, cut.body, truncated=True)
                return Fetched(url, problem=f"文件超过 {self.politeness.max_bytes // 1048576 or 1} MB 上限，未保存",
                               kind="size")
            except requests.RequestException as error:
                problem = "超时" if isinstance(error, requests.Timeout) else f"连接失败（{type(error).__name__}）"
                continue
            finally:
                self.last[urlsplit(url).netloc] = self.clock()
            if self.warc is not None:
                self.warc.response(url, status, answer_headers, body)
            if status >= 500:
                problem = f"服务器错误 {status}"
                continue
            ok = status < 300 or status == 304
            return Fetched(url, status, answer_headers, body if status < 300 else None,
                           None if ok or 300 <= status < 400 else f"服务器答复 {status}",
                           None if ok or 300 <= status < 400 else "http")
        return Fetched(url, problem=f"{problem}，重试 {self.politeness.retries} 次仍失败", kind="network")

    def _request(self, url: str, headers: dict) -> tuple[int, dict[str, str], bytes]:
        if self.budget is not None and self.requests >= self.budget:
            raise Interrupted(url)
        self.requests += 1
        if self.warc is not None:
            self.warc.request(url, headers)
        with self.session.get(url, headers=headers, timeout=self.politeness.timeout, stream=True,
                              allow_redirects=False) as response:
            answer_headers = {k.lower(): v for k, v in response.headers.items()}
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.politeness.max_bytes:
                raise TooLarge(response.status_code, answer_headers, b"")
            chunks, size = [], 0
            for chunk in response.iter_content(65536):
                size += len(chunk)
                if size > self.politeness.max_bytes:
                    raise TooLarge(response.status_code, answer_headers, b"".join(chunks))
                chunks.append(chunk)
            return response.status_code, answer_headers, b"".join(chunks)

    def _wait(self, host: str) -> None:
        rules = self.robots.get(f"http://{host}") or self.robots.get(f"https://{host}")
        delay = max(self.politeness.delay, (rules.crawl_delay(self.politeness.user_agent) or 0) if rules else 0)
        if host in self.last:
            pause = self.last[host] + delay - self.clock()
            if pause > 0:
                self.sleep(pause)


def _conditional(etag: str | None, modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    return headers
