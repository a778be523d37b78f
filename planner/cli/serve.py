"""``planner serve``: serve the feeds over HTTP."""

from __future__ import annotations

import argparse
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    """Serve a folder of feeds over HTTP until stopped."""
    from planner.export.serve import serve

    return serve(Path(args.feeds), args.host, args.port, args.base_url)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``planner serve`` command and its options."""
    serve_cmd = sub.add_parser(
        "serve",
        help="phục vụ lịch qua HTTP / serve the feeds over HTTP",
        description=(
            "Phục vụ thư mục lịch tại một địa chỉ đăng ký: text/calendar; charset=utf-8,\n"
            "ETag và Last-Modified (trả 304 khi không đổi), gzip; trang chủ là index.html với\n"
            "liên kết webcal:// và https://. Mặc định chỉ nghe 127.0.0.1: đặt sau một reverse\n"
            "proxy có TLS để công khai (xem README).\n"
            "Serve a feed folder at a subscription URL: text/calendar; charset=utf-8, ETag and\n"
            "Last-Modified (304 when unchanged), gzip; the home page is index.html with\n"
            "webcal:// and https:// links. Binds 127.0.0.1 by default: put it behind a reverse\n"
            "proxy with TLS to publish it (see the README)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve_cmd.add_argument(
        "feeds", metavar="FEEDS_DIR", help="thư mục đã xuất / folder written by `planner ical`"
    )
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="địa chỉ nghe / address to bind (127.0.0.1)"
    )
    serve_cmd.add_argument(
        "--port", type=int, default=8080, help="cổng (0 = tự chọn) / port (0 = any free one)"
    )
    serve_cmd.add_argument(
        "--base-url",
        metavar="URL",
        help="địa chỉ công khai, vd. https://lich.example.vn/ (sau reverse proxy) / public "
        "address, e.g. https://calendar.example.org/ (behind a reverse proxy)",
    )
    serve_cmd.set_defaults(func=run)
