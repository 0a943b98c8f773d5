"""One objection, from opening the browser to the receipt: the steps of `run` and `demo` in order.

Imported only when a browser is needed, so Playwright is never loaded for --help or `flows check`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

# Playwright raises it for any call on a page, context or browser that was closed; it does not export it.
from playwright._impl._errors import TargetClosedError
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Playwright, sync_playwright

from optout_bot import progress
from optout_bot.domains import is_site_url, without_query
from optout_bot.errors import ExitStatus, NotRecognisedError, NotSubmittedError, OptoutError, RefusedError, UsageError
from optout_bot.flows import Flow, Route, Vocabulary, load_flow, load_vocabulary
from optout_bot.flows.model import GotoStep
from optout_bot.i18n import N_, _, ngettext
from optout_bot.paths import demo_profile, make_private, profile_dir, timestamped_file
from optout_bot.platforms import Site, platform_name, site_of
from optout_bot.promises.scrub import remember_run
from optout_bot.records.recording import RunReport, recorded_run
from optout_bot.settings.options import RunOptions
from optout_bot.ui import Ui, duration
from optout_bot.walk.browser import BrowserSession, SessionRequest, find_browser, has_display, open_session
from optout_bot.walk.diagnostics import save_diagnostic
from optout_bot.walk.filling import fill_form
from optout_bot.walk.handover import (
    Outcome,
    PersonWatch,
    Result,
    ask_for_code,
    ask_to_log_in,
    await_person,
    present_form,
)
from optout_bot.walk.setting import (
    OFF,
    Watch,
    await_switched_off,
    find_setting,
    present_setting,
    read_state,
    setting_label,
)
from optout_bot.walk.walker import FROM_LINK_ROUTE, FormNotFound, FoundForm, Walker


def run_objection(pw: Playwright, options: RunOptions, ui: Ui | None = None, *, advice: bool = True) -> ExitStatus:
    """One account's objection, recorded in the ledger from before the browser opens to its outcome.

    `pw`: Playwright's driver, started by the caller (optout_bot.walk.driver). `advice`: after Meta's
    confirmation, say what remains (other accounts, the proof document).
    """
    ui = ui or Ui()
    with recorded_run(options.account, options.platform, options.dry_run, options.flow) as report:
        status = _walk(pw, options, _session_request(options), ui, report)
    if status is ExitStatus.SUCCESS and report.confirmation_text is not None and advice:
        _what_remains(options, ui)
    return status


def run_each(pw: Playwright, runs: list[RunOptions], ui: Ui | None = None) -> ExitStatus:
    """`run --all`: every account in turn; one that fails does not stop the others. The first failure's code."""
    ui = ui or Ui()
    results: list[tuple[RunOptions, ExitStatus, str]] = []
    for number, options in enumerate(runs, start=1):
        ui.say(
            _("Account {number} of {total}: {account} ({platform})").format(
                number=number, total=len(runs), account=options.account, platform=platform_name(options.platform)
            )
        )
        try:
            status = run_objection(pw, options, ui, advice=False)
            message = _outcome_in_summary(options)
        except UsageError:
            raise  # bad input or a damaged ledger: the same for every account, so stop here
        except OptoutError as exc:
            ui.warn(exc.message)
            status, message = exc.status, exc.message
        results.append((options, status, message))
    ui.say(_("Summary:"))
    for options, _status, message in results:
        ui.step(
            _("{account} ({platform}): {outcome}").format(
                account=options.account, platform=platform_name(options.platform), outcome=message
            )
        )
    if any(status is ExitStatus.SUCCESS for _options, status, _message in results) and not runs[0].dry_run:
        ui.say(_("Your receipts are listed by `optout-bot status`; `optout-bot report` makes a proof document."))
    failed = (status for _options, status, _message in results if status is not ExitStatus.SUCCESS)
    return next(failed, ExitStatus.SUCCESS)


def _outcome_in_summary(options: RunOptions) -> str:
    """How a successful run of `run --all` is summed up for its account."""
    if options.dry_run:
        return _("ready, nothing submitted or switched (dry run)")
    if load_flow(options.platform, flow=options.flow).kind == "setting":
        return _("the setting is off")
    return _("confirmed by {company}").format(company=site_of(options.platform).company)


def _session_request(options: RunOptions) -> SessionRequest:
    if options.cdp_url:
        return SessionRequest(headless=False, cdp_url=options.cdp_url)
    return SessionRequest(
        headless=options.headless,
        profile_dir=profile_dir(options.profile),
        extra_args=list(options.browser_args),
    )


