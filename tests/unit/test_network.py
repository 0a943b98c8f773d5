"""Which navigation errors mean "no connection" (exit 10) and which do not (the walk goes on) — issue 15.4."""

from __future__ import annotations

import pytest

from optout_bot.errors import ExitStatus, NoConnectionError
from optout_bot.walk.network import no_connection_cause, raise_if_no_connection


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        ("Page.goto: net::ERR_NAME_NOT_RESOLVED at https://www.instagram.com/", "the name could not be found"),
        ("Page.goto: net::ERR_CONNECTION_REFUSED at https://x.com/", "the connection was refused"),
        ("net::ERR_CONNECTION_RESET at https://www.facebook.com/", "the connection was cut"),
        ("net::ERR_CONNECTION_TIMED_OUT at https://www.facebook.com/", "the connection timed out"),
        ("net::ERR_INTERNET_DISCONNECTED at https://www.facebook.com/", "this computer seems to be offline"),
        ("net::ERR_ADDRESS_UNREACHABLE at https://www.facebook.com/", "this computer seems to be offline"),
        ("net::ERR_NETWORK_CHANGED at https://www.facebook.com/", "this computer seems to be offline"),
        ("net::ERR_PROXY_CONNECTION_FAILED at https://www.facebook.com/", "the proxy could not be reached"),
    ],
)
def test_errors_that_mean_no_connection_name_their_cause(error: str, cause: str) -> None:
    assert no_connection_cause(error) == cause


@pytest.mark.parametrize(
    "error",
    [
        "net::ERR_ABORTED at https://www.instagram.com/",  # a navigation replaced by another
        "net::ERR_BLOCKED_BY_CLIENT at https://evil.example/",  # a request the tool itself refused
        "net::ERR_FAILED at https://www.instagram.com/",
        "net::ERR_CERT_AUTHORITY_INVALID at https://www.instagram.com/",  # the site answered, but not as itself
        "Timeout 15000ms exceeded.",
        "",
    ],
)
def test_other_errors_are_not_no_connection(error: str) -> None:
    assert no_connection_cause(error) is None
    raise_if_no_connection(Exception(error), "https://www.instagram.com/")  # nothing raised: the walk goes on


def test_the_message_names_the_host_and_exits_10() -> None:
    with pytest.raises(NoConnectionError) as raised:
        raise_if_no_connection(Exception("net::ERR_NAME_NOT_RESOLVED at …"), "https://www.instagram.com/accounts/")
    assert raised.value.status is ExitStatus.NO_CONNECTION == 10
    assert raised.value.message == (
        "no connection to instagram.com (the name could not be found): check your internet connection, "
        "then run again. Nothing was filled."
    )
