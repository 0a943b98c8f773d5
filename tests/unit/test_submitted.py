"""walk/submitted.py: the values a submission carried, read from its request, only for the fields the flow knows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from playwright.sync_api import Request

from optout_bot.walk.submitted import KnownField, submitted_values

FIELDS = [
    KnownField("email", "Email address"),
    KnownField("country", "Country of residence", (("FR", "France"), ("BE", "Belgium"))),
    KnownField("reason", "How does this processing affect you? (optional)"),
]


@dataclass
class Sent:
    """What a submission's request shows of itself: its body and headers."""

    post_data_buffer: bytes
    headers: dict[str, str] = field(default_factory=dict)


def read(body: bytes, kind: str) -> tuple[tuple[str, str], ...]:
    return submitted_values(FIELDS, cast(Request, Sent(body, {"content-type": kind})))


def test_a_posted_form_gives_the_known_fields_only_as_the_person_saw_them() -> None:
    body = b"fb_dtsg=SECRET&lsd=TOKEN&email=typed%40example.net&country=FR&reason=Mes+photos&jazoest=2"
    assert read(body, "application/x-www-form-urlencoded") == (
        ("Email address", "typed@example.net"),
        ("Country of residence", "France"),  # the option's text, not its code
        ("How does this processing affect you? (optional)", "Mes photos"),
    )


def test_form_data_sent_by_script_is_read_and_a_file_never() -> None:
    boundary = "----b"
    parts = [
        'Content-Disposition: form-data; name="email"\r\n\r\ntyped@example.net',
        'Content-Disposition: form-data; name="reason"; filename="evidence.png"\r\nContent-Type: image/png\r\n\r\nPNG',
        'Content-Disposition: form-data; name="lsd"\r\n\r\nTOKEN',
    ]
    body = "".join(f"--{boundary}\r\n{part}\r\n" for part in parts) + f"--{boundary}--\r\n"
    assert read(body.encode(), f"multipart/form-data; boundary={boundary}") == (("Email address", "typed@example.net"),)


def test_a_json_submission_and_an_empty_one() -> None:
    assert read(b'{"email": "typed@example.net", "token": "SECRET"}', "application/json") == (
        ("Email address", "typed@example.net"),
    )
    assert read(b"", "application/x-www-form-urlencoded") == ()
