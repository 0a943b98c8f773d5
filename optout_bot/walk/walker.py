"""The walk: follow a flow's routes until a page is recognised as the flow's place (a form, a setting).

The walker only navigates. It clicks links and menu buttons named in the flow, refuses to click anything
that would submit a form (promise 1), refuses any page or link off the platform's own domains (promise 3:
Meta's for Facebook, Instagram and WhatsApp), and hands the person the keyboard whenever the site asks them
to log in (promise 2: it never types credentials).

Every wait is event-driven and bounded: for each step it waits for whichever comes first of the step's
target, a login prompt, a "not available" message or the place itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urldefrag, urlsplit

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from optout_bot.domains import host_of, is_site_url, resolve_link
from optout_bot.errors import FormTamperedError, RefusedError
from optout_bot.flows import Flow, Route, Target, Vocabulary
from optout_bot.flows.model import ClickStep, FormFlow, FormSpec, GotoStep, Question, SettingFlow, SettingSpec, Step
from optout_bot.i18n import N_, _
from optout_bot.promises.clicks import click_safely, refuse_unsafe_click
from optout_bot.promises.guard import PageGuard
from optout_bot.promises.scrub import scrub_text
from optout_bot.settings.options import Timeouts
from optout_bot.settings.values import PERSON_VALUES, PersonValue
from optout_bot.ui import Ui
from optout_bot.walk.explore import EXPLORED_ROUTE, Explorer, goal_words, place_by_meaning, place_shape
from optout_bot.walk.network import raise_if_no_connection
from optout_bot.walk.obstacles import Interruptions, LoginPrompt
from optout_bot.walk.settle import LOOK_MS, QUIET_MS, Settling
from optout_bot.walk.targets import describe, locate

# The route `run --from-link` puts first: the link from Meta's email.
FROM_LINK_ROUTE = "from-link"

# --- what the person is told at each step -----------------------------------------------------------------
#
# Each step of a flow says what the person reads while it runs (`says:`, flows/model.py), translated by the
# message catalogue; a step that says nothing is "the next page". Opening a menu (`menu: true`) is part of
# reaching what it leads to, so it is not a step of its own: Instagram's More › Settings is "Opening Settings…".

_NEXT_PAGE = N_("Opening the next page…")
_MENU = N_("Opening the menu…")


@dataclass(frozen=True)
class Stage:
    """A step of the walk as the person sees it: one or more of the route's steps, and what it is called."""

    steps: tuple[int, ...]  # indexes into route.steps
    label: str  # an N_() message, translated when shown


def stages(route: Route) -> list[Stage]:
    """The route's steps grouped as the person sees them: each menu opened joins the step it leads to."""
    found: list[Stage] = []
    pending: list[int] = []
    for index, step in enumerate(route.steps):
        pending.append(index)
        if isinstance(step, ClickStep) and step.menu:
            continue
        found.append(Stage(tuple(pending), _label(route, step)))
        pending = []
    if pending:  # a route that ends by opening a menu
        found.append(Stage(tuple(pending), _MENU))
    return found


def _label(route: Route, step: Step) -> str:
    if route.id == FROM_LINK_ROUTE:
        return N_("Opening the link from Meta's email…")
    return step.says or _NEXT_PAGE


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
    full_name: Locator | None = None
    phone: Locator | None = None
    left_to_person: list[Locator] = field(default_factory=list)  # evidence fields only the person fills
    action: str = ""  # where the form sends itself (its action, resolved; the page's own address if none)

    def value_fields(self) -> list[tuple[PersonValue, Locator]]:
        """The form's field for each of the person's values it has, in their table's order (values.PERSON_VALUES):
        what the tool fills, outlines and names."""
        return [(value, found) for value in PERSON_VALUES if (found := getattr(self, value.key)) is not None]


@dataclass
class FoundSetting:
    url: str
    route: str
    control: Locator  # the switch or checkbox: read, highlighted, never clicked
    trail: list[TrailEntry] = field(default_factory=list)


Found = TypeVar("Found", FoundForm, FoundSetting)


class RouteFailed(Exception):
    def __init__(self, step: str, reason: str, missing_at: int | None = None) -> None:
        super().__init__(reason)
        self.step = step
        self.reason = reason
        self.missing_at = missing_at  # the index of the route's step whose control the settled page lacks


