"""The command line. Kept free of Playwright imports so `--help` and `flows check` start fast.

Expected failures (`OptoutError`) become one line and their exit code; anything else is a bug:
exit 1, with the traceback only under --debug.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from optout_bot import __version__
from optout_bot.errors import EXIT_CODE_HELP, ExitStatus, OptoutError, UsageError

PLATFORMS = ("instagram", "facebook")

F = TypeVar("F", bound=Callable[..., Any])

# "\b" keeps click from re-wrapping the table of exit codes.
EPILOG = "\b\n" + EXIT_CODE_HELP


def _walk_options(command: F) -> F:
    """Options shared by `run` and `demo`: the same walk, the same form values."""
    options = [
        click.option("--platform", type=click.Choice(PLATFORMS), required=True, help="Where your account is."),
        click.option("--email", help="Email to put in the form (Meta usually pre-fills yours)."),
        click.option("--country", help="Country of residence as a two-letter code (FR, BE, DE…), if asked."),
        click.option("--reason", help="Optional text: how this processing affects you. Left empty otherwise."),
        click.option("--dry-run", is_flag=True, help="Walk and pre-fill, save a screenshot, do not wait."),
        click.option("--headless", is_flag=True, help="No visible window (only with --dry-run)."),
        click.option(
            "--user-timeout", type=click.FloatRange(min=1), default=900, show_default=True,
            help="Seconds to wait for you to review and click Submit.",
        ),
        click.option(
            "--login-timeout", type=click.FloatRange(min=1), default=600, show_default=True,
            help="Seconds to wait for you to log in when Meta asks.",
        ),
        click.option(
            "--step-timeout", type=click.FloatRange(min=0.5), default=15, show_default=True,
            help="Seconds to wait for each page element before trying another route.",
        ),
        click.option(
            "--screenshot", type=click.Path(dir_okay=False, path_type=Path),
            help="Where --dry-run saves the screenshot of the ready form.",
        ),
        click.option(
            "--browser-arg", "browser_args", multiple=True, metavar="FLAG",
            help="Extra Chromium command-line flag (repeatable; advanced).",
        ),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="optout-bot")
@click.option("--debug", is_flag=True, help="Show tracebacks and details of errors.")
def cli(debug: bool) -> None:
    """Object to Meta using your posts and photos to train its AI.

    optout-bot opens your own browser, walks to Meta's objection form, pre-fills it and
    stops: you review it and click Submit yourself. It never submits, never sees your
    password, and acts only on Meta's own sites.
    """
    if debug:
        os.environ["OPTOUT_BOT_DEBUG"] = "1"


@cli.command(epilog=EPILOG)
@_walk_options
@click.option("--account", default="default", show_default=True, help="Which saved browser profile to use.")
@click.option("--cdp", "cdp_url", metavar="URL", help="Attach to your running Chrome (see README) instead.")
@click.option("--browser-channel", type=click.Choice(["chrome", "msedge", "chromium"]), help="Which browser.")
@click.option("--executable-path", type=click.Path(dir_okay=False), help="Path of the browser to use.")
def run(**params: Any) -> None:
    """Walk to Meta's objection form in your browser, pre-fill it, and let you submit it."""
    options = _run_options(params)  # bad values stop here, before a browser starts
    from optout_bot.logfile import configure_logging
    from optout_bot.runner import run_objection

    configure_logging(os.environ.get("OPTOUT_BOT_DEBUG") == "1")
    _exit(run_objection(options))


@cli.command(epilog=EPILOG)
@_walk_options
@click.option("--page-lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the mock Meta pages.")  # fmt: skip
def demo(page_lang: str, **params: Any) -> None:
    """The same walk on a bundled imitation of Meta's site: no account, no internet needed."""
    options = _run_options(params, demo=True)
    from optout_bot.logfile import configure_logging
    from optout_bot.runner import run_demo

    configure_logging(os.environ.get("OPTOUT_BOT_DEBUG") == "1")
    _exit(run_demo(options, page_lang))


@cli.group()
def flows() -> None:
    """Check the flow files that describe Meta's pages."""


@flows.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def flows_check(files: tuple[Path, ...]) -> None:
    """Validate the bundled flows (or FILES) and the word lists; print file:line for each problem."""
    from optout_bot.flows import check_all

    problems = check_all(files)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise UsageError(f"{len(problems)} problem(s) in the flow data")
    click.echo("flows OK: " + ", ".join(p.name for p in files) if files else "flows OK")


def _run_options(params: dict[str, Any], demo: bool = False) -> Any:
    from optout_bot.options import RunOptions, Timeouts
    from optout_bot.values import form_values

    headless, dry_run = params["headless"], params["dry_run"]
    if headless and not dry_run and not demo:
        raise UsageError("--headless only works with --dry-run: you need to see the form to submit it yourself")
    if demo and headless and not dry_run:
        raise UsageError("--headless only works with --dry-run: add --dry-run, or drop --headless to see the demo")
    return RunOptions(
        platform=params["platform"],
        values=form_values(params["email"], params["country"], params["reason"]),
        account=params.get("account") or "default",
        cdp_url=params.get("cdp_url"),
        channel=params.get("browser_channel"),
        executable_path=params.get("executable_path"),
        headless=headless,
        dry_run=dry_run,
        timeouts=Timeouts(step=params["step_timeout"], login=params["login_timeout"], user=params["user_timeout"]),
        screenshot=params["screenshot"],
        browser_args=tuple(params["browser_args"]),
    )


def _exit(status: ExitStatus) -> None:
    sys.exit(int(status))


def main(argv: list[str] | None = None) -> None:
    """Entry point: one clear line and a documented exit code for every expected failure."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:]) or os.environ.get("OPTOUT_BOT_DEBUG") == "1"
    try:
        cli.main(args=argv, prog_name="optout-bot", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitStatus.USAGE)
    except click.Abort:
        click.echo("optout-bot: stopped.", err=True)
        sys.exit(ExitStatus.NOT_SUBMITTED)
    except OptoutError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"optout-bot: {exc.message}", err=True)
        sys.exit(exc.status)
    except KeyboardInterrupt:
        click.echo("optout-bot: stopped (Ctrl-C). Nothing was submitted.", err=True)
        sys.exit(ExitStatus.NOT_SUBMITTED)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        click.echo(
            f"optout-bot: unexpected error ({type(exc).__name__}: {exc}). Nothing was submitted. This is a bug: "
            "please run again with --debug and report what it prints (README: 'Reporting a problem').",
            err=True,
        )
        sys.exit(ExitStatus.BUG)
    sys.exit(ExitStatus.SUCCESS)
