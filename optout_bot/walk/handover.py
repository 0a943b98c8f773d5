"""The hand-over: tell the person what was filled, show them Submit, and wait for them — hands off.

After the banner is drawn and Submit highlighted the tool does not touch the page again; it only watches
for Meta's confirmation, the tab closing, or the time running out — and what counts as Meta's confirmation
is strict (await_person): the tool must never say Meta confirmed what it did not.
"""

from __future__ import annotations

import contextlib
import enum
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Request
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from optout_bot import progress
from optout_bot.domains import is_site_url
from optout_bot.i18n import _, current_language
from optout_bot.platforms import Site

BANNER_ID = "optout-bot-banner"

# Drawn inside Meta's page, in the person's language. Fixed at the top, and the Submit control is scrolled
# below it, so it never covers that control; `pointer-events: none` so it can never swallow the person's
# click either.
_BANNER_JS = """([id, lang, title, lines]) => {
  let banner = document.getElementById(id);
  if (!banner) {
    banner = document.createElement('div');
    banner.id = id;
    banner.setAttribute('role', 'status');
    banner.setAttribute('aria-live', 'polite');
    const root = document.body || document.documentElement;  // a page still loading may have no body yet
    if (!root) throw new Error('no document to draw in yet');
    root.appendChild(banner);
  }
  banner.lang = lang;
  const small = window.innerHeight < 640;  // a short window: smaller type, so the form stays in sight
  banner.style.cssText = 'position:fixed;top:0;left:0;right:0;z-index:2147483647;pointer-events:none;' +
    'background:#0b3d91;color:#fff;font:' + (small ? '13px/1.3' : '15px/1.4') + ' system-ui,sans-serif;' +
    'padding:' + (small ? '6px 12px' : '10px 16px') + ';text-align:left;box-shadow:0 2px 8px rgba(0,0,0,.35)';
  banner.replaceChildren();
  const heading = document.createElement('strong');
  heading.textContent = title;
  heading.style.cssText = 'display:block;font-size:1.1em;margin-bottom:2px';
  banner.appendChild(heading);
  for (const line of lines) {
    const p = document.createElement('div');
    p.textContent = line;
    banner.appendChild(p);
  }
}"""

# Outline Submit and bring it into view, below the banner. If the window is too short for both, the banner
# moves to the bottom of the window instead: the control the person must find stays uncovered.
_HIGHLIGHT_JS = """(el, id) => {
  el.style.outline = '4px solid #ff8c00';
  el.style.outlineOffset = '3px';
  el.style.boxShadow = '0 0 0 8px rgba(255,140,0,.35)';
  el.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});
  const banner = document.getElementById(id);
  if (!banner) return;
  const gap = 16;
  const clear = () => {
    const b = banner.getBoundingClientRect(), r = el.getBoundingClientRect();
    return r.bottom + gap <= b.top || r.top - gap >= b.bottom;
  };
  if (clear()) return;
  const r = el.getBoundingClientRect(), b = banner.getBoundingClientRect();
  window.scrollBy({top: r.top - (b.bottom + gap), behavior: 'instant'});
  if (clear() && el.getBoundingClientRect().bottom <= window.innerHeight) return;
  banner.style.top = 'auto';
  banner.style.bottom = '0';
  el.scrollIntoView({block: 'start', inline: 'nearest', behavior: 'instant'});
  window.scrollBy({top: -gap * 2, behavior: 'instant'});
}"""


def show_banner(page: Page, title: str, lines: list[str]) -> None:
    """Draw (or redraw) the banner. A page caught between two documents (a redirect half done, as a login often
    is) has nothing to draw in: wait for the next one to be parsed, then draw there."""
    for attempt in range(_BANNER_TRIES):
        try:
            page.evaluate(_BANNER_JS, [BANNER_ID, current_language(), title, lines])
            return
        except PlaywrightError:
            if page.is_closed() or attempt == _BANNER_TRIES - 1:
                raise
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_load_state("domcontentloaded", timeout=_LOADED_MS)


_BANNER_TRIES = 3


def submit_name(submit: Locator) -> str:
    """The Submit control's visible text, as the person sees it on Meta's page ("Submit", « Envoyer »)."""
    try:
        text = " ".join(submit.inner_text(timeout=1000).split()) if submit.count() else ""
    except PlaywrightError:
        text = ""
    return text or _("Submit")


