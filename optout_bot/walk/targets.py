"""Turning a flow's `Target` into a Playwright locator, by meaning only.

Role and accessible name, label, visible text and input type — never Meta's generated class names, which
change with every deploy. All the criteria a target gives must hold together.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

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
