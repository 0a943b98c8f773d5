"""`optout-bot probe`: the command. cli/app.py registers it; optout_bot.walk.probe does the walking.

What was typed is checked first, without a browser (which flows, which languages, --update-flows against the
imitation); then Playwright's driver starts while the code of the walk is loaded (optout_bot.walk.driver).
"""

from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from optout_bot.bundled import FLOWS_DIR
from optout_bot.cli.shared import (
    GroupFlags,
    browser_choice,
    browser_options,
    exit_code_epilog,
    find_flows_first,
    pass_group_flags,
    timeout_options,
)
from optout_bot.errors import UsageError
from optout_bot.i18n import _
from optout_bot.platforms import PLATFORMS

if TYPE_CHECKING:
    from optout_bot.walk.probe import FlowResult, Probe, ProbeRequest

# What a page language may be: the `verified.langs` of a flow file (flows/model.py, Verified).
_LANG = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
MOCK_VARIANTS = ("plain", "scrambled", "changed")


@click.command(
    epilog=exit_code_epilog(),
    help=_(
        "Check that optout-bot still finds each opt-out's form or setting, without touching anything.\n\n"
        "Walks every route of every flow (or --platform, --flow) to its place and stops there: it fills nothing, "
        "chooses nothing, submits nothing. Prints, per route, reached, changed at step N, not offered or blocked "
        "by login, and the time it took. Exit code 11 when a flow reached its place by none of its routes. Where a "
        "route failed, an archive for a report is saved (--report shows it, with an issue text to paste)."
    ),
)
@click.option("--platform", type=click.Choice(PLATFORMS), help=_("Only this platform's flows."))
@click.option("--flow", metavar="FLOW", help=_("Only this flow of the platform (own, third-party…)."))
@click.option(
    "--page-lang", "page_langs", multiple=True, metavar="LANG",
    help=_("Language of the sites' pages (repeatable, or a comma list: en,fr,de). Default: en."),
)  # fmt: skip
@click.option("--account", help=_("Walk in this account's browser profile (default: the profile named default)."))
@click.option("--cdp", "cdp_url", metavar="URL", help=_("Attach to your running Chrome (see README) instead."))
@click.option(
    "--logged-out", is_flag=True,
    help=_("Use a fresh browser profile with no session; a route behind a login is then not held against the flow."),
)  # fmt: skip
@click.option("--headless", is_flag=True, help=_("No visible window."))
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON for scripts (schema 1, see optout_bot/walk/probe.py).")
)
@click.option(
    "--report", is_flag=True, help=_("For each flow where a route failed: what its archive holds, and an issue text.")
)
@click.option(
    "--report-dir", type=click.Path(file_okay=False, path_type=Path),
    help=_("Where the archives go, with probe.json (and issues.md with --report). Default: the data folder."),
)  # fmt: skip
@click.option(
    "--update-flows", is_flag=True,
    help=_("Write today's date and the page languages into each route that reached its place (verified:)."),
)  # fmt: skip
@click.option(
    "--flows-dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help=_("Probe the flow files of this folder instead of the bundled ones."),
)  # fmt: skip
@click.option(
    "--mock", type=click.Choice(MOCK_VARIANTS), is_flag=False, flag_value="plain", default=None,
    help=_("Probe the bundled imitation of the sites instead (--mock=scrambled or --mock=changed: a changed one)."),
)  # fmt: skip
@timeout_options(person=False)
@browser_choice
@pass_group_flags
def probe(flags: GroupFlags, /, **params: Any) -> None:
    """`optout-bot probe` (its help is in the decorator, to be translated)."""
    request = _request(params, flags)
    from optout_bot.walk.driver import driver_while

    with driver_while(_load_the_walk) as (pw, _loaded):
        from optout_bot.records.logfile import configure_logging
        from optout_bot.walk.probe import probe as walk_all
        from optout_bot.walk.probe import quiet_ui

        configure_logging(flags.debug)
        out = sys.stderr if params["as_json"] else sys.stdout
        done = walk_all(pw, request, quiet_ui(flags.debug), on_result=lambda result: _say(result, request, out))
    _finish(done, params)


def _request(params: dict[str, Any], flags: GroupFlags) -> ProbeRequest:
    """What to probe and how, checked before any browser starts (exit 2 on a mistake)."""
    from optout_bot.promises.scrub import remember_settings
    from optout_bot.settings.config import load_config
    from optout_bot.walk.probe import MockSite, ProbeRequest

    if params["update_flows"] and params["mock"]:
        raise UsageError(
            _(
                "--update-flows records what the live sites showed; a probe of the imitation (--mock) cannot vouch "
                "for them: drop one of the two"
            )
        )
    if params["flow"] and not params["platform"]:
        raise UsageError(_("--flow needs --platform: which platform's flow?"))
    config = load_config()
    remember_settings(config)  # hidden from any archive, should the person's session show them (scrub.py)
    find_flows_first()
    profile = "default"
    if params["account"]:
        saved = config.account(params["account"])
        profile = saved.profile_name if saved is not None else params["account"]
    langs = _page_langs(params["page_langs"], mock=params["mock"] is not None)
    options = browser_options(params, flags)
    from dataclasses import replace

    return ProbeRequest(
        flow_files=_flow_files(params["flows_dir"], params["platform"], params["flow"]),
        langs=langs,
        browser=replace(options, profile=profile),
        logged_out=params["logged_out"],
        mock=MockSite(params["mock"]) if params["mock"] else None,
        archive_dir=params["report_dir"],
    )


