"""The hand-over: tell the person what was filled, show them Submit, and wait for them — hands off.

After the banner is drawn (walk/banner.py) and Submit outlined the tool does not touch the page again; it only watches
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
from optout_bot.i18n import _
from optout_bot.platforms import Site
from optout_bot.walk.banner import FieldFacts, outline_and_read_fields, point_at, show_banner


def submit_name(submit: Locator, found: bool) -> str:
    """The Submit control's visible text, as the person sees it on Meta's page ("Submit", « Envoyer »); `found`:
    whether the page has it at all (else the word "Submit" in the person's language)."""
    try:
        text = " ".join(submit.inner_text(timeout=1000).split()) if found else ""
    except PlaywrightError:
        text = ""
    return text or _("Submit")


def present_form(page: Page, submit: Locator, fields: list[Locator], left_to_person: list[Locator], who: str) -> str:
    """Bring the tab to the front, say what was filled, outline it, and point at Submit (which we never click).

    `fields`: the form's fields for the person's values; `left_to_person`: those only they can fill; `who`: whose
    page it is, as the person knows it (the platform's name). Returns the Submit control's name as the page shows
    it, for the terminal to use the same word.
    """
    progress.reach(progress.Stage.HANDED_OVER, progress.Kind.FORM)  # from here on, the form is the person's
    page.bring_to_front()
    return show_form_banner(page, submit, fields, left_to_person, who)


def show_form_banner(
    page: Page, submit: Locator, fields: list[Locator], left_to_person: list[Locator], who: str
) -> str:
    """The banner and the outlines of the hand-over (a dry run's picture shows them too); Submit's name."""
    try:
        found = submit.count() > 0
    except PlaywrightError:
        found = False
    button = submit_name(submit, found)
    facts = outline_and_read_fields(fields)
    theirs = outline_and_read_fields(left_to_person)
    filled = [field for field in facts if not field.empty]
    empty = sorted([field for field in facts if field.empty] + theirs, key=lambda field: field.place)
    lines = []
    if filled:
        lines.append(_("Filled in, outlined in blue: {fields}").format(fields=_names(filled)))
    if empty:
        lines.append(_("Left empty, dashed outline: {fields}").format(fields=_names(empty)))
    lines.append(
        _("Check each field, and that the email address is yours: {company} answers there.").format(company=who)
    )
    # If the form has no control we recognise as Submit, the banner still tells the person where it is.
    click = (
        _("Then you click {button}, outlined in orange. optout-bot never does.")
        if found
        else _("Then you click {button}, at the end of the form. optout-bot never does.")
    )
    lines.append(click.format(button=button))
    show_banner(page, _("optout-bot: your objection form is ready"), lines)
    point_at(submit)
    return button


def _names(fields: list[FieldFacts]) -> str:
    return ", ".join(field.label or _("a field") for field in fields)


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


def ask_for_code(page: Page, who: str) -> None:
    """The platform emailed a one-time code: the person types it; the tool only says so. `who`: the platform."""
    page.bring_to_front()
    show_banner(
        page,
        _("optout-bot: {company} sent you a code by email — type it here and confirm.").format(company=who),
        [
            _("The code is in the email {company} just sent you; it is only valid for a limited time.").format(
                company=who
            ),
            _("optout-bot never reads or types your codes. It waits for {company}'s final confirmation.").format(
                company=who
            ),
        ],
    )
