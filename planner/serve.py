"""``planner serve``: a feed folder at a subscription URL, over HTTP.

Feeds go out as ``text/calendar; charset=utf-8`` (RFC 5545 §8.1) with a strong ETag (a hash of
the bytes) and Last-Modified (the file's time, which an unchanged feed keeps across exports), and
conditional GET answers 304 Not Modified (RFC 9110 §13.1.1 If-None-Match, weak comparison, first;
§13.1.3 If-Modified-Since otherwise). Bodies are gzipped when the client accepts it (RFC 9110
§12.5.3), with ``Vary: Accept-Encoding``. HEAD is answered like GET without the body.

Only the files an export writes are served — ``*.ics``, ``index.json`` and ``index.html`` —
and only directly inside the folder: a name with a separator, ``..``, a leading dot or a
symlink that leads out of the folder is a 404. ``index.html`` is rendered from ``index.json``
with absolute ``https://``/``http://`` and ``webcal://`` links (``--base-url``, else the Host the
request came to). The standard library's ThreadingHTTPServer binds 127.0.0.1 by default; TLS
belongs to a reverse proxy in front of it (see the README).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import socket
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


@dataclass(frozen=True)
class Representation:
    """A file ready to send: its bytes, gzipped bytes, validators."""

    body: bytes
    gzipped: bytes
    etag: str  # the opaque tag without quotes
    modified: float  # seconds since the epoch
    content_type: str


class FeedServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows its feed folder and public address."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], folder: Path, base_url: str | None) -> None:
        self.folder = folder.resolve()
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self._cache: OrderedDict[tuple[Any, ...], Representation] = OrderedDict()
        self._lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, FeedHandler)

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
        folder = self.server.folder
        source = folder / (INDEX_JSON if name == INDEX_HTML else name)
        try:
            if source.resolve().parent != folder:
                return None  # a symlink out of the folder
            stat = source.stat()
        except OSError:
            return None
        if not S_ISREG(stat.st_mode):
            return None
        key = (name, stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if name == INDEX_HTML:
            base = self._base_url()

            def make() -> Representation:
                index = json.loads(source.read_bytes().decode("utf-8"))
                page = render_html(index, base).encode("utf-8")
                return _represent(page, stat.st_mtime, TYPES[".html"])

            return self.server.representation((*key, base), make)
        return self.server.representation(
            key, lambda: _represent(source.read_bytes(), stat.st_mtime, TYPES[suffix])
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
        if not self.server.folder.is_dir():
            self.send_response(HTTPStatus.SERVICE_UNAVAILABLE)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        found = self._find()
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Không có / Not found")
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