def present_form(page: Page, submit: Locator, filled: list[str], company: str) -> str:
    """Bring the tab to the front, say what was filled, and point at Submit (which we never click).

    Returns the Submit control's name as the page shows it, for the terminal to use the same word. `company`:
    whose form it is (platforms.Site.company).
    """
    progress.reach(progress.Stage.HANDED_OVER, progress.Kind.FORM)  # from here on, the form is the person's
    page.bring_to_front()
    button = submit_name(submit)
    try:
        found = submit.count() > 0
    except PlaywrightError:
        found = False
    # If the form has no control we recognise as Submit, the banner still tells the person what to do.
    where = (
        _(
            "optout-bot will not submit for you: the {button} button is below, outlined in orange; click it "
            "yourself when everything is right."
        )
        if found
        else _(
            "optout-bot will not submit for you: {company}'s {button} button is at the end of the form; click "
            "it yourself when everything is right."
        )
    )
    show_banner(
        page,
        _("optout-bot: your objection form is ready. Please check it, then click {button} yourself.").format(
            button=button
        ),
        [
            _("What is in the form now:"),
            *(f"• {line}" for line in filled),
            _(
                "Please check each field, and that the email address is yours: {company} sends its answer there. "
                "You can change anything."
            ).format(company=company),
            where.format(button=button, company=company),
            _("After your click, optout-bot keeps a screenshot of {company}'s confirmation as your receipt.").format(
                company=company
            ),
        ],
    )
    highlight(submit)
    return button


def highlight(control: Locator) -> None:
    """Outline the control the person must click (Submit, a switch) and bring it into view, clear of the banner."""
    with contextlib.suppress(PlaywrightError):
        control.evaluate(_HIGHLIGHT_JS, BANNER_ID)


def ask_to_log_in(page: Page) -> None:
    page.bring_to_front()
    # The terminal has already said it; a banner a page in mid-redirect would not take is no reason to stop.
    with contextlib.suppress(PlaywrightError):
        _show_login_banner(page)


def _show_login_banner(page: Page) -> None:
    show_banner(
        page,
        _("optout-bot: please log in to your account in this window."),
        [
            _("If the site asks you to confirm it is you (a code, or an approval on your phone), do that here too."),
            _(
                "optout-bot never sees or types your password or your codes. It carries on by itself once you are "
                "logged in."
            ),
        ],
    )


class Outcome(enum.Enum):
    CONFIRMED = "confirmed"
    CLOSED = "closed"
    TIMED_OUT = "timed out"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    confirmation: str = ""
    submitted: bool = False  # the tool saw the person's form go to the platform (a POST from the form's page)


# How often the wait looks at the page. The person's click is seen by its request, whenever it happens; this
# only sets how soon after it the confirmation is noticed.
_POLL_MS = 250
# How long a page seen with the confirmation's words may take to finish loading before it is judged.
_LOADED_MS = 10_000
# The requests that carry a form's submission: a form posted by navigation, or by script (Meta's are).
_SUBMISSION_TYPES = ("document", "fetch", "xhr")


class PersonWatch:
    """What the tool sees of the person's tab from the hand-over on: whether the form was sent from it, and
    which of Meta's confirmation words were on screen before (they confirm nothing).

    Made before the banner is drawn, so that not even a click in the first instant is missed. It only
    listens to the page's requests: it never stops, changes or sends one.
    """

    def __init__(
        self, page: Page, confirmation: re.Pattern[str], on_submit: Callable[[Request], None] | None = None
    ) -> None:
        self.page = page
        self.on_submit = on_submit  # told of the submission's request, to record what it carried (walk/submitted.py)
        self.matches = page.get_by_text(confirmation)
        self.already_shown = frozenset(_visible_texts(self.matches))
        self.submitted = False
        page.on("request", self._on_request)

    def _on_request(self, request: Request) -> None:
        if not self.submitted and _is_submission(request, self.page):
            self.submitted = True
            progress.reach(progress.Stage.SUBMITTED)
            if self.on_submit is not None:
                self.on_submit(request)

    def fresh_confirmation(self) -> str | None:
        """Meta's confirmation words on screen now that were not at the hand-over, if any."""
        fresh = [text for text in _visible_texts(self.matches) if text not in self.already_shown]
        return fresh[0] if fresh else None

    def stop(self) -> None:
        with contextlib.suppress(PlaywrightError):
            self.page.remove_listener("request", self._on_request)


