"""What a flow may click, checked when it is loaded (promise 1: the tool never submits, never switches).

The walker clicks more than route steps: the cookie wall's answers, the form's questions and its choice. Any
of them pointed at the Submit control, or at the setting's switch, would make the tool submit or switch — so
every clicked target is checked here, and a mistake points at its `file:line` (`optout-bot flows check`).
At run time, safety.py refuses a click on those controls whatever the flow says: this is the first line of
defence, that one the last.
"""

from __future__ import annotations

from collections.abc import Iterator

from optout_bot.flows.model import ClickStep, Flow, Target
from optout_bot.flows.vocabulary import Vocabulary

Loc = tuple[str | int, ...]


def clicked_targets(flow: Flow) -> Iterator[tuple[Loc, Target]]:
    """Every target the walker clicks, with where it is in the flow file."""
    for r, route in enumerate(flow.routes):
        for s, step in enumerate(route.steps):
            if isinstance(step, ClickStep):
                yield ("routes", r, "steps", s, "click"), step.click
    if flow.consent is not None:
        yield ("consent", "decline"), flow.consent.decline
        yield ("consent", "accept"), flow.consent.accept
    yield from flow.place_clicks()  # the form's choice and questions; nothing on a setting's page


def final_control(flow: Flow) -> tuple[Target, str]:
    """The control only the person uses (the form's Submit, the setting's switch), and what to call it."""
    return flow.final_control()


def _words(target: Target) -> list[str]:
    """The word keys that say which element a target is (not `within`, which only says where)."""
    return [key for key in (target.name, target.text, target.label) if key]


def unsafe_clicks(flow: Flow, vocabulary: Vocabulary | None = None) -> Iterator[tuple[Loc, str]]:
    """Each clicked target that could be the final control, with why. With `vocabulary`, phrases are compared too."""
    final, what = final_control(flow)
    final_words = set(_words(final))
    for loc, target in clicked_targets(flow):
        words = _words(target)
        if not words:
            # "The first visible button" (or switch, checkbox…) may well be Submit or the switch itself.
            kind = target.role or target.input_type or "element"
            yield loc, f"a bare {kind} could be any {kind} on the page: say which one with 'name', 'text' or 'label'"
        elif target == final or final_words & set(words):
            yield loc, f"clicks {sorted(final_words & set(words)) or words}, {what}"
        elif vocabulary is not None and (same := _same_phrase(target, final, vocabulary)):
            yield loc, f"clicks {same!r}, which reads like {what}"


def _same_phrase(target: Target, final: Target, vocabulary: Vocabulary) -> str | None:
    """A phrase of the clicked target that the final control's words would also find (or the other way round).

    Another word key spelling the same words ("go: [Submit]") would find the same element on the page.
    """
    for key in _words(target):
        for final_key in _words(final):
            if key not in vocabulary.phrases or final_key not in vocabulary.phrases:
                continue  # an unknown word is reported on its own
            final_pattern = vocabulary.pattern(final_key, exact=final.exact)
            clicked_pattern = vocabulary.pattern(key, exact=target.exact)
            for phrase in vocabulary.all_phrases(key):
                if final_pattern.search(phrase):
                    return phrase
            for phrase in vocabulary.all_phrases(final_key):
                if clicked_pattern.search(phrase):
                    return phrase
    return None
