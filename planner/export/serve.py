"""``planner serve``: a feed folder at a subscription URL, over HTTP.

Feeds go out as ``text/calendar; charset=utf-8`` (RFC 5545 §8.1) with a strong ETag (a hash of
the bytes) and Last-Modified (the file's time, which an unchanged feed keeps across exports), and
conditional GET answers 304 Not Modified (RFC 9110 §13.1.1 If-None-Match, weak comparison, first;
§13.1.3 If-Modified-Since otherwise). Bodies are gzipped when the client accepts it (RFC 9110
§12.5.3), with ``Vary: Accept-Encoding``. HEAD is answered like GET without the body.

Only the files an export writes are served — ``*.ics``, ``index.json`` and ``index.html`` —
and only directly inside the folder: a name with a separator, ``..``, a leading dot or a
symlink is a 404 (with an ASCII reason phrase on the status line and the bilingual text in the
body). Each file is opened through the folder's path in one system call, so a request that
meets an export gets the whole old feed or the whole new one (the export swaps a symlink,
:func:`planner.files.fsio.replace_folder`). ``index.html`` is rendered from ``index.json`` with
absolute ``https://``/``http://`` and ``webcal://`` links (``--base-url``, else the Host the
request came to).

Connections (issue 19, F3 and F4): the listen backlog is :data:`BACKLOG`; a connection waiting
for its next request holds no thread — it waits in one selector and is closed after
:data:`IDLE_TIMEOUT` seconds (the longest-waiting first beyond :data:`MAX_IDLE`); a request is
answered by one of :data:`WORKERS` threads: the request must arrive within :data:`READ_TIMEOUT`
seconds, and each write of the answer is bounded by it too.
It binds 127.0.0.1 by default; TLS belongs to a reverse proxy in front of it (see the README).
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import io
import json
import os
import queue
import re
import selectors
import socket
import sys
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from stat import S_ISREG
from typing import Any
from urllib.parse import unquote, urlsplit

from planner.errors import PlannerError
from planner.export.index import INDEX_HTML, INDEX_JSON, render_html

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_HOST = re.compile(r"[A-Za-z0-9.-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")
TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}
CACHE_ENTRIES = 256
BACKLOG = 128  # connections the kernel queues before accept (was the default 5: F3)
WORKERS = 16  # threads answering requests
READ_TIMEOUT = 10.0  # seconds for a request to arrive, and for each write of its answer
IDLE_TIMEOUT = 30.0  # seconds a connection may wait for its (next) request
MAX_IDLE = 1000  # connections waiting at once; beyond, the longest-waiting is closed
NOT_FOUND = "Không có tệp này / Not found\n".encode()


@dataclass(frozen=True)
class Representation:
    """A file ready to send: its bytes, gzipped bytes, validators."""

    body: bytes
    gzipped: bytes
    etag: str  # the opaque tag without quotes
    modified: float  # seconds since the epoch
    content_type: str


class FeedServer(HTTPServer):
    """An HTTP server for a feed folder: idle connections in one selector, requests answered
    by a bounded pool of threads (see the module's docstring)."""

    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], folder: Path, base_url: str | None) -> None:
        self.folder = Path(os.path.abspath(folder))  # not resolved: exports swap a symlink
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.read_timeout = READ_TIMEOUT
        self.idle_timeout = IDLE_TIMEOUT
        self.max_idle = MAX_IDLE
        self._cache: OrderedDict[tuple[Any, ...], Representation] = OrderedDict()
        self._lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, FeedHandler)
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="serve")
        self._waiting: queue.SimpleQueue[tuple[socket.socket, Any]] = queue.SimpleQueue()
        self._wake_read, self._wake = socket.socketpair()
        self._wake.setblocking(False)
        self._wake_read.setblocking(False)
        self._closing = threading.Event()
        self._idle = threading.Thread(target=self._watch_idle, name="serve-idle", daemon=True)
        self._idle.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        """A new connection waits in the selector until its request arrives."""
        self.park(request, client_address)

    def park(self, connection: socket.socket, client_address: Any) -> None:
        """Hand a connection to the idle watcher (no thread waits for it)."""
        self._waiting.put((connection, client_address))
        with contextlib.suppress(OSError):  # full: the watcher is awake anyway
            self._wake.send(b"\0")

    def _watch_idle(self) -> None:
        """Wait for the requests of idle connections; close those idle too long."""
        selector = selectors.DefaultSelector()
        selector.register(self._wake_read, selectors.EVENT_READ)
        idle: dict[socket.socket, tuple[Any, float]] = {}  # oldest first
        try:
            while not self._closing.is_set():
                for key, _events in selector.select(timeout=0.5):
                    if key.fileobj is self._wake_read:
                        with contextlib.suppress(OSError):
                            self._wake_read.recv(4096)
                        continue
                    connection = key.fileobj
                    assert isinstance(connection, socket.socket)
                    selector.unregister(connection)
                    address, _deadline = idle.pop(connection)
                    try:
                        self._pool.submit(self._answer, connection, address)
                    except RuntimeError:  # the server is closing
                        self.shutdown_request(connection)
                self._admit(selector, idle)
                now = time.monotonic()
                while idle:
                    oldest = next(iter(idle))
                    if idle[oldest][1] > now and len(idle) <= self.max_idle:
                        break
                    selector.unregister(oldest)
                    del idle[oldest]
                    self.shutdown_request(oldest)
        finally:
            for connection in idle:
                self.shutdown_request(connection)
            selector.close()

    def _admit(self, selector: selectors.BaseSelector, idle: dict[socket.socket, Any]) -> None:
        deadline = time.monotonic() + self.idle_timeout
        while True:
            try:
                connection, address = self._waiting.get_nowait()
            except queue.Empty:
                return
            try:
                selector.register(connection, selectors.EVENT_READ)
            except (OSError, ValueError):  # closed meanwhile
                self.shutdown_request(connection)
                continue
            idle[connection] = (address, deadline)

    def _answer(self, connection: socket.socket, address: Any) -> None:
        """Answer one request, then let the connection wait for the next (keep-alive)."""
        keep = False
        try:
            connection.settimeout(self.read_timeout)
            handler = FeedHandler(connection, address, self)
            keep = not handler.close_connection and not self._closing.is_set()
        except Exception:  # a client gone mid-request: nothing to answer
            keep = False
        if keep:
            self.park(connection, address)
        else:
            self.shutdown_request(connection)

    def server_close(self) -> None:
        """Stop listening, close the idle connections, let the answers in progress finish."""
        super().server_close()
        self._closing.set()
        with contextlib.suppress(OSError):
            self._wake.send(b"\0")
        self._idle.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._wake.close()
        self._wake_read.close()

    def representation(self, key: tuple[Any, ...], make: Any) -> Representation:
        """A cached representation (keyed by file identity and time), made once."""
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        made: Representation = make()
        with self._lock:
            self._cache[key] = made
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return made


