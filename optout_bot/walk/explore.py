"""The safety net of the walk: when a route's control is not on the page, follow what the page itself offers.

The page's visible links and buttons are collected in one look, scored by the goal's words (the flow's own word
keys, weighted by how close to the place each one is, see `goal_words`) with the recogniser the whole walk uses
(flows/matching.py), and the best one is followed; a page that leads nowhere is left for the last one with
controls still untried (backtracking) — within a budget of pages and seconds. A control is followed only when
its label is recognised as one of the goal's words: a "Delete account" or a "Help" never is. Every click goes
through safety.click_safely (no submit, no switch, nothing off the platform's domains), and every page's look
and decision is written in the trail, so a changed site is fixed by reading one file.

No per-platform table here: the words come from the flow.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urldefrag

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from optout_bot.domains import is_site_url
from optout_bot.errors import RefusedError
from optout_bot.flows import Flow, Vocabulary
from optout_bot.flows.model import ClickStep, Route
from optout_bot.platforms import Site
from optout_bot.promises.clicks import click_safely
from optout_bot.promises.scrub import scrub_text

if TYPE_CHECKING:  # the recogniser is loaded when a page is first judged by meaning: a walk on its routes never is
    from optout_bot.flows.matching import Recogniser

EXPLORED_ROUTE = "explored"  # the route id an exploration that reaches the place reports

# Everything a person could follow or open on a page.
CONTROLS = "a[href], button, [role=link], [role=button], [role=menuitem], [role=tab]"

# One look at the page (the page's language, then every control's accessible name, whether it is visible,
# where it leads and whether it could send a form: those are never candidates).
_LOOK = """(elements) => ({
  lang: (document.documentElement.lang || '').slice(0, 2).toLowerCase(),
  controls: elements.map((el, index) => ({
    index,
    label: (el.getAttribute('aria-label') || el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim(),
    href: el.href || '',
    visible: el.checkVisibility ? el.checkVisibility({visibilityProperty: true}) : el.getClientRects().length > 0,
    submits: !!el.closest('form') && el.matches(
      'button:not([type=button i]):not([type=reset i]), input[type=submit i], input[type=image i]'),
  })),
})"""

MAX_LABEL = 160  # longer "controls" are cards or paragraphs, not a link a person reads


@dataclass(frozen=True)
class Budget:
    pages: int = 12
    seconds: float = 15.0


@dataclass(frozen=True)
class Candidate:
    index: int  # its place among CONTROLS on the page when looked at
    label: str
    href: str
    key: str  # the goal's word it is recognised as
    score: float  # the recogniser's score times the word's weight

    @property
    def identity(self) -> str:
        return urldefrag(self.href).url if self.href else f"button:{self.label}"


@dataclass
class Node:
    """A page of the exploration: where it is, and what was already tried there."""

    url: str
    tried: set[str] = field(default_factory=set)


def goal_words(flow: Flow, failed: Route | None = None, from_step: int = 0) -> dict[str, float]:
    """The word keys that lead to the place, each weighted by how close to the place it is (0 to 1, 1: the place).

    Every key a route clicks weighs its position along that route (the last click, the place's link, weighs most);
    the failed route's own steps still ahead weigh more (its next hop is the strongest hint); the place's headings
    weigh 1 (a link named like the form's title leads to the form).
    """
    weights: dict[str, float] = {}

    def add(key: str | None, weight: float) -> None:
        if key:
            weights[key] = max(weights.get(key, 0.0), round(weight, 3))

    for route in flow.routes:
        clicks = [step.click for step in route.steps if isinstance(step, ClickStep)]
        for position, target in enumerate(clicks, start=1):
            for key in target.word_keys():
                add(key, 0.5 + 0.4 * position / len(clicks))
    if failed is not None:
        ahead = [step.click for step in failed.steps[from_step:] if isinstance(step, ClickStep)]
        for position, target in enumerate(ahead, start=1):
            for key in target.word_keys():
                add(key, 0.6 + 0.4 * position / len(ahead))
    for key in flow.headings:
        add(key, 1.0)
    return weights


def rank(controls: list[dict[str, object]], lang: str | None, goal: dict[str, float], words: Recogniser,
         site: Site) -> list[Candidate]:  # fmt: skip
    """The page's visible on-site controls recognised as one of the goal's words, best first."""
    found: list[Candidate] = []
    for control in controls:
        label, href = str(control["label"]), str(control["href"])
        if not control["visible"] or control["submits"] or not label or len(label) > MAX_LABEL:
            continue
        if href.startswith("http") and not is_site_url(href, site):
            continue  # never off the platform's domains (click_safely would refuse it too)
        matches = words.recognise(label, list(goal), lang or None)
        if not matches:
            continue  # recognised as none of the goal's words: never followed
        best = max(matches, key=lambda m: m.score * goal[m.key])
        weighted = round(best.score * goal[best.key], 3)
        found.append(Candidate(int(str(control["index"])), label, href, best.key, weighted))
    return sorted(found, key=lambda c: -c.score)


class Explorer:
    """One exploration from the current page (see the module's docstring)."""

    def __init__(
        self,
        page: Page,
        flow: Flow,
        vocabulary: Vocabulary,
        never: Locator | None,
        look_around: Callable[[float], str],
        record: Callable[[str, str], None],
        budget: Budget | None = None,
        announce: Callable[[], None] = lambda: None,
    ) -> None:
        self.page = page
        self.flow = flow
        self.words = _recogniser(vocabulary)
        self.never = never
        # Waits until the page settles, dealing with what is in the way: "form", "wrong_form" or anything else.
        self.look_around = look_around
        self.record = record  # (what was done, outcome) into the walk's trail
        self.budget = budget or Budget()
        self.announce = announce  # tells the person, once, before the first control the exploration follows
        self.followed: set[str] = set()  # every link followed, wherever it was: no page is walked twice

    def run(self, goal: dict[str, float]) -> bool:
        """True when the place is on screen; False when the budget is spent or nothing is left to try."""
        deadline = time.monotonic() + self.budget.seconds
        if self.look_around(self.budget.seconds * 1000) == "form":  # the start page, settled first
            return True
        path = [Node(self.page.url)]
        pages = 1
        while path and time.monotonic() < deadline:
            node = path[-1]
            candidate = self._next(node, goal)
            if candidate is None:
                path.pop()
                if path and not self._back_to(path[-1], deadline):
                    return False
                continue
            node.tried.add(candidate.identity)
            self.followed.add(candidate.identity if candidate.href else f"{node.url} {candidate.identity}")
            if pages >= self.budget.pages:
                self.record(f"explore: page budget ({self.budget.pages}) spent", "failed: no more pages to try")
                return False
            if pages == 1:
                self.announce()
            if not self._follow(candidate):
                continue
            pages += 1
            seen = self.look_around(max((deadline - time.monotonic()) * 1000, 1))
            if seen == "form":
                self.record(f"explore: {self._short(self.page.url)} is the place", "ok")
                return True
            if seen == "wrong_form":
                self.record(f"explore: {self._short(self.page.url)} is another form", "failed: dead end, going back")
                continue  # the same node's next candidate, from a fresh load of its page (below)
            path.append(Node(self.page.url))
        if time.monotonic() >= deadline:
            self.record(f"explore: {self.budget.seconds:g} s spent", "failed: time budget spent")
        return False

    def _next(self, node: Node, goal: dict[str, float]) -> Candidate | None:
        if urldefrag(self.page.url).url != urldefrag(node.url).url and not self._back_to(node, None):
            return None
        look = self.page.locator(CONTROLS).evaluate_all(_LOOK)
        ranked = rank(look["controls"], look["lang"], goal, self.words, self.flow.site)
        here = urldefrag(self.page.url).url
        done = node.tried | self.followed
        untried = [c for c in ranked if c.identity != here and not {c.identity, f"{node.url} {c.identity}"} & done]
        shown = "; ".join(f"“{c.label}” as {c.key} ({c.score:.2f})" for c in ranked[:5]) or "nothing recognised"
        if not untried:
            self.record(
                f"explore {self._short(here)}: {len(look['controls'])} controls, {shown}",
                "failed: nothing left to try here",
            )
            return None
        best = untried[0]
        self.record(
            f"explore {self._short(here)}: {len(look['controls'])} controls, {shown}; "
            f"following “{best.label}” (the best untried, as {best.key})",
            "ok",
        )
        return best

    def _follow(self, candidate: Candidate) -> bool:
        target = self.page.locator(CONTROLS).nth(candidate.index)
        try:
            click_safely(target, 5000, self.flow.site, self.never)
        except RefusedError as refusal:  # nothing was clicked: try the next one
            self.record(f"explore: refused “{candidate.label}”", f"failed: {refusal}")
            return False
        except PlaywrightError as exc:
            self.record(f"explore: could not click “{candidate.label}”", f"failed: {str(exc).splitlines()[0]}")
            return False
        return True

    def _back_to(self, node: Node, deadline: float | None) -> bool:
        """Backtrack: open that page again (its menus closed), to try its next control."""
        timeout = 10_000.0 if deadline is None else max((deadline - time.monotonic()) * 1000, 1)
        try:
            self.page.goto(node.url, wait_until="domcontentloaded", timeout=timeout)
        except PlaywrightError as exc:
            logger.info("exploration could not go back to {}: {}", node.url, exc)
            return False
        self.record(f"explore: back to {self._short(node.url)}", "ok")
        self.look_around(timeout)
        return True

    @staticmethod
    def _short(url: str) -> str:
        return scrub_text(urldefrag(url).url)


# The place's shape and headings, in one look: visible headings, and whether the page has the field the place is
# made of (the form's email field, shown or still hidden behind its first question; the setting's switch).
_PLACE_LOOK = """(shape) => ({
  lang: (document.documentElement.lang || '').slice(0, 2).toLowerCase(),
  shaped: !!document.querySelector(shape),
  headings: [...document.querySelectorAll('h1, h2, h3, [role=heading]')]
    .filter((el) => el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0)
    .map((el) => (el.innerText || '').replace(/\\s+/g, ' ').trim()).filter((text) => text && text.length < 300),
})"""
_SHAPES = {
    "form": "input[type=email i], form input[type=radio i]",  # the general form asks its question first
    "setting": "input[type=checkbox i], [role=switch], [role=checkbox]",
}


def place_shape(page: Page, flow: Flow) -> Locator:
    """The fields the flow's place is made of (see _SHAPES), shown or not: a page without them is not the place."""
    return page.locator(_SHAPES[flow.kind])


def place_by_meaning(page: Page, flow: Flow, vocabulary: Vocabulary) -> str | None:
    """The heading by which this page is recognised as the flow's place (its shape fits and a visible heading
    says one of the place's heading words, conjugated or reworded as it may be), or None."""
    look = page.evaluate(_PLACE_LOOK, _SHAPES[flow.kind])
    if not look["shaped"]:
        return None
    words = _recogniser(vocabulary)
    for heading in look["headings"]:
        if words.best(heading, flow.headings, look["lang"] or None) is not None:
            return str(heading)
    return None


def _recogniser(vocabulary: Vocabulary) -> Recogniser:
    from optout_bot.flows.matching import recogniser

    return recogniser(vocabulary)
