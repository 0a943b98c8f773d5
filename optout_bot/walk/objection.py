"""One objection, from opening the browser to the receipt: the steps of `run` and `demo` in order.

What happens at the place itself depends on its kind: walk/places/ (a form, a setting).
Imported only when a browser is needed, so Playwright is never loaded for --help or `flows check`.
"""

from __future__ import annotations

from contextlib import suppress

# Playwright raises it for any call on a page, context or browser that was closed; it does not export it.
from playwright._impl._errors import TargetClosedError
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from optout_bot import progress
from optout_bot.errors import ExitStatus, NotSubmittedError, OptoutError, UsageError
from optout_bot.flows import Flow, Route, Vocabulary, load_flow, load_vocabulary
from optout_bot.flows.loader import files_read
from optout_bot.flows.model import GotoStep
from optout_bot.i18n import _
from optout_bot.platforms import platform_name
from optout_bot.promises.scrub import remember_run
from optout_bot.records.recording import RunReport, recorded_run
from optout_bot.settings.options import RunOptions
from optout_bot.ui import Ui
from optout_bot.walk.browser import has_display
from optout_bot.walk.door import WalkContext, open_walk
from optout_bot.walk.handover import Outcome, Result
from optout_bot.walk.places import place_for
from optout_bot.walk.places.form import not_confirmed
from optout_bot.walk.targets import warm_patterns
from optout_bot.walk.walker import FROM_LINK_ROUTE

# The words and the flow of a walk, read, checked and their patterns compiled by prepare_walk in the thread that
# checks the command line while Playwright's driver starts (optout_bot.walk.driver), and taken by the walk that
# follows: ~50 ms of reading YAML and compiling patterns no longer between the browser's start and its first page
# (scripts/bench.py). Keyed by the files they were read from, so a file changed in between is read again.
_prepared: dict[tuple[object, ...], tuple[Vocabulary, Flow]] = {}


def prepare_walk(options: RunOptions) -> None:
    """Read what the walk of `options` will walk by, ahead of it (see _prepared). A flow that cannot be read is
    left for the walk to read again and report, as it always did: recorded in the ledger with its run."""
    try:
        key = _files_of(options)
        vocabulary = load_vocabulary()
        flow = load_flow(options.platform, vocabulary, flow=options.flow)
    except (OptoutError, OSError):
        return
    warm_patterns(flow, vocabulary)
    _prepared[key] = (vocabulary, flow)


def _read(options: RunOptions) -> tuple[Vocabulary, Flow]:
    """The words and the flow of `options`: prepared ahead (prepare_walk), else read now."""
    with suppress(OSError):
        prepared = _prepared.pop(_files_of(options), None)
        if prepared is not None:
            return prepared
    vocabulary = load_vocabulary()
    return vocabulary, load_flow(options.platform, vocabulary, flow=options.flow)


def _files_of(options: RunOptions) -> tuple[object, ...]:
    """Which files a walk reads its flow and words from, and as they are now (size, time of change)."""
    paths = files_read(options.platform, options.flow)
    return tuple((str(path), stat.st_size, stat.st_mtime_ns) for path in paths for stat in [path.stat()])


def run_objection(pw: Playwright, options: RunOptions, ui: Ui | None = None, *, advice: bool = True) -> ExitStatus:
    """One account's objection, recorded in the ledger from before the browser opens to its outcome.

    `pw`: Playwright's driver, started by the caller (optout_bot.walk.driver). `advice`: after Meta's
    confirmation, say what remains (other accounts, the proof document).
    """
    ui = ui or Ui()
    with recorded_run(options.account, options.platform, options.dry_run, options.flow) as report:
        status = _walk(pw, options, ui, report)
    if status is ExitStatus.SUCCESS and report.confirmation_text is not None and advice:
        place_for(load_flow(options.platform, flow=options.flow)).after_success(options, ui)
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
    return place_for(load_flow(options.platform, flow=options.flow)).summed_up(options)


def run_demo(pw: Playwright, options: RunOptions, ui: Ui | None = None) -> ExitStatus:
    """The same walk, unchanged, against the bundled mock of Meta's site served on Meta's host names.

    `options.browser.demo_page_lang` says so to the door (optout_bot.walk.door), which serves the imitation.
    """
    from dataclasses import replace

    ui = ui or Ui()
    if not options.browser.headless and not has_display():
        ui.say(_("No screen found for a browser window: showing the demo without one (--headless --dry-run)."))
        options = replace(options, browser=replace(options.browser, headless=True), dry_run=True)
    return _walk(pw, options, ui, RunReport())  # a rehearsal on imitation pages: not for the ledger


def _walk(pw: Playwright, options: RunOptions, ui: Ui, report: RunReport) -> ExitStatus:
    remember_run(options)  # hidden from the log and any diagnostic from now on (scrub.py)
    try:
        vocabulary, flow = _read(options)
        if options.from_link:
            flow = _starting_from(flow, options.from_link)
        place = place_for(flow)
        try:
            with open_walk(pw, options.browser, flow, vocabulary, ui) as walk:
                status = place.walk(walk, options, report)
                _leave_open_for_the_person(walk, flow.site.company)
                return status
        except TargetClosedError:
            stage = progress.stage()
            if stage is None or stage is progress.Stage.WALKING:
                raise NotSubmittedError(_(place.closed_mid_walk)) from None
            if stage is progress.Stage.CONFIRMED:
                raise  # recorded, receipt handled: a closed tab cannot get here; this is a bug
            # Closed while the banner was being drawn: what the wait would have said of a closed tab.
            submitted = stage is progress.Stage.SUBMITTED
            company = flow.site.company
            raise NotSubmittedError(not_confirmed(Result(Outcome.CLOSED, submitted=submitted), "", company)) from None
    finally:
        ui.close()  # the spinner stops before the command line prints how it ended


def _leave_open_for_the_person(walk: WalkContext, company: str) -> None:
    """After the confirmation and its receipt, the window is the person's to read and close: the tool's own
    browser would otherwise close with the walk, seconds after the confirmation appeared.

    Only a window of the tool's own (an attached browser keeps its tabs anyway; a headless one has no window), and
    no longer than the person's own wait. Ctrl-C, or a window closed, ends it: the objection is done either way.
    """
    if progress.stage() is not progress.Stage.CONFIRMED or walk.session.attached or walk.options.headless:
        return
    walk.ui.say(
        _(
            "The window stays open so you can read {company}'s page: close it when you are done "
            "(optout-bot has its receipt)."
        ).format(company=company)
    )
    page = walk.page
    try:
        if not page.is_closed():
            page.wait_for_event("close", timeout=walk.options.timeouts.user * 1000)  # the tab, or its whole window
    except PlaywrightTimeout:
        walk.ui.say(_("Closing the browser window."))
    except (KeyboardInterrupt, PlaywrightError):  # Ctrl-C (which may stop the driver first), or closed meanwhile
        return


def _starting_from(flow: Flow, link: str) -> Flow:
    """The flow with the link from Meta's email as its first route; the usual routes stay as fallbacks."""
    route = Route(
        id=FROM_LINK_ROUTE, source="the link in Meta's email, given with --from-link", steps=[GotoStep(goto=link)]
    )
    return flow.model_copy(update={"routes": [route, *flow.routes]})
