"""The walk: follow a flow's routes until a page is recognised as the objection form.

The walker only navigates. It clicks links and menu buttons named in the flow, refuses to click anything
that would submit a form (promise 1), refuses any page or link off Meta's domains (promise 3), and hands
the person the keyboard whenever Meta asks them to log in (promise 2: it never types credentials).

Every wait is event-driven and bounded: for each step it waits for whichever comes first of the step's
target, a login prompt, a "not available" message or the form itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from optout_bot.domains import is_meta_url
from optout_bot.errors import NotOfferedError, NotSubmittedError, RefusedError
from optout_bot.flows import Flow, Route, Target, Vocabulary
from optout_bot.flows.model import ClickStep, GotoStep
from optout_bot.options import Timeouts
from optout_bot.targets import describe, locate
from optout_bot.ui import Ui

# Is this element something that would send the form if clicked? Checked before *every* click, whatever
# the flow says: a flow has no submit step, and this makes sure no click step can become one by accident.
_SUBMITS_FORM_JS = """el => {
  const tag = el.tagName.toLowerCase();
  const type = (el.getAttribute('type') || '').toLowerCase();
  if (tag === 'input' && (type === 'submit' || type === 'image')) return true;
  const button = el.closest('button');
  if (button && button.form && ['', 'submit'].includes((button.getAttribute('type') || '').toLowerCase()))
    return true;
  return false;
}"""

# Where a click on this element would lead, if it is (inside) a link.
_LINK_HREF_JS = "el => { const a = el.closest('a[href]'); return a ? a.href : null; }"


@dataclass
class TrailEntry:
    route: str
    step: str
    url: str
    outcome: str


@dataclass
class FoundForm:
    url: str
    route: str
    email: Locator
    country: Locator | None
    reason: Locator | None
    submit: Locator
    trail: list[TrailEntry] = field(default_factory=list)


class RouteFailed(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step = step
        self.reason = reason


class FormNotFound(Exception):
    """No route reached the form; `trail` says what each step looked for and what happened."""

    def __init__(self, trail: list[TrailEntry]) -> None:
        super().__init__("no route reached the objection form")
        self.trail = trail


LoginPrompt = Callable[[Page], None]


class Walker:
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
        self.vocabulary = vocabulary
        self.ui = ui
        self.timeouts = timeouts
        self.on_login_needed = on_login_needed
        self.trail: list[TrailEntry] = []
        self._off_site_url: str | None = None
        page.on("framenavigated", self._watch_navigation)

        self._login_field = page.locator("input[type=password]").filter(visible=True).first
        self._form_heading = page.get_by_role("heading", name=vocabulary.pattern(flow.form.heading)).first
        self._not_offered: Locator | None = (
            page.get_by_text(vocabulary.pattern_any(flow.not_offered)).filter(visible=True).first
            if flow.not_offered
            else None
        )

    # --- guards -------------------------------------------------------------------------------------------

    def _watch_navigation(self, frame: Frame) -> None:
        # Runs while Playwright waits: remembers a main-frame navigation off Meta's domains.
        if frame.parent_frame is None and frame.url.startswith("http") and not is_meta_url(frame.url):
            self._off_site_url = frame.url

    def ensure_on_meta(self) -> None:
        """Refuse to go on (exit 6) once the tab has been anywhere but Meta's own domains."""
        url = self._off_site_url or self.page.url
        if url.startswith("http") and not is_meta_url(url):
            host = urlsplit(url).hostname or url
            raise RefusedError(
                f"the page went to {host}, which is not one of Meta's sites; optout-bot stopped there and "
                "filled nothing. If you did not expect this, you may be looking at a phishing copy."
            )

    def _is_login_page(self) -> bool:
        path = urlsplit(self.page.url).path
        return any(path.startswith(p) for p in self.flow.login.url_paths) or self._login_field.is_visible()

    # --- waiting ------------------------------------------------------------------------------------------

    def _await(self, target: Locator | None, timeout_ms: float) -> str:
        """Wait for the first of: target, login prompt, "not available" notice, the form. Returns which."""
        while True:
            self.ensure_on_meta()
            if self._is_login_page():
                self._wait_for_login()
                continue
            watched = self._form_heading.or_(self._login_field)
            if self._not_offered is not None:
                watched = watched.or_(self._not_offered)
            if target is not None:
                watched = target.or_(watched)
            try:
                watched.first.wait_for(state="visible", timeout=timeout_ms)
            except PlaywrightTimeout:
                self.ensure_on_meta()
                return "timeout"
            self.ensure_on_meta()
            if self._is_login_page():
                self._wait_for_login()
                continue
            if self._not_offered is not None and self._not_offered.is_visible():
                raise NotOfferedError(
                    "Meta says the objection form is not available for this account (it is offered only in "
                    f"some regions, and only to personal profiles): “{self._not_offered.inner_text().strip()}”"
                )
            if target is not None and target.is_visible():
                return "target"
            return "form"

    def _wait_for_login(self) -> None:
        """Meta wants the person to log in: tell them, then wait (bounded) until they have. Never type."""
        self.ui.say(
            "Meta asks you to log in. Please log in in the browser window; optout-bot never sees or types "
            "your password and will carry on by itself when you are in."
        )
        if self.on_login_needed is not None:
            self.on_login_needed(self.page)
        timeout = Timeouts.ms(self.timeouts.login)
        try:
            self.page.wait_for_url(lambda url: not self._url_is_login(url), timeout=timeout)
            self._login_field.wait_for(state="hidden", timeout=timeout)
        except PlaywrightTimeout:
            raise NotSubmittedError(
                f"you were not logged in after {self.timeouts.login:.0f} seconds; nothing was filled. "
                "Run optout-bot again when you are ready (or raise --login-timeout)."
            ) from None
        self.ui.step("Logged in, carrying on.")

    def _url_is_login(self, url: str) -> bool:
        path = urlsplit(url).path
        return any(path.startswith(p) for p in self.flow.login.url_paths)

    # --- the walk -----------------------------------------------------------------------------------------

    def find_form(self) -> FoundForm:
        for number, route in enumerate(self.flow.routes, start=1):
            self.ui.step(f"Route {number}/{len(self.flow.routes)}: {route.name}")
            try:
                self._follow(route)
                return self._recognise_form(route)
            except RouteFailed as failure:
                self._record(route, failure.step, f"failed: {failure.reason}")
                self.ui.step(f"  not this way ({failure.reason})")
        raise FormNotFound(self.trail)

    def _record(self, route: Route, step: str, outcome: str) -> None:
        entry = TrailEntry(route.name, step, self.page.url, outcome)
        logger.debug("{route}: {step} at {url}: {outcome}", **vars(entry))  # shown with --debug
        self.trail.append(entry)

    def _follow(self, route: Route) -> None:
        for step in route.steps:
            if isinstance(step, GotoStep):
                self._goto(route, step)
            elif isinstance(step, ClickStep) and self._click(route, step) == "form":
                return  # the form is already on screen: the rest of the route is not needed

    def _goto(self, route: Route, step: GotoStep) -> None:
        label = f"goto {step.goto}"
        try:
            self.page.goto(step.goto, wait_until="domcontentloaded", timeout=Timeouts.ms(self.timeouts.step))
        except PlaywrightTimeout:
            raise RouteFailed(label, f"the page did not load within {self.timeouts.step:.0f} s") from None
        except PlaywrightError as exc:
            raise RouteFailed(label, f"the page could not be opened ({_first_line(exc)})") from None
        self.ensure_on_meta()
        self._record(route, label, "ok")

    def _click(self, route: Route, step: ClickStep) -> str:
        label = f"click {describe(step.click)}"
        target = locate(self.page, step.click, self.vocabulary)
        found = self._await(target, Timeouts.ms(self.timeouts.step))
        if found == "timeout":
            if step.optional:
                self._record(route, label, "skipped (not on this page)")
                return "skipped"
            raise RouteFailed(label, f"not found on {_short(self.page.url)} within {self.timeouts.step:g} s")
        if found == "form":
            self._record(route, label, "skipped: the form is already here")
            return "form"
        self._refuse_unsafe_click(target)
        try:
            target.click(timeout=Timeouts.ms(self.timeouts.step))
        except PlaywrightError as exc:
            raise RouteFailed(label, f"could not click it ({_first_line(exc)})") from None
        self._record(route, label, "ok")
        return "clicked"

    def _refuse_unsafe_click(self, target: Locator) -> None:
        if target.evaluate(_SUBMITS_FORM_JS):
            raise RefusedError(
                "a flow step pointed at a control that would submit a form; optout-bot never submits, so it "
                "stopped. Please report this flow problem."
            )
        href = target.evaluate(_LINK_HREF_JS)
        if isinstance(href, str) and href.startswith("http") and not is_meta_url(href):
            host = urlsplit(href).hostname or href
            raise RefusedError(
                f"the link to follow leads to {host}, which is not one of Meta's sites; optout-bot did not follow it"
            )

    def _recognise_form(self, route: Route) -> FoundForm:
        """The form is recognised by its heading and its email field, not by its address."""
        label = "recognise the objection form"
        if self._await(None, Timeouts.ms(self.timeouts.step)) != "form":
            raise RouteFailed(label, f"no objection form heading on {_short(self.page.url)}")
        form = self.flow.form
        email = locate(self.page, form.email, self.vocabulary)
        try:
            email.wait_for(state="visible", timeout=Timeouts.ms(self.timeouts.step))
        except PlaywrightTimeout:
            raise RouteFailed(label, "the page has the form's heading but no email field") from None
        self.ensure_on_meta()
        self._record(route, label, "ok")
        return FoundForm(
            url=self.page.url,
            route=route.name,
            email=email,
            country=self._present(form.country),
            reason=self._present(form.reason),
            submit=locate(self.page, form.submit, self.vocabulary),
            trail=self.trail,
        )

    def _present(self, target: Target | None) -> Locator | None:
        """A field the form may or may not have (country appears on some versions only)."""
        if target is None:
            return None
        locator = locate(self.page, target, self.vocabulary)
        return locator if locator.count() > 0 else None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _short(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path}" if parts.hostname else url
