"""`optout-bot probe` (issue 18): a read-only walk of every route to its place, and the weekly workflow that runs it.

The workflow (.github/workflows/probe.yml) cannot reach the real sites from here: these tests run the very
command of its `probe` step, read from the YAML file, against the bundled imitation (`--mock`), plain, scrambled
(Meta's pages changed the ways real sites change) and redesigned beyond recognition, in its three languages. They
check what it reports per route, its exit code, and that nothing was posted: a probe touches nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shlex
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from optout_bot.bundled import FLOWS_DIR
from optout_bot.mock_site import MockMeta, Scenario
from tests.browser.test_more_routes import NOT_IMITATED
from tests.e2e.cli import Home, run_cli

WORKFLOW = Path(__file__).parents[2] / ".github" / "workflows" / "probe.yml"
PROBE_FAILED = 11


def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


def workflow_command(report_dir: Path, *, flows: Path | None = None) -> list[str]:
    """The arguments of the workflow's `probe` step, its report folder moved under tmp.

    With `flows`, the folder it stamps (the checkout's flows/) is that copy. Without, the stamping is left out:
    for the imitation (--mock), which the tool refuses to stamp from, as it cannot vouch for the live sites.
    """
    (step,) = [step for step in workflow()["jobs"]["probe"]["steps"] if step.get("id") == "probe"]
    words = shlex.split(step["run"])
    assert words[0] == "optout-bot"
    arguments = words[1:]
    arguments[arguments.index("--report-dir") + 1] = str(report_dir)
    at = arguments.index("--flows-dir")
    if flows is not None:
        arguments[at + 1] = str(flows)
    else:
        del arguments[at : at + 2]
        arguments.remove("--update-flows")
    return arguments


def workflow_job(name: str) -> dict[str, Any]:
    job: dict[str, Any] = workflow()["jobs"][name]
    return job


def the_step(job: str, uses: str, name: str | None = None) -> dict[str, Any]:
    """The step of `job` that uses that action (with that `with.name`: which artifact)."""
    (step,) = [
        step
        for step in workflow_job(job)["steps"]
        if str(step.get("uses", "")).startswith(uses) and (name is None or step["with"]["name"] == name)
    ]
    return step


def probe_json(report_dir: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((report_dir / "probe.json").read_text(encoding="utf-8"))
    return document


def verdicts(document: dict[str, Any]) -> dict[tuple[str, str, str, str], str]:
    """(platform, flow, page language, route) -> verdict."""
    return {
        (flow["platform"], flow["flow"], flow["lang"], route["id"]): route["verdict"]
        for flow in document["flows"]
        for route in flow["routes"]
    }


def bundled_routes() -> dict[tuple[str, str], list[str]]:
    routes = {}
    for path in sorted(FLOWS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        routes[(data["platform"], data.get("flow", "own"))] = [route["id"] for route in data["routes"]]
    return routes


def test_the_workflow_probes_the_live_sites_weekly_logged_out_in_three_languages_and_keeps_the_archives(
    tmp_path: Path,
) -> None:
    loaded = workflow()
    triggers = loaded.get("on", loaded.get(True))  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    command = workflow_command(tmp_path, flows=Path("flows"))
    assert command[0] == "probe" and "--logged-out" in command and "--headless" in command
    assert command[command.index("--page-lang") + 1] == "en,fr,de"
    assert "--mock" not in " ".join(command)  # the real sites
    upload = the_step("probe", "actions/upload-artifact", name="probe-reports")
    assert upload["if"] == "always()" and upload["with"]["path"].rstrip("/") == "probe-reports"


@pytest.mark.slow
@pytest.mark.timeout(900)  # every route of every flow, in three languages: about two minutes on a quiet machine
def test_the_workflow_command_on_the_imitation_says_every_route_reached_its_place_in_three_languages(
    home: Home, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    started = time.monotonic()
    result = run_cli(home, *workflow_command(reports), "--mock", timeout=900)
    print(f"\nthe whole probe took {time.monotonic() - started:.0f} s")

    assert result.returncode == 0, result.stdout + result.stderr
    document = probe_json(reports)
    assert document["mock"] == "plain" and document["mock_posts"] == []  # a probe posts nothing
    expected = {
        (platform, flow, lang, route): "changed" if (platform, flow, route) in NOT_IMITATED else "reached"
        for (platform, flow), routes in bundled_routes().items()
        for route in routes
        for lang in ("en", "fr", "de")
    }
    assert verdicts(document) == expected
    assert "WhatsApp (own), pages in de:" in result.stdout
    assert result.stdout.count("  reached ") == list(expected.values()).count("reached")
    # The one route the imitation does not serve is reported with where it lost its way, and archived.
    assert "changed at step 2    form-address-older" in result.stdout
    archives = sorted(reports.glob("*-facebook-third-party-*.zip"))
    assert len(archives) == 3 and (reports / "issues.md").exists()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_workflow_command_on_a_scrambled_imitation_says_which_routes_changed_in_three_languages(
    home: Home, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    result = run_cli(home, *workflow_command(reports), "--mock=scrambled", "--platform", "instagram", timeout=600)

    # The place is still reached (by the Privacy Policy, and by exploring): the flow works, its routes changed.
    assert result.returncode == 0, result.stdout + result.stderr
    document = probe_json(reports)
    assert document["mock_posts"] == []
    seen = verdicts(document)
    for lang in ("en", "fr", "de"):
        # No "More" menu any more (Settings sits in the navigation), and every known form address is dead.
        for route in ("settings-privacy-center", "settings-privacy-policy", "form-address-2025", "form-address-app"):
            assert seen[("instagram", "own", lang, route)] == "changed", (lang, route)
        assert "reached" in {
            seen[("instagram", "own", lang, route)] for route in bundled_routes()[("instagram", "own")]
        }
    (english,) = [flow for flow in document["flows"] if flow["lang"] == "en"]
    first = english["routes"][0]
    assert first["step"] == 2 and "more_menu" in first["detail"]  # where the route lost its way
    assert "changed at step 2" in result.stdout and "reached " in result.stdout
    assert len(list(reports.glob("*-instagram-own-*.zip"))) == 3


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_workflow_command_fails_loudly_when_a_site_changed_beyond_recognition(home: Home, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    result = run_cli(
        home, *workflow_command(reports), "--mock=changed", "--platform", "whatsapp", "--step-timeout", "3", timeout=600
    )

    assert result.returncode == PROBE_FAILED, result.stdout + result.stderr
    document = probe_json(reports)
    assert set(verdicts(document).values()) == {"changed"} and document["exit_code"] == PROBE_FAILED
    assert result.stdout.count("did not reach its place") == 3
    issues = (reports / "issues.md").read_text(encoding="utf-8")
    assert issues.count("Title: WhatsApp (own): changed at step") == 3
    for lang in ("en", "fr", "de"):
        assert f"- Page language: {lang}" in issues
    (archive, *_others) = sorted(reports.glob("*-whatsapp-own-en*.zip"))
    assert str(archive) in result.stdout  # --report says where it is, and what it holds
    assert "about.json" in result.stdout and "screenshot.png" in result.stdout


def test_a_probe_posts_nothing_chooses_nothing_and_answers_no_question(
    site: MockMeta, home: Home, tmp_path: Path
) -> None:
    """Facebook's flows have a form with a choice (third-party) and one with a question first (the Privacy Policy's
    general form); behind a cookie wall. The server sees every request: not one POST."""
    site.reset(Scenario(cookie_wall="decline"))
    browser_args = [f"--browser-arg={arg}" for arg in site.chromium_args()]
    result = run_cli(
        home, "--debug", "probe", "--platform", "facebook", "--logged-out", "--headless", "--json", *browser_args
    )

    assert result.returncode == 0, result.stderr
    assert site.posts() == []
    assert any("/help/contact/" in request.path for request in site.requests)  # it did walk to the forms
    # --debug shows what the walk said: `run` would have chosen the option and answered the question here.
    assert "Cookie notice: declined optional cookies." in result.stderr
    assert "Chose the form's option" not in result.stderr and "optout-bot answered" not in result.stderr
    document = json.loads(result.stdout)
    own = next(flow["routes"] for flow in document["flows"] if flow["flow"] == "own")
    by_question = next(route for route in own if route["id"] == "privacy-policy-right-to-object")
    assert by_question["verdict"] == "reached"  # recognised by its question, left unanswered


def test_update_flows_stamps_each_route_that_reached_its_place_in_a_copy_of_the_flows(
    site: MockMeta, home: Home, tmp_path: Path
) -> None:
    """Run against the imitation through --browser-arg, the tool cannot tell it from the live site: the stamp is
    written, into the copy given with --flows-dir; the bundled flows stay as they are."""
    copy = tmp_path / "flows"
    shutil.copytree(FLOWS_DIR, copy)
    bundled = hashlib.sha256((FLOWS_DIR / "whatsapp.yaml").read_bytes()).hexdigest()
    browser_args = [f"--browser-arg={arg}" for arg in site.chromium_args()]
    result = run_cli(
        home, "probe", "--platform", "whatsapp", "--logged-out", "--headless", "--update-flows",
        "--flows-dir", str(copy), *browser_args,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    stamped = yaml.safe_load((copy / "whatsapp.yaml").read_text(encoding="utf-8"))
    today = time.strftime("%Y-%m-%d")
    assert [str(route["verified"]["date"]) for route in stamped["routes"]] == [today, today]
    assert [route["verified"]["langs"] for route in stamped["routes"]] == [["en"], ["en"]]
    assert "Marked route form-address of" in result.stdout
    assert hashlib.sha256((FLOWS_DIR / "whatsapp.yaml").read_bytes()).hexdigest() == bundled
    check = run_cli(home, "flows", "check", str(copy / "whatsapp.yaml"))
    assert check.returncode == 0 and "never verified" not in check.stderr


def test_update_flows_is_refused_on_the_imitation_before_any_browser_starts(home: Home) -> None:
    started = time.monotonic()
    result = run_cli(home, "probe", "--mock", "--update-flows", "--platform", "whatsapp", "--headless")

    assert result.returncode == 2
    assert "--update-flows records what the live sites showed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert time.monotonic() - started < 20
    assert not (home.data / "profiles").exists()


# --- The weekly workflow stamps the routes that reached their place, and proposes the stamps in a pull request ----


def test_the_workflow_stamps_into_the_checkouts_own_flows_not_the_installed_copy() -> None:
    """`pip install .` copies the flows into site-packages: a stamp written there would be lost with the runner."""
    (step,) = [step for step in workflow_job("probe")["steps"] if step.get("id") == "probe"]
    words = shlex.split(step["run"])
    assert "--update-flows" in words and words[words.index("--flows-dir") + 1] == "flows"
    assert "--mock" not in words


def test_only_the_job_that_opens_the_pull_request_may_write_and_it_runs_when_the_probe_failed() -> None:
    loaded = workflow()
    assert loaded["permissions"] == {"contents": "read"}  # the default of every job: the probe walks untrusted pages
    assert "permissions" not in workflow_job("probe")
    stamps = workflow_job("stamps")
    assert stamps["needs"] == "probe"
    assert stamps["permissions"] == {"contents": "write", "pull-requests": "write"}
    # A failed probe (a flow changed) still has routes that reached their place: their stamps are proposed too.
    # A status function in `if` replaces the implicit success(); cancelled runs propose nothing.
    condition = stamps["if"].replace(" ", "")
    assert "!cancelled()" in condition and "needs.probe.outputs.stamped=='true'" in condition
    assert "always()" not in condition
    # ...and the probe job itself stays failed: no step of it forgives the probe's exit code.
    assert not any(step.get("continue-on-error") for step in workflow_job("probe")["steps"])
    (found,) = [step for step in workflow_job("probe")["steps"] if step.get("id") == "stamped"]
    assert found["if"] == "always()" and "git diff --quiet -- flows/" in found["run"]
    assert workflow_job("probe")["outputs"]["stamped"] == "${{ steps.stamped.outputs.stamped }}"


def test_the_pull_request_holds_only_flow_files() -> None:
    stamped = the_step("probe", "actions/upload-artifact", name="stamped-flows")
    assert stamped["with"]["path"] == "flows/*.yaml" and stamped["if"].startswith("always()")
    taken = the_step("stamps", "actions/download-artifact")
    assert taken["with"] == {"name": "stamped-flows", "path": "flows"}
    opened = the_step("stamps", "peter-evans/create-pull-request")
    assert opened["with"]["add-paths"] == "flows/*.yaml"
    assert opened["with"]["branch"] == "probe/verified-stamps"  # one branch: next week's stamps update the same PR
    assert opened["with"]["title"] and "verified" in opened["with"]["body"]


def test_the_workflow_command_as_it_is_stamps_the_routes_that_reached_their_place_and_only_those(
    site: MockMeta, home: Home, tmp_path: Path
) -> None:
    """The command of the step, stamping and all, against the imitation through --browser-arg (the tool cannot tell
    it from the live site), its flows folder a copy in which WhatsApp's form address is one the site no longer
    serves (as when a form moves): that route changed, the one through the privacy policy's links still reaches
    the form. The reached route is stamped with the three languages, the changed one is left as it was."""
    copy = tmp_path / "flows"
    shutil.copytree(FLOWS_DIR, copy)
    known = "https://www.whatsapp.com/contact/forms/382532939919295/"
    before = (copy / "whatsapp.yaml").read_text(encoding="utf-8")
    assert before.count(known) == 1
    before = before.replace(known, "https://www.whatsapp.com/contact/forms/100000000000001/")
    (copy / "whatsapp.yaml").write_text(before, encoding="utf-8")
    bundled = hashlib.sha256((FLOWS_DIR / "whatsapp.yaml").read_bytes()).hexdigest()
    reports = tmp_path / "reports"
    browser_args = [f"--browser-arg={arg}" for arg in site.chromium_args()]
    command = workflow_command(reports, flows=copy)
    result = run_cli(home, *command, "--platform", "whatsapp", "--step-timeout", "5", *browser_args, timeout=300)

    assert result.returncode == 0, result.stdout + result.stderr  # the flow still reaches its place
    assert site.posts() == []
    seen = verdicts(probe_json(reports))
    langs = ["de", "en", "fr"]
    for lang in langs:
        assert seen[("whatsapp", "own", lang, "form-address")] == "changed"
        assert seen[("whatsapp", "own", lang, "privacy-policy-contact")] == "reached"
    stamped = {
        route["id"]: route.get("verified") for route in yaml.safe_load((copy / "whatsapp.yaml").read_text())["routes"]
    }
    before_stamps = {route["id"]: route.get("verified") for route in yaml.safe_load(before)["routes"]}
    assert stamped["form-address"] == before_stamps["form-address"]  # changed: left as it was
    assert stamped["privacy-policy-contact"] == {"date": datetime.date.today(), "langs": langs}
    assert (
        "Marked route privacy-policy-contact of" in result.stdout and "Marked route form-address" not in result.stdout
    )
    # No other file of the copy changed; the bundled flows not at all.
    others = [path.name for path in sorted(copy.glob("*.yaml")) if path.name != "whatsapp.yaml"]
    assert all((copy / name).read_bytes() == (FLOWS_DIR / name).read_bytes() for name in others)
    assert hashlib.sha256((FLOWS_DIR / "whatsapp.yaml").read_bytes()).hexdigest() == bundled