def await_person(
    watch: PersonWatch,
    form_controls: Locator,
    code_prompt: Locator | None,
    site: Site,
    timeout_s: float,
    on_code: Callable[[Page], None] | None = None,
    clock: Callable[[float], None] | None = None,
) -> Result:
    """Wait, without touching the page, for Meta's confirmation, the tab closing, or the time running out.

    Only a confirmation the person's own submission brought counts: the tool must have seen the form posted
    from this tab after the hand-over (`watch`); the page must be on the platform's own site (`site`), with the
    form (`form_controls`: its Submit and email field) and any code prompt gone; and the words must not have
    been on screen already at the hand-over (a form that explains what Meta will answer is no answer).
    Anything else and the wait goes on. If Meta asks for a one-time code first, `on_code` tells the person;
    `clock` is told the seconds waited at each look (the terminal shows them: Ui.countdown).
    """
    page = watch.page
    started = time.monotonic()
    deadline = started + timeout_s
    code_announced = False
    try:
        while time.monotonic() < deadline:
            if clock is not None:
                clock(time.monotonic() - started)
            if page.is_closed():
                return Result(Outcome.CLOSED, submitted=watch.submitted)
            try:
                if code_prompt is not None and code_prompt.is_visible():
                    if not code_announced and on_code is not None:
                        on_code(page)
                    code_announced = True
                elif watch.submitted and _form_gone(form_controls) and is_site_url(page.url, site):
                    confirmation = watch.fresh_confirmation()
                    if confirmation is not None and _still_a_confirmation(page, form_controls, code_prompt, site):
                        return Result(Outcome.CONFIRMED, confirmation, submitted=True)
                page.wait_for_timeout(_POLL_MS)
            except PlaywrightError as exc:  # the page navigated, or closed, while it was looked at
                if page.is_closed():
                    return Result(Outcome.CLOSED, submitted=watch.submitted)
                logger.debug("while waiting for the person: {}", exc)
        return Result(Outcome.TIMED_OUT, submitted=watch.submitted)
    finally:
        watch.stop()


def _is_submission(request: Request, page: Page) -> bool:
    """A POST of the form's page itself (its main frame): the person's Submit, by navigation or by script."""
    if request.method != "POST" or request.resource_type not in _SUBMISSION_TYPES:
        return False
    try:
        return request.frame == page.main_frame
    except PlaywrightError:  # a service worker's request: not the page's
        return False


def _still_a_confirmation(page: Page, form_controls: Locator, code_prompt: Locator | None, site: Site) -> bool:
    """The words were seen on a page that may still be arriving: once it has loaded, is it still no form and no
    code prompt, on the site? (A code page drawn in Meta's confirmation words shows its words a moment before its
    code field: seen between the two, it would pass for the confirmation.)"""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("load", timeout=_LOADED_MS)
    code_shown = code_prompt is not None and code_prompt.is_visible()
    return not code_shown and _form_gone(form_controls) and is_site_url(page.url, site)


def _form_gone(form_controls: Locator) -> bool:
    return form_controls.filter(visible=True).count() == 0


def _visible_texts(matches: Locator) -> list[str]:
    """The text of each element on screen whose words match, whitespace folded."""
    texts = []
    for match in matches.all():
        with contextlib.suppress(PlaywrightError):  # gone between the listing and the reading
            if match.is_visible():
                texts.append(" ".join(match.inner_text(timeout=1000).split()))
    return texts


def ask_for_code(page: Page) -> None:
    """Meta emailed a one-time code: the person types it; the tool only says so."""
    page.bring_to_front()
    show_banner(
        page,
        _("optout-bot: Meta sent you a code by email — type it here and confirm."),
        [
            _("The code is in the email Meta just sent you; it is only valid for a limited time."),
            _("optout-bot never reads or types your codes. It waits for Meta's final confirmation."),
        ],
    )
