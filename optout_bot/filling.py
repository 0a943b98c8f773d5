"""Pre-filling the form: email, name, phone and country where the form asks, the optional text if given.

Only fields named by the flow are touched, only on the platform's domains, and never the Submit control.
Meta usually pre-fills the account's email; the tool does not overwrite it silently. Fields the flow says
are the person's own to fill (the third-party form's evidence) are named to them and left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator

from optout_bot.engine import FoundForm
from optout_bot.i18n import N_, _
from optout_bot.ui import Ui
from optout_bot.values import FormValues, country_names


def fill_form(form: FoundForm, values: FormValues, ui: Ui, ensure_on_site: Callable[[], None]) -> list[str]:
    """Fill what we know; return one line per field saying what is in it now, for the person to check."""
    ensure_on_site()
    summary = []
    if form.full_name is not None:
        summary.append(_fill_text(form.full_name, values.full_name, _("Full name: {value}."), _NAME_MISSING))
    summary.append(_fill_email(form.email, values.email, ui))
    if form.phone is not None:
        summary.append(_fill_text(form.phone, values.phone, _("Phone number: {value}."), _PHONE_MISSING))
    if form.country is not None:
        summary.append(_fill_country(form.country, values.country))
    if form.reason is not None and values.reason:
        form.reason.fill(values.reason)
        summary.append(_("Your text about how this affects you: filled in, please re-read it."))
    elif form.reason is not None:
        summary.append(_("Your text about how this affects you: left empty (it is optional)."))
    for field in form.left_to_person:
        summary.append(_("{field}: for you to fill in (optout-bot leaves it alone).").format(field=_label_of(field)))
    return summary


_NAME_MISSING = N_("Full name: empty — please type it (or save it with optout-bot init, or give --name).")
_PHONE_MISSING = N_("Phone number: empty — please type it with its country code (or give --phone).")


def _fill_text(field: Locator, value: str | None, filled: str, missing: str) -> str:
    """A plain field the tool fills from the settings; what the page has already is kept when we have nothing."""
    if not value:
        present = field.input_value().strip()
        return filled.format(value=present) if present else _(missing)
    field.fill(value)
    return filled.format(value=value)


def _label_of(field: Locator) -> str:
    """The field's label as the page shows it (its accessible name), for the person to find it."""
    label = field.evaluate(
        "el => (el.labels && el.labels[0] ? el.labels[0].innerText : el.getAttribute('aria-label') || '')"
    )
    return " ".join(str(label).split()) or _("A field")


def _fill_email(field: Locator, wanted: str | None, ui: Ui) -> str:
    prefilled = field.input_value().strip()
    if not wanted:
        if prefilled:
            return _("Email: {email} (filled in by Meta).").format(email=prefilled)
        return _("Email: empty — please type your email address.")
    if prefilled and prefilled.lower() != wanted.lower():
        question = _("Meta filled in the email {prefilled}, but you asked for {wanted}. Replace it with {wanted}?")
        refusal = _(
            "Meta filled in the email {prefilled}, but --email says {wanted}. optout-bot will not overwrite it "
            "without asking: run again without --email to keep Meta's, or from a terminal to answer the question."
        )
        if not ui.ask(
            question.format(prefilled=prefilled, wanted=wanted), refusal.format(prefilled=prefilled, wanted=wanted)
        ):
            return _("Email: {email} (kept, as Meta filled it in).").format(email=prefilled)
    field.fill(wanted)
    return _("Email: {email}.").format(email=wanted)


def _fill_country(field: Locator, code: str | None) -> str:
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
    return _("Country of residence: {code} is not in Meta's list — please choose yours.").format(code=code)
