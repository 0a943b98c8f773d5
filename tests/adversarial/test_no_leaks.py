"""Issue 14, hole 7: "a diagnostic without your personal data" must be true, of its archive and of the log.

A run is seeded with the person's values (--email, --name, --phone, --reason, a --from-link carrying a token in
its path, its query and its fragment) on pages that carry the person's data and session secrets everywhere a
page can hide them (Scenario.leak_bait, optout_bot/mock_site/bait.py). The redesigned site (layout="changed")
makes the run fail with exit 5, so a diagnostic is saved; then no seed may be found, in any encoding, in its
archive's page.html, trail.json or about.json or in the log file, and every place of its screenshot where a seed
is drawn is masked.
"""

from __future__ import annotations

import base64
import html
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from playwright.sync_api import Page

from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.mock_site import bait as seeded
from optout_bot.walk.diagnostics import MASK_COLOUR
from tests.conftest import LaunchChromium
from tests.e2e.cli import Home, run_cli

EMAIL, NAME, PHONE = "jane.doe@example.com", "Jane Doe", "+33 6 71 82 93 04"
REASON = "Please stop using my posts rSnQ7 private reason"
LINK_PATH_TOKEN, LINK_QUERY_TOKEN, LINK_FRAGMENT_TOKEN = "LnKpAtH0123456789abcXYZ", "lInKqUeRy42Tok3n", "fRaGm3ntS3cr3t"
FROM_LINK = (
    f"https://www.facebook.com/confirm/{LINK_PATH_TOKEN}/?t={LINK_QUERY_TOKEN}&email=jane.doe%40example.com"
    f"#frag={LINK_FRAGMENT_TOKEN}"
)
SCENARIO = Scenario(layout="changed", leak_bait=True, account_email=EMAIL, account_name=NAME, account_phone=PHONE)


def encodings(seed: str) -> set[str]:
    """A value as pages, addresses, JSON and HTML write it."""
    return {
        seed,
        quote(seed, safe=""),
        quote_plus(seed),
        html.escape(seed),
        json.dumps(seed)[1:-1],
        "".join(f"&#{ord(c)};" for c in seed),
        seed.encode("idna").decode() if "@" not in seed else seed,
    }


def found(text: str, seeds: list[str]) -> list[str]:
    """The seeds (in any of their encodings, in any case) that `text` still holds, and the phone in any grouping."""
    lowered = text.lower()
    hits = sorted({form for seed in seeds for form in encodings(seed) if form.lower() in lowered})
    # The phone's digits, whatever separates them ("06.71.82.93.04", "+33%206%2071…", "0671829304").
    joined = re.sub(r"%2[0bBdDeE]|&nbsp;|[\s.\-()/+\u00a0]", "", text)
    tail = re.sub(r"\D", "", PHONE)[-7:]
    return hits + ([f"phone digits {tail}"] if tail in joined else [])


SHOT = "screenshot.png"


def read_archive(archive: Path) -> dict[str, bytes]:
    """Every member of a diagnostic archive (the .zip a person attaches to a report), by name."""
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def log_file(home: Home) -> Path:
    return home.root / "state" / "optout-bot" / "logs" / "optout-bot.log"


