"""Putting a run in the ledger: a row the moment it starts, its outcome the moment it is known.

The row is committed before the browser opens, so a run that is killed still leaves a trace ('interrupted');
whatever ends the run — success, an expected failure, Ctrl-C, a bug — writes its outcome before the
exception goes on to the command line. A confirmation is recorded the moment it is seen
(`RunReport.record_outcome`), before its receipt is saved: a receipt that cannot be written (a full disk, a
folder that is not one) must not turn a confirmed objection into a failure. The receipt is attached after.

What is recorded never claims more than the walk knew (optout_bot.progress): a run stopped after the person's
form was seen sent is 'unconfirmed', not 'not_submitted'; Ctrl-C while the form or setting was in the
person's hands is 'interrupted', since the tool cannot know what they did meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from loguru import logger

from optout_bot import progress
from optout_bot.errors import ExitStatus, OptoutError
from optout_bot.records.ledger import OWN_FLOW, Ledger, Outcome


@dataclass
class RunReport:
    """What the walk learns as it goes; the runner fills it in, the ledger keeps it."""

    form_url: str | None = None
    route: str | None = None
    confirmation_text: str | None = None
    receipt: Path | None = None
    # A setting (LinkedIn's, X's): "on" or "off" as the tool read it when it got there, and at the end.
    setting_before: str | None = None
    setting_after: str | None = None
    setting_label: str | None = None  # the setting's name as its page wrote it
    account_shown: str | None = None  # the account as the site named it at the hand-over ("Jane Doe")
    # What the person's form carried when they sent it: (the field's label, the value), the flow's fields only.
    submitted: tuple[tuple[str, str], ...] | None = None
    confirmation_url: str | None = None  # the page that showed the platform's confirmation
    # Set by recorded_run: records the outcome in the ledger at once. None: a run not recorded (the demo).
    _record: Callable[[ExitStatus], None] | None = field(default=None, repr=False, compare=False)
    _record_submission: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def record_outcome(self, status: ExitStatus = ExitStatus.SUCCESS) -> None:
        """Record the outcome now, with what the report holds; a receipt set later is attached to it."""
        if self._record is not None:
            self._record(status)

    def record_submission(self) -> None:
        """Record `submitted` and `account_shown` now, the moment the person's form was seen sent. Never raises:
        it runs in the browser's event handler, and `finish` records them with the outcome if this could not."""
        if self._record_submission is not None:
            try:
                self._record_submission()
            except Exception as exc:  # a busy or full disk: the outcome, written later, carries them
                logger.warning("the submitted values could not be recorded at once: {}", exc)


def _outcome(status: ExitStatus, dry_run: bool) -> Outcome:
    """The outcome of a run ending with `status`, in the words of what the walk saw (optout_bot.progress)."""
    if status is ExitStatus.NOT_SUBMITTED and progress.stage() is progress.Stage.SUBMITTED:
        return Outcome.UNCONFIRMED
    return Outcome.of(status, dry_run)


def _interrupted() -> Outcome:
    """Ctrl-C: nothing was submitted while the tool walked; once the person had the form, it cannot know."""
    stage = progress.stage()
    if stage is progress.Stage.SUBMITTED:
        return Outcome.UNCONFIRMED
    if stage is None or stage is progress.Stage.WALKING:
        return Outcome.NOT_SUBMITTED
    return Outcome.INTERRUPTED


@contextmanager
def recorded_run(
    account: str, platform: str, dry_run: bool, flow: str = OWN_FLOW, ledger_path: Path | None = None
) -> Iterator[RunReport]:
    """`with recorded_run(...) as report:` — the block fills `report`; leaving it normally means success.

    `flow`: which of the platform's flows the run walks ("own", "third-party"). A run's failures are
    exceptions (`OptoutError` carries its exit status); whatever the block put in `report` by then, a setting's
    states included, is recorded with the outcome. The block may record its outcome earlier
    (`report.record_outcome()`); then only a receipt it sets afterwards is added.
    """
    with Ledger.open(ledger_path) as ledger:
        run_id = ledger.start_run(account, platform, dry_run, flow)
        progress.begin()
        which = platform if flow == OWN_FLOW else f"{platform} ({flow})"
        logger.info("run {} of {} on {} started{}", run_id, account, which, " (dry run)" if dry_run else "")
        report = RunReport()
        recorded: list[Path | None] = []  # the receipt recorded with the outcome, once it is recorded

        def finish(status: ExitStatus, outcome: Outcome | None = None) -> None:
            if recorded:
                return
            outcome = outcome or _outcome(status, dry_run)
            logger.info("run {} of {} on {} ended: {} (exit {})", run_id, account, platform, outcome.value, int(status))
            ledger.finish_run(
                run_id,
                outcome,
                int(status),
                report.form_url,
                report.route,
                report.confirmation_text,
                report.receipt,
                setting_before=report.setting_before,
                setting_after=report.setting_after,
                account_shown=report.account_shown,
                submitted=report.submitted,
                confirmation_url=report.confirmation_url,
                setting_label=report.setting_label,
            )
            recorded.append(report.receipt)

        def submission() -> None:
            if report.submitted is not None and not recorded:
                ledger.record_submission(run_id, report.submitted, report.account_shown)

        report._record = finish
        report._record_submission = submission
        try:
            yield report
        except OptoutError as exc:
            finish(exc.status)
            raise
        except KeyboardInterrupt:
            finish(ExitStatus.NOT_SUBMITTED, _interrupted())  # cli.main words it from the same progress
            raise
        except Exception:
            finish(ExitStatus.BUG)
            raise
        finish(ExitStatus.SUCCESS)
        if report.receipt is not None and recorded[0] is None:
            _attach(ledger, run_id, report.receipt)


def _attach(ledger: Ledger, run_id: int, receipt: Path) -> None:
    """The receipt, saved after the outcome was recorded. The outcome stands if the ledger cannot take it."""
    try:
        ledger.attach_receipt(run_id, receipt)
    except OptoutError as exc:
        logger.warning("run {}: the receipt {} could not be added to the ledger: {}", run_id, receipt, exc.message)
