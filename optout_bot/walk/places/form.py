"""A form the tool pre-fills and the person submits (`kind: form`: Meta's objection forms, WhatsApp's).

The walk finds it, fills in the person's values, and either stops there (dry run) or hands it over: the
person checks it and clicks Submit, and the tool waits for the platform's confirmation of that submission.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from optout_bot import progress
from optout_bot.domains import without_query
from optout_bot.errors import ExitStatus, NotRecognisedError, NotSubmittedError, OptoutError, RefusedError
from optout_bot.flows import Route, Vocabulary
from optout_bot.flows.model import FormFlow
from optout_bot.i18n import N_, _, ngettext
from optout_bot.platforms import platform_name, site_of
from optout_bot.records.recording import RunReport
from optout_bot.settings.options import RunOptions
from optout_bot.ui import Ui, duration
from optout_bot.walk.diagnostics import save_diagnostic
from optout_bot.walk.door import WalkContext
from optout_bot.walk.filling import fill_form
from optout_bot.walk.handover import (
    Outcome,
    PersonWatch,
    Result,
    ask_for_code,
    await_person,
    present_form,
    show_form_banner,
)
from optout_bot.walk.places import say_fallback, say_what_is_sought
from optout_bot.walk.receipts import save_receipt, screenshot
from optout_bot.walk.submitted import SubmissionRecorder
from optout_bot.walk.walker import FormNotFound, FoundForm, Walker

CLOSED_MID_WALK = N_(
    "the browser window or optout-bot's tab was closed before the form was ready: nothing was submitted. "
    "Run optout-bot again when you are ready."
)


class FormPlace:
    """The form's side of the walk (walk/places/__init__.py: Place)."""

    closed_mid_walk = CLOSED_MID_WALK

    def __init__(self, flow: FormFlow) -> None:
        self.flow = flow

    def summed_up(self, options: RunOptions) -> str:
        return _("confirmed by {company}").format(company=site_of(options.platform).company)

    def reach(self, walker: Walker, routes: list[Route]) -> str:
        return walker.find_form(self.flow.form, answer=False, routes=routes).route  # its questions left unanswered

    def walk(self, walk: WalkContext, options: RunOptions, report: RunReport) -> ExitStatus:
        flow, vocabulary, ui = self.flow, walk.vocabulary, walk.ui
        page, walker = walk.page, walk.walker
        say_what_is_sought(flow, ui, _LOOKING_FOR)
        try:
            form = walker.find_form(flow.form)
        except FormNotFound as missing:
            if page.is_closed():  # every route failed because the person closed the tab, not because of Meta
                raise NotSubmittedError(_(CLOSED_MID_WALK)) from None
            if missing.wrong_form_url:
                raise RefusedError(
                    _(
                        "Meta only led to its form for information that others shared about you ({address}), "
                        "not the one for your own information; optout-bot filled nothing. Try again later, or "
                        "look in Meta's Privacy Center yourself."
                    ).format(address=without_query(missing.wrong_form_url))
                ) from None
            folder = save_diagnostic(page, options.platform, missing.trail, options.values.email, flow=flow)
            raise NotRecognisedError(
                _(
                    "optout-bot did not recognise {company}'s pages (they may have changed); nothing was filled. "
                    "A diagnostic without your personal data is in {folder} — please attach it to a report."
                ).format(company=flow.site.company, folder=folder)
            ) from None
        ui.step(
            _("Found the form at {address} (route: {route}).").format(address=without_query(form.url), route=form.route)
        )
        say_fallback(flow, form.route, ui)
        report.form_url, report.route = form.url, form.route
        walker.show_filling()
        filled = fill_form(form, options.values, ui, walker, flow.site.company)
        for line in filled:
            ui.step(line)
        if options.dry_run:
            return _dry_run_done(walker, form, options, ui, report)
        # The form as filled and unsent is handed over before the person is told to click: their own Submit
        # must go through.
        walker.hand_over()
        recorder = SubmissionRecorder(page, form, report)  # what the person sends, and the account the site shows
        # Before the banner: no click is missed.
        watch = PersonWatch(page, vocabulary.pattern_any(flow.confirmation), on_submit=recorder)
        who = platform_name(options.platform)
        button = present_form(page, form.submit, person_fields(form), form.left_to_person, who)
        code_prompt = _code_prompt(page, flow, vocabulary)
        return _wait_for_person(page, options, watch, form, code_prompt, button, ui, report)

    def after_success(self, options: RunOptions, ui: Ui) -> None:
        """After the platform's confirmation: what it will still do, what the person may still do, the proof."""
        _what_remains(self.flow, options, ui)


_LOOKING_FOR = N_("Looking for the objection form on {platform}…")  # unless the flow file says (looking_for)


def person_fields(form: FoundForm) -> list[Locator]:
    """The form's fields for the person's values (settings.values.PERSON_VALUES), those it has."""
    return [field for _value, field in form.value_fields()]


def _dry_run_done(walker: Walker, form: FoundForm, options: RunOptions, ui: Ui, report: RunReport) -> ExitStatus:
    """The form is ready: shown in a screenshot, banner and outlines drawn as the person would see them, once it
    is certain that nothing sent it or replaced it."""
    walker.ensure_form_untouched()
    show_form_banner(
        walker.page, form.submit, person_fields(form), form.left_to_person, platform_name(options.platform)
    )
    path = screenshot(walker.page, options, "screenshots", "form", ui)
    walker.ensure_form_untouched()  # a page that sent itself a moment late is caught here, still blocked
    report.receipt = path
    ui.success(_("Dry run: the form is ready and nothing was submitted. Screenshot: {path}").format(path=path))
    return ExitStatus.SUCCESS


