"""When no route reaches the form: save what a contributor needs to fix the flow, and nothing personal.

A folder with a screenshot, the trail of steps tried (what each looked for, where, and what happened)
and the page's HTML scrubbed of personal data and session tokens.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from optout_bot.paths import make_private, private_dir, timestamped_file
from optout_bot.promises.scrub import (
    EMAIL_PATTERN,
    SECRET_TEXT_PATTERN,
    personal_phone_patterns,
    personal_texts,
    remember_personal,
    scrub_html,
    scrub_text,
    scrub_url,
)
from optout_bot.walk.walker import TrailEntry

# Where Meta shows who is logged in: the top bar, navigation, account menus. Their text and labels are
# replaced in a copy of the page (the live page is untouched), because a name cannot be recognised as such
# the way an email address can.
_PERSONAL_AREAS = "header, [role=banner], nav, [role=navigation], a[href*='profile.php'], [aria-label*='profile' i]"

# Fields (what was typed or pre-filled) and editable text, blanked in the screenshot.
_FIELDS = "input:not([type=hidden]), textarea, select, [contenteditable]:not([contenteditable=false])"
# Painted over what a screenshot must not show (Playwright's own default, named so tests can look for it).
MASK_COLOUR = "#FF00FF"

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
    """Save the trail, a masked screenshot and the page's scrubbed structure; return their folder.

    `email`: the account's email, hidden besides the values the run remembered (scrub.remember_personal).
    """
    remember_personal(emails=[email])
    folder = private_dir(timestamped_file("diagnostics", platform, ""))
    steps = [_scrubbed_step(entry) for entry in trail]
    (folder / "trail.json").write_text(
        json.dumps({"platform": platform, "steps": steps}, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    try:
        page.screenshot(path=str(folder / "screenshot.png"), full_page=True, mask=_masks(page), mask_color=MASK_COLOUR)
        html = page.evaluate(_COPY_WITHOUT_PERSONAL_AREAS_JS, _PERSONAL_AREAS)
    except PlaywrightError:
        html = ""  # the tab is gone; the trail alone still says what was tried
    (folder / "page.html").write_text(scrub_html(html), encoding="utf-8")
    for file in folder.iterdir():
        make_private(file)
    return folder


def _scrubbed_step(entry: TrailEntry) -> dict[str, str]:
    # Step labels name addresses too ("goto <the link from Meta's email>"), and outcomes quote error messages.
    return {**{key: scrub_text(value) for key, value in asdict(entry).items()}, "url": scrub_url(entry.url)}


def _masks(page: Page) -> list[Locator]:
    """What a screenshot must not show: the top bar, every field, and any element showing the person's values."""
    masks = [page.locator(_PERSONAL_AREAS), page.locator(_FIELDS)]
    masks += [page.get_by_text(EMAIL_PATTERN), page.get_by_text(SECRET_TEXT_PATTERN)]
    masks += [page.get_by_text(pattern) for pattern in personal_phone_patterns()]
    masks += [page.get_by_text(value) for value in personal_texts()]
    return masks