def run_demo(options: RunOptions, page_lang: str, ui: Ui | None = None) -> ExitStatus:
    """The same walk, unchanged, against the bundled mock of Meta's site served on Meta's host names."""
    from dataclasses import replace

    from optout_bot.mock_site import MockMeta, Scenario

    ui = ui or Ui()
    if not options.headless and not has_display():
        ui.say(_("No screen found for a browser window: showing the demo without one (--headless --dry-run)."))
        options = replace(options, headless=True, dry_run=True)
    with (
        MockMeta(Scenario(lang=page_lang)) as site,
        demo_profile() as profile,  # in the cache folder: one left by a killed demo is removed next time
        sync_playwright() as pw,
    ):
        ui.say(
            _("Demo: {platform}'s pages are imitated by a local server; nothing leaves this computer.").format(
                platform=platform_name(options.platform)
            )
        )
        request = SessionRequest(
            headless=options.headless,
            profile_dir=profile,
            extra_args=[*site.chromium_args(), *options.browser_args],
            ignore_https_errors=True,
        )
        return _walk(pw, options, request, ui, RunReport())  # a rehearsal on imitation pages: not for the ledger


def _walk(pw: Playwright, options: RunOptions, request: SessionRequest, ui: Ui, report: RunReport) -> ExitStatus:
    remember_run(options)  # hidden from the log and any diagnostic from now on (scrub.py)
    try:
        return _walk_in_browser(pw, options, request, ui, report)
    except TargetClosedError:
        stage = progress.stage()
        if stage is None or stage is progress.Stage.WALKING:
            raise NotSubmittedError(_closed_mid_walk(options)) from None
        if stage is progress.Stage.CONFIRMED:
            raise  # recorded, receipt handled: a closed tab cannot get here; this is a bug
        # Closed while the banner was being drawn: what the wait would have said of a closed tab.
        submitted = stage is progress.Stage.SUBMITTED
        company = site_of(options.platform).company
        raise NotSubmittedError(_not_confirmed(Result(Outcome.CLOSED, submitted=submitted), "", company)) from None
    finally:
        ui.close()  # the spinner stops before the command line prints how it ended


def _closed_mid_walk(options: RunOptions) -> str:
    """The person closed the browser window, or the tool's tab, while the tool was still walking."""
    if load_flow(options.platform, flow=options.flow).kind == "setting":
        return _(
            "the browser window or optout-bot's tab was closed before the setting was found: nothing was "
            "switched. Run optout-bot again when you are ready."
        )
    return _(
        "the browser window or optout-bot's tab was closed before the form was ready: nothing was submitted. "
        "Run optout-bot again when you are ready."
    )


def _walk_in_browser(
    pw: Playwright, options: RunOptions, request: SessionRequest, ui: Ui, report: RunReport
) -> ExitStatus:
    vocabulary = load_vocabulary()
    flow = load_flow(options.platform, vocabulary, flow=options.flow)
    if options.from_link:
        flow = _starting_from(flow, options.from_link)
    if request.cdp_url:
        ui.say(_("Attaching to your browser at {address}…").format(address=request.cdp_url))
    else:  # only a browser we start has to be found; an attached one is already running
        choice = find_browser(pw, channel=options.channel, executable_path=options.executable_path)
        request.channel, request.executable_path = choice.channel, choice.executable_path
        ui.say(_("Opening {browser}…").format(browser=choice.description))
    with open_session(pw, request) as session, _closing_a_refused_tab(session, flow.site):
        page = session.page
        walker = Walker(page, flow, vocabulary, ui, options.timeouts, on_login_needed=ask_to_log_in)
        if flow.kind == "setting":
            return _setting_walk(walker, options, ui, report)
        for note in flow.notes:  # the flow file's words, translated by the catalogue (flows/messages.py)
            ui.say(_(note).format(platform=platform_name(options.platform)))
        ui.say(_(flow.looking_for or _LOOKING_FOR).format(platform=platform_name(options.platform)))
        try:
            form = walker.find_form()
        except FormNotFound as missing:
            if page.is_closed():  # every route failed because the person closed the tab, not because of Meta
                raise NotSubmittedError(_closed_mid_walk(options)) from None
            if missing.wrong_form_url:
                raise RefusedError(
                    _(
                        "Meta only led to its form for information that others shared about you ({address}), "
                        "not the one for your own information; optout-bot filled nothing. Try again later, or "
                        "look in Meta's Privacy Center yourself."
                    ).format(address=without_query(missing.wrong_form_url))
                ) from None
            folder = save_diagnostic(page, options.platform, missing.trail, options.values.email)
            raise NotRecognisedError(
                _(
                    "optout-bot did not recognise {company}'s pages (they may have changed); nothing was filled. "
                    "A diagnostic without your personal data is in {folder} — please attach it to a report."
                ).format(company=flow.site.company, folder=folder)
            ) from None
        ui.step(
            _("Found the form at {address} (route: {route}).").format(address=without_query(form.url), route=form.route)
        )
        report.form_url, report.route = form.url, form.route
        walker.show_filling()
        filled = fill_form(form, options.values, ui, walker, flow.site.company)
        for line in filled:
            ui.step(line)
        if options.dry_run:
            return _dry_run_done(walker, options, ui, report)
        # The form as filled and unsent is handed over before the person is told to click: their own Submit
        # must go through.
        walker.hand_over()
        watch = PersonWatch(page, vocabulary.pattern_any(flow.confirmation))  # before the banner: no click is missed
        button = present_form(page, form.submit, filled, flow.site.company)
        code_prompt = _code_prompt(page, flow, vocabulary)
        return _wait_for_person(page, options, watch, form, code_prompt, button, ui, report)


