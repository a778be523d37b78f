"""``planner serve``: feeds at a subscription URL with conditional GET, gzip, and nothing
outside the feed folder."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

from planner.cli.main import main
from planner.export.ical import export_feeds
from planner.export.serve import WORKERS, FeedServer, make_server
from tests.export.test_ical import _plan, _tree

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def feeds(tmp_path: Path) -> Path:
    scenario, plan = _plan()
    export_feeds(plan, scenario, _tree(), tmp_path / "feeds")
    return tmp_path / "feeds"


def _start(folder: Path, base_url: str | None = None) -> Iterator[FeedServer]:
    server = make_server(folder, "127.0.0.1", 0, base_url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server(feeds: Path) -> Iterator[FeedServer]:
    yield from _start(feeds)


def _get(
    server: FeedServer, path: str, method: str = "GET", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        connection.request(
            method, path, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_feed_twice_second_is_304(server: FeedServer, feeds: Path) -> None:
    """GET a feed (text/calendar; charset=utf-8, ETag, Last-Modified), parse it, GET it again
    with either validator: 304 without a body."""
    status, headers, body = _get(server, "/election.ics")
    assert status == 200
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert body == (feeds / "election.ics").read_bytes()
    _scenario, plan = _plan()
    dated = plan[(plan["kind"] == "election_step") & plan["start"].notna()]
    assert len(icalendar.Calendar.from_ical(body).walk("VEVENT")) == len(dated) > 30
    etag, modified = headers["etag"], headers["last-modified"]
    assert re.fullmatch(r'"[A-Za-z0-9_-]+"', etag)
    status, again, body = _get(server, "/election.ics", If_None_Match=etag)
    assert (status, body, again["etag"]) == (304, b"", etag)
    status, _headers, body = _get(server, "/election.ics", If_Modified_Since=modified)
    assert (status, body) == (304, b"")
    status, _headers, body = _get(server, "/election.ics", If_None_Match='"other"')
    assert status == 200 and body


def test_gzip_and_head(server: FeedServer, feeds: Path) -> None:
    """Accept-Encoding: gzip gets a gzipped body (its own ETag, Vary); HEAD gets the headers."""
    status, headers, body = _get(server, "/central-a.ics", Accept_Encoding="gzip, deflate")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == (feeds / "central-a.ics").read_bytes()
    status, _h, _b = _get(
        server, "/central-a.ics", Accept_Encoding="gzip", If_None_Match=headers["etag"]
    )
    assert status == 304
    _s, plain, _b = _get(server, "/central-a.ics", Accept_Encoding="gzip;q=0")
    assert "content-encoding" not in plain and plain["etag"] != headers["etag"]
    status, head, body = _get(server, "/central-a.ics", method="HEAD")
    assert status == 200 and body == b""
    assert int(head["content-length"]) == (feeds / "central-a.ics").stat().st_size


def test_a_new_export_changes_the_etag(server: FeedServer, feeds: Path) -> None:
    """After an export that moves congresses, the old ETag no longer matches."""
    _s, headers, _b = _get(server, "/overview.ics")
    scenario, moved = _plan("levels.central.window=[2020-02-10, 2020-02-20]")
    export_feeds(moved, scenario, _tree(), feeds)
    status, again, body = _get(server, "/overview.ics", If_None_Match=headers["etag"])
    assert status == 200 and again["etag"] != headers["etag"]
    assert body == (feeds / "overview.ics").read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/../manifest.json",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/manifest.json",
        "/.feeds.lock",
        "/sub/election.ics",
        "/election.ics%00.html",
        "/outside.ics",
        "//etc/passwd",
    ],
)
def test_nothing_outside_the_feeds(server: FeedServer, feeds: Path, path: str) -> None:
    """Path traversal, hidden and internal files, and a symlink out of the folder: 404."""
    secret = feeds.parent / "secret.ics"
    secret.write_text("BEGIN:VCALENDAR\r\nX-SECRET:1\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    (feeds / "outside.ics").symlink_to(secret)
    status, _headers, body = _get(server, path)
    assert status == 404
    assert b"X-SECRET" not in body and b"root:" not in body


def test_other_methods_are_refused(server: FeedServer) -> None:
    """Only GET and HEAD."""
    status, headers, _body = _get(server, "/election.ics", method="POST")
    assert status == 405 and headers["allow"] == "GET, HEAD"


def test_index_has_webcal_and_https_links(feeds: Path) -> None:
    """Behind a TLS proxy (--base-url https://…) the index links https:// and webcal://."""
    for server in _start(feeds, "https://lich.example.vn/feeds/"):
        status, headers, body = _get(server, "/")
        page = body.decode("utf-8")
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
        assert 'href="https://lich.example.vn/feeds/election.ics"' in page
        assert 'href="webcal://lich.example.vn/feeds/election.ics"' in page
        assert "Feeds for your role" in page and "Chọn lịch theo vai trò" in page


def test_index_links_follow_the_host(server: FeedServer) -> None:
    """Without --base-url the links use the address the request came to."""
    _status, _headers, body = _get(server, "/index.html", Host="calendar.example.org:8443")
    page = body.decode("utf-8")
    assert 'href="http://calendar.example.org:8443/central-a.ics"' in page
    assert 'href="webcal://calendar.example.org:8443/central-a.ics"' in page


def test_serve_command(feeds: Path) -> None:
    """``planner serve FEEDS_DIR --port 0`` prints its address, serves, and stops on SIGTERM."""
    child = subprocess.Popen(
        [sys.executable, "-m", "planner", "serve", str(feeds), "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        connection = http.client.HTTPConnection("127.0.0.1", int(match[1]), timeout=10)
        connection.request("GET", "/election.ics")
        response = connection.getresponse()
        first = response.read()
        connection.request(
            "GET", "/election.ics", headers={"If-None-Match": response.getheader("ETag")}
        )
        second = connection.getresponse()
        assert response.status == 200 and second.status == 304 and second.read() == b""
        icalendar.Calendar.from_ical(first)
        connection.close()
    finally:
        child.terminate()
        assert child.wait(timeout=10) == 0


def test_serve_help_and_bad_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` in both languages; a folder without feeds is exit 2 with one bilingual line."""
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "Phục vụ thư mục lịch" in out and "Serve a feed folder" in out and "127.0.0.1" in out
    assert main(["serve", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Lỗi" in err and "Error" in err and "index.json" in err and "Traceback" not in err
    assert os.listdir(tmp_path) == []


def test_not_found_has_an_ascii_reason_and_a_bilingual_body(server: FeedServer) -> None:
    """F6: the status line's reason phrase is ASCII (a Vietnamese one in Latin-1 was garbled
    by aiohttp, Node fetch and vdirsyncer); the bilingual text is in the UTF-8 body."""
    host, port = server.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=10) as client:
        client.sendall(b"GET /missing.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := client.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n")[0]
    assert status_line == b"HTTP/1.1 404 Not Found"
    assert head.isascii()
    assert b"content-type: text/plain; charset=utf-8" in head.lower()
    assert "Không có" in body.decode("utf-8") and "Not found" in body.decode("utf-8")


def test_the_backlog_holds_many_clients(feeds: Path) -> None:
    """F3: 64 clients connect at once to a server that has not accepted yet (the backlog of 5
    left the others waiting about 1 s for a retried SYN)."""
    server = make_server(feeds, "127.0.0.1", 0)
    host, port = server.server_address[:2]
    clients: list[socket.socket] = []
    try:
        for _ in range(64):
            clients.append(socket.create_connection((str(host), int(port)), timeout=0.5))
    finally:
        for client in clients:
            client.close()
        server.server_close()
    assert len(clients) == 64


def _trickle(client: socket.socket, request: bytes) -> int:
    """Send ``request`` a byte every 0.05 s; returns how many were sent before the server
    closed the connection."""
    for sent, byte in enumerate(request):
        try:
            if select.select([client], [], [], 0)[0] and client.recv(1, socket.MSG_PEEK) == b"":
                return sent  # the server closed it
        except OSError:
            return sent
        try:
            client.sendall(bytes([byte]))
        except OSError:
            return sent
        time.sleep(0.05)
    return len(request)


def test_idle_connections_hold_no_thread(server: FeedServer) -> None:
    """F4: 200 idle connections hold no thread each; a normal request is still answered
    within 2 s; the server closes a connection idle too long, a request that stalls and one
    that trickles in a byte at a time."""
    host, port = str(server.server_address[0]), int(server.server_address[1])
    before = threading.active_count()
    idle = [socket.create_connection((host, port), timeout=5) for _ in range(200)]
    try:
        started = time.monotonic()
        status, _headers, body = _get(server, "/election.ics")
        assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
        assert time.monotonic() - started < 2.0
        assert threading.active_count() - before <= WORKERS + 1
    finally:
        for client in idle:
            client.close()
    server.idle_timeout = server.read_timeout = 0.2
    with socket.create_connection((host, port), timeout=10) as quiet:
        assert quiet.recv(1) == b""  # closed by the server, not by this timeout
    with socket.create_connection((host, port), timeout=10) as slow:
        slow.sendall(b"GET /election.ics HT")
        assert slow.recv(1) == b""
    request = b"GET /election.ics HTTP/1.1\r\nHost: x\r\nUser-Agent: a byte at a time\r\n"
    with socket.create_connection((host, port), timeout=10) as trickle:
        sent = _trickle(trickle, request)
    assert sent < len(request) // 2  # closed at its deadline, though each byte came in time


def test_requests_during_exports_always_get_a_feed(server: FeedServer, feeds: Path) -> None:
    """F2: requests hammering the server while the folder is exported again and again all get
    200 (the old feed or the new one), never a missing folder."""
    statuses: dict[int, int] = {}
    done = threading.Event()

    def hammer() -> None:
        for _ in range(100_000):  # bounded; stops when the exports are done
            if done.is_set():
                return
            for path in ("/election.ics", "/overview.ics", "/index.html"):
                status, _headers, _body = _get(server, path)
                statuses[status] = statuses.get(status, 0) + 1

    thread = threading.Thread(target=hammer, daemon=True)
    thread.start()
    plans = [_plan(), _plan("levels.central.window=[2020-02-10, 2020-02-20]")]
    try:
        for round in range(12):
            scenario, plan = plans[round % 2]
            export_feeds(plan, scenario, _tree(), feeds)
    finally:
        done.set()
        thread.join(timeout=60)
    assert set(statuses) == {200} and statuses[200] > 0, statuses
