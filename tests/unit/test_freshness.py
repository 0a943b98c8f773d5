"""`verified` per route: written into a flow file without touching anything else, and warned about when old."""

from __future__ import annotations

import datetime
import difflib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from optout_bot.bundled import FLOWS_DIR
from optout_bot.cli.app import cli
from optout_bot.flows import load_flow
from optout_bot.flows.freshness import MAX_AGE_DAYS, freshness_problems, mark_verified
from optout_bot.flows.loader import FlowFileError
from optout_bot.flows.model import Verified

TODAY = datetime.date(2026, 12, 6)


def _copy(tmp_path: Path, name: str = "instagram.yaml") -> Path:
    path = tmp_path / name
    path.write_text((FLOWS_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_marking_a_route_adds_one_line_and_the_flow_reads_it(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = path.read_text(encoding="utf-8")
    mark_verified(path, "privacy-topics-ai-at-meta", Verified(date=TODAY, langs=["en", "fr"]))
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(before, after) == ["+    verified: {date: 2026-12-06, langs: [en, fr]}"]
    routes = {route.id: route for route in load_flow(path).routes}
    assert routes["privacy-topics-ai-at-meta"].verified == Verified(date=TODAY, langs=["en", "fr"])
    assert routes["settings-privacy-center"].verified is None


def test_marking_again_replaces_the_stamp_and_keeps_every_comment(tmp_path: Path) -> None:
    path = _copy(tmp_path, "facebook.yaml")
    before = path.read_text(encoding="utf-8")
    mark_verified(path, "form-address-2025", Verified(date=datetime.date(2026, 1, 2), langs=["de"]))
    mark_verified(path, "form-address-2025", Verified(date=TODAY, langs=["pl"]))
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(before, after) == ["+    verified: {date: 2026-12-06, langs: [pl]}"]
    assert [line for line in after.splitlines() if "#" in line] == [line for line in before.splitlines() if "#" in line]


def test_marking_a_route_that_is_not_there_changes_nothing(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(KeyError):
        mark_verified(path, "no-such-route", Verified(date=TODAY, langs=["en"]))
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["instagram.yaml"]


def test_old_and_never_verified_routes_are_warned_at_their_line(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    mark_verified(path, "settings-privacy-center", Verified(date=TODAY - datetime.timedelta(days=91), langs=["en"]))
    mark_verified(path, "privacy-topics-ai-at-meta", Verified(date=TODAY - datetime.timedelta(days=90), langs=["en"]))
    problems = freshness_problems(path, load_flow(path), TODAY, max_age_days=90)
    assert all(problem.warning for problem in problems)
    old, never = problems
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "id: settings-privacy-center" in text)
    assert old.line == line and "'settings-privacy-center' was last verified 91 days ago" in old.message
    assert "privacy-topics-ai-at-meta" not in never.message  # 90 days is not more than 90
    assert "never verified on the live site: privacy-policy-right-to-object, settings-privacy-policy" in never.message


def test_a_bad_stamp_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    mark_verified(path, "form-address-app", Verified(date=TODAY, langs=["en"]))
    path.write_text(path.read_text().replace("langs: [en]", "langs: [english]"), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "english" in text)
    with pytest.raises(FlowFileError) as caught:
        load_flow(path)
    assert f"instagram.yaml:{line}: routes.5.verified.langs.0:" in caught.value.message


def test_flows_check_warns_with_the_age_it_is_given(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    mark_verified(path, "settings-privacy-center", Verified(date=datetime.date(2020, 1, 1), langs=["en"]))
    result = CliRunner().invoke(cli, ["flows", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning: routes.0.verified: route 'settings-privacy-center' was last verified" in result.output
    result = CliRunner().invoke(cli, ["flows", "check", "--max-age", "999999", str(path)])
    assert "was last verified" not in result.output


# --- `run` mentions a stale route it had to pass (walk/places: say_fallback) -------------------------------------


def _said_on_fallback(stamps: dict[str, Verified], found_route: str) -> str:
    import io

    from optout_bot.ui import Ui
    from optout_bot.walk.places import say_fallback

    flow = load_flow("instagram")
    routes = [route.model_copy(update={"verified": stamps.get(route.id)}) for route in flow.routes]
    out = io.StringIO()
    say_fallback(
        flow.model_copy(update={"routes": routes}), found_route, Ui(interactive=False, fancy=False, out=out), TODAY
    )
    return out.getvalue()


def test_run_says_when_it_fell_back_past_a_route_not_verified_lately() -> None:
    old = Verified(date=TODAY - datetime.timedelta(days=120), langs=["en"])
    said = _said_on_fallback({"settings-privacy-center": old}, "privacy-topics-ai-at-meta")
    assert "settings-privacy-center, last seen working on 2026-08-08" in said
    assert "optout-bot probe --platform instagram --report" in said


def test_run_says_nothing_when_the_routes_it_passed_were_verified_lately_never_or_it_passed_none() -> None:
    fresh = Verified(date=TODAY - datetime.timedelta(days=3), langs=["en"])
    assert _said_on_fallback({"settings-privacy-center": fresh}, "privacy-topics-ai-at-meta") == ""
    assert _said_on_fallback({}, "privacy-topics-ai-at-meta") == ""  # never verified: the norm until probed
    assert _said_on_fallback({}, "settings-privacy-center") == ""


def test_flows_checks_default_age_is_the_one_run_warns_about() -> None:
    """`flows check --max-age` says its default without importing the flows' models at start-up (a literal in
    cli/app.py); it must be the age after which `run` says it passed a stale route (flows/freshness.py)."""
    flows = cli.commands["flows"]
    assert isinstance(flows, click.Group)
    (max_age,) = [option for option in flows.commands["check"].params if option.name == "max_age"]
    assert max_age.default == MAX_AGE_DAYS