class FormNotFound(Exception):
    """No route reached the form (or setting); `trail` says what each step looked for and what happened."""

    def __init__(self, trail: list[TrailEntry], wrong_form_url: str | None = None) -> None:
        super().__init__("no route reached the flow's form or setting")
        self.trail = trail
        self.wrong_form_url = wrong_form_url  # set when a route led to another form (third-party)


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
        self.site = flow.site
        self.trail: list[TrailEntry] = []
        self._steps_shown = 0  # the current route's steps as the person sees them, and the form's filling
        self._off_site_url: str | None = None
        self._wrong_form_url: str | None = None
        self._navigations = 0  # of the tab, each new address (a new document, or a script changing it)
        self._navigations_at_filling = 0
        self._filled: FoundForm | None = None  # the form being filled, until the hand-over
        # Off-site navigations and posts are blocked in the browser, before any request leaves it.
        self.guard = PageGuard(page, self.site)
        page.on("framenavigated", self._watch_navigation)
        self.interruptions = Interruptions(page, flow, vocabulary, ui, timeouts, on_login_needed)
        self.settling = Settling(page)  # tells a control that is not coming from one that is late
        # The place the routes lead to (the form, the setting's page) is known by its heading.
        self._place_shape = place_shape(page, flow)  # its fields: the page is judged by meaning when they appear
        self._judged_page: int | None = None  # the navigation (see _navigations) whose page was judged so
        self._clicked_page: int | None = None  # the navigation whose page the walk last clicked on
        headings = page.get_by_role("heading", name=vocabulary.pattern_any(flow.headings))
        self._form_heading = headings.filter(visible=True).first
        wrong_form = flow.wrong_form
        self._wrong_form = (
            page.get_by_text(vocabulary.pattern_any(wrong_form)).filter(visible=True).first if wrong_form else None
        )
        # Anything in the way, on screen; and the page's root while the place's heading is in sight, nothing in
        # the way and not the other form (see _as_expected).
        self._in_the_way = self.interruptions.visible().filter(visible=True).first
        in_sight = page.locator(":root").filter(has=self._form_heading).filter(has_not=self._in_the_way)
        self._place_in_sight = in_sight if self._wrong_form is None else in_sight.filter(has_not=self._wrong_form)

    # --- guards -------------------------------------------------------------------------------------------

    def _watch_navigation(self, frame: Frame) -> None:
        # Runs while Playwright waits: counts the tab's navigations, remembers one off the platform's domains.
        if frame.parent_frame is not None:
            return
        self._navigations += 1
        if frame.url.startswith("http") and not is_site_url(frame.url, self.site):
            self._off_site_url = frame.url

    def ensure_on_site(self) -> None:
        """Refuse to go on (exit 6) once the tab has been anywhere but the platform's own domains, or tried to."""
        url = self._off_site_url or self.guard.off_site_url or self.page.url
        if url.startswith("http") and not is_site_url(url, self.site):
            self._refuse_off_site(url)

    def _refuse_off_site(self, url: str) -> None:
        raise RefusedError(
            _(
                "the page went to {host}, which is not one of {company}'s sites; optout-bot stopped there and "
                "filled nothing. If you did not expect this, you may be looking at a phishing copy."
            ).format(host=host_of(url), company=self.site.company)
        )

    # --- filling: from the found form to the hand-over -------------------------------------------------------

    def start_filling(self, form: FoundForm) -> None:
        """From here to the hand-over, nothing may send the form, take the tab elsewhere or replace the page."""
        self.ensure_on_site()
        self._filled = form
        self._navigations_at_filling = self._navigations
        self.guard.arm(form.action)

    def typing(self, value: str) -> None:
        """Called before `value` goes into a field: from then on no request of the page may carry it."""
        self.guard.typed(value)

    def ensure_form_untouched(self) -> None:
        """After every field, and before the screenshot and the hand-over: the same page, the form still in it,
        nothing sent. Else stop (exit 9): typing on would put the person's details into another page."""
        form = self._filled
        assert form is not None, "start_filling() comes first"
        # Off the site now (a popup, a redirect: blocked) is the same: some fields are filled, so not exit 6's
        # "filled nothing".
        off_site = self._off_site_url or self.guard.off_site_url
        navigated = off_site is not None or self._navigations != self._navigations_at_filling
        if self.guard.sending or navigated or not form.email.count():
            logger.info(
                "the form changed while filled: blocked {}, navigated to {}, email field there: {}",
                self.guard.sending,
                host_of(off_site or self.page.url) if navigated else "nowhere",
                form.email.count(),
            )
            raise FormTamperedError(
                _(
                    "the page tried to send or replace the form by itself while optout-bot filled it in; "
                    "optout-bot blocked that and stopped, so nothing was sent. The form may have changed, or it "
                    "may not be {company}'s real one: please report it."
                ).format(company=self.site.company)
            )

    def hand_over(self) -> None:
        """The form goes to the person as it was filled: routing ends, so their own Submit goes through."""
        self.ensure_form_untouched()
        self.guard.release()

    # --- waiting ------------------------------------------------------------------------------------------

    def _await(self, target: Locator | None, timeout_ms: float, decide_when_settled: bool = True) -> str:
        """Wait for the first of: `target`, the form (or another form), an interruption. Returns which.

        Interruptions (cookie wall, login, "not available") are dealt with on the spot and the wait starts
        again, so the walk resumes where it stopped: "target", "form", "wrong_form" or "timeout". With
        `decide_when_settled` (not while the person logs in), the same wait also ends:
        - when the place's fields appear (the form's email field or question, the setting's switch): the page is
          then judged once by meaning, and is "form" if its heading says so in other words (explore.py);
        - when the page has settled (settle.py) without any of the above: it is judged by meaning again, and is
          "missing" if it is not the place — at once, rather than after the whole timeout.
        No first look of a fixed length: a page that has settled already is decided on at once.
        """
        watched = self._form_heading.or_(self.interruptions.visible())
        if self._wrong_form is not None:
            watched = watched.or_(self._wrong_form)
        if target is not None:
            watched = target.or_(watched)
        deadline = time.monotonic() + timeout_ms / 1000
        look_ms = LOOK_MS if decide_when_settled else timeout_ms
        look_again = False  # a look while the page settles: its address was read just before, its document may be
        while True:  # half-born (a redirect committing), and the login banner needs one
            self.ensure_on_site()
            # Anything else in the way ends the wait below; a login page needs no look at the page.
            if not look_again and self.interruptions.handle_login_address():
                deadline = time.monotonic() + timeout_ms / 1000  # the person may have taken minutes
                continue
            if not look_again and self._as_expected(target):
                # The usual page: what the step looks for is already on screen and nothing is in the way, which
                # is where the wait below would end too. One question, where the wait costs one more and, on a
                # page's first look, evaluates every alternative it watches (scripts/bench.py: ~0.25 s a walk).
                self.interruptions.raise_refused()
                return "target" if target is not None else "form"
            look_again = True
            remaining = (deadline - time.monotonic()) * 1000
            try:
                self._waited(watched, decide_when_settled).wait_for(
                    state="attached", timeout=max(min(remaining, look_ms), 1)
                )
            except PlaywrightTimeout:
                self.ensure_on_site()
                if remaining <= look_ms:
                    return "timeout"
                # The mark could not be set (see settle.py): the page is asked by hand, paid on this slow path only.
                if decide_when_settled and self.settling.quiet_for() >= QUIET_MS:
                    if watched.filter(visible=True).count():  # came meanwhile (a loaded machine answers late)
                        continue
                    found = self._decide_on_settled_page()
                    if found is not None:
                        return found
                    look_again = False  # the person logged in: look at the page they came back to
                continue
            self.ensure_on_site()
            self.interruptions.raise_refused()
            logged_in = self.interruptions.handle_login_address()
            if not logged_in and self._as_expected(target):
                return "target" if target is not None else "form"
            if logged_in or self.interruptions.handle():
                deadline = time.monotonic() + timeout_ms / 1000
                look_again = False
                continue
            if target is not None and target.is_visible():
                return "target"
            if self._wrong_form is not None and self._wrong_form.is_visible():
                return "wrong_form"
            if self._form_heading.is_visible():
                return "form"
            if not decide_when_settled:
                continue  # what appeared is gone again (a dialog closed, the page moved on): look again
            if self.settling.settled():
                found = self._decide_on_settled_page()
                if found is not None:
                    return found
                look_again = False  # the person logged in: look at the page they came back to
            elif self._judged_page != self._navigations:  # the place's fields appeared: is it the place?
                self._judged_page = self._navigations
                if self._place_by_meaning():
                    return "form"

    def _as_expected(self, target: Locator | None) -> bool:
        """Whether the wait ended the usual way: `target` visible (without one: the place's heading, and not the
        other form) and nothing in the way. One question to the browser (the page's root, when all of it holds)
        where asking each in turn takes one each, on every step; anything else is told apart after, as before."""
        if target is None:
            expected = self._place_in_sight
        else:
            expected = self.page.locator(":root").filter(has=target).filter(has_not=self._in_the_way)
        try:
            return expected.count() > 0
        except PlaywrightError:  # the document went away while asked: look again
            return False

    def _waited(self, watched: Locator, decide_when_settled: bool) -> Locator:
        """What ends a wait: anything watched, visible; and, deciding when settled, the mark of a settled page
        and (once per page) the place's fields. The first of them in the page: one wait, answered by the browser."""
        waited = watched.filter(visible=True)
        if decide_when_settled:
            waited = waited.or_(self.settling.marked)
            if self._judged_page != self._navigations:
                waited = waited.or_(self._place_shape)
        return waited.first

    def _decide_on_settled_page(self) -> str | None:
        """The page has settled and shows nothing watched: "form" if it is the place by meaning, else "missing";
        None when the person was asked to log in (the walk looks again)."""
        if self.interruptions.handle_login_address():
            return None
        self._judged_page = self._navigations
        return "form" if self._place_by_meaning() else "missing"

    def _place_by_meaning(self) -> bool:
        """The settled page is the place when its shape fits and a heading says so in other words (explore.py)."""
        try:
            heading = place_by_meaning(self.page, self.flow, self.vocabulary)
        except PlaywrightError:  # the page went away while looked at: not the place yet
            return False
        if heading is not None:
            logger.info("recognised the place by its heading “{}”", scrub_text(heading))
        return heading is not None

    # --- logging in ---------------------------------------------------------------------------------------

    def await_signed_in(self) -> bool:
        """Open the flow's login start page; True once the person is logged in there (they log in if asked).

        Meta shows its login form to someone logged out; the wait hands it to the person (never typing) and
        ends when what only a logged-in person sees is on screen, or after the login timeout.
        """
        login = self.flow.login
        assert login is not None, "optout-bot login is offered only for platforms whose flow has a login"
        route = Route(id="log-in", source="optout-bot login", steps=[login.start])
        self._goto(route, login.start)
        signed_in = locate(self.page, login.signed_in, self.vocabulary)
        return self._await(signed_in, Timeouts.ms(self.timeouts.login), decide_when_settled=False) == "target"

    # --- the walk -----------------------------------------------------------------------------------------

    def find_form(
        self, form: FormSpec | None = None, *, answer: bool = True, routes: list[Route] | None = None
    ) -> FoundForm:
        """Follow the routes to the form (walk/places/form.py passes it; by default the flow's), recognised, with
        its fields located. `answer=False` (`probe`): its choice and first question are left alone, and the form
        counts as found once they or its email field show. `routes`: only these of the flow's (`probe`, one by one)."""
        if form is None:
            assert isinstance(self.flow, FormFlow), "find_form walks to a form flow's form"
            form = self.flow.form
        spec = form
        return self._find(lambda route: self._recognise_form(route, spec, answer), routes)

    def find_setting(self, setting: SettingSpec | None = None, *, routes: list[Route] | None = None) -> FoundSetting:
        """Follow the routes to the setting (walk/places/setting.py passes it; by default the flow's), recognised,
        with its control located. `routes`: only these of the flow's."""
        if setting is None:
            assert isinstance(self.flow, SettingFlow), "find_setting walks to a setting flow's setting"
            setting = self.flow.setting
        spec = setting
        return self._find(lambda route: self._recognise_setting(route, spec), routes)

    def _find(self, recognise: Callable[[Route], Found], routes: list[Route] | None = None) -> Found:
        routes = self.flow.routes if routes is None else routes
        total = len(routes)
        first_missing: tuple[Route, int, str] | None = None  # where the first route lost its way, to explore from
        lost: list[tuple[Route, tuple[Step, ...]]] = []  # each failed route and its steps up to the missing control
        pending = list(enumerate(routes, start=1))
        going_on: dict[str, int] = {}  # route id -> its first step to take: the steps before lead where the tab is
        while pending:
            number, route = pending.pop(0)
            same_way = next((failed for failed, steps in lost if tuple(route.steps[: len(steps)]) == steps), None)
            if same_way is not None:  # the same pages, the same missing control: it would fail the same way
                self._record(route, "follow the route", f"skipped: it begins as {same_way.id}, which failed")
                continue
            if number > 1:
                self.ui.say(
                    # In words, not "(2/5)": the steps are counted "[1/5]" and the two must not be confused.
                    _("That way led nowhere; trying another way (way {number} of {total})…").format(
                        number=number, total=total
                    )
                )
            try:
                self._follow(route, going_on.get(route.id, 0))
                return recognise(route)
            except RouteFailed as failure:
                self._record(route, failure.step, f"failed: {failure.reason}")
                logger.info("route {} failed at {}: {}", route.id, failure.step, failure.reason)
                going_on.clear()  # the tab has left the page they would have gone on from: from their beginning
                if failure.missing_at is not None:
                    lost.append((route, tuple(route.steps[: failure.missing_at + 1])))
                    if first_missing is None:
                        first_missing = (route, failure.missing_at, self.page.url)
                    pending = self._from_here_first(route, failure.missing_at, pending, going_on)
        # The routes, tried first, are the strong hints; the page's own links are the safety net.
        if first_missing is not None:
            found = self._explore(*first_missing, recognise)
            if found is not None:
                return found
        raise FormNotFound(self.trail, self._wrong_form_url)

    def _from_here_first(
        self, failed: Route, missing_at: int, pending: list[tuple[int, Route]], going_on: dict[str, int]
    ) -> list[tuple[int, Route]]:
        """`pending` with first the routes that go on from the settled page where `failed` lost its way and whose
        next control is on it, the nearest to the place first: no page down a longer way, and no wait for it to
        settle, when a shorter way is already in sight. The others keep their order.

        A route goes on from here when it came the same way as `failed` up to the missing control (its steps so
        far are taken: it goes on from its own next one), or begins by opening this page (`_goto` sees the tab
        is there already)."""
        here: list[tuple[int, int, Route]] = []  # (steps left, its place in the file, route)
        for number, route in pending:
            start = self._step_from_here(failed, missing_at, route)
            if start is None:
                continue
            step = route.steps[start]
            if isinstance(step, GotoStep):  # opens this very page: its next step is the one to look for
                step = route.steps[start + 1]
            assert isinstance(step, ClickStep)
            try:
                visible = locate(self.page, step.click, self.vocabulary).is_visible()
            except PlaywrightError:  # the page went away meanwhile: nothing to decide from here
                return pending
            if visible:
                here.append((len(route.steps) - start, number, route))
                going_on[route.id] = start
        if not here:
            return pending
        here.sort(key=lambda entry: entry[:2])
        first = [(number, route) for _left, number, route in here]
        chosen = [route.id for _number, route in first]
        logger.info("going on from {} by {}: their next control is on it", self.page.url, ", ".join(chosen))
        return first + [(number, route) for number, route in pending if route.id not in chosen]

    def _step_from_here(self, failed: Route, missing_at: int, route: Route) -> int | None:
        """The step `route` would take next on the page where `failed` missed its step `missing_at`, or None when
        it does not pass by this page (or would miss the same control: it is skipped as it is)."""
        first = route.steps[0]
        opens_this_page = isinstance(first, GotoStep) and self._on_untouched(first.goto)
        if opens_this_page and len(route.steps) > 1 and isinstance(route.steps[1], ClickStep):
            return 0
        came_the_same_way = tuple(route.steps[:missing_at]) == tuple(failed.steps[:missing_at])
        if came_the_same_way and len(route.steps) > missing_at and isinstance(route.steps[missing_at], ClickStep):
            return missing_at if route.steps[missing_at] != failed.steps[missing_at] else None
        return None

    def _explore(self, route: Route, step: int, url: str, recognise: Callable[[Route], Found]) -> Found | None:
        """No route reached the place: from the page where the first one missed its control, follow what the pages
        offer toward the place (explore.py)."""
        explored = Route.model_construct(id=EXPLORED_ROUTE, source="the page's own links", steps=[])
        try:
            self._goto(explored, GotoStep.model_construct(goto=url))
        except RouteFailed as failure:
            self._record(explored, failure.step, f"failed: {failure.reason}")
            return None
        explorer = Explorer(
            self.page,
            self.flow,
            self.vocabulary,
            self.interruptions.never_clicked,
            lambda timeout_ms: self._await(None, min(timeout_ms, Timeouts.ms(self.timeouts.step))),
            lambda done, outcome: self._record(explored, done, outcome),
            announce=lambda: self.ui.step(_("The page is not as expected; looking for the way on this page…")),
        )
        try:
            if explorer.run(goal_words(self.flow, route, step)):
                return recognise(explored)
        except RouteFailed as failure:
            self._record(explored, failure.step, f"failed: {failure.reason}")
        return None

    def show_filling(self) -> None:
        """The walk's last step, once the form is found: "[5/5] Filling in the form…"."""
        self.ui.progress(self._steps_shown, self._steps_shown, _("Filling in the form…"))

    def show_reading(self) -> None:
        """The walk's last step, once the setting is found: "[4/4] Reading the setting…"."""
        self.ui.progress(self._steps_shown, self._steps_shown, _("Reading the setting…"))

    def _record(self, route: Route, step: str, outcome: str) -> None:
        entry = TrailEntry(route.id, scrub_text(step), self.page.url, outcome)  # labels hold addresses: no query
        logger.debug("{route}: {step} at {url}: {outcome}", **vars(entry))  # shown with --debug
        self.trail.append(entry)

    def _follow(self, route: Route, start: int = 0) -> None:
        """Take the route's steps from `start` (the steps before it lead where the tab is: see _from_here_first)."""
        walk = stages(route)
        self._steps_shown = len(walk) + 1  # and filling in the form
        starts = {stage.steps[0]: (number, stage) for number, stage in enumerate(walk, start=1)}
        if start:
            number, stage = next((n, s) for n, s in enumerate(walk, start=1) if start in s.steps)
            starts[start] = (number, stage)
            self._record(route, "follow the route", f"from its step {start + 1}: the steps before lead here")
        for index, step in enumerate(route.steps):
            if index < start:
                continue
            if index in starts:
                number, stage = starts[index]
                self.ui.progress(number, self._steps_shown, _(stage.label))
            if isinstance(step, GotoStep):
                self._goto(route, step)
            elif isinstance(step, ClickStep) and self._click(route, step, index) == "form":
                return  # the form is already on screen: the rest of the route is not needed

    def _goto(self, route: Route, step: GotoStep) -> None:
        label = f"goto {step.goto}"
        if not is_site_url(step.goto, self.site):  # `--from-link`, or a flow: read as the browser reads it
            self._refuse_off_site(step.goto)
        if self._on_untouched(step.goto):
            self._record(route, label, "ok (already there, and nothing clicked on it)")
            return
        try:
            self.page.goto(step.goto, wait_until="domcontentloaded", timeout=Timeouts.ms(self.timeouts.step))
        except PlaywrightTimeout:
            self.ensure_on_site()  # a redirect off the site, blocked, ends the navigation too
            raise RouteFailed(label, f"the page did not load within {self.timeouts.step:.0f} s") from None
        except PlaywrightError as exc:
            self.ensure_on_site()
            raise_if_no_connection(exc, step.goto)  # offline: every route would fail the same way (exit 10)
            raise RouteFailed(label, f"the page could not be opened ({_first_line(exc)})") from None
        self.ensure_on_site()
        self._record(route, label, "ok")

    def _on_untouched(self, url: str) -> bool:
        """Whether the tab shows `url` as it loaded, the walk having clicked nothing on it (another route lost its
        way there): opening it again would show the same page, a page load later."""
        walked = self._navigations > 0  # the walk loaded it: not a page the tab showed before the walk began
        return walked and urldefrag(self.page.url).url == urldefrag(url).url and self._clicked_page != self._navigations

    def _click(self, route: Route, step: ClickStep, index: int = 0) -> str:
        label = f"click {describe(step.click)}"
        target = locate(self.page, step.click, self.vocabulary)
        found = self._await(target, Timeouts.ms(self.timeouts.step))
        if found in ("timeout", "missing"):
            if step.optional:
                self._record(route, label, "skipped (not on this page)")
                return "skipped"
            if found == "missing":
                raise RouteFailed(label, f"not on {_short(self.page.url)} once the page had settled", index)
            raise RouteFailed(label, f"not found on {_short(self.page.url)} within {self.timeouts.step:g} s", index)
        if found in ("form", "wrong_form"):
            self._record(route, label, "skipped: a form is already here")
            return "form"
        self._clicked_page = self._navigations
        try:
            click_safely(target, Timeouts.ms(self.timeouts.step), self.site, self.interruptions.never_clicked)
        except PlaywrightError as exc:
            raise RouteFailed(label, f"could not click it ({_first_line(exc)})") from None
        self._record(route, label, "ok")
        return "clicked"

    def _recognise_form(self, route: Route, form: FormSpec, answer: bool = True) -> FoundForm:
        """The form is recognised by its heading and its email field, never by its address.

        Another form (the third-party one, for the own-information flow) is refused here, and remembered: if
        no route finds the right form, the person is told they were only offered the wrong one (exit 6), not
        that pages changed.
        """
        label = "recognise the objection form"
        step_ms = Timeouts.ms(self.timeouts.step)
        found = self._await(None, step_ms)  # looks for the other form before the heading both forms share
        if found == "wrong_form":
            self._wrong_form_url = self.page.url
            self.ui.step(
                _(
                    "This is Meta's form for information others shared about you, not the one for your own: "
                    "optout-bot leaves it alone and looks further."
                )
            )
            raise RouteFailed(label, "this is Meta's form for information others shared about you, not the right one")
        if found != "form":
            raise RouteFailed(label, f"no heading of the form on {_short(self.page.url)}")
        email = locate(self.page, form.email, self.vocabulary)
        if not answer:
            self._await_first_field(email, form, label)
        else:
            if form.choice is not None:
                self._choose(form, label)
            self._answer_questions(email, label, form.questions)
        self.ensure_on_site()
        submit = locate(self.page, form.submit, self.vocabulary)
        action = self._form_action(email, submit)
        self._record(route, label, "ok")
        return FoundForm(
            url=self.page.url,
            route=route.id,
            email=email,
            country=self._present(form.country),
            reason=self._present(form.reason),
            submit=submit,
            trail=self.trail,
            full_name=self._present(form.full_name),
            phone=self._present(form.phone),
            left_to_person=[present for target in form.left_to_person if (present := self._present(target))],
            action=action,
        )

    def _form_action(self, email: Locator, submit: Locator) -> str:
        """Where the form would send what is typed in it: refused (exit 6) if that is off the platform's site.

        A phishing copy can sit on the platform's own page (an injected form, a frame) and post elsewhere; the
        submit button's `formaction` wins over the form's `action`, as in the browser."""
        # Each asked of all the locator's elements (none or one): one question each, where "is it there?" and
        # "what does it say?" took two.
        forms = email.locator("xpath=ancestor::form[1]").evaluate_all(_ACTIONS, "action")
        action = (forms[0] or "") if forms else ""
        submits = submit.evaluate_all(_ACTIONS, "formaction")
        if len(submits) == 1:
            action = submits[0] or action
        resolved = resolve_link(self.page.url, action.strip()) if action.strip() else self.page.url
        if not is_site_url(resolved, self.site):
            raise RefusedError(
                _(
                    "the form on this page sends what is typed in it to {host}, which is not one of {company}'s "
                    "sites; optout-bot filled nothing. You may be looking at a phishing copy."
                ).format(host=host_of(resolved), company=self.site.company)
            )
        return resolved

    def _choose(self, form: FormSpec, label: str) -> None:
        """The option the form asks for first (the third-party form: "Object to or restrict…"); its fields follow."""
        assert form.choice is not None
        choice = locate(self.page, form.choice, self.vocabulary)
        step_ms = Timeouts.ms(self.timeouts.step)
        try:
            choice.wait_for(state="visible", timeout=step_ms)
        except PlaywrightTimeout:
            raise RouteFailed(label, "the form's option to choose is not on the page") from None
        # Refused before asking whether it is chosen: is_checked() fails on a Submit drawn as a div role=button.
        refuse_unsafe_click(choice, self.site, self.interruptions.never_clicked)
        if not choice.is_checked():
            click_safely(choice, step_ms, self.site, self.interruptions.never_clicked)
        shown = " ".join(choice.evaluate("el => (el.labels && el.labels[0] || el).innerText").split())
        self.ui.step(_("Chose the form's option: {option}.").format(option=shown))

    def _recognise_setting(self, route: Route, setting: SettingSpec) -> FoundSetting:
        """The setting's page is recognised by its heading; the switch by its role and name, never by address."""
        label = "recognise the setting"
        step_ms = Timeouts.ms(self.timeouts.step)
        if self._await(None, step_ms) != "form":
            raise RouteFailed(label, f"no heading of the setting on {_short(self.page.url)}")
        control = locate(self.page, setting.control, self.vocabulary)
        try:
            control.wait_for(state="visible", timeout=step_ms)
        except PlaywrightTimeout:
            raise RouteFailed(label, "the page has the setting's heading but not its switch") from None
        self.ensure_on_site()
        self._record(route, label, "ok")
        return FoundSetting(url=self.page.url, route=route.id, control=control, trail=self.trail)

    def _await_first_field(self, email: Locator, form: FormSpec, label: str) -> None:
        """The form's email field, its choice or its first question, visible: touched by nothing (`probe`)."""
        shown = email
        if form.choice is not None:
            shown = shown.or_(locate(self.page, form.choice, self.vocabulary))
        for asked in form.questions:
            shown = shown.or_(self.page.get_by_text(self.vocabulary.pattern(asked.question)))
        try:
            shown.filter(visible=True).first.wait_for(state="visible", timeout=Timeouts.ms(self.timeouts.step))
        except PlaywrightTimeout:
            raise RouteFailed(label, "the page has the form's heading but none of its fields") from None

    def _answer_questions(self, email: Locator, label: str, asked: list[Question]) -> None:
        """Some versions ask first ("Is your request about AI at Meta?"): answer, then wait for the email field."""
        questions = [
            (self.page.get_by_text(self.vocabulary.pattern(q.question)).filter(visible=True).first, q.answer)
            for q in asked
        ]
        watched = email
        for question, _answer in questions:
            watched = watched.or_(question)
        answered: set[int] = set()
        step_ms = Timeouts.ms(self.timeouts.step)
        while True:
            try:
                watched.first.wait_for(state="visible", timeout=step_ms)
            except PlaywrightTimeout:
                raise RouteFailed(label, "the page has the form's heading but no email field") from None
            if email.is_visible():
                return
            for number, (question, answer) in enumerate(questions):
                if number not in answered and question.is_visible():
                    choice = locate(self.page, answer, self.vocabulary)
                    click_safely(choice, step_ms, self.site, self.interruptions.never_clicked)
                    answered.add(number)
                    self.ui.step(
                        _("{company} asks: “{question}” — optout-bot answered: {answer}.").format(
                            company=self.site.company,
                            question=question.inner_text().strip(),
                            answer=choice.inner_text().strip() or _("yes"),
                        )
                    )
            if len(answered) == len(questions):
                try:
                    email.wait_for(state="visible", timeout=step_ms)
                except PlaywrightTimeout:
                    raise RouteFailed(
                        label, "the email field did not appear after answering the form's question"
                    ) from None
                return

    def _present(self, target: Target | None) -> Locator | None:
        """A field the form may or may not have (country appears on some versions only)."""
        if target is None:
            return None
        locator = locate(self.page, target, self.vocabulary)
        return locator if locator.count() > 0 else None


# The given attribute of each element (null where it has none).
_ACTIONS = "(elements, name) => elements.map((element) => element.getAttribute(name))"


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _short(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path}" if parts.hostname else url
