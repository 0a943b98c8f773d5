"""From the command line and the settings file to the runs to make: which accounts, with which values.

All of it is checked here, before a browser starts: a wrong option, a broken settings file or a link that
is not Meta's stops the command with one line, and nothing has been opened or written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from optout_bot.domains import is_site_url
from optout_bot.errors import RefusedError, UsageError
from optout_bot.i18n import N_, _
from optout_bot.paths import check_screenshot_path
from optout_bot.platforms import META, Site, site_of
from optout_bot.promises.scrub import remember_settings
from optout_bot.records.ledger import SETTING_ON, Ledger, RunRecord
from optout_bot.settings.accounts import ChosenAccount, choose_account, merged, platform_of_link
from optout_bot.settings.config import Config, load_config
from optout_bot.settings.options import BrowserOptions, RunOptions
from optout_bot.settings.values import PERSON_KEYS, form_values

ACCOUNTS_CENTER_NOTE = N_(
    "One objection covers every account linked in the same Meta Accounts Center; accounts that are not "
    "linked there each need their own. Meta's confirmation email says which accounts it covers."
)


@dataclass(frozen=True)
class CommandLine:
    """What the person typed for `run` (None: not given)."""

    platform: str | None
    account: str | None
    flow: str  # --flow: "own" unless asked
    everything: bool  # --all
    force: bool
    from_link: str | None
    browser: BrowserOptions  # --cdp, --headless, the browser's options and the timeouts (its profile: the account's)
    dry_run: bool
    screenshot: Path | None
    values: Mapping[str, str | None] = field(default_factory=dict)  # --email, --country…: values.PERSON_VALUES


@dataclass(frozen=True)
class Plan:
    runs: list[RunOptions]
    # Accounts left out because Meta already confirmed their objection: (account, platform, when).
    skipped: list[RunRecord]


def plan_runs(line: CommandLine, config: Config | None = None, ledger_path: Path | None = None) -> Plan:
    _check_combination(line)
    check_screenshot_path(line.screenshot)
    config = load_config() if config is None else config
    remember_settings(config)  # the person's values, hidden from the log and diagnostics (scrub.py)
    if line.everything:
        return _plan_all(line, config, ledger_path)
    chosen = _account_for(line, config)
    options = _options(line, config, chosen)
    if line.force:
        return Plan([options], [])
    done = _confirmed(ledger_path, [chosen], line.flow)
    return Plan([] if done else [options], done)


def checked_flow(platform: str | None, flow: str) -> str:
    """`--flow`, once the platform is known to have it (the own-information flow every platform has)."""
    from optout_bot.flows.loader import bundled_flows
    from optout_bot.flows.model import OWN_FLOW

    if flow == OWN_FLOW or platform is None:
        return flow
    known = bundled_flows(platform)
    if flow not in known:
        message = _("{platform} has no flow {flow!r}; its flows: {known}")
        raise UsageError(message.format(platform=platform, flow=flow, known=", ".join(known)))
    return flow


def _check_combination(line: CommandLine) -> None:
    # An empty value is a mistake (a variable that was not set in a script), never "not given".
    if line.from_link is not None and not line.from_link.strip():
        raise UsageError(_("--from-link is empty: give the link from Meta's email, or leave the option out"))
    if line.browser.cdp_url is not None and not line.browser.cdp_url.strip():
        raise UsageError(_("--cdp is empty: give your Chrome's debugging address (for example http://127.0.0.1:9222)"))
    if line.browser.headless and not line.dry_run:
        raise UsageError(_("--headless only works with --dry-run: you need to see the form to submit it yourself"))
    if line.everything:
        single = ((line.account, "--account"), (line.from_link, "--from-link"), (line.browser.cdp_url, "--cdp"),
                  (line.screenshot, "--screenshot"))  # fmt: skip
        for given, option in single:
            if given is not None:
                message = _("--all goes through your saved accounts one by one, so it cannot take {option}")
                raise UsageError(message.format(option=option))


def _account_for(line: CommandLine, config: Config) -> ChosenAccount:
    if line.from_link is None:
        return choose_account(config, line.account, line.platform)
    link_platform = platform_of_link(line.from_link)
    platform = line.platform
    if platform is None and not (line.account and config.account(line.account)):
        platform = link_platform  # a saved account knows its platform; the link must agree with it (below)
        if platform is None:
            _check_link(line.from_link, META)  # a link of Meta's email, on a host that names no platform
            if not line.account:
                raise UsageError(
                    _("the link does not say which platform it is for: add --platform instagram or facebook")
                )
    chosen = choose_account(config, line.account, platform)
    _check_link(line.from_link, site_of(chosen.platform))
    if link_platform and link_platform != chosen.platform:
        message = _(
            "the link is for {link_platform}, but the account {name!r} is on {platform}: "
            "check which account the email was about"
        )
        raise UsageError(message.format(link_platform=link_platform, name=chosen.name, platform=chosen.platform))
    return chosen


def _check_link(link: str, site: Site) -> None:
    """Refuse a link off the site of the platform the walk is for: phishing emails imitate Meta's, links and all.

    Against that platform's own domains (platforms.site_of), not Meta's for all: a LinkedIn walk started from
    a link on meta.com would leave LinkedIn's site at its first step.
    """
    if not is_site_url(link, site):
        message = _(
            "the link {link!r} does not lead to one of {company}'s sites (an https address on {domains}): it may "
            "come from a phishing email; optout-bot will not open it"
        )
        raise RefusedError(message.format(link=link, company=site.company, domains=", ".join(site.domains)))


def _plan_all(line: CommandLine, config: Config, ledger_path: Path | None) -> Plan:
    accounts = [a for a in config.accounts if line.platform is None or a.platform == line.platform]
    if not accounts:
        if line.platform:
            message = _(
                "--all needs your accounts on {platform} in the settings file: add them with `optout-bot init` "
                "(or run one with --platform)"
            ).format(platform=line.platform)
        else:
            message = _(
                "--all needs your accounts in the settings file: add them with `optout-bot init` "
                "(or run one with --platform)"
            )
        raise UsageError(message)
    chosen = [choose_account(config, a.name, a.platform) for a in accounts]
    done = [] if line.force else _confirmed(ledger_path, chosen, line.flow)
    finished = {(record.account, record.platform) for record in done}
    runs = [_options(line, config, c) for c in chosen if (c.name, c.platform) not in finished]
    return Plan(runs, done)


def _confirmed(ledger_path: Path | None, accounts: list[ChosenAccount], flow: str) -> list[RunRecord]:
    """The accounts already done in this flow: the platform confirmed the objection, or the setting is off.

    Per flow: an objection confirmed on Meta's own-information form does not stand for the third-party one.
    A setting seen on again since (by `verify`) is not done any more.
    """
    with Ledger.open(ledger_path) as ledger:
        found = [ledger.confirmed(a.name, a.platform, flow) for a in accounts]
        if any(record is not None and record.is_setting for record in found):
            back_on = {(s.account, s.platform, s.flow) for s in ledger.setting_states() if s.state == SETTING_ON}
        else:
            back_on = set()
    return [
        record
        for record in found
        if record is not None and (record.account, record.platform, record.flow) not in back_on
    ]


def _options(line: CommandLine, config: Config, chosen: ChosenAccount) -> RunOptions:
    given = {key: merged(line.values.get(key), getattr(config, key)) for key in PERSON_KEYS}
    given["email"] = merged(line.values.get("email"), chosen.email, config.email)  # an account may have its own
    values = form_values(given)
    return RunOptions(
        platform=chosen.platform,
        values=values,
        browser=replace(line.browser, profile=chosen.profile),
        flow=checked_flow(chosen.platform, line.flow),
        account=chosen.name,
        dry_run=line.dry_run,
        screenshot=line.screenshot,
        from_link=line.from_link,
    )
