"""Telling "no connection" apart from "the pages changed" (issue 15.4).

When the browser cannot reach the platform's site at all, every route fails the same way: trying the others
for a minute and then blaming the platform's pages would send the person the wrong way. Chromium names the
cause in the navigation error ("net::ERR_NAME_NOT_RESOLVED at https://…"); those that mean the network, not
the site, stop the walk at once with exit 10.

Not here on purpose: net::ERR_ABORTED, ERR_FAILED and ERR_BLOCKED_BY_CLIENT (a navigation replaced, or a
request the tool itself refused), and HTTP errors (the site answered).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from optout_bot.errors import NoConnectionError
from optout_bot.i18n import N_, _

_NAME = N_("the name could not be found")
_REFUSED = N_("the connection was refused")
_CUT = N_("the connection was cut")
_TIMED_OUT = N_("the connection timed out")
_OFFLINE = N_("this computer seems to be offline")
_PROXY = N_("the proxy could not be reached")

# Chromium's network error names (net/base/net_error_list.h) that mean the site could not be reached.
_CAUSES = {
    "ERR_NAME_NOT_RESOLVED": _NAME,
    "ERR_NAME_RESOLUTION_FAILED": _NAME,
    "ERR_CONNECTION_REFUSED": _REFUSED,
    "ERR_CONNECTION_RESET": _CUT,
    "ERR_CONNECTION_CLOSED": _CUT,
    "ERR_CONNECTION_ABORTED": _CUT,
    "ERR_EMPTY_RESPONSE": _CUT,
    "ERR_CONNECTION_FAILED": _REFUSED,
    "ERR_CONNECTION_TIMED_OUT": _TIMED_OUT,
    "ERR_TIMED_OUT": _TIMED_OUT,
    "ERR_INTERNET_DISCONNECTED": _OFFLINE,
    "ERR_NETWORK_CHANGED": _OFFLINE,
    "ERR_ADDRESS_UNREACHABLE": _OFFLINE,
    "ERR_NETWORK_ACCESS_DENIED": _OFFLINE,
    "ERR_PROXY_CONNECTION_FAILED": _PROXY,
    "ERR_TUNNEL_CONNECTION_FAILED": _PROXY,
}
_ERROR_NAME = re.compile(r"net::(ERR_[A-Z_]+)")

NO_CONNECTION = N_(
    "no connection to {host} ({reason}): check your internet connection, then run again. Nothing was filled."
)


def no_connection_cause(error_text: str) -> str | None:
    """The cause, in plain words (untranslated msgid), when a navigation error means no connection; else None."""
    found = _ERROR_NAME.search(error_text)
    return _CAUSES.get(found.group(1)) if found else None


def raise_if_no_connection(error: Exception, url: str) -> None:
    """Stop the walk (exit 10) when opening `url` failed because the site could not be reached at all."""
    cause = no_connection_cause(str(error))
    if cause is None:
        return
    host = urlsplit(url).hostname or url
    host = host.removeprefix("www.")  # "instagram.com", as the person knows it
    raise NoConnectionError(_(NO_CONNECTION).format(host=host, reason=_(cause))) from error
