"""Addresses read as the browser reads them (WHATWG URL rules), not as Python's urlsplit does (issue 14, hole 4)."""

from __future__ import annotations

import pytest

from optout_bot.domains import host_of, is_site_url, resolve_link
from optout_bot.platforms import META, site_of

# Each passes a check built on urlsplit; the browser goes to another host (or nowhere on Meta's).
BROWSER_GOES_ELSEWHERE = {
    "a backslash in the host": "https://evil\\.instagram.com/",
    "an escaped dot in the host": "https://www.facebook.com%2eevil.example/",
    "a tab in the host": "https://www.facebook.com\t.evil.example/",
    "a newline in the host": "https://www.facebook.com\n.evil.example/",
    "credentials after a backslash-free host": "https://www.facebook.com@evil.example/",
    "not https": "http://www.facebook.com/",
    "an odd port": "https://www.facebook.com:8443/",
    "a script": "javascript:alert(1)",
    "data": "data:text/html,<h1>Meta</h1>",
}


@pytest.mark.parametrize("url", BROWSER_GOES_ELSEWHERE.values(), ids=BROWSER_GOES_ELSEWHERE.keys())
def test_an_address_the_browser_reads_as_another_host_is_not_metas(url: str) -> None:
    assert not is_site_url(url, META)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.facebook.com/help/contact/712876720715583",
        "https://WWW.Facebook.COM/",  # the browser lowercases hosts
        "https://www.facebook.com:443/privacy/center/",  # the default port, written out
        "https://www.instagram.com\\accounts\\edit\\",  # backslashes in the path are slashes to the browser
    ],
)
def test_metas_addresses_however_written_are_accepted(url: str) -> None:
    assert is_site_url(url, META)


def test_a_link_is_resolved_as_the_browser_resolves_it() -> None:
    base = "https://www.facebook.com/privacy/center/"
    assert resolve_link(base, "/\\evil.example/object") == "https://evil.example/object"
    assert resolve_link(base, "//evil.example/") == "https://evil.example/"
    assert resolve_link(base, "../policy/") == "https://www.facebook.com/privacy/policy/"
    assert resolve_link(base, "javascript:void(0)").startswith("javascript:")
    assert resolve_link(base, "https://exa mple.com/") == ""  # no address at all: leads nowhere


def test_the_host_named_to_the_person_is_the_one_the_browser_contacts() -> None:
    assert host_of("https://evil\\.instagram.com/") == "evil"
    assert host_of("not an address") == "not an address"


def test_each_platform_has_only_its_own_domains() -> None:
    assert not is_site_url("https://www.facebook.com/", site_of("linkedin"))
    assert is_site_url("https://www.linkedin.com/feed/", site_of("linkedin"))
