"""Turning a flow's `Target` into a Playwright locator, by meaning only.

Role and accessible name, label, visible text and input type — never Meta's generated class names, which
change with every deploy. All the criteria a target gives must hold together.
"""

from __future__ import annotations

from collections.abc import Iterator

from playwright.sync_api import Locator, Page
from pydantic import BaseModel

from optout_bot.flows import Flow, Target, Vocabulary
from optout_bot.flows.clicks import final_control

# Elements a `within:` clause may name: the places Meta groups things in.
_CONTAINERS = (
    "form, section, nav, main, aside, [role=dialog], [role=region], [role=menu], [role=main], [role=navigation]"
)


def locate(page: Page, target: Target, vocabulary: Vocabulary) -> Locator:
    """The first *visible* element matching `target` (Meta keeps hidden copies of menus in the page)."""
    return every_match(page, target, vocabulary).filter(visible=True).first


def never_clicked(page: Page, flow: Flow, vocabulary: Vocabulary) -> Locator:
    """Every element the flow names as the control only the person uses: the form's Submit, the setting's switch.

    Every one, not only the first visible: safety.click_safely refuses a click on any of them, or on what contains
    or is inside one, whatever its tag (React draws Submit as a `div role=button`, which no form rule would recognise).
    """
    return every_match(page, final_control(flow)[0], vocabulary)


def every_match(page: Page, target: Target, vocabulary: Vocabulary) -> Locator:
    """Every element matching `target`, visible or not."""
    root: Page | Locator = page
    if target.within:
        root = page.locator(_CONTAINERS).filter(has_text=vocabulary.pattern(target.within)).last

    candidates: list[Locator] = []
    if target.role:
        name = vocabulary.pattern(target.name, exact=target.exact) if target.name else None
        candidates.append(root.get_by_role(target.role, name=name))
    if target.label:
        candidates.append(root.get_by_label(vocabulary.pattern(target.label, exact=target.exact)))
    if target.input_type:
        candidates.append(root.locator(f"input[type={target.input_type}]"))
    text = vocabulary.pattern(target.text, exact=target.exact) if target.text else None
    if text is not None and not candidates:
        candidates.append(root.get_by_text(text))
        text = None

    locator = candidates[0]
    for other in candidates[1:]:
        locator = locator.and_(other)
    if text is not None:  # with a role or label, `text` narrows to the element that also shows these words
        locator = locator.filter(has_text=text)
    return locator


def describe(target: Target) -> str:
    """A short human description for trails and diagnostics: `link "privacy_center"`."""
    parts: list[str] = [target.role or target.input_type or "element"]
    for key in (target.name, target.text, target.label):
        if key:
            parts.append(f'"{key}"')
    if target.within:
        parts.append(f'within "{target.within}"')
    return " ".join(parts)


def warm_patterns(flow: Flow, vocabulary: Vocabulary) -> None:
    """Compile now, once per process, the patterns the walk's locators will be built from: every target's words
    (with its `exact`), and every list of word keys the flow gives (headings, other forms, "not offered"…).

    Python compiles a pattern of eight languages' phrases in about a millisecond; the walk builds some twenty on the
    main thread between the browser's start and its first page. Called while Playwright's driver starts
    (optout_bot.walk.driver), the compiling is done by then (scripts/bench.py). Only a head start: whatever it
    misses is compiled when asked, as before.
    """
    for value in _values(flow):
        if isinstance(value, Target):
            for key in (value.name, value.text, value.label):
                if key:
                    vocabulary.pattern(key, exact=value.exact)
            if value.within:
                vocabulary.pattern(value.within)
        elif (
            isinstance(value, list)
            and value
            and all(isinstance(key, str) and key in vocabulary.phrases for key in value)
        ):
            vocabulary.pattern_any(value)


def _values(value: object) -> Iterator[object]:
    """Every value in a flow, depth first: models, their fields, lists and dicts."""
    yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _values(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _values(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