@pytest.mark.slow
def test_a_seeded_run_leaves_no_personal_data_or_secret_in_its_diagnostic_or_log(
    home: Home, launch_chromium: LaunchChromium
) -> None:
    with MockMeta(SCENARIO) as site:
        browser_args = [f"--browser-arg={a}" for a in site.chromium_args()]
        result = run_cli(
            home, "--debug", "run", "--platform", "facebook", "--headless", "--dry-run", "--step-timeout", "1",
            "--email", EMAIL, "--name", NAME, "--phone", PHONE, "--reason", REASON, "--from-link", FROM_LINK,
            *browser_args,
        )  # fmt: skip
        assert result.returncode == 5, result.stderr
        (archive,) = (home.data / "diagnostics").iterdir()
        saved = read_archive(archive)
        seeds = [
            *(EMAIL, NAME, *NAME.split(), PHONE, REASON, LINK_PATH_TOKEN, LINK_QUERY_TOKEN, LINK_FRAGMENT_TOKEN),
            *(seeded.NON_ASCII_EMAIL, seeded.IDN_EMAIL, *seeded.SECRETS, *seeded.phone_forms(PHONE)),
            *site.secrets().values(),
            SCENARIO.account_id,
        ]
        page_html, trail = saved["page.html"].decode(), saved["trail.json"].decode()
        log = log_file(home).read_text(encoding="utf-8")

        assert "| DEBUG   |" in log  # --debug: the walk's details were written too
        leaks = {name: found(data.decode(errors="replace"), seeds) for name, data in saved.items() if name != SHOT}
        leaks["log"] = found(log, seeds)
        assert leaks == {"about.json": [], "page.html": [], "trail.json": [], "log": []}

        # What a contributor needs to fix the flow is kept: tags, headings, link texts, the metas' names.
        assert '<h2 class="x1bait-title">Contact details</h2>' in page_html
        assert ">Write to me</a>" in page_html and '<meta name="csrf-token"' in page_html
        assert json.loads(trail)["steps"][0]["step"].startswith("goto https://www.facebook.com/confirm/")

        last_url = json.loads(trail)["steps"][-1]["url"]
        unmasked = seeds_drawn_unmasked(launch_chromium, site, saved[SHOT], last_url)
    assert unmasked == []


# --- the screenshot: where the seeds are drawn, the mask must be -----------------------------------------------

# Every text node holding one of the person's values or a secret: its box in page coordinates.
_SEED_BOXES_JS = """seeds => {
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const seed of seeds.filter(s => node.nodeValue.toLowerCase().includes(s.toLowerCase()))) {
      for (const r of range.getClientRects()) {
        if (r.width < 2 || r.height < 2) continue;
        boxes.push({seed, x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height});
      }
    }
  }
  return boxes;
}"""

# The screenshot's pixels at given points, read through a canvas (no image library needed).
_PIXELS_JS = """async ([png, points]) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const pixel = ([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
  return {width: image.width, pixels: points.map(pixel)};
}"""


def seeds_drawn_unmasked(launch_chromium: LaunchChromium, site: MockMeta, png: bytes, url: str) -> list[str]:
    """The seeds whose text, drawn on the same page at the same width, is not under the mask's colour."""
    browser = launch_chromium(*site.chromium_args())
    try:
        page = browser.new_page()
        encoded = base64.b64encode(png).decode()
        width = pixels(page, encoded, [])[0]
        page.set_viewport_size({"width": width, "height": 720})
        page.goto(url, wait_until="load")
        drawn = [EMAIL, NAME, *seeded.phone_forms(PHONE), seeded.NON_ASCII_EMAIL, seeded.IDN_EMAIL, seeded.DRAFT_TEXT,
                 seeded.BEARER_TOKEN]  # fmt: skip
        boxes = page.evaluate(_SEED_BOXES_JS, drawn)
        assert {box["seed"] for box in boxes} >= {EMAIL, NAME, seeded.NON_ASCII_EMAIL}, boxes  # the bait is drawn
        centres = [(int(b["x"] + b["w"] / 2), int(b["y"] + b["h"] / 2)) for b in boxes]
        page.goto("about:blank")
        colours = pixels(page, encoded, centres)[1]
    finally:
        browser.close()
    mask = [int(MASK_COLOUR[i : i + 2], 16) for i in (1, 3, 5)]
    return [f"{box['seed']} at {centre}" for box, centre, colour in zip(boxes, centres, colours, strict=True)
            if colour != mask]  # fmt: skip


def pixels(page: Page, png: str, points: list[tuple[int, int]]) -> tuple[int, list[list[int]]]:
    result = page.evaluate(_PIXELS_JS, [png, points])
    return int(result["width"]), result["pixels"]
