"""What Meta puts between the person and the form: cookie walls, login prompts, "not available" notices.

Any of them can appear on any page of the walk — the first one, or right before the form. The walker
waits for its target *or* any of them, then asks `handle()`; that deals with what is on screen and the walk
resumes where it stopped. The tool answers cookie walls itself (declining where it can) but never logs in: it tells the
person, waits for them (bounded), and carries on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from optout_bot.errors import NotOfferedError, NotSubmittedError, RefusedError
from optout_bot.flows import Flow, Vocabulary
from optout_bot.i18n import N_, _
from optout_bot.platforms import platform_name
from optout_bot.promises.clicks import click_safely
from optout_bot.settings.options import Timeouts
from optout_bot.ui import Ui, duration
from optout_bot.walk.targets import locate, never_clicked

LoginPrompt = Callable[[Page], None]

# Fields only the person fills: a password, or a one-time code (two-factor, checkpoints).
_PERSONS_FIELDS = "input[type=password], input[autocomplete=one-time-code]"

# Said when a flow does not say (not_offered_says) why the platform's notice ends the walk; {quote}: its words.
_NOT_OFFERED = N_("{platform} does not offer the objection here. Nothing was filled. {platform} says: “{quote}”")


class Interruptions:
    def __init__(
        self,
        page: Page,
        flow: Flow,
        vocabulary: Vocabulary,
        ui: Ui,
        timeouts: Timeouts,
        on_login_needed: LoginPrompt | None = None,
    ) -> None:
        self.page = page
        self.flow = flow
        self.ui = ui
        self.timeouts = timeouts
        self.on_login_needed = on_login_needed
        # The form's Submit or the setting's switch, as the flow names them: no click of the walk may touch them.
        self.never_clicked = never_clicked(page, flow, vocabulary)
        self._refusal: RefusedError | None = None  # a cookie answer refused while Playwright ran our handler
        self._persons_field = page.locator(_PERSONS_FIELDS).filter(visible=True).first
        self._not_offered = {
            reason: page.get_by_text(vocabulary.pattern_any(keys)).filter(visible=True).first
            for reason, keys in flow.not_offered.items()
            if keys
        }
        self._decline: Locator | None = None
        self._accept: Locator | None = None
        self._consent: Locator | None = None
        if flow.consent is not None:
            self._decline = locate(page, flow.consent.decline, vocabulary)
            self._accept = locate(page, flow.consent.accept, vocabulary)
            self._consent = self._decline.or_(self._accept).first
            # Playwright runs this before any of our own clicks or fills when the dialog is in the way,
            # so a wall drawn by script a moment after the page loaded cannot swallow a click.
            page.add_locator_handler(self._consent, lambda _: self._answer_consent_in_handler(), no_wait_after=True)
        # One round trip answers "is anything in the way?" — the usual answer, on the path the person waits on.
        self._any_visible = self.visible().filter(visible=True).first
        self._accepted_all_said = False
        self._answering = False  # our own clicks on the wall also trigger the handler: it must not answer twice
        self.logins = 0  # how many times the person was asked to log in

    def visible(self) -> Locator:
        """Any interruption, for the walker to include in what it waits for."""
        watched = self._persons_field
        for notice in self._not_offered.values():
            watched = watched.or_(notice)
        if self._consent is not None:
            watched = watched.or_(self._consent)
        return watched

    def handle(self) -> bool:
        """Deal with whatever interruption is on screen; True if there was one (then look again)."""
        self.raise_refused()
        if self.handle_login_address():
            return True
        if not self._any_visible.is_visible():
            return False
        if self._persons_field.is_visible():
            self._wait_for_login()
            return True
        for reason, notice in self._not_offered.items():
            if notice.is_visible():
                says = self.flow.not_offered_says.get(reason, _NOT_OFFERED)
                raise NotOfferedError(_(says).format(quote=_text(notice), platform=platform_name(self.flow.platform)))
        if self._consent is not None and self._consent.is_visible():
            self._answer_consent()
            return True
        return False

    def raise_refused(self) -> None:
        """Raise the refusal of a cookie answer met while Playwright ran our handler (handle() does it first)."""
        if self._refusal is not None:
            raise self._refusal

    # --- cookie walls ---------------------------------------------------------------------------------------

    def _answer_consent_in_handler(self) -> None:
        # Playwright's event loop would only log an exception raised here: a refusal is raised by handle().
        try:
            self._answer_consent()
        except RefusedError as refusal:
            self._refusal = refusal

    def _answer_consent(self) -> None:
        if self._answering:
            return
        self._answering = True
        try:
            self._click_consent()
        finally:
            self._answering = False

    def _click_consent(self) -> None:
        assert self._decline is not None and self._accept is not None and self._consent is not None
        step_ms = Timeouts.ms(self.timeouts.step)
        if self._decline.is_visible():
            click_safely(self._decline, step_ms, self.flow.site, self.never_clicked, consent=True)
            self.ui.step(_("Cookie notice: declined optional cookies."))
        elif self._accept.is_visible():
            click_safely(self._accept, step_ms, self.flow.site, self.never_clicked, consent=True)
            if not self._accepted_all_said:
                self.ui.warn(
                    _("{company}'s cookie notice offered no way to decline, so optout-bot allowed all cookies.").format(
                        company=self.flow.site.company
                    )
                )
                self._accepted_all_said = True
        else:
            return  # gone already
        # A dialog that stays is found again by the next wait, and counts against that step's time.
        with contextlib.suppress(PlaywrightTimeout):
            self._consent.wait_for(state="hidden", timeout=step_ms)

    # --- logging in ---------------------------------------------------------------------------------------

    def _url_is_login(self, url: str) -> bool:
        if self.flow.login is None:  # a place that needs no login (WhatsApp's contact form)
            return False
        path = urlsplit(url).path
        return any(path.startswith(p) for p in self.flow.login.url_paths)

    def handle_login_address(self) -> bool:
        """Login pages are known by their address: no need to ask the browser. True if the person logged in."""
        if not self._url_is_login(self.page.url):
            return False
        self._wait_for_login()
        return True

    def _wait_for_login(self) -> None:
        """The site wants the person to log in or confirm it is them: tell them, then wait (bounded). Never type."""
        self.ui.say(
            _(
                "{company} asks you to log in (or to confirm it is you). Please do it in the browser window; "
                "optout-bot never sees or types your password or codes, and carries on by itself when you are through."
            ).format(company=self.flow.site.company)
        )
        self.logins += 1
        if self.on_login_needed is not None:
            self.on_login_needed(self.page)
        timeout = Timeouts.ms(self.timeouts.login)
        try:
            self.page.wait_for_url(lambda url: not self._url_is_login(url), timeout=timeout)
            self._persons_field.wait_for(state="hidden", timeout=timeout)
        except PlaywrightTimeout:
            raise NotSubmittedError(
                _(
                    "you were not logged in after {duration}; nothing was filled. "
                    "Run optout-bot again when you are ready (or raise --login-timeout)."
                ).format(duration=duration(self.timeouts.login))
            ) from None
        self.ui.step(_("Logged in, carrying on."))


def _text(locator: Locator) -> str:
    try:
        return " ".join(locator.inner_text().split())
    except PlaywrightError:
        return ""
