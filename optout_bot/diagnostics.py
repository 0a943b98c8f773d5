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
from optout_bot.scrub import scrub_html, scrub_url

# Where Meta shows who is logged in: the top bar, navigation, account menus. Their text and labels are
# replaced in a copy of the page (the live page is untouched), because a name cannot be recognised as such
# the way an email address can.
_PERSONAL_AREAS = "header, [role=banner], nav, [role=navigation], a[href*='profile.php'], [aria-label*='profile' i]"

_COPY_WITHOUT_PERSONAL_AREAS_JS = """selector => {
  const copy = document.documentElement.cloneNode(true);
  for (const area of copy.querySelectorAll(selector)) {
    for (const el of [area, ...area.querySelectorAll('*')]) {
      for (const attr of ['aria-label', 'title', 'alt']) if (el.hasAttribute(attr)) el.setAttribute(attr, '[removed]');
    }
    const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    for (const text of texts) if (text.nodeValue.trim()) text.nodeValue = '[removed]';
  }
  return '<!DOCTYPE html>' + copy.outerHTML;
}"""


def save_diagnostic(page: Page, platform: str, trail: list[TrailEntry], email: str | None = None) -> Path:
    folder = private_dir(timestamped_file("diagnostics", platform, ""))
    steps = [{**asdict(entry), "url": scrub_url(entry.url)} for entry in trail]
    (folder / "trail.json").write_text(
        json.dumps({"platform": platform, "steps": steps}, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    try:
        # Masked: the top bar (names, pictures) and every field (what was typed or pre-filled).
        masked = [page.locator(_PERSONAL_AREAS), page.locator("input, textarea, select")]
        page.screenshot(path=str(folder / "screenshot.png"), full_page=True, mask=masked)
        html = page.evaluate(_COPY_WITHOUT_PERSONAL_AREAS_JS, _PERSONAL_AREAS)
    except PlaywrightError:
        html = ""  # the tab is gone; the trail alone still says what was tried
    (folder / "page.html").write_text(scrub_html(html, names=[email] if email else None), encoding="utf-8")
    for file in folder.iterdir():
        make_private(file)
    return folder
