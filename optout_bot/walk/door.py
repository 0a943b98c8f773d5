"""The one door into the browser: every command that walks a site (run, login, verify, demo) goes through here.

`open_walk` turns `BrowserOptions` (options.py) into an open tab ready for a walk, and hands the walk one
`WalkContext`: the tab, the flow and its words, the site, where to talk to the person, the options and
--debug, and the `Walker` set up on that tab (its page guard, its watch of navigations, its obstacle
handling, its settling). What every walk needs is done once, here:

- the demo's imitation of the sites, served on the platforms' own host names, when the options ask for it;
- finding the browser (or attaching to the person's own over CDP), and saying which;
- opening the session (optout_bot.walk.browser), in the account's own profile;
- closing a tab left on a page the walk refused, in the person's own browser;
- closing everything, and stopping the spinner, however the walk ends.

A command keeps only what is its own: which flow, what it does at the place, and what it says then.
Imported only when a browser is needed, so Playwright is never loaded for --help.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Playwright

from optout_bot.domains import is_site_url
from optout_bot.errors import RefusedError
from optout_bot.flows import Flow, Vocabulary
from optout_bot.i18n import N_, _
from optout_bot.paths import demo_profile, profile_dir
from optout_bot.platforms import Site, platform_name
from optout_bot.settings.options import BrowserOptions, Timeouts
from optout_bot.ui import Ui
from optout_bot.walk.browser import BrowserSession, SessionRequest, find_browser, open_session
from optout_bot.walk.handover import ask_to_log_in
from optout_bot.walk.obstacles import LoginPrompt
from optout_bot.walk.walker import Walker

# What the person is told as their browser starts ({browser}: "Chromium at /usr/bin/chromium", {profile}: the
# profile's folder name). A command may say it its own way, or not at all (None).
OPENING = N_("Opening {browser}…")


@dataclass(frozen=True)
class WalkContext:
    """One walk, as the door hands it over: everything the walker and the obstacle handling work with."""

    page: Page
    flow: Flow
    vocabulary: Vocabulary
    ui: Ui
    options: BrowserOptions
    session: BrowserSession
    walker: Walker

    @property
    def site(self) -> Site:
        """The platform's own domains: the walk never leaves them."""
        return self.flow.site

    @property
    def timeouts(self) -> Timeouts:
        return self.options.timeouts

    @property
    def debug(self) -> bool:
        return self.options.debug


@contextmanager
def open_walk(
    pw: Playwright,
    options: BrowserOptions,
    flow: Flow,
    vocabulary: Vocabulary,
    ui: Ui,
    *,
    opening: str | None = OPENING,
    on_login_needed: LoginPrompt | None = ask_to_log_in,
) -> Iterator[WalkContext]:
    """Open the browser `options` describe, on a blank tab, and hand the walk its context; close all after.

    `pw`: Playwright's driver, started by the command (optout_bot.walk.driver). `opening`: what to tell the person
    as their browser starts (an N_() message). `on_login_needed`: what to do when the site asks to log in
    (by default the person logs in; `verify --headless` stops instead).
    """
    with ui, ExitStack() as stack:  # the spinner stops last, once the browser is closed
        request = _session_request(stack, options, flow, ui)
        if request.cdp_url:
            ui.say(_("Attaching to your browser at {address}…").format(address=request.cdp_url))
        else:  # only a browser we start has to be found; an attached one is already running
            choice = find_browser(pw, channel=options.channel, executable_path=options.executable_path)
            request.channel, request.executable_path = choice.channel, choice.executable_path
            if opening is not None:
                ui.say(_(opening).format(browser=choice.description, profile=options.profile))
        session = stack.enter_context(open_session(pw, request))
        stack.enter_context(_closing_a_refused_tab(session, flow.site))
        walker = Walker(session.page, flow, vocabulary, ui, options.timeouts, on_login_needed=on_login_needed)
        yield WalkContext(session.page, flow, vocabulary, ui, options, session, walker)


def _session_request(stack: ExitStack, options: BrowserOptions, flow: Flow, ui: Ui) -> SessionRequest:
    """Where the browser goes: the person's own (--cdp), the account's profile, or the demo's imitation."""
    if options.cdp_url:
        return SessionRequest(headless=False, cdp_url=options.cdp_url)
    if options.demo_page_lang is not None:
        return _demo_request(stack, options, flow, ui)
    return SessionRequest(
        headless=options.headless, profile_dir=profile_dir(options.profile), extra_args=list(options.browser_args)
    )


def _demo_request(stack: ExitStack, options: BrowserOptions, flow: Flow, ui: Ui) -> SessionRequest:
    """The demo: the bundled imitation of the sites, served on their own host names, in a throwaway profile."""
    from optout_bot.mock_site import MockMeta, Scenario

    assert options.demo_page_lang is not None
    site = stack.enter_context(MockMeta(Scenario(lang=options.demo_page_lang)))
    # In the cache folder: a profile left by a killed demo is removed by the next one.
    profile: Path = stack.enter_context(demo_profile())
    ui.say(
        _("Demo: {platform}'s pages are imitated by a local server; nothing leaves this computer.").format(
            platform=platform_name(flow.platform)
        )
    )
    return SessionRequest(
        headless=options.headless,
        profile_dir=profile,
        extra_args=[*site.chromium_args(), *options.browser_args],
        ignore_https_errors=True,  # the imitation's self-signed certificate
    )


@contextmanager
def _closing_a_refused_tab(session: BrowserSession, site: Site) -> Iterator[None]:
    """In the person's own browser (--cdp), the tool's tab is closed if the walk was refused off the site: a
    phishing page is not left open among their tabs. (Our own browser closes with the walk anyway.)"""
    try:
        yield
    except RefusedError:
        page = session.page
        if session.attached and not page.is_closed() and not is_site_url(page.url, site):
            with suppress(PlaywrightError):
                page.close()
        raise
