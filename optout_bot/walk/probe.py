"""`optout-bot probe`: walk every route of every flow to its place, touching nothing, and say which still get there.

A probe is read-only: it follows each route on its own (the walker's `routes=`), and stops as soon as the place
is recognised — a form by its heading and its first field, choice or question (`answer=False`: nothing chosen,
nothing answered, nothing filled), a setting by its switch, which is only looked at. No banner, no hand-over.
The walker's promises hold as in `run`: nothing that could submit is clicked, nothing off the platform's
domains is reached. Where the site asks to log in, the route is "blocked by login": the probe never waits.

Each route ends with one verdict: reached, changed at step N (the route lost its way there; the walk may still
have found the place by the page's own links), not offered, blocked by login, or refused. A flow reached its
place when one of its routes did (the exit code is 11 when a flow reached it by none); a flow where any route
failed leaves one archive (walk/diagnostics.py), captured where the first failing route lost its way.

`--json` and the report folder's `probe.json` have this shape (keys may be added; none renamed without
"schema" going up):

    {
      "schema": 1,
      "exit_code": 11,
      "mock": "scrambled",            # null on the real sites
      "mock_posts": [],               # with --mock: every POST the imitation received (always none)
      "flows": [
        {"platform": "instagram", "flow": "own", "lang": "en", "file": "instagram.yaml",
         "flow_sha256": "…", "reached": true, "ok": false, "archive": "/…/20270101-120000-instagram-own-en.zip",
         "routes": [{"id": "settings-privacy-center", "verdict": "changed", "step": 2, "explored": true,
                     "seconds": 3.1, "detail": "click link \\"settings\\": not on www.instagram.com/ …"}]}
      ]
    }
"""

from __future__ import annotations

import enum
import io
import json
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Playwright

from optout_bot.errors import ExitStatus, NotOfferedError, OptoutError, RefusedError
from optout_bot.flows import Flow, Route, Vocabulary, load_flow, load_vocabulary
from optout_bot.i18n import N_, _
from optout_bot.paths import profiles_dir
from optout_bot.platforms import platform_name
from optout_bot.settings.options import BrowserOptions
from optout_bot.ui import Ui
from optout_bot.walk.browser import has_display
from optout_bot.walk.diagnostics import PageCapture, capture_page, flow_version, write_archive
from optout_bot.walk.door import WalkContext, open_walk
from optout_bot.walk.explore import EXPLORED_ROUTE
from optout_bot.walk.places import place_for
from optout_bot.walk.walker import FormNotFound, TrailEntry

JSON_SCHEMA = 1
# The exit code of a probe where a flow reached its place by none of its routes (README, "Exit codes").
PROBE_FAILED = ExitStatus.PROBE_FAILED
# A logged-out probe's own browser profile, emptied before every flow: no session, no cookie choice kept.
LOGGED_OUT_PROFILE = "probe-logged-out"


class Verdict(enum.Enum):
    REACHED = "reached"
    CHANGED = "changed"
    NOT_OFFERED = "not_offered"
    LOGIN = "blocked_by_login"
    REFUSED = "refused"


# How each verdict is said (translated when shown); {step}: where a changed route lost its way.
_SAID = {
    Verdict.REACHED: N_("reached"),
    Verdict.CHANGED: N_("changed at step {step}"),
    Verdict.NOT_OFFERED: N_("not offered"),
    Verdict.LOGIN: N_("blocked by login"),
    Verdict.REFUSED: N_("refused"),
}
_FOUND_BY_EXPLORING = N_("the walk still found the place by the page's own links")


@dataclass(frozen=True)
class RouteResult:
    route: str
    verdict: Verdict
    seconds: float
    step: int | None = None  # changed: the 1-based step of the route that failed (its step count + 1: recognising)
    detail: str = ""  # why, in the trail's words (scrubbed)
    explored: bool = False  # changed, yet the walk found the place by the page's own links


