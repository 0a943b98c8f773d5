"""The adversarial cases of issue 14: each test reproduces one hole in the promises (a page, a flow or an input
built to break them) and proves it is closed. They share the end-to-end fixtures: the mock site, the person's
home folder, their running browser and the person playing along."""

from __future__ import annotations

from tests.e2e.conftest import cdp, home, person, site

__all__ = ["cdp", "home", "person", "site"]
