"""The hand-over: tell the person what was filled, show them Submit, and wait for them — hands off.

After the banner is drawn and Submit highlighted the tool does not touch the page again; it only watches
for Meta's confirmation, the tab closing, or the time running out.
"""

from __future__ import annotations

import contextlib
import enum
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

BANNER_ID = "optout-bot-banner"

# Drawn inside Meta's page. Fixed at the top so it never covers the Submit control, which is scrolled to
# the middle of the window; `pointer-events: none` so it can never swallow the person's click.
_BANNER_JS = """([id, title, lines]) => {
  let banner = document.getElementById(id);
  if (!banner) {
    banner = document.createElement('div');
    banner.id = id;
    banner.setAttribute('role', 'status');
    banner.setAttribute('aria-live', 'polite');
    banner.style.cssText = 'position:fixed;top:0;left:0;right:0;z-index:2147483647;pointer-events:none;' +
      'background:#0b3d91;color:#fff;font:16px/1.4 system-ui,sans-serif;padding:12px 18px;' +
      'box-shadow:0 2px 8px rgba(0,0,0,.35)';
    document.body.appendChild(banner);
  }
  banner.replaceChildren();
  const heading = document.createElement('strong');
  heading.textContent = title;
  banner.appendChild(heading);
  for (const line of lines) {
    const p = document.createElement('div');
    p.textContent = line;
    banner.appendChild(p);
  }
}"""

_HIGHLIGHT_JS = """el => {
  el.style.outline = '4px solid #ff8c00';
  el.style.outlineOffset = '3px';
  el.style.boxShadow = '0 0 0 8px rgba(255,140,0,.35)';
  el.scrollIntoView({block: 'center', inline: 'center'});
}"""


def show_banner(page: Page, title: str, lines: list[str]) -> None:
    page.evaluate(_BANNER_JS, [BANNER_ID, title, lines])


def present_form(page: Page, submit: Locator, filled: list[str]) -> None:
    """Bring the tab to the front, say what was filled, and point at Submit (which we never click)."""
    page.bring_to_front()
    show_banner(
        page,
        "optout-bot: your objection form is ready — please check it, then click Submit yourself.",
        [
            *filled,
            "optout-bot will not submit for you. The Submit button is highlighted below.",
            "When Meta shows its confirmation, optout-bot keeps a screenshot as your receipt.",
        ],
    )
    # If the form has no control we recognise as Submit, the banner still tells the person what to do.
    with contextlib.suppress(PlaywrightError):
        submit.evaluate(_HIGHLIGHT_JS)


def ask_to_log_in(page: Page) -> None:
    page.bring_to_front()
    show_banner(
        page,
        "optout-bot: please log in to your account in this window.",
        ["optout-bot never sees or types your password. It carries on by itself once you are logged in."],
    )


class Outcome(enum.Enum):
    CONFIRMED = "confirmed"
    CLOSED = "closed"
    TIMED_OUT = "timed out"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    confirmation: str = ""


def await_person(
    page: Page,
    confirmation: re.Pattern[str],
    code_prompt: Locator | None,
    timeout_s: float,
    on_code: Callable[[Page], None] | None = None,
) -> Result:
    """Wait, without touching the page, for Meta's confirmation, the tab closing, or the time running out.

    Locators survive navigations, so a confirmation drawn in place and one on a new page are both seen.
    If Meta asks for a one-time code first, `on_code` tells the person, and the wait goes on: success is
    only Meta's final confirmation.
    """
    seen = page.get_by_text(confirmation).filter(visible=True).first
    deadline = time.monotonic() + timeout_s
    code_announced = False
    try:
        while True:
            watched = seen if code_prompt is None or code_announced else seen.or_(code_prompt)
            remaining = max(deadline - time.monotonic(), 0.001)
            watched.first.wait_for(state="visible", timeout=remaining * 1000)
            if seen.is_visible():
                return Result(Outcome.CONFIRMED, _confirmation_text(seen))
            if code_prompt is not None and code_prompt.is_visible() and not code_announced:
                code_announced = True
                if on_code is not None:
                    on_code(page)
    except PlaywrightTimeout:
        return Result(Outcome.TIMED_OUT)
    except PlaywrightError:
        if page.is_closed():
            return Result(Outcome.CLOSED)
        raise


def ask_for_code(page: Page) -> None:
    """Meta emailed a one-time code: the person types it; the tool only says so."""
    show_banner(
        page,
        "optout-bot: Meta sent you a code by email — type it here and confirm.",
        ["optout-bot never reads or types your codes. It waits for Meta's final confirmation."],
    )


def _confirmation_text(seen: Locator) -> str:
    try:
        return " ".join(seen.inner_text().split())
    except PlaywrightError:
        return ""