@dataclass
class FlowResult:
    platform: str
    flow: str
    lang: str
    file: Path
    version: dict[str, Any]
    routes: list[RouteResult] = field(default_factory=list)
    archive: Path | None = None

    @property
    def reached(self) -> bool:
        return any(route.verdict is Verdict.REACHED for route in self.routes)

    def ok(self, logged_out: bool) -> bool:
        """The flow reached its place by one of its routes. Logged out, a flow whose every route is behind a
        login could not be looked at: that is not held against it."""
        return self.reached or (logged_out and all(route.verdict is Verdict.LOGIN for route in self.routes))

    def all_fine(self, logged_out: bool) -> bool:
        """Every route reached its place (logged out: or met a login): nothing for a report."""
        return self.first_failure(logged_out) is None

    def first_failure(self, logged_out: bool) -> RouteResult | None:
        return next((route for route in self.routes if not _fine(route, logged_out)), None)


@dataclass(frozen=True)
class MockSite:
    """`--mock`: the bundled imitation of the sites, as it is ("plain"), scrambled ("scrambled": Meta's pages
    changed the ways real sites change), or redesigned beyond recognition ("changed")."""

    variant: str = "plain"
    seed: int = 0


@dataclass(frozen=True)
class ProbeRequest:
    flow_files: Sequence[Path]
    langs: Sequence[str]
    browser: BrowserOptions
    logged_out: bool = False
    mock: MockSite | None = None
    archive_dir: Path | None = None  # default: the data folder's diagnostics


@dataclass
class Probe:
    request: ProbeRequest
    results: list[FlowResult] = field(default_factory=list)
    mock_posts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(result.ok(self.request.logged_out) for result in self.results) and not self.mock_posts


class _LoginNeeded(OptoutError):
    """The site asked to log in: a probe never waits for it."""


# --- probing ---------------------------------------------------------------------------------------------------


def probe(
    pw: Playwright, request: ProbeRequest, ui: Ui, on_result: Callable[[FlowResult], None] | None = None
) -> Probe:
    """Every flow file in every page language, each route on its own; `on_result` hears each flow as it ends."""
    done = Probe(request)
    vocabulary = load_vocabulary()
    flows = [(path, load_flow(path, vocabulary)) for path in request.flow_files]
    for lang in request.langs:
        with _site(request, lang) as (options, mock):
            for path, flow in flows:
                if mock is not None:
                    mock.reset(mock.scenario)  # each flow meets the site afresh
                result = _probe_flow(pw, request, options, flow, path, lang, vocabulary, ui)
                if mock is not None:
                    done.mock_posts += [f"{post.host}{post.path}" for post in mock.posts()]
                done.results.append(result)
                if on_result is not None:
                    on_result(result)
    return done


@contextmanager
def _site(request: ProbeRequest, lang: str) -> Iterator[tuple[BrowserOptions, Any]]:
    """The browser options for one page language, and the imitation serving it with --mock (else None)."""
    options = request.browser
    if not options.headless and not options.cdp_url and not has_display():
        options = replace(options, headless=True)
    if request.logged_out or request.mock is not None:
        options = replace(options, profile=LOGGED_OUT_PROFILE, cdp_url=None)
    if request.mock is None:
        # Sites choose their language from the browser's: its interface language and Accept-Language.
        yield replace(options, browser_args=(*options.browser_args, f"--lang={lang}", f"--accept-lang={lang}")), None
        return
    from optout_bot.mock_site import MockMeta, Scenario

    if request.mock.variant == "scrambled":
        scenario = Scenario.scrambled(lang, seed=request.mock.seed)
    else:
        scenario = Scenario(lang=lang, layout="changed" if request.mock.variant == "changed" else "2025")
    with MockMeta(scenario) as mock:
        yield replace(options, browser_args=(*options.browser_args, *mock.chromium_args())), mock


