"""``index.json`` (the catalogue, machine-readable) and ``index.html`` (which feed for whom).

The HTML page is rendered from the JSON, so ``planner serve`` can render it again with the
address it is reached at: ``https://`` (or ``http://``) and ``webcal://`` links need an absolute
URL, which an export alone does not know unless ``--base-url`` is given.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from planner.scenario.model import Scenario

from .catalogue import MAX_BYTES, MAX_EVENTS, Feed, RecommendedSet

INDEX_JSON = "index.json"
INDEX_HTML = "index.html"


def build_index(
    scenario: Scenario,
    feeds: Sequence[Feed],
    sizes: Mapping[str, int],
    sets: Sequence[RecommendedSet],
    retired: Sequence[str],
) -> dict[str, Any]:
    """The catalogue as written to ``index.json``."""
    return {
        "format": 2,
        "scenario": {"id": scenario.id, "name_vi": scenario.name_vi, "name_en": scenario.name_en},
        "limits": {"events": MAX_EVENTS, "bytes": MAX_BYTES},
        "feeds": [
            {
                "file": f.name,
                "family": f.family,
                "owner": f.owner,
                "split": [list(step) for step in f.path],
                "name_vi": f.title_vi,
                "name_en": f.title_en,
                "events": len(f.events),
                "bytes": sizes[f.name],
            }
            for f in feeds
        ],
        "sets": [
            {
                "id": s.id,
                "role_vi": s.role_vi,
                "role_en": s.role_en,
                "feed": s.feed,
                "feeds": s.feeds,
            }
            for s in sets
        ],
        "retired": list(retired),
    }


def feed_links(file: str, base_url: str | None) -> tuple[str, str | None]:
    """The ``https://`` (or relative) link of a feed and its ``webcal://`` link when absolute."""
    path = quote(file)
    if not base_url:
        return path, None
    web = base_url.rstrip("/") + "/" + path
    parts = urlsplit(web)
    return web, f"webcal://{parts.netloc}{parts.path}"


def _links(files: Sequence[str], base_url: str | None) -> str:
    out = []
    for file in files:
        web, webcal = feed_links(file, base_url)
        item = f'<a href="{html.escape(web)}">{html.escape(file)}</a>'
        if webcal:
            item += f' <a class="webcal" href="{html.escape(webcal)}">webcal</a>'
        out.append(item)
    return "<br>".join(out)


def _subscribe(chosen: Mapping[str, Any], base_url: str | None) -> str:
    """The feed a role subscribes to: its combined feed when there is one, else the set."""
    if not chosen.get("feed"):
        return _links(chosen["feeds"], base_url)
    return (
        f"<b>Một lịch / One feed:</b> {_links([chosen['feed']], base_url)}<br>"
        f"<small>hoặc cả bộ / or the whole set: {_links(chosen['feeds'], base_url)}</small>"
    )


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
    "vertical-align:top;text-align:left}.webcal{font-size:.85em}"
)