def _code_prompt(page: Page, flow: FormFlow, vocabulary: Vocabulary) -> Locator:
    """A one-time code field: by its autocomplete hint, or by Meta's words for it."""
    by_hint = page.locator("input[autocomplete=one-time-code]")
    if flow.code_prompt:
        by_hint = by_hint.or_(page.get_by_label(vocabulary.pattern_any(flow.code_prompt)))
    return by_hint.filter(visible=True).first


def _wait_for_person(
    page: Page,
    options: RunOptions,
    watch: PersonWatch,
    form: FoundForm,
    code_prompt: Locator,
    button: str,
    ui: Ui,
    report: RunReport,
) -> ExitStatus:
    """Wait for Meta's confirmation of the person's own submission, record it at once, then keep its receipt.

    Only what the tool saw is said: a submission it did not see is "not sent", one it saw without Meta's
    confirmation is "sent, confirmation not seen" — never "Meta confirmed".
    """
    waited = duration(options.browser.timeouts.user)
    ui.say(
        _(
            "Your form is ready in the browser. Please check it, then click {button} yourself — optout-bot will not."
        ).format(button=button)
    )
    site = site_of(options.platform)
    company = site.company

    def on_code(page: Page) -> None:
        ui.say(
            _(
                "{company} sent you a code by email. Type it in the browser and confirm; optout-bot keeps waiting."
            ).format(company=company)
        )
        ask_for_code(page, platform_name(options.platform))
        ui.activity(_("Waiting for {company}'s confirmation…").format(company=company))

    controls = form.submit.or_(form.email)
    timeout = options.browser.timeouts.user
    waiting = _("Waiting for {company}'s confirmation…").format(company=company)  # the clock says how long
    with ui.countdown(waiting, timeout) as clock:
        result = await_person(watch, controls, code_prompt, site, timeout, on_code, clock)
    if result.outcome is not Outcome.CONFIRMED:
        raise NotSubmittedError(not_confirmed(result, waited, company))
    report.confirmation_text = result.confirmation
    report.confirmation_url = page.url
    report.record_outcome(ExitStatus.SUCCESS)  # in the ledger before the receipt, which may fail
    progress.reach(progress.Stage.CONFIRMED)
    ui.success(
        _("{company} confirmed your objection: “{confirmation}”").format(
            company=company, confirmation=result.confirmation
        )
    )
    told = N_("Receipt (a screenshot of {company}'s confirmation): {path}")
    report.receipt = save_receipt(page, options, ui, "confirmation", told)
    return ExitStatus.SUCCESS


def not_confirmed(result: Result, waited: str, company: str) -> str:
    """Why the wait ended without the platform's confirmation, saying exactly what the tool saw of the form."""
    if result.submitted and result.outcome is Outcome.CLOSED:
        return _(
            "the tab was closed after your form was sent, before optout-bot saw {company}'s confirmation: check "
            "your email for {company}'s answer, and run optout-bot again if none comes."
        ).format(company=company)
    if result.submitted:
        return _(
            "your form was sent, but optout-bot saw no confirmation from {company} after {duration}: check your "
            "email for {company}'s answer, and run optout-bot again if none comes."
        ).format(company=company, duration=waited)
    if result.outcome is Outcome.CLOSED:
        return _(
            "the tab was closed before {company} confirmed anything: your objection was not sent. "
            "Run optout-bot again when you are ready."
        ).format(company=company)
    return _(
        "no confirmation from {company} after {duration}: your objection was probably not sent. "
        "Run optout-bot again when you have time (or raise --user-timeout)."
    ).format(company=company, duration=waited)


def _what_remains(flow: FormFlow, options: RunOptions, ui: Ui) -> None:
    """After the platform's confirmation: what it will still do (the flow file's `after`), what the person may
    still have to do, the proof."""
    ui.say(_("What happens next:"))
    for step in flow.after:
        ui.step(_(step).format(platform=platform_name(options.platform)))
    others = _other_accounts_to_do(options)
    if others:
        names = ", ".join(f"{name} ({platform_name(platform)})" for name, platform in others)
        ui.step(
            ngettext(
                "Your other saved account is not confirmed yet: {accounts}. If it needs an objection of its own, "
                "run optout-bot run --all.",
                "Your other saved accounts are not confirmed yet: {accounts}. For those that need an objection of "
                "their own, run optout-bot run --all.",
                len(others),
            ).format(accounts=names)
        )
    ui.step(
        _(
            "For a proof document with your receipt (to keep, or to send to a data-protection authority): "
            "optout-bot report"
        )
    )


def _other_accounts_to_do(options: RunOptions) -> list[tuple[str, str]]:
    """The saved accounts, other than this one, whose objection is not confirmed yet."""
    from optout_bot.records.ledger import Ledger
    from optout_bot.settings.config import load_config

    try:
        accounts = [a for a in load_config().accounts if (a.name, a.platform) != (options.account, options.platform)]
        if not accounts:
            return []
        with Ledger.open() as ledger:
            return [(a.name, a.platform) for a in accounts if ledger.confirmed(a.name, a.platform) is None]
    except (OptoutError, OSError):  # the advice is a courtesy: the objection itself is done and recorded
        return []
