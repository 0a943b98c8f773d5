"""When no route reaches the place: save what a contributor needs to fix the flow, and nothing personal.

One archive (`.zip`, private to the person) a person can attach to a report as it is:

- `trail.json`: the steps tried (what each looked for, where, and what happened), scrubbed;
- `page.html`: the page's structure, scrubbed of personal data and session tokens;
- `screenshot.png`: the page, with the top bar, every field and anything showing the person's values masked;
- `about.json`: which optout-bot and which flow file (its SHA-256 and schema version), the page's language,
  the routes tried, and for `probe` its verdicts — what a maintainer needs to reproduce it.

A page is captured (`capture_page`) where the walk lost its way; the archive is written (`write_archive`) once
the walk knows everything it will say about it. `save_diagnostic` does both at once, for `run`.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from optout_bot import __version__, bundled
from optout_bot.flows import Flow
from optout_bot.flows.loader import flow_file_name
from optout_bot.paths import private_dir, timestamped_file, timestamped_name
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

# The archive's members, in the order a person reading it meets them.
ABOUT, TRAIL, PAGE, SCREENSHOT = "about.json", "trail.json", "page.html", "screenshot.png"
MEMBERS = (ABOUT, TRAIL, PAGE, SCREENSHOT)
ARCHIVE_SCHEMA = 1

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


@dataclass(frozen=True)
class PageCapture:
    """The page where the walk lost its way, already scrubbed and masked: safe to keep until it is archived."""

    html: str
    screenshot: bytes | None  # None: the tab was gone
    url: str = ""  # the page's address, scrubbed


def capture_page(page: Page) -> PageCapture:
    """The page's scrubbed structure and a masked screenshot (the values the run remembered are hidden too)."""
    try:
        png = page.screenshot(full_page=True, mask=_masks(page), mask_color=MASK_COLOUR)
        html = page.evaluate(_COPY_WITHOUT_PERSONAL_AREAS_JS, _PERSONAL_AREAS)
    except PlaywrightError:
        return PageCapture("", None)  # the tab is gone; the trail alone still says what was tried
    return PageCapture(scrub_html(html), png, scrub_url(page.url))


def flow_version(flow: Flow, flow_file: Path | None = None) -> dict[str, Any]:
    """Which flow the walk followed: its file's name, SHA-256 and schema version (the file in use by default)."""
    path = flow_file or bundled.flow_file(flow_file_name(flow.platform, flow.flow))
    try:
        digest: str | None = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = None
    return {
        "flow": flow.flow,
        "flow_file": path.name,
        "flow_sha256": digest,
        "flow_schema_version": flow.schema_version,
    }


def write_archive(
    capture: PageCapture,
    platform: str,
    trail: Sequence[TrailEntry],
    *,
    flow: Flow | None = None,
    flow_file: Path | None = None,
    about: Mapping[str, Any] | None = None,
    folder: Path | None = None,
    name: str | None = None,
) -> Path:
    """Write one archive (private: 0600) of the capture, the scrubbed trail and what it is about; return it.

    `about`: what the command adds (the page's language, the probe's verdicts); its texts are scrubbed too.
    `folder`: where (default: the data folder's diagnostics); `name`: the archive's stem besides its time.
    """
    steps = [_scrubbed_step(entry) for entry in trail]
    described = {
        "schema": ARCHIVE_SCHEMA,
        "tool": "optout-bot",
        "version": __version__,
        "made_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "platform": platform,
        **(flow_version(flow, flow_file) if flow is not None else {}),
        "routes_tried": list(dict.fromkeys(entry.route for entry in trail)),
        "page_url": capture.url,  # the page of page.html and screenshot.png
        **_scrubbed(dict(about or {})),
        "members": [member for member in MEMBERS if member != SCREENSHOT or capture.screenshot is not None],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ABOUT, json.dumps(described, indent=2, ensure_ascii=False))
        archive.writestr(TRAIL, json.dumps({"platform": platform, "steps": steps}, indent=2, ensure_ascii=False))
        archive.writestr(PAGE, capture.html)
        if capture.screenshot is not None:
            archive.writestr(SCREENSHOT, capture.screenshot, compress_type=zipfile.ZIP_STORED)
    return _write_private(_new_archive_path(folder, name or platform), buffer.getvalue())


def save_diagnostic(
    page: Page, platform: str, trail: list[TrailEntry], email: str | None = None, *, flow: Flow | None = None
) -> Path:
    """Capture the page and archive it with the trail (and the flow's version); return the archive.

    `email`: the account's email, hidden besides the values the run remembered (scrub.remember_personal).
    """
    remember_personal(emails=[email])
    return write_archive(capture_page(page), platform, trail, flow=flow)


def read_about(archive: Path) -> dict[str, Any]:
    """What an archive says of itself (`probe --report`)."""
    with zipfile.ZipFile(archive) as opened:
        about: dict[str, Any] = json.loads(opened.read(ABOUT))
    return about


def members(archive: Path) -> list[tuple[str, int]]:
    """Each member of an archive and its size in bytes."""
    with zipfile.ZipFile(archive) as opened:
        return [(info.filename, info.file_size) for info in opened.infolist()]


def _new_archive_path(folder: Path | None, name: str) -> Path:
    if folder is None:
        path = timestamped_file("diagnostics", name, ".zip")
    else:
        path = private_dir(folder) / timestamped_name(name, ".zip")
    number = 1
    while path.exists():  # several in one second (a probe of several flows and languages)
        number += 1
        path = path.with_name(f"{path.stem.rsplit('~', 1)[0]}~{number}.zip")
    return path


def _write_private(path: Path, data: bytes) -> Path:
    """Created readable by the person only from its first byte (never through an existing file or link)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    return path


def _scrubbed(value: Any) -> Any:
    """Every text of `about`, scrubbed like the trail (verdicts quote pages and addresses)."""
    if isinstance(value, str):
        return scrub_url(value) if value.startswith(("http://", "https://")) else scrub_text(value)
    if isinstance(value, Mapping):
        return {str(key): _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(item) for item in value]
    return value


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