def _page_langs(typed: Sequence[str], *, mock: bool) -> list[str]:
    langs = list(dict.fromkeys(lang.strip() for value in typed or ("en",) for lang in value.split(",") if lang.strip()))
    for lang in langs:
        if not _LANG.match(lang):
            raise UsageError(_("--page-lang {lang!r} is not a language code such as en, fr or pt-BR").format(lang=lang))
    if mock:
        from optout_bot.mock_site.pages import languages

        missing = [lang for lang in langs if lang not in languages()]
        if missing:
            raise UsageError(
                _("the imitation has no pages in {langs}; it has: {known}").format(
                    langs=", ".join(missing), known=", ".join(languages())
                )
            )
    return langs


def _flow_files(folder: Path | None, platform: str | None, flow: str | None) -> list[Path]:
    """The flow files to probe: those of probe's own --flows-dir alone (the files --update-flows stamps), else those
    in use, as for `run` (the bundled ones, each replaced by a chosen folder's: bundled.flow_files)."""
    from optout_bot.bundled import flow_files
    from optout_bot.flows.loader import flow_file_name

    files = sorted(folder.glob("*.yaml")) if folder is not None else flow_files()
    if platform is not None:
        wanted = {flow_file_name(platform, flow)} if flow else None
        files = [
            path
            for path in files
            if (path.name in wanted if wanted else path.stem == platform or path.stem.startswith(f"{platform}-"))
        ]
    if not files:
        raise UsageError(_("no flow file to probe in {folder} for these options").format(folder=folder or FLOWS_DIR))
    return files


def _load_the_walk() -> None:
    """The code the walk needs, loaded while Playwright's driver starts (see optout_bot.walk.driver)."""
    import importlib

    for module in ("optout_bot.records.logfile", "optout_bot.walk.probe"):
        importlib.import_module(module)


def _say(result: FlowResult, request: ProbeRequest, out: Any) -> None:
    from optout_bot.walk.probe import flow_heading, flow_summary, route_line

    click.echo(flow_heading(result), file=out)
    for route in result.routes:
        click.echo(route_line(route), file=out)
    click.echo(flow_summary(result, request.logged_out), file=out)


def _finish(done: Probe, params: dict[str, Any]) -> None:
    from optout_bot.walk.probe import PROBE_FAILED, render_json

    out = sys.stderr if params["as_json"] else sys.stdout
    if done.mock_posts:  # the imitation records every request: a probe must never have sent one
        click.echo(
            _("optout-bot: the imitation received a POST during the probe ({posts}): this is a bug, please report it.")
            .format(posts=", ".join(done.mock_posts)),
            file=out,
        )  # fmt: skip
    report_dir: Path | None = params["report_dir"]
    document = render_json(done)
    if report_dir is not None:
        (report_dir / "probe.json").parent.mkdir(parents=True, exist_ok=True)
        (report_dir / "probe.json").write_text(document, encoding="utf-8")
    if params["report"]:
        _report(done, out, report_dir)
    if params["update_flows"]:
        _update_flows(done, out)
    if params["as_json"]:
        click.echo(document, nl=False)
    if done.mock_posts:
        sys.exit(1)
    sys.exit(0 if done.ok else int(PROBE_FAILED))


def _report(done: Probe, out: Any, report_dir: Path | None) -> None:
    """Per failed flow: where its archive is, what it holds, and an issue text to paste."""
    from optout_bot.walk.diagnostics import members
    from optout_bot.walk.probe import issue_text

    failed = [result for result in done.results if not result.all_fine(done.request.logged_out)]
    if not failed:
        click.echo(_("Every route reached its place: nothing to report."), file=out)
        return
    issues = []
    for result in failed:
        if result.archive is not None:
            click.echo(_("Archive for a report: {path}").format(path=result.archive), file=out)
            click.echo("  " + _("It holds (no personal data: check it before sending):"), file=out)
            for name, size in members(result.archive):
                click.echo(f"    {name}  ({size} bytes)", file=out)
        text = issue_text(result, done.request.logged_out)
        issues.append(text)
        click.echo(_("Paste this into a new issue of optout-bot's issue tracker, with the archive attached:"), file=out)
        click.echo(text, file=out)
    if report_dir is not None:
        (report_dir / "issues.md").write_text("\n---\n\n".join(issues), encoding="utf-8")


def _update_flows(done: Probe, out: Any) -> None:
    """Stamp every route that reached its place with today's date and the languages it reached it in."""
    from optout_bot.flows.freshness import mark_verified
    from optout_bot.flows.model import Verified
    from optout_bot.walk.probe import Verdict

    reached: dict[tuple[Path, str], list[str]] = {}
    for result in done.results:
        for route in result.routes:
            if route.verdict is Verdict.REACHED:
                reached.setdefault((result.file, route.route), []).append(result.lang)
    today = datetime.date.today()
    for (path, route_id), langs in reached.items():
        mark_verified(path, route_id, Verified(date=today, langs=sorted(set(langs))))
        click.echo(
            _("Marked route {route} of {file} as verified on {date} ({langs}).").format(
                route=route_id, file=path, date=today.isoformat(), langs=", ".join(sorted(set(langs)))
            ),
            file=out,
        )
    if not reached:
        click.echo(_("No route reached its place: no flow file was changed."), file=out)