@contextmanager
def _closing_a_refused_tab(session: BrowserSession, site: Site) -> Iterator[None]:
    """In the person's own browser (--cdp), the tool's tab is closed if the walk was refused off the site: a
    phishing page is not left open among their tabs. (Our own browser closes with the run anyway.)"""
    try:
        yield
    except RefusedError:
        page = session.page
        if session.attached and not page.is_closed() and not is_site_url(page.url, site):
            with suppress(PlaywrightError):
                page.close()
        raise


_LOOKING_FOR = N_("Looking for the objection form on {platform}…")  # unless the flow file says (looking_for)


def _setting_walk(walker: Walker, options: RunOptions, ui: Ui, report: RunReport) -> ExitStatus:
    """A setting (LinkedIn's, X's): find it, read it, and if it is on, let the person switch it off."""
    platform = platform_name(options.platform)
    ui.say(_("Looking for the AI-training setting on {platform}…").format(platform=platform))
    try:
        found = find_setting(walker, options.platform)
    except NotRecognisedError:
        if walker.page.is_closed():  # every route failed because the person closed the tab
            raise NotSubmittedError(_closed_mid_walk(options)) from None
        raise
    report.form_url, report.route = found.url, found.route
    walker.show_reading()
    name = setting_label(found.control) or _("the AI-training setting")
    report.setting_before = read_state(found.control)
    if report.setting_before == OFF:
        report.setting_after = OFF
        report.record_outcome(ExitStatus.SUCCESS)  # in the ledger before the receipt, which may fail
        ui.success(
            _("“{setting}” is already off on {platform}: nothing to do.").format(setting=name, platform=platform)
        )
        report.receipt = _save_receipt(walker.page, options, ui, "setting-off", _SETTING_RECEIPT, receipts_folder=False)
        return ExitStatus.SUCCESS
    ui.warn(
        _("“{setting}” is on: {platform} may use your data to train its AI.").format(setting=name, platform=platform)
    )
    if options.dry_run:
        report.receipt = _screenshot(walker.page, options, "screenshots", "setting", ui)
        ui.success(
            _("Dry run: the setting is on and was left as it is. Screenshot: {path}").format(path=report.receipt)
        )
        return ExitStatus.SUCCESS
    progress.reach(progress.Stage.HANDED_OVER, progress.Kind.SETTING)  # from here on, the switch is the person's
    present_setting(found.control, platform, name)
    waited = duration(options.timeouts.user)
    ui.say(_("Please switch it off yourself in the browser — optout-bot will not."))
    ui.activity(_("Waiting up to {duration} for the switch to show “off”…").format(duration=waited))
    watched = await_switched_off(found.control, options.timeouts.user)
    if watched is Watch.CLOSED:
        raise NotSubmittedError(
            _(
                "the tab was closed before optout-bot saw the setting off. Run optout-bot again to check it "
                "(and to switch it off if it is still on)."
            )
        )
    if watched is Watch.TIMED_OUT:
        report.setting_after = read_state(found.control)
        raise NotSubmittedError(
            _(
                "the setting was still on after {duration}. Run optout-bot again when you have time "
                "(or raise --user-timeout)."
            ).format(duration=waited)
        )
    report.setting_after = OFF
    report.record_outcome(ExitStatus.SUCCESS)  # in the ledger before the receipt, which may fail
    progress.reach(progress.Stage.CONFIRMED)
    ui.success(_("“{setting}” is now off on {platform}.").format(setting=name, platform=platform))
    report.receipt = _save_receipt(walker.page, options, ui, "setting-off", _SETTING_RECEIPT, receipts_folder=False)
    ui.say(_("Platforms have switched such settings back on before: `optout-bot verify` checks them again later."))
    return ExitStatus.SUCCESS


_SETTING_RECEIPT = N_("Receipt (a screenshot of the setting): {path}")


