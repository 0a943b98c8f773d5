"""Pre-filling the form: each of the person's values (values.PERSON_VALUES) the form has a field for, in the
order the page shows them; the optional text only if given.

Only fields named by the flow are touched, only on the platform's domains, and never the Submit control.
Meta usually pre-fills the account's email; the tool does not overwrite it silently. Fields the flow says
are the person's own to fill (the third-party form's evidence) are named to them and left alone.

Filling fires the page's `input` and `change` events, on which a page may send itself: the watch (the walker,
with optout_bot.promises.guard routing the tab) is told each value before it is typed, so no request can carry it,
and checks after each field that the page is the same, the form still in it and nothing sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from playwright.sync_api import Locator

from optout_bot.i18n import _
from optout_bot.settings.values import Filled, FormValues, PersonValue, country_names
from optout_bot.ui import Ui
from optout_bot.walk.walker import FoundForm


class FillWatch(Protocol):
    """What watches the page while the tool fills it (engine.Walker)."""

    def start_filling(self, form: FoundForm) -> None: ...

    def typing(self, value: str) -> None: ...

    def ensure_form_untouched(self) -> None: ...


def fill_form(form: FoundForm, values: FormValues, ui: Ui, watch: FillWatch, company: str) -> list[str]:
    """Fill what we know; return one line per field saying what is in it now, for the person to check.
    `company`: whose form it is (platforms.Site.company), named where its page filled something in."""
    watch.start_filling(form)
    fill = _Filler(watch, company)
    fields = form.value_fields()
    # Every value the tool may type is announced before the first keystroke: fields are filled in the page's
    # order, and a field's `input` event may read another one (the email the page pre-filled) and send it.
    # (A country is chosen from a list, not typed: its two letters would match requests that never carried it.)
    for value, _field in fields:
        if value.filled != "country" and (wanted := getattr(values, value.key)):
            watch.typing(wanted)
    summary = []
    in_order = sorted(fields, key=lambda pair: _place_on_page(pair[1])) if len(fields) > 1 else fields
    for value, field in in_order:
        summary.append(_FILL[value.filled](fill, field, value, getattr(values, value.key), ui))
    for field in form.left_to_person:
        summary.append(_("{field}: for you to fill in (optout-bot leaves it alone).").format(field=_label_of(field)))
    return summary


# Where the (first) element comes among the page's fields. Asked of all the locator's elements, which is one
# question to the browser; asking of the element itself takes three (find it, ask it, let it go).
_PLACE = "(els) => els.length ? [...document.querySelectorAll('input, select, textarea')].indexOf(els[0]) : -1"


def _place_on_page(field: Locator) -> int:
    """Where the field comes among the page's fields: they are filled, and listed, in the order the person sees.
    (`field` is one element: the walker located it, `.first`, and saw it there.)"""
    place: int = field.evaluate_all(_PLACE)
    return place


class _Filler:
    """Types one value into one field, watched: announced before, the field left (its `change` fires), checked."""

    def __init__(self, watch: FillWatch, company: str) -> None:
        self.watch = watch
        self.company = company  # whose form it is, named where its page filled something in

    def __call__(self, field: Locator, value: str) -> None:
        self.watch.typing(value)
        field.fill(value)
        field.blur()  # `change` fires now, not when the person clicks elsewhere after the hand-over
        self.watch.ensure_form_untouched()


def _fill_text(fill: _Filler, field: Locator, value: PersonValue, wanted: str | None, ui: Ui) -> str:
    """A plain field the tool fills from the settings; what the page has already is kept when we have nothing."""
    assert value.filled_line is not None and value.missing_line is not None, "a text value says what it filled"
    if not wanted:
        present = field.input_value().strip()
        return _(value.filled_line).format(value=present) if present else _(value.missing_line)
    fill(field, wanted)
    return _(value.filled_line).format(value=wanted)


def _label_of(field: Locator) -> str:
    """The field's label as the page shows it (its accessible name), for the person to find it."""
    label = field.evaluate(
        "el => (el.labels && el.labels[0] ? el.labels[0].innerText : el.getAttribute('aria-label') || '')"
    )
    return " ".join(str(label).split()) or _("A field")


def _fill_email(fill: _Filler, field: Locator, value: PersonValue, wanted: str | None, ui: Ui) -> str:
    company = fill.company
    prefilled = field.input_value().strip()
    if not wanted:
        if prefilled:
            return _("Email: {email} (filled in by {company}).").format(email=prefilled, company=company)
        return _("Email: empty — please type your email address.")
    if prefilled and prefilled.lower() != wanted.lower():
        names = {"prefilled": prefilled, "wanted": wanted, "company": company}
        question = _("{company} filled in the email {prefilled}, but you asked for {wanted}. Replace it with {wanted}?")
        refusal = _(
            "{company} filled in the email {prefilled}, but --email says {wanted}. optout-bot will not overwrite "
            "it without asking: run again without --email to keep {company}'s, or from a terminal to answer the "
            "question."
        )
        if not ui.ask(question.format(**names), refusal.format(**names)):
            return _("Email: {email} (kept, as {company} filled it in).").format(email=prefilled, company=company)
    if prefilled != wanted:  # the page has it already, to the letter: nothing to type
        fill(field, wanted)
    return _("Email: {email}.").format(email=wanted)


def _fill_country(fill: _Filler, field: Locator, value: PersonValue, code: str | None, ui: Ui) -> str:
    line = _choose_country(field, code, fill.company)
    fill.watch.ensure_form_untouched()  # choosing fires `change` too
    return line


def _fill_reason(fill: _Filler, field: Locator, value: PersonValue, reason: str | None, ui: Ui) -> str:
    if not reason:
        return _("Your text about how this affects you: left empty (it is optional).")
    fill(field, reason)
    return _("Your text about how this affects you: filled in, please re-read it.")


def _choose_country(field: Locator, code: str | None, company: str) -> str:
    if not code:
        return _("Country of residence: please choose yours.")
    options = field.locator("option")
    # Values are ISO codes on the versions seen; select by the option's own value then. (`code` is two
    # letters, checked by values.check_country, so it can stand in a selector.)
    option = field.locator(f'option[value="{code}" i]').first
    if option.count():
        field.select_option(value=option.get_attribute("value"))
        shown = " ".join(option.inner_text().split())  # the country's name as Meta shows it, if it has one
        country = f"{shown} ({code})" if shown and shown.upper() != code else code
        return _("Country of residence: {country}.").format(country=country)
    labels = [label.strip().lower() for label in options.all_inner_texts()]
    for name in country_names(code):
        if name.lower() in labels:
            field.select_option(label=options.nth(labels.index(name.lower())).inner_text().strip())
            return _("Country of residence: {country}.").format(country=name)
    return _("Country of residence: {code} is not in {company}'s list — please choose yours.").format(
        code=code, company=company
    )


# How each kind of value goes into its field (values.PERSON_VALUES' `filled`): the line the person reads after.
_FILL: dict[Filled, Callable[[_Filler, Locator, PersonValue, str | None, Ui], str]] = {
    "email": _fill_email,
    "country": _fill_country,
    "reason": _fill_reason,
    "text": _fill_text,
}