def _probe_flow(
    pw: Playwright,
    request: ProbeRequest,
    options: BrowserOptions,
    flow: Flow,
    path: Path,
    lang: str,
    vocabulary: Vocabulary,
    ui: Ui,
) -> FlowResult:
    result = FlowResult(flow.platform, flow.flow, lang, path, flow_version(flow, path))
    capture: PageCapture | None = None
    trail: list[TrailEntry] = []
    with ExitStack() as stack:
        if options.profile == LOGGED_OUT_PROFILE:
            stack.enter_context(_fresh_profile())
        walk = stack.enter_context(
            open_walk(pw, options, flow, vocabulary, ui, opening=None, on_login_needed=_stop_at_login)
        )
        for route in flow.routes:
            outcome = _probe_route(walk, flow, route)
            result.routes.append(outcome)
            if capture is None and not _fine(outcome, request.logged_out):
                capture = capture_page(walk.page)  # where the first failing route lost its way
        trail = list(walk.walker.trail)
    if capture is not None:
        result.archive = write_archive(
            capture,
            flow.platform,
            trail,
            flow=flow,
            flow_file=path,
            about={"page_lang": lang, "probe": [_route_json(route) for route in result.routes]},
            folder=request.archive_dir,
            name=f"{flow.platform}-{flow.flow}-{lang}",
        )
    return result


@contextmanager
def _fresh_profile() -> Iterator[None]:
    """The logged-out profile, empty before the flow and removed after it (a killed probe's, by the next one)."""
    folder = profiles_dir() / LOGGED_OUT_PROFILE
    shutil.rmtree(folder, ignore_errors=True)
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _fine(outcome: RouteResult, logged_out: bool) -> bool:
    return outcome.verdict is Verdict.REACHED or (logged_out and outcome.verdict is Verdict.LOGIN)


def _stop_at_login(page: Page) -> None:
    raise _LoginNeeded("the site asks to log in")


def _probe_route(walk: WalkContext, flow: Flow, route: Route) -> RouteResult:
    """One route on its own, timed: its verdict, and where it lost its way if it did."""
    walker = walk.walker
    begun = len(walker.trail)
    started = time.monotonic()
    try:
        found_route = place_for(flow).reach(walker, [route])
    except FormNotFound as missing:
        step, detail = _where_lost(missing.trail[begun:], route)
        return RouteResult(route.id, Verdict.CHANGED, _since(started), step, detail)
    except _LoginNeeded:
        return RouteResult(route.id, Verdict.LOGIN, _since(started))
    except NotOfferedError as exc:
        return RouteResult(route.id, Verdict.NOT_OFFERED, _since(started), detail=exc.message)
    except RefusedError as exc:
        return RouteResult(route.id, Verdict.REFUSED, _since(started), detail=exc.message)
    if found_route == EXPLORED_ROUTE:
        step, detail = _where_lost(walker.trail[begun:], route)
        return RouteResult(route.id, Verdict.CHANGED, _since(started), step, detail, explored=True)
    return RouteResult(route.id, Verdict.REACHED, _since(started))


def _where_lost(trail: Sequence[TrailEntry], route: Route) -> tuple[int | None, str]:
    """The route's step that failed (1-based, counted in the trail: one entry per step) and what happened."""
    own = [entry for entry in trail if entry.route == route.id]
    for number, entry in enumerate(own, start=1):
        if entry.outcome.startswith("failed"):
            return number, f"{entry.step}: {entry.outcome.removeprefix('failed: ')}"
    return None, ""


def _since(started: float) -> float:
    return round(time.monotonic() - started, 2)


# --- what it says ----------------------------------------------------------------------------------------------


def flow_heading(result: FlowResult) -> str:
    return _("{platform} ({flow}), pages in {lang}:").format(
        platform=platform_name(result.platform), flow=result.flow, lang=result.lang
    )


