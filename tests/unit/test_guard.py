"""optout_bot.promises.guard's reading of requests: a value the tool typed is found however the page encodes it."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest

from optout_bot.promises.guard import carries, spellings

EMAIL = "Jane.Doe+ai@example.com"
REASON = "My photos & my words:\nnot for training"
TYPED = [*spellings(EMAIL), *spellings(REASON)]

CARRYING = {
    "query string": (f"https://www.facebook.com/ajax/log?q={quote(EMAIL)}", None),
    "query, + for space": ("https://www.facebook.com/ajax/log?" + urlencode({"r": REASON}), None),
    "urlencoded body, CRLF": ("https://www.facebook.com/x", urlencode({"r": REASON.replace("\n", "\r\n")}).encode()),
    "JSON body": ("https://www.facebook.com/api/graphql/", json.dumps({"variables": {"email": EMAIL}}).encode()),
    "JSON, non-ASCII kept": ("https://www.facebook.com/x", json.dumps({"n": REASON}, ensure_ascii=False).encode()),
    "multipart body": (
        "https://www.facebook.com/x",
        f'--b\r\nContent-Disposition: form-data; name="email"\r\n\r\n{EMAIL}\r\n--b--\r\n'.encode(),
    ),
    "another case": (f"https://www.facebook.com/x?e={EMAIL.upper()}", None),
}


@pytest.mark.parametrize(("url", "body"), CARRYING.values(), ids=CARRYING.keys())
def test_a_typed_value_is_found_however_it_is_encoded(url: str, body: bytes | None) -> None:
    assert carries(url, body, TYPED)


def test_ordinary_traffic_is_left_alone() -> None:
    assert not carries("https://static.xx.fbcdn.net/rsrc.php/v3/app.js", None, TYPED)
    assert not carries("https://www.facebook.com/ajax/bz", b'{"q":"jane.doe@example.org"}', TYPED)
