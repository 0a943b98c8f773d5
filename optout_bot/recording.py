"""Putting a run in the ledger: a row the moment it starts, its outcome the moment it ends.

The row is committed before the browser opens, so a run that is killed still leaves a trace ('interrupted');
whatever ends the run — success, an expected failure, Ctrl-C, a bug — writes its outcome before the
exception goes on to the command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from loguru import logger

from optout_bot.errors import ExitStatus, OptoutError
from optout_bot.ledger import OWN_FLOW, Ledger, Outcome


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


@contextmanager
def recorded_run(
    account: str, platform: str, dry_run: bool, flow: str = OWN_FLOW, ledger_path: Path | None = None
) -> Iterator[RunReport]:
    """`with recorded_run(...) as report:` — the block fills `report`; leaving it normally means success.

    `flow`: which of the platform's flows the run walks ("own", "third-party"). A run's failures are
    exceptions (`OptoutError` carries its exit status); whatever the block put in `report` by then, a setting's
    states included, is recorded with the outcome.
    """
    with Ledger.open(ledger_path) as ledger:
        run_id = ledger.start_run(account, platform, dry_run, flow)
        which = platform if flow == OWN_FLOW else f"{platform} ({flow})"
        logger.info("run {} of {} on {} started{}", run_id, account, which, " (dry run)" if dry_run else "")
        report = RunReport()

        def finish(status: ExitStatus) -> None:
            logger.info("run {} of {} on {} ended: {} (exit {})", run_id, account, platform, status.name, int(status))
            ledger.finish_run(
                run_id,
                Outcome.of(status, dry_run),
                int(status),
                report.form_url,
                report.route,
                report.confirmation_text,
                report.receipt,
                setting_before=report.setting_before,
                setting_after=report.setting_after,
            )

        try:
            yield report
        except OptoutError as exc:
            finish(exc.status)
            raise
        except KeyboardInterrupt:
            finish(ExitStatus.NOT_SUBMITTED)  # the command line says the same: stopped, nothing submitted
            raise
        except Exception:
            finish(ExitStatus.BUG)
            raise
        finish(ExitStatus.SUCCESS)
