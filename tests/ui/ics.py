"""Reading what a feed archive says about SEQUENCE (the browser tests and the pool tests)."""

from __future__ import annotations

import io
import zipfile


def sequences(archive: bytes, feed: str = "level-central.ics") -> dict[str, int]:
    """UID → SEQUENCE of every event in one feed of a zip of feeds."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        text = opened.read(feed).decode("utf-8")
    out, uid = {}, ""
    for line in text.splitlines():
        if line.startswith("UID:"):
            uid = line[4:]
        elif line.startswith("SEQUENCE:"):
            out[uid] = int(line[9:])
    return out