class _Deadline(io.RawIOBase):
    """A connection's request, read by a deadline: a client that trickles its request a byte
    at a time cannot hold a thread longer than the read timeout (each read's own timeout is
    what is left)."""

    def __init__(self, connection: socket.socket, seconds: float) -> None:
        super().__init__()
        self.connection = connection
        self.until = time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.until - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took too long")
        self.connection.settimeout(left)
        return self.connection.recv_into(buffer)


def _represent(body: bytes, modified: float, content_type: str) -> Representation:
    digest = hashlib.blake2b(body, digest_size=12).digest()
    return Representation(
        body=body,
        gzipped=gzip.compress(body, compresslevel=6, mtime=0),
        etag=base64.urlsafe_b64encode(digest).decode(),
        modified=modified,
        content_type=content_type,
    )


def _accepts_gzip(header: str | None) -> bool:
    """Whether Accept-Encoding allows gzip (RFC 9110 §12.5.3; ``q=0`` means no)."""
    if not header:
        return False
    allowed: dict[str, float] = {}
    for item in header.split(","):
        coding, _, params = item.strip().partition(";")
        quality = 1.0
        match = re.search(r"q=([0-9.]+)", params)
        if match:
            try:
                quality = float(match[1])
            except ValueError:
                quality = 0.0
        allowed[coding.strip().lower()] = quality
    if "gzip" in allowed:
        return allowed["gzip"] > 0
    return allowed.get("*", 0) > 0


