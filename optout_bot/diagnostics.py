"""When no route reaches the form: save what a contributor needs to fix the flow, and nothing personal.

A folder with a screenshot, the trail of steps tried (what each looked for, where, and what happened)
and the page's HTML scrubbed of personal data and session tokens.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from optout_bot.engine import TrailEntry
from optout_bot.paths import make_private, private_dir, timestamped_file
from optout_bot.scrub import scrub_html


def save_diagnostic(page: Page, platform: str, trail: list[TrailEntry], email: str | None = None) -> Path:
    folder = private_dir(timestamped_file("diagnostics", platform, ""))
    (folder / "trail.json").write_text(
        json.dumps({"platform": platform, "steps": [asdict(t) for t in trail]}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    try:
        page.screenshot(path=str(folder / "screenshot.png"), full_page=True)
        html = page.content()
    except PlaywrightError:
        html = ""  # the tab is gone; the trail alone still says what was tried
    (folder / "page.html").write_text(scrub_html(html, names=[email] if email else None), encoding="utf-8")
    for file in folder.iterdir():
        make_private(file)
    return folder
