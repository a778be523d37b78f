"""``planner serve``: feeds at a subscription URL with conditional GET, gzip, and nothing
outside the feed folder."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

from planner.cli import main
from planner.export.ical import export_feeds
from planner.serve import FeedServer, make_server

from .export.test_ical import _plan, _tree

REPO = Path(__file__).resolve().parent.parent


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
    assert len(icalendar.Calendar.from_ical(body).walk("VEVENT")) == 34
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
