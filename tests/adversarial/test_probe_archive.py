"""Issue 18, point 2: the archive `probe` leaves (and the report it prints) can be sent as they are.

The person probes in their own session: the settings file knows their email, name and phone, and the pages carry
their data and Meta's session secrets everywhere a page can hide them (Scenario.leak_bait). The redesigned site
(layout="changed") makes every route fail, so an archive is written per flow; then no seed may be found, in any
encoding, in any member of any archive, in probe.json, issues.md or what the command printed, and every place of
each screenshot where a seed is drawn is masked.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.mock_site import bait as seeded
from tests.adversarial.test_no_leaks import EMAIL, NAME, PHONE, found, seeds_drawn_unmasked
from tests.conftest import LaunchChromium
from tests.e2e.cli import Home, run_cli

SCENARIO = Scenario(layout="changed", leak_bait=True, account_email=EMAIL, account_name=NAME, account_phone=PHONE)
SETTINGS = f'schema_version = 1\nemail = "{EMAIL}"\ncountry = "FR"\nfull_name = "{NAME}"\nphone = "{PHONE}"\n'
PROBE_FAILED = 11


@pytest.mark.slow
def test_a_probe_of_seeded_pages_leaves_archives_and_a_report_without_personal_data(
    home: Home, tmp_path: Path, launch_chromium: LaunchChromium
) -> None:
    settings = home.root / "config" / "optout-bot" / "config.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text(SETTINGS, encoding="utf-8")
    reports = tmp_path / "reports"
    with MockMeta(SCENARIO) as site:
        browser_args = [f"--browser-arg={arg}" for arg in site.chromium_args()]
        result = run_cli(
            home, "--debug", "probe", "--platform", "facebook", "--headless", "--step-timeout", "1", "--report",
            "--report-dir", str(reports), *browser_args,
        )  # fmt: skip
        assert result.returncode == PROBE_FAILED, result.stderr
        seeds = [
            *(EMAIL, NAME, *NAME.split(), PHONE),
            *(seeded.NON_ASCII_EMAIL, seeded.IDN_EMAIL, *seeded.SECRETS, *seeded.phone_forms(PHONE)),
            *site.secrets().values(),
            SCENARIO.account_id,
        ]
        archives = sorted(reports.glob("*.zip"))
        assert len(archives) == 2  # Facebook's own flow and its third-party one: one archive each

        leaks: dict[str, list[str]] = {}
        screenshots = []
        for archive in archives:
            assert oct(archive.stat().st_mode & 0o777) == "0o600"
            with zipfile.ZipFile(archive) as opened:
                assert opened.namelist() == ["about.json", "trail.json", "page.html", "screenshot.png"]
                for name in opened.namelist():
                    data = opened.read(name)
                    if name == "screenshot.png":
                        screenshots.append((data, json.loads(opened.read("about.json"))["page_url"]))
                    else:
                        leaks[f"{archive.name}/{name}"] = found(data.decode("utf-8", errors="replace"), seeds)
                about = json.loads(opened.read("about.json"))
                assert about["page_lang"] == "en" and len(about["flow_sha256"]) == 64 and about["probe"]
        for written in ("probe.json", "issues.md"):
            leaks[written] = found((reports / written).read_text(encoding="utf-8"), seeds)
        leaks["stdout"] = found(result.stdout, seeds)
        assert {name: hits for name, hits in leaks.items() if hits} == {}

        # What a maintainer needs is kept: the page's structure, the trail, the title and step.
        assert "Title: Facebook (own): changed at step" in result.stdout
        unmasked = [hit for png, url in screenshots for hit in seeds_drawn_unmasked(launch_chromium, site, png, url)]
    assert unmasked == []
