"""What a test does when it cannot run here, and where the browser is.

Locally a test that lacks what it needs (a built book, chromium, a Python version) is
skipped with the reason; under CI (the ``CI`` environment variable set) the same test
fails, so a CI run never passes by skipping. Every test module uses :func:`skip_or_fail`
from here (``tests/browser/conftest.py`` also offers it as a fixture).

>>> callable(skip_or_fail) and isinstance(IN_CI, bool)
True
"""
from __future__ import annotations

import os
import shutil

import pytest

IN_CI = bool(os.environ.get("CI"))

# Headless chromium as the tests launch it (Debian's build, no sandbox in a container).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI a test that cannot run is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


def find_chromium() -> str | None:
    """The chromium to drive: ``BP_CHROMIUM`` if set, else chromium on PATH, else None."""
    explicit = os.environ.get("BP_CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_or_skip() -> str:
    """The chromium binary, or skip_or_fail with how to get one."""
    executable = find_chromium()
    if executable is None:
        skip_or_fail("no chromium found (apt-get install chromium, or set BP_CHROMIUM); "
                     "this browser test did not run")
    return executable


def sync_playwright_or_skip():
    """playwright's ``sync_playwright``, or skip_or_fail when the package is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        skip_or_fail("playwright (python) is not installed")
    return sync_playwright
