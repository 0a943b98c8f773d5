"""What the mock Meta site pretends about the person and their account, one knob per situation to test."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Scenario:
    """The situation the mock site plays. Replace or mutate it between tests; every request reads it afresh.

    New situations (cookie walls, "not offered in your region" pages, the third-party form, …) come as new
    fields with defaults that keep today's behaviour, so existing tests keep passing.
    """

    # Language of every page; a strings file `fixtures/strings/<lang>.yaml` must exist for it.
    lang: str = "en"
    # Pages redirect to the platform's login page until the person has logged in there (a cookie).
    require_login: bool = False
    account_email: str = "jane.doe@example.com"
    # Shown in the page headers of a logged-in person.
    account_name: str = "Jane Doe"
    # The objection form's email field is pre-filled with `account_email` when logged in, as Meta usually does.
    prefill_email: bool = True