def route_line(route: RouteResult) -> str:
    words = _(_SAID[route.verdict]).format(step=route.step)
    line = f"  {words:<20} {route.route} ({route.seconds:.1f} s)"
    why = [_(_FOUND_BY_EXPLORING)] if route.explored else []
    why += [route.detail] if route.detail else []
    return f"{line} — {'; '.join(why)}" if why else line


def flow_summary(result: FlowResult, logged_out: bool) -> str:
    reached = sum(route.verdict is Verdict.REACHED for route in result.routes)
    if result.all_fine(logged_out) and reached:
        return "  → " + _("reached its place ({reached} of {total} routes).").format(
            reached=reached, total=len(result.routes)
        )
    if result.reached:
        return "  → " + _("reached its place by {reached} of {total} routes: the flow file needs a look.").format(
            reached=reached, total=len(result.routes)
        )
    if result.ok(logged_out):
        return "  → " + _("not looked at: every route needs a login (probe it in your own session).")
    return "  → " + _("did not reach its place: the site may have changed.")


def render_json(done: Probe) -> str:
    document = {
        "schema": JSON_SCHEMA,
        "exit_code": 0 if done.ok else int(PROBE_FAILED),
        "mock": done.request.mock.variant if done.request.mock else None,
        "mock_posts": done.mock_posts,
        "flows": [_flow_json(result, done.request.logged_out) for result in done.results],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _flow_json(result: FlowResult, logged_out: bool) -> dict[str, Any]:
    return {
        "platform": result.platform,
        "flow": result.flow,
        "lang": result.lang,
        "file": result.file.name,
        "flow_sha256": result.version.get("flow_sha256"),
        "reached": result.reached,
        "ok": result.ok(logged_out),
        "archive": str(result.archive) if result.archive else None,
        "routes": [_route_json(route) for route in result.routes],
    }


def _route_json(route: RouteResult) -> dict[str, Any]:
    return {
        "id": route.route,
        "verdict": route.verdict.value,
        "step": route.step,
        "explored": route.explored,
        "seconds": route.seconds,
        "detail": route.detail,
    }


def quiet_ui(debug: bool) -> Ui:
    """The walk's own chatter ("Opening Settings…") is not the probe's output: kept out unless --debug."""
    import sys

    if debug:
        return Ui(interactive=False, out=sys.stderr, err=sys.stderr, debug=True)
    return Ui(interactive=False, fancy=False, out=io.StringIO(), err=io.StringIO())


# --- the report: what the archive holds, and an issue to paste --------------------------------------------------


def issue_text(result: FlowResult, logged_out: bool) -> str:
    """A pre-filled issue for the project's tracker, in English (the maintainers' language): title, platform,
    language, step, versions, and each route's verdict. It quotes nothing of the person's: the verdicts are the
    trail's scrubbed words."""
    from optout_bot import __version__

    failure = result.first_failure(logged_out)
    what = _SAID[failure.verdict].format(step=failure.step) if failure else "changed"
    where = f" of route {failure.route}" if failure else ""
    version = result.version
    lines = [
        f"Title: {platform_name(result.platform)} ({result.flow}): {what}{where}, pages in {result.lang}",
        "",
        f"- Platform: {result.platform}, flow: {result.flow} ({version.get('flow_file')}, schema "
        f"{version.get('flow_schema_version')}, sha256 {version.get('flow_sha256')})",
        f"- Page language: {result.lang}",
        f"- Step: {failure.step if failure and failure.step else '-'}"
        + (f" — {failure.detail}" if failure and failure.detail else ""),
        f"- optout-bot: {__version__}",
        "- Routes:",
        *(
            f"  - {route.route}: {_SAID[route.verdict].format(step=route.step)}"
            + (" (found by exploring)" if route.explored else "")
            + f", {route.seconds:.1f} s"
            for route in result.routes
        ),
    ]
    if result.archive is not None:
        lines += ["", f"Attached: {result.archive.name} (trail, scrubbed page structure, masked screenshot)."]
    return "\n".join(lines) + "\n"
