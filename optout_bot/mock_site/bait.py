"""Leak bait: the person's data and session secrets hidden everywhere a page can hide them (Scenario.leak_bait).

A saved diagnostic and the log must keep none of it; tests/adversarial/test_no_leaks.py seeds a run with it
and looks for every piece, in every encoding, in what the run left on disk.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from optout_bot.mock_site.scenario import Scenario

NON_ASCII_EMAIL = "jöhn.bäit@exämple.fr"
IDN_EMAIL = "jöhn.bäit@xn--exmple-cua.fr"
# Secrets a page carries: each is distinctive enough that finding it by chance in a file is impossible.
QUERY_TOKEN = "qTok3nR7x9Lm2Vb8Kd4W"
PATH_TOKEN = "AbCdEf0123456789pAtHtOk"
CSRF_TOKEN = "csrfZ9y8X7w6V5u4T3s2Q1"
BEARER_TOKEN = "eyJhbGciOiJIUzI1NiJ9bEaReR5s6D7f8"
DATA_TOKEN = "dAtA7seed4Q1w2E3r4T5y6"
SRC_TOKEN = "sRc9tOkEn8Hj7Gf6Ds5A"
DRAFT_TEXT = "my draft objection text wIpRoUt"

SECRETS = (QUERY_TOKEN, PATH_TOKEN, CSRF_TOKEN, BEARER_TOKEN, DATA_TOKEN, SRC_TOKEN, DRAFT_TEXT)


def phone_forms(phone: str) -> list[str]:
    """The phone as people and pages write it: international, spaced, dotted, dashed, national."""
    digits = re.sub(r"\D", "", phone)
    national = "0" + digits[2:]  # a two-digit country code, as the mock's French number has
    pairs = [national[i : i + 2] for i in range(0, len(national), 2)]
    return [phone, "+" + digits, ".".join(pairs), "-".join(pairs), " ".join(pairs), national]


def bait(scenario: Scenario) -> str:
    """A block of page content with every kind of leak issue 14 found, the person's values from `scenario`."""
    email, name = scenario.account_email, scenario.account_name
    e, n = html.escape(email), html.escape(name)
    phones = phone_forms(scenario.account_phone)
    entity_email = "".join(f"&#{ord(c)};" for c in email)
    link = f"https://www.facebook.com/share/?u={quote(email, safe='')}&amp;token={QUERY_TOKEN}#user={quote(name)}"
    return f"""
<section class="x1bait" aria-label="About this account">
  <meta name="csrf-token" content="{CSRF_TOKEN}">
  <meta property="og:url" content="https://www.facebook.com/people/?token={QUERY_TOKEN}">
  <h2 class="x1bait-title">Contact details</h2>
  <p id="bait-owner">Signed in as {n} ({e})</p>
  <p id="bait-phones">Call {html.escape(phones[0])} or {html.escape(phones[1])}, at home {phones[2]},
     {phones[3]} or {phones[4]}</p>
  <p id="bait-others">Also {html.escape(NON_ASCII_EMAIL)}, {html.escape(IDN_EMAIL)} and {entity_email}</p>
  <p id="bait-header">Authorization: Bearer {BEARER_TOKEN}</p>
  <a href="mailto:{e}?subject=Hello%20{quote(name)}">Write to me</a>
  <a href="mailto:{quote(email, safe="")}">Write again</a>
  <a href="{link}">Share</a>
  <a href="https://www.facebook.com/confirm/{PATH_TOKEN}/?next=%2F">Confirm</a>
  <a href="tel:{phones[1]}">Phone</a>
  <img alt="" src="https://www.facebook.com/rsrc.php/?sig={SRC_TOKEN}"
       srcset="https://www.facebook.com/rsrc.php/?sig={SRC_TOKEN}&amp;s=2 2x">
  <form action="https://www.facebook.com/ajax/bait/?token={QUERY_TOKEN}" method="post" class="x1bait-form"></form>
  <div data-user="{e}" data-token="{DATA_TOKEN}" data-name="{n}" class="x1bait-data">Profile card</div>
  <div id="bait-draft" contenteditable="true">{html.escape(DRAFT_TEXT)}</div>
</section>"""
