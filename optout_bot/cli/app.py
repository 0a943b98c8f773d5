"""The command line. Kept free of Playwright imports so `--help` and `flows check` start fast.

Expected failures (`OptoutError`) become one line and their exit code; anything else is a bug:
exit 1, with the traceback only under --debug.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from optout_bot import __version__
from optout_bot.bundled import FLOWS_DIR, use_flows_from
from optout_bot.cli.shared import (
    GroupFlags,
    browser_choice,
    browser_options,
    exit_code_epilog,
    find_flows_first,
    pass_group_flags,
    person_value_options,
    timeout_options,
)
from optout_bot.errors import ExitStatus, OptoutError, UsageError
from optout_bot.i18n import LANGUAGES, _, ngettext
from optout_bot.invocation import command_name
from optout_bot.platforms import PLATFORMS, platform_name, site_of

F = TypeVar("F", bound=Callable[..., Any])

# The help texts and the table of exit codes are translated when this module is imported: optout_bot.entry
# chooses the person's language before importing it.
EPILOG = exit_code_epilog()


def _other_flows() -> str:
    """The opt-outs besides each platform's own, named by their flow files (<platform>-<flow>.yaml): a new one
    is listed here without any change to the code."""
    stems = sorted(path.stem for path in FLOWS_DIR.glob("*-*.yaml"))
    return ", ".join(stem.replace("-", " ", 1) for stem in stems)


def _walk_options(command: F) -> F:
    """Options shared by `run` and `demo`: the same walk, the same form values."""
    options = [
        person_value_options(),
        click.option(
            "--flow", default="own", show_default=True, metavar="FLOW",
            help=_("Which of the platform's opt-outs: own, or another one ({flows}).").format(flows=_other_flows()),
        ),
        click.option("--dry-run", is_flag=True, help=_("Walk and pre-fill, save a screenshot, do not wait.")),
        click.option("--headless", is_flag=True, help=_("No visible window (only with --dry-run).")),
        click.option(
            "--screenshot", type=click.Path(dir_okay=False, path_type=Path),
            help=_("Where --dry-run saves the screenshot of the ready form."),
        ),
        timeout_options(person=True),
        browser_choice,
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


@click.group(
    epilog=EPILOG,
    invoke_without_command=True,  # `optout-bot` alone: the guided start at a terminal, the help otherwise
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_(
        "Object to Meta (and WhatsApp, LinkedIn, X) using your posts and data to train AI.\n\n"
        "optout-bot opens your own browser, walks to the objection form or setting, pre-fills it and stops: you "
        "review it and click Submit (or the switch) yourself. It never submits, never sees your password, and acts "
        "only on each platform's own sites."
    ),
)
@click.version_option(__version__, prog_name="optout-bot")
@click.option("--debug", is_flag=True, help=_("Show tracebacks and details of errors."))
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    help=_("Language of the messages: en or fr (default: settings, then your computer's)."),
)
@click.option(
    "--flows-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    envvar="OPTOUT_BOT_FLOWS_DIR",
    help=_(
        "A folder of flow files (and words/) whose files replace the bundled ones of the same name: to try a "
        "fixed flow before a release. Also OPTOUT_BOT_FLOWS_DIR."
    ),
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, lang: str | None, flows_dir: Path | None) -> None:
    """The command group (its help, translated, is in the decorator; --lang was read by optout_bot.entry).

    --debug goes to the commands as ctx.obj (cli_shared.GroupFlags): each passes it on to what needs it.
    --flows-dir is for every command that reads flows (bundled.use_flows_from); without it, the settings file's
    `flows_dir`, read only when flows are (so never for `--help`), except by the commands of _BUNDLED_FLOWS.
    """
    from_settings = None if ctx.invoked_subcommand in _BUNDLED_FLOWS else _flows_dir_in_settings
    use_flows_from(flows_dir, otherwise=from_settings)
    ctx.obj = GroupFlags(debug=debug)
    if ctx.invoked_subcommand is None:
        from optout_bot.cli.guided import start

        start(ctx, debug)


# The commands that take no folder of flows from the settings file, only one asked for on the line (--flows-dir or
# OPTOUT_BOT_FLOWS_DIR):
# - demo walks the bundled imitation, whose pages are made for the bundled flows; it reads no settings file at all,
#   and a flow fixed for the live site (kept in the settings for every run) would make the demo fail for no reason.
# - init writes the settings file: a `flows_dir` naming a folder gone missing must not keep the person from it, and
#   the flows only tell it which values to ask for (questions.values_filled), which a fixed flow hardly changes.
_BUNDLED_FLOWS = ("demo", "init")


def _flows_dir_in_settings() -> Path | None:
    from optout_bot.settings.config import flows_dir_setting  # loads pydantic: only once flows are read

    return flows_dir_setting()


@cli.command(
    epilog=EPILOG,
    help=_(
        "Walk to Meta's objection form in your browser, pre-fill it, and let you submit it.\n\n"
        "Your settings file (`optout-bot init`) gives the email, country and accounts; options override it. "
        "Every run is recorded in a ledger with its receipt: see `optout-bot status` and `optout-bot report`."
    ),
)
@click.option("--platform", type=click.Choice(PLATFORMS), help=_("Where your account is (default: from --account)."))
@click.option("--account", help=_("Which account (its own browser profile); see `optout-bot init`."))
@click.option("--all", "everything", is_flag=True, help=_("Every saved account whose objection is not confirmed yet."))
@click.option("--force", is_flag=True, help=_("Object again even where the platform already confirmed it."))
@click.option("--from-link", metavar="URL", help=_("Start from the link in Meta's email (checked to be Meta's)."))
@_walk_options
@click.option("--cdp", "cdp_url", metavar="URL", help=_("Attach to your running Chrome (see README) instead."))
@pass_group_flags
def run(flags: GroupFlags, /, **params: Any) -> None:
    """`optout-bot run`: plan every run first (nothing opens on a mistake), then walk each one."""
    from optout_bot.walk.driver import driver_while

    # Bad values, settings or links stop the command in _prepare_run, before a browser starts; meanwhile
    # Playwright's driver starts (optout_bot.walk.driver), so a good command line costs the person no wait.
    with driver_while(lambda: _prepare_run(params, flags)) as (pw, plan):
        from optout_bot.ui import Ui
        from optout_bot.walk.objection import run_each, run_objection

        ui = Ui(debug=flags.debug)
        for record in plan.skipped:
            when = (record.ended_at or record.started_at).astimezone()
            if record.is_setting:
                message = _(
                    "{account} ({platform}): the setting was seen off on {when}; nothing to do "
                    "(`optout-bot verify` checks it again, --force opens it again)."
                )
            else:
                message = _(
                    "{account} ({platform}): {company} already confirmed the objection on {when}; "
                    "nothing to do (--force to object again)."
                )
            click.echo(
                message.format(
                    account=record.account,
                    platform=platform_name(record.platform),
                    company=site_of(record.platform).company,
                    when=f"{when:%Y-%m-%d %H:%M}",
                )
            )
        if params["everything"]:
            from optout_bot.cli.planning import ACCOUNTS_CENTER_NOTE

            click.echo(_(ACCOUNTS_CENTER_NOTE))
            status = run_each(pw, plan.runs, ui) if plan.runs else ExitStatus.SUCCESS
        else:
            status = run_objection(pw, plan.runs[0], ui) if plan.runs else ExitStatus.SUCCESS
    _exit(status)


def _prepare_run(params: dict[str, Any], flags: GroupFlags) -> Any:
    """The plan of `run`, and the code the walk needs loaded (run while Playwright's driver starts)."""
    plan = _plan(params, flags)
    find_flows_first()
    # The checks passed: what the walks need before their browser opens is done here too, rather than after the
    # driver (the log, each walk's flow and words read and their patterns compiled).
    from optout_bot.records.logfile import configure_logging
    from optout_bot.walk.objection import prepare_walk

    configure_logging(flags.debug)
    for options in plan.runs:
        prepare_walk(options)
    return plan


@cli.command(
    epilog=EPILOG,
    help=_("The same walk on a bundled imitation of the platforms' sites: no account, no internet needed."),
)
@click.option("--platform", type=click.Choice(PLATFORMS), required=True, help=_("Which site to imitate."))
@_walk_options
@click.option("--page-lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help=_("Language of the imitation pages."))  # fmt: skip
@pass_group_flags
def demo(flags: GroupFlags, /, page_lang: str, **params: Any) -> None:
    """`optout-bot demo`: the walk on the mock site, with only what is typed."""
    from optout_bot.walk.driver import driver_while

    with driver_while(lambda: _demo_options(params, flags, page_lang)) as (pw, options):
        from optout_bot.paths import demo_home
        from optout_bot.records.logfile import configure_logging
        from optout_bot.ui import Ui
        from optout_bot.walk.objection import run_demo

        with demo_home():  # its pictures, receipts and log: never among the person's real ones
            configure_logging(flags.debug)
            status = run_demo(pw, options, Ui(debug=flags.debug))
    _exit(status)


@cli.command(
    epilog=EPILOG,
    help=_(
        "Open an account's own browser profile so you can log in to Meta once; later runs stay logged in.\n\n"
        "You type your password in Meta's page yourself: optout-bot never sees it."
    ),
)
@click.option("--account", help=_("Which account (see `optout-bot init`); its browser profile keeps the login."))
@click.option("--platform", type=click.Choice(PLATFORMS), help=_("Where the account is (default: from --account)."))
@timeout_options(person=False)
@browser_choice
@pass_group_flags
def login(flags: GroupFlags, /, **params: Any) -> None:
    """`optout-bot login`: the account's profile, opened for the person to log in."""
    from optout_bot.walk.driver import driver_while

    with driver_while(lambda: _prepare_login(params)) as (pw, account):
        from optout_bot.records.logfile import configure_logging
        from optout_bot.ui import Ui
        from optout_bot.walk.login import log_in

        configure_logging(flags.debug)
        status = log_in(pw, account, browser_options(params, flags), Ui(debug=flags.debug))
    _exit(status)


def _prepare_login(params: dict[str, Any]) -> Any:
    """The account to log in to, and the code of the walk loaded (run while Playwright's driver starts)."""
    from optout_bot.promises.scrub import remember_settings
    from optout_bot.settings.accounts import choose_account
    from optout_bot.settings.config import load_config

    config = load_config()
    remember_settings(config)  # hidden from the log (scrub.py)
    account = choose_account(config, params["account"], params["platform"])
    find_flows_first()
    import importlib

    for module in ("optout_bot.records.logfile", "optout_bot.walk.login"):  # loaded now rather than after the driver
        importlib.import_module(module)
    return account


@cli.group(help=_("Check the flow files that describe Meta's pages."))
def flows() -> None:
    """`optout-bot flows`: tools for the flow files (for contributors)."""


@flows.command(
    "check", help=_("Validate the bundled flows (or FILES) and the word lists; print file:line for each problem.")
)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--max-age",
    type=click.IntRange(min=0),
    default=90,  # flows/freshness.py's MAX_AGE_DAYS, not imported at start-up (pydantic); a unit test keeps them equal
    show_default=True,
    metavar="DAYS",
    help=_("Warn about routes last verified on the live site longer ago than this."),
)
def flows_check(files: tuple[Path, ...], max_age: int) -> None:
    """`optout-bot flows check`."""
    import datetime

    from optout_bot.flows import check_all

    problems = check_all(files, fresh_on=datetime.date.today(), max_age_days=max_age)
    for problem in problems:
        click.echo(str(problem), err=True)
    # Warnings (a word missing in one language, which then uses English) are shown but do not fail the check.
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        count = len(errors)
        raise UsageError(
            ngettext("{count} problem in the flow data", "{count} problems in the flow data", count).format(count=count)
        )
    click.echo(_("flows OK: {files}").format(files=", ".join(p.name for p in files)) if files else _("flows OK"))
    _say_what_is_replaced(files)


def _say_what_is_replaced(files: tuple[Path, ...]) -> None:
    """With --flows-dir, which of the bundled files the folder replaces: what a run will read instead."""
    from optout_bot.bundled import flows_override, replaced_files

    folder = flows_override()
    if folder is None or files:
        return
    click.echo(_("from {folder}: {files}").format(folder=folder, files=", ".join(replaced_files()) or "-"))


def _plan(params: dict[str, Any], flags: GroupFlags) -> Any:
    from optout_bot.cli.planning import CommandLine, plan_runs
    from optout_bot.settings.values import PERSON_KEYS

    line = CommandLine(
        platform=params["platform"],
        account=params["account"],
        values={key: params[key] for key in PERSON_KEYS},
        flow=params["flow"],
        everything=params["everything"],
        force=params["force"],
        from_link=params["from_link"],
        browser=browser_options(params, flags),
        dry_run=params["dry_run"],
        screenshot=params["screenshot"],
    )
    return plan_runs(line)


def _demo_options(params: dict[str, Any], flags: GroupFlags, page_lang: str) -> Any:
    """The demo uses no settings file and no ledger: only what is typed, on imitation pages.

    Run while Playwright's driver starts (optout_bot.walk.driver): the code of the walk is loaded meanwhile.
    """
    import importlib

    from optout_bot.cli.planning import checked_flow
    from optout_bot.paths import check_screenshot_path
    from optout_bot.settings.options import RunOptions
    from optout_bot.settings.values import form_values

    if params["headless"] and not params["dry_run"]:
        raise UsageError(_("--headless only works with --dry-run: add --dry-run, or drop --headless to see the demo"))
    check_screenshot_path(params["screenshot"])
    options = RunOptions(
        platform=params["platform"],
        values=form_values(params),
        browser=browser_options(params, flags, demo_page_lang=page_lang),
        flow=checked_flow(params["platform"], params["flow"]),
        dry_run=params["dry_run"],
        screenshot=params["screenshot"],
    )
    importlib.import_module("optout_bot.records.logfile")  # loaded now rather than after the driver
    from optout_bot.walk.objection import prepare_walk

    prepare_walk(options)  # its flow and words read, their patterns compiled, ahead of the walk
    return options


def _exit(status: ExitStatus) -> None:
    sys.exit(int(status))


def _log_failure(status: int, message: str, exc: BaseException, always: bool = False) -> Path | None:
    """Keep the details of a failure (exit code, message, scrubbed traceback) in the log file; return it.

    An expected failure is logged once a walk has begun (its command loaded the log module): a usage error
    before that is the person's typo, and logging it would make a mistyped option pay for loguru. A bug is
    always logged, so the person can be told where its details are. A log never adds a failure of its own.
    """
    if not always and "optout_bot.records.logfile" not in sys.modules:
        return None
    try:
        from optout_bot.records.logfile import record_failure

        return record_failure(status, message, exc)
    except Exception:  # the bug may be a broken install of loguru itself
        return None


def main(argv: list[str] | None = None) -> None:
    """Entry point: one clear line and a documented exit code for every expected failure.

    What the line says about the objection is what the walk knew when it stopped (optout_bot.progress):
    "Nothing was submitted" only while the tool was walking, never once the form was in the person's hands.
    """
    # Read from the line itself: this handler also serves errors raised before the group saw its options.
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    if not debug:
        _quiet_libraries()
    try:
        # "Usage: scripts/optout-bot run [OPTIONS]": click's own words name the command as it was typed too.
        cli.main(args=argv, prog_name=command_name(), standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitStatus.USAGE)
    except click.Abort as exc:  # click's word for Ctrl-C (or end of input) at any point
        _stopped(interrupted=isinstance(exc.__context__, KeyboardInterrupt), debug=debug)
    except OptoutError as exc:
        if debug:
            traceback.print_exc()
        _stop_if_interrupted(debug)
        click.echo(f"optout-bot: {exc.message}", err=True)
        _log_failure(exc.status, exc.message, exc)
        sys.exit(exc.status)
    except KeyboardInterrupt:
        _stopped(interrupted=True, debug=debug)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        _stop_if_interrupted(debug)
        log = _log_failure(ExitStatus.BUG, f"unexpected error ({type(exc).__name__})", exc, always=True)
        what = _("unexpected error ({error}).").format(error=f"{type(exc).__name__}: {exc}")
        if log:
            advice = _(
                "This is a bug: please run again with --debug and report what it prints (README: 'Reporting a "
                "problem'); details in {log}."
            ).format(log=log)
        else:
            advice = _(
                "This is a bug: please run again with --debug and report what it prints (README: 'Reporting a "
                "problem')."
            )
        click.echo(" ".join(("optout-bot:", what, _known_or_nothing_submitted(), advice)), err=True)
        sys.exit(ExitStatus.BUG)
    sys.exit(ExitStatus.SUCCESS)


def _known_or_nothing_submitted() -> str:
    """What was submitted, as far as the walk knew; before any walk, nothing was."""
    from optout_bot import progress

    return progress.what_is_known() or _("Nothing was submitted.")


def _stop_if_interrupted(debug: bool) -> None:
    """A failure that followed Ctrl-C (a page call cut short by the driver's end) is the Ctrl-C."""
    from optout_bot import progress

    if progress.interrupted():
        _stopped(interrupted=True, debug=debug)


def _stopped(*, interrupted: bool, debug: bool) -> NoReturn:
    """Ctrl-C: one line saying what the walk knew, exit 130, and none of the libraries' noise as they go down.

    In a terminal Ctrl-C reaches Playwright's driver too, which then dies under calls still in flight; its
    complaints (and asyncio's, and greenlet's at exit) say nothing the person can use.
    """
    from optout_bot import progress

    known = progress.what_is_known()
    if interrupted and known:
        click.echo("optout-bot: " + _("stopped (Ctrl-C).") + " " + known, err=True)
    else:
        click.echo("optout-bot: " + _("stopped."), err=True)
    if not debug:
        sys.unraisablehook = lambda _unraisable: None
        _quiet_libraries()
    # Stopped after the confirmation was recorded (while its receipt was saved): the objection is done.
    done = interrupted and progress.stage() is progress.Stage.CONFIRMED
    if done:
        sys.exit(ExitStatus.SUCCESS)
    sys.exit(ExitStatus.INTERRUPTED if interrupted else ExitStatus.NOT_SUBMITTED)  # not Ctrl-C: input ran out


def _quiet_libraries() -> None:
    """Playwright and asyncio log their own troubles (a reply to a call abandoned, a task left pending); with
    no handler of ours, Python's last-resort handler would print them on stderr between our lines. The log
    file keeps what matters (optout_bot.records.logfile); --debug shows them."""
    import logging

    for name in ("playwright", "asyncio", "greenlet"):
        library = logging.getLogger(name)
        if not any(isinstance(handler, logging.NullHandler) for handler in library.handlers):
            library.addHandler(logging.NullHandler())
        library.propagate = False


from optout_bot.cli.init import init  # noqa: E402

cli.add_command(init)

from optout_bot.cli.records import report, status  # noqa: E402

cli.add_command(status)
cli.add_command(report)

from optout_bot.cli.letters import letter  # noqa: E402

cli.add_command(letter)

from optout_bot.cli.doctor import doctor  # noqa: E402

cli.add_command(doctor)

from optout_bot.cli.verify import verify  # noqa: E402

cli.add_command(verify)

from optout_bot.cli.match import flows_match  # noqa: E402

flows.add_command(flows_match)

from optout_bot.cli.probe import probe  # noqa: E402

cli.add_command(probe)