class FeedHandler(BaseHTTPRequestHandler):
    """GET and HEAD of the feed folder's files."""

    server: FeedServer
    protocol_version = "HTTP/1.1"
    server_version = "planner-serve"
    rbufsize = 0  # nothing of the next request is read ahead: the connection waits thread-free
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK wait

    def setup(self) -> None:
        """The request is read by a deadline (:class:`_Deadline`)."""
        super().setup()
        self.rfile.close()
        self.rfile = _Deadline(self.connection, self.server.read_timeout)  # type: ignore[assignment]

    def handle(self) -> None:
        """One request; the server keeps the connection for the next one (keep-alive)."""
        self.close_connection = True
        self.handle_one_request()

    def do_GET(self) -> None:
        """Send a file."""
        self._respond(head=False)

    def do_HEAD(self) -> None:
        """Send a file's headers."""
        self._respond(head=True)

    def _refuse_method(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse_method

    def _base_url(self) -> str:
        if self.server.base_url:
            return self.server.base_url
        host = self.headers.get("Host", "")
        if not _HOST.fullmatch(host):
            address, port = self.server.server_address[:2]
            host = f"{address!s}:{port}"
        return f"http://{host}/"

    def _find(self) -> Representation | None:
        name = unquote(urlsplit(self.path).path).removeprefix("/") or INDEX_HTML
        suffix = Path(name).suffix
        if not _NAME.fullmatch(name) or ".." in name or suffix not in TYPES:
            return None
        if name.endswith((".json", ".html")) and name not in (INDEX_JSON, INDEX_HTML):
            return None
        source = self.server.folder / (INDEX_JSON if name == INDEX_HTML else name)
        try:  # one open through the folder's path: the old feed or the new one, never a gap
            fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return None  # missing, or a symlink (O_NOFOLLOW)
        with open(fd, "rb") as handle:
            stat = os.fstat(fd)
            if not S_ISREG(stat.st_mode):
                return None
            key = (name, stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)
            if name == INDEX_HTML:
                base = self._base_url()

                def make() -> Representation:
                    index = json.loads(handle.read().decode("utf-8"))
                    page = render_html(index, base).encode("utf-8")
                    return _represent(page, stat.st_mtime, TYPES[".html"])

                return self.server.representation((*key, base), make)
            return self.server.representation(
                key, lambda: _represent(handle.read(), stat.st_mtime, TYPES[suffix])
            )

    def _not_modified(self, found: Representation) -> bool:
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            if tags.strip() == "*":
                return True
            for tag in tags.split(","):
                opaque = tag.strip().removeprefix("W/").strip('"')
                if opaque in (found.etag, f"{found.etag}-gz"):
                    return True
            return False
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(found.modified) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
        return False

    def _respond(self, head: bool) -> None:
        self.connection.settimeout(self.server.read_timeout)  # each write, from here on
        if not self.server.folder.is_dir():
            self.send_response(HTTPStatus.SERVICE_UNAVAILABLE)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        found = self._find()
        if found is None:  # ASCII reason phrase; the bilingual text in the UTF-8 body (F6)
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(NOT_FOUND)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(NOT_FOUND)
            return
        zipped = _accepts_gzip(self.headers.get("Accept-Encoding"))
        etag = f'"{found.etag}-gz"' if zipped else f'"{found.etag}"'
        status = HTTPStatus.NOT_MODIFIED if self._not_modified(found) else HTTPStatus.OK
        self.send_response(status)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(found.modified, usegmt=True))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Vary", "Accept-Encoding")
        if status == HTTPStatus.NOT_MODIFIED:
            self.end_headers()
            return
        body = found.gzipped if zipped else found.body
        self.send_header("Content-Type", found.content_type)
        self.send_header("Content-Length", str(len(body)))
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Access-Control-Allow-Origin", "*")
        if found.content_type.startswith("text/html"):
            self.send_header(
                "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"
            )
        self.end_headers()
        if not head:
            self.wfile.write(body)


def make_server(folder: Path, host: str, port: int, base_url: str | None = None) -> FeedServer:
    """A server for ``folder`` bound to ``host:port`` (port 0: any free port)."""
    if not (folder / INDEX_JSON).is_file():
        raise PlannerError(
            f"'{folder.name or folder}' không phải thư mục lịch đã xuất (thiếu {INDEX_JSON}).",
            f"'{folder.name or folder}' is not a folder of exported feeds (no {INDEX_JSON}).",
            field="FEEDS_DIR",
            hint_vi="Xuất trước: planner ical PLAN.csv --out FEEDS_DIR.",
            hint_en="Export first: planner ical PLAN.csv --out FEEDS_DIR.",
        )
    if base_url is not None and not re.fullmatch(r"https?://[^\s\"'<>]+", base_url):
        raise PlannerError(
            f"địa chỉ gốc '{base_url[:80]}' không hợp lệ.",
            f"invalid base URL '{base_url[:80]}'.",
            field="--base-url",
            hint_vi="Ví dụ: https://lich.example.vn/",
            hint_en="For example: https://calendar.example.org/",
        )
    try:
        return FeedServer((host, port), folder, base_url)
    except OSError as exc:
        raise PlannerError(
            f"không mở được {host}:{port} ({exc.strerror or exc}).",
            f"cannot listen on {host}:{port} ({exc.strerror or exc}).",
            field="--port",
            hint_vi="Chọn cổng khác (--port) hoặc địa chỉ khác (--host).",
            hint_en="Choose another port (--port) or address (--host).",
        ) from None


def serve(
    folder: Path, host: str = "127.0.0.1", port: int = 8080, base_url: str | None = None
) -> int:
    """Serve until interrupted (Ctrl+C or SIGTERM); returns the exit code."""
    server = make_server(folder, host, port, base_url)
    bound_host, bound_port = (str(part) for part in server.server_address[:2])
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(
        f"Đang phục vụ / serving {folder} tại / at http://{shown}:{bound_port}/ "
        "(Ctrl+C để dừng / to stop)",
        flush=True,
    )
    try:  # Ctrl+C and SIGTERM raise KeyboardInterrupt (planner.__main__ maps both)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("Đã dừng / stopped", file=sys.stderr)
    return 0
