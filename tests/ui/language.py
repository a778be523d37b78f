"""The language check shared by the AppTest and the Chromium tests: what a Vietnamese page
must not show (the catalogue's English words and the raw codes of ``planner.ui.words``)."""

from __future__ import annotations

import re

from planner.ui.words import CATALOGUE, RAW_CODES


def english_left(text: str) -> list[str]:
    """The catalogue's English words and the raw codes found in a text of a Vietnamese page."""
    found = sorted(set(re.split(r"[^\w.:/'-]+", text)) & RAW_CODES)
    for vi, en in CATALOGUE.values():
        if en != vi and len(en) > 3 and re.search(rf"(?<!\w){re.escape(en)}(?!\w)", text):
            found.append(en)
    return found
