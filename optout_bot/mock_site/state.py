"""What the mock site remembers between requests: logins, login checks under way, codes sent, cookie choices,
and the AI-training settings of LinkedIn and X.

All of it is forgotten by `MockMeta.reset()`, so each test starts from a site that has never seen the browser.
Connection threads call in concurrently, hence the lock.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Secrets:
    """Meta's anti-forgery tokens, the same on every page (as within one of Meta's sessions) until a reset."""

    fb_dtsg: str
    lsd: str

    @classmethod
    def new(cls) -> Secrets:
        # Shaped like Meta's ("NAc…", "AV…") and long enough that finding one by chance in a file is impossible.
        return cls(fb_dtsg="NAc" + secrets.token_urlsafe(30), lsd="AV" + secrets.token_urlsafe(12))

    @property
    def jazoest(self) -> str:
        # "2" followed by the sum of fb_dtsg's character codes, as Meta computes it: derived, so not a secret.
        return "2" + str(sum(map(ord, self.fb_dtsg)))

    def by_name(self) -> dict[str, str]:
        return {"fb_dtsg": self.fb_dtsg, "lsd": self.lsd}


Key = tuple[str, str]  # (platform, session token), or (host, path) of a form


class SiteState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._sessions: set[Key] = set()  # logins that count
            self._checks: dict[Key, set[str]] = {}  # logins still waiting for a checkpoint or code
            self._signed_out: set[str] = set()  # platforms whose login the server forgot (relogin_at)
            self._relogins_done: set[str] = set()
            self._codes_sent: dict[Key, str] = {}  # form -> the confirmation to show once the code is typed
            self._cookie_choices: dict[str, str] = {}  # host -> "declined" / "accepted"
            self._settings: dict[str, bool] = {}  # setting key (fixtures/pages.yaml) -> its state, once saved or set
            self._secrets = Secrets.new()

    @property
    def secrets(self) -> Secrets:
        with self._lock:
            return self._secrets

    # logins

    def start_login(self, platform: str, checks: list[str]) -> str:
        """A new session token; it counts at once, or only once each of `checks` is passed."""
        token = secrets.token_urlsafe(24)
        with self._lock:
            if checks:
                self._checks[(platform, token)] = set(checks)
            else:
                self._sessions.add((platform, token))
        return token

    def pass_check(self, platform: str, token: str, check: str) -> None:
        with self._lock:
            waiting = self._checks.get((platform, token))
            if waiting is None:
                return  # no login under way with this cookie: the step page was opened directly
            waiting.discard(check)
            if not waiting:
                del self._checks[(platform, token)]
                self._sessions.add((platform, token))

    def is_session(self, platform: str, token: str) -> bool:
        with self._lock:
            return (platform, token) in self._sessions

    def is_signed_out(self, platform: str) -> bool:
        with self._lock:
            return platform in self._signed_out

    def relogin_once(self, platform: str, token: str) -> bool:
        """Forget this login, the first time only; True if it was forgotten now."""
        with self._lock:
            if platform in self._relogins_done:
                return False
            self._relogins_done.add(platform)
            self._sessions.discard((platform, token))
            self._signed_out.add(platform)
            return True

    # codes after Submit

    def send_code(self, form: Key, confirmation: str) -> None:
        with self._lock:
            self._codes_sent[form] = confirmation

    def take_code(self, form: Key) -> str | None:
        """The confirmation waiting for this form's code, if a code was sent (it is then used up)."""
        with self._lock:
            return self._codes_sent.pop(form, None)

    # cookie consent

    def record_cookie_choice(self, host: str, choice: str) -> None:
        with self._lock:
            self._cookie_choices[host] = choice

    def cookie_choice(self, host: str) -> str | None:
        with self._lock:
            return self._cookie_choices.get(host)

    # the AI-training settings (LinkedIn's, X's: the settings declared in fixtures/pages.yaml, by their key)

    def setting(self, key: str, default: bool) -> bool:
        """The setting as last saved or set; `default` (Scenario.ai_setting_on) until then."""
        with self._lock:
            return self._settings.get(key, default)

    def set_setting(self, key: str, on: bool) -> None:
        with self._lock:
            self._settings[key] = on