def render_html(index: Mapping[str, Any], base_url: str | None = None) -> str:
    """``index.html``: how to subscribe, the feeds for each role, every feed."""
    e = html.escape
    scenario = index["scenario"]
    limits = index["limits"]
    scheme = urlsplit(base_url).scheme if base_url else "https"
    if base_url:
        where = (
            f"<p>Đường dẫn {e(scheme)}:// để dán vào Google Calendar hoặc Outlook; đường dẫn "
            "webcal:// mở thẳng Apple Calendar hoặc Thunderbird. / "
            f"Paste a {e(scheme)}:// link into Google Calendar or Outlook; a webcal:// link "
            "opens Apple Calendar or Thunderbird directly.</p>"
        )
    else:
        where = (
            "<p>Các đường dẫn dưới đây là tương đối: khi thư mục được phục vụ qua "
            "<code>planner serve</code> (hoặc xuất với <code>--base-url</code>), trang này có "
            "đường dẫn https:// và webcal:// đầy đủ. / The links below are relative: served by "
            "<code>planner serve</code> (or exported with <code>--base-url</code>), this page "
            "shows full https:// and webcal:// links.</p>"
        )
    roles = "\n".join(
        f"<tr><td>{e(s['role_vi'])}<br><i>{e(s['role_en'])}</i></td>"
        f"<td>{_subscribe(s, base_url)}</td></tr>"
        for s in index["sets"]
    )
    feeds = "\n".join(
        f"<tr><td>{_links([f['file']], base_url)}</td><td>{e(f['name_vi'])}<br>"
        f"<i>{e(f['name_en'])}</i></td><td>{f['events']}</td>"
        f"<td>{f['bytes'] / 1000:,.0f} kB</td></tr>"
        for f in index["feeds"]
    )
    retired = ""
    if index["retired"]:
        retired = (
            "<h2>Lịch đã ngừng / Retired feeds</h2>\n<p>Các lịch này không còn sự kiện (đã "
            "được chia nhỏ hoặc bỏ); hãy đăng ký lịch mới theo vai trò ở trên. / These feeds "
            "are empty now (split or dropped); subscribe to the feeds for your role above.</p>"
            f"\n<p>{', '.join(e(name) for name in index['retired'])}</p>"
        )
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lịch đăng ký / Calendar feeds — {e(scenario["id"])}</title>
<style>{_STYLE}</style></head><body>
<h1>Lịch đăng ký / Calendar feeds</h1>
<p>Kịch bản / scenario: {e(scenario["name_vi"])} / <i>{e(scenario["name_en"])}</i>
(<code>{e(scenario["id"])}</code>)</p>
<h2>Cách đăng ký / How to subscribe</h2>
<ul>
<li>Google Calendar: Lịch khác → Từ URL. / Other calendars → From URL.</li>
<li>Outlook: Thêm lịch → Đăng ký từ web. / Add calendar → Subscribe from web.</li>
<li>Apple Calendar: Tệp → Đăng ký lịch mới. / File → New Calendar Subscription.</li>
<li>Thunderbird: Lịch mới → Trên mạng. / New Calendar → On the Network.</li>
</ul>
{where}
<p>Mỗi lịch có tối đa {limits["events"]} sự kiện và {limits["bytes"] / 1e6:g} MB (Google
Calendar ngừng đọc lịch lớn hơn); lịch lớn hơn được chia theo đảng bộ trực thuộc Trung ương,
theo đơn vị cấp trên cơ sở, rồi theo tháng. Khi mọi sự kiện của một vai trò vừa một lịch, hãy
đăng ký <b>một lịch</b> gộp của vai trò (role-….ics); nếu không, đăng ký <b>cả bộ</b> lịch đề
xuất: trong một bộ, không sự kiện nào xuất hiện hai lần. Đừng đăng ký cả lịch gộp lẫn bộ lịch.
Các mốc bầu cử chỉ nằm trong election.ics và các lịch gộp. / Each feed holds at most
{limits["events"]:,} events and {limits["bytes"] / 1e6:g} MB (Google Calendar stops reading
bigger feeds); a bigger one is split by central-level committee, by district-level unit, then
by month. When every event of a role fits in one feed, subscribe to <b>the one combined
feed</b> of your role (role-….ics); otherwise to <b>the whole set</b> recommended for it: no
event appears twice in a set. Never subscribe to both. The election steps are only in
election.ics and the combined feeds.</p>
<h2>Chọn lịch theo vai trò / Feeds for your role</h2>
<table><tr><th>Vai trò / Role</th><th>Đăng ký các lịch / Subscribe to</th></tr>
{roles}
</table>
<h2>Tất cả các lịch / All feeds</h2>
<table><tr><th>Tệp / File</th><th>Nội dung / Content</th><th>Sự kiện / Events</th>
<th>Cỡ / Size</th></tr>
{feeds}
</table>
{retired}
</body></html>
"""