def _screenshot(
    page: Page, options: RunOptions, folder: str, what: str, ui: Ui | None = None, receipt: bool = False
) -> Path:
    """A full-page screenshot, private to the person: --screenshot if given (not for a receipt, which always
    goes to the receipts folder), else a new file in the data folder.

    --screenshot was checked while planning (paths.check_screenshot_path): only an earlier picture is replaced.
    """
    chosen = None if receipt else options.screenshot
    path = chosen or timestamped_file(folder, f"{options.account}-{options.platform}-{what}", ".png")
    if ui is not None and path.exists():
        ui.say(_("Replacing the earlier picture {path}.").format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    make_private(path)
    return path


def _starting_from(flow: Flow, link: str) -> Flow:
    """The flow with the link from Meta's email as its first route; the usual routes stay as fallbacks."""
    route = Route(
        id=FROM_LINK_ROUTE, source="the link in Meta's email, given with --from-link", steps=[GotoStep(goto=link)]
    )
    return flow.model_copy(update={"routes": [route, *flow.routes]})


def _dry_run_done(walker: Walker, options: RunOptions, ui: Ui, report: RunReport) -> ExitStatus:
    """The form is ready: shown in a screenshot, once it is certain that nothing sent it or replaced it."""
    walker.ensure_form_untouched()
    path = _screenshot(walker.page, options, "screenshots", "form", ui)
    walker.ensure_form_untouched()  # a page that sent itself a moment late is caught here, still blocked
    report.receipt = path
    ui.success(_("Dry run: the form is ready and nothing was submitted. Screenshot: {path}").format(path=path))
    return ExitStatus.SUCCESS


def _code_prompt(page: Page, flow: Flow, vocabulary: Vocabulary) -> Locator:
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
    waited = duration(options.timeouts.user)
    ui.say(
        _(
            "Your form is ready in the browser. Please check it, then click {button} yourself — optout-bot will not."
        ).format(button=button)
    )
    site = site_of(options.platform)
    company = site.company
    ui.activity(_("Waiting up to {duration} for {company}'s confirmation…").format(duration=waited, company=company))

    def on_code(page: Page) -> None:
        ui.say(
            _(
                "{company} sent you a code by email. Type it in the browser and confirm; optout-bot keeps waiting."
            ).format(company=company)
        )
        ask_for_code(page)
        ui.activity(_("Waiting for {company}'s confirmation…").format(company=company))

    controls = form.submit.or_(form.email)
    result = await_person(watch, controls, code_prompt, site, options.timeouts.user, on_code)
    if result.outcome is not Outcome.CONFIRMED:
        raise NotSubmittedError(_not_confirmed(result, waited, company))
    report.confirmation_text = result.confirmation
    report.record_outcome(ExitStatus.SUCCESS)  # in the ledger before the receipt, which may fail
    progress.reach(progress.Stage.CONFIRMED)
    ui.success(
        _("{company} confirmed your objection: “{confirmation}”").format(
            company=company, confirmation=result.confirmation
        )
    )
    told = N_("Receipt (a screenshot of {company}'s confirmation): {path}")
    report.receipt = _save_receipt(page, options, ui, "confirmation", told)
    return ExitStatus.SUCCESS


def _not_confirmed(result: Result, waited: str, company: str) -> str:
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


def _save_receipt(
    page: Page, options: RunOptions, ui: Ui, what: str, told: str, *, receipts_folder: bool = True
) -> Path | None:
    """The receipt of an outcome already recorded: a screenshot, or one warning line if it cannot be saved.

    `receipts_folder`: False lets --screenshot choose the file, as a setting's receipt always did.
    """
    try:
        path = _screenshot(page, options, "receipts", what, ui, receipt=receipts_folder)
    except (OSError, PlaywrightError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
        ui.warn(
            _(
                "the receipt (a screenshot) could not be saved ({reason}); the outcome is recorded all the same: "
                "see `optout-bot status`."
            ).format(reason=reason)
        )
        return None
    ui.say(_(told).format(path=path, company=site_of(options.platform).company))
    return path


def _what_remains(options: RunOptions, ui: Ui) -> None:
    """After the platform's confirmation: what it will still do (the flow file's `after`), what the person may
    still have to do, the proof."""
    ui.say(_("What happens next:"))
    for step in load_flow(options.platform, flow=options.flow).after:
        ui.step(_(step).format(platform=platform_name(options.platform)))
    others = _other_accounts_to_do(options)
    if others:
        names = ", ".join(f"{name} ({platform_name(platform)})" for name, platform in others)
        ui.step(
            ngettext(
                "Your other saved account is not confirmed yet: {accounts}. If it is not linked in the same "
                "Accounts Center, run optout-bot run --all.",
                "Your other saved accounts are not confirmed yet: {accounts}. For those not linked in the same "
                "Accounts Center, run optout-bot run --all.",
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
    """The saved accounts, other than this one, whose objection Meta has not confirmed yet."""
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
