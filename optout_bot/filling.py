"""Pre-filling the objection form: email, country where the form asks, the optional text if given.

Only fields named by the flow are touched, only on Meta's domains, and never the Submit control.
Meta usually pre-fills the account's email; the tool does not overwrite it silently.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator

from optout_bot.engine import FoundForm
from optout_bot.ui import Ui
from optout_bot.values import FormValues, country_names


def fill_form(form: FoundForm, values: FormValues, ui: Ui, ensure_on_meta: Callable[[], None]) -> list[str]:
    """Fill what we know; return one line per field saying what the person should check."""
    ensure_on_meta()
    summary = [_fill_email(form.email, values.email, ui)]
    if form.country is not None:
        summary.append(_fill_country(form.country, values.country))
    if form.reason is not None and values.reason:
        form.reason.fill(values.reason)
        summary.append("Your text about how this affects you: filled in, please re-read it.")
    return summary


def _fill_email(field: Locator, wanted: str | None, ui: Ui) -> str:
    prefilled = field.input_value().strip()
    if not wanted:
        if prefilled:
            return f"Email: {prefilled} (filled in by Meta)."
        return "Email: empty — please type your email address."
    if prefilled and prefilled.lower() != wanted.lower():
        question = f"Meta filled in the email {prefilled}, but you asked for {wanted}. Replace it with {wanted}?"
        refusal = (
            f"Meta filled in the email {prefilled}, but --email says {wanted}. optout-bot will not overwrite it "
            "without asking: run again without --email to keep Meta's, or from a terminal to answer the question."
        )
        if not ui.ask(question, refusal):
            return f"Email: {prefilled} (kept, as Meta filled it in)."
    field.fill(wanted)
    return f"Email: {wanted}."


def _fill_country(field: Locator, code: str | None) -> str:
    if not code:
        return "Country of residence: please choose yours."
    options = field.locator("option")
    values = [v.upper() for v in options.evaluate_all("els => els.map(e => e.value)")]
    if code in values:
        # Values are ISO codes on the versions seen; select by the option's own value then.
        index = values.index(code)
        field.select_option(value=options.nth(index).get_attribute("value"))
        return f"Country of residence: {code}."
    labels = [label.strip().lower() for label in options.all_inner_texts()]
    for name in country_names(code):
        if name.lower() in labels:
            field.select_option(label=options.nth(labels.index(name.lower())).inner_text().strip())
            return f"Country of residence: {name}."
    return f"Country of residence: {code} is not in Meta's list — please choose yours."
