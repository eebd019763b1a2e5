"""The "Live Code" (Thebe) launch button: offered, and nothing fetched until it is clicked.

``launch_buttons: thebe: true`` in ``_config.yml`` adds a "Live Code" entry to
the launch menu of every chapter that is a notebook. Its JavaScript (thebe,
from unpkg.com) and its kernel (from mybinder.org) are fetched only when the
reader clicks it; the book must stay fully offline until then.

On the first chapter page with code cells, opened offline like every page of
``test_book_pages.py`` (every non-local request blocked and recorded):

* the page loads with no off-site request, no failed request, no console error
  (``test_book_pages.py`` checks the same for every page; here it is checked
  explicitly, since it is the promise that lets the button be offered);
* the launch menu has a "Live Code" button with an accessible name and its
  Thebe configuration (the repository and branch of ``_config.yml``);
* clicking it asks for exactly one off-site resource, thebe's script on
  unpkg.com (blocked here; a reader online gets it), and nothing else.

Whether thebe then starts a Binder kernel cannot be tested offline.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THEBE_SCRIPT = re.compile(r"^https://unpkg\.com/thebe@[\w.-]+/lib/index\.js$")


def _repository() -> tuple[str, str]:
    """(owner/name, branch) from _config.yml's `repository:` block."""
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    block = re.search(r"^repository:\n((?:[ \t]+.*\n)+)", text, re.MULTILINE)
    assert block, "_config.yml has no repository: block"
    url = re.search(r"^\s+url:\s*(\S+)", block.group(1), re.MULTILINE).group(1)
    branch = re.search(r"^\s+branch:\s*(\S+)", block.group(1), re.MULTILINE).group(1)
    return url.split("github.com/")[-1].strip("/"), branch


@pytest.fixture(scope="module")
def notebook_page(pages, html_dir, skip_or_fail) -> str:
    """The first page built from a notebook with code cells (it has the launch menu)."""
    for page in pages:
        html = (html_dir / page).read_text(encoding="utf-8")
        if 'class="cell docutils container"' in html and "btn-launch-thebe" in html:
            return page
    skip_or_fail("no page has both code cells and the Live Code button; is thebe on?")


def test_live_code_button_fetches_nothing_until_clicked(notebook_page, open_page):
    page, report = open_page(notebook_page)
    page.wait_for_load_state("networkidle")
    assert not report.problems(), f"{notebook_page} on load: {report.problems()}"

    config = page.locator('script[type="text/x-thebe-config"]')
    assert config.count() == 1, "no thebe configuration in the page"
    repo, branch = _repository()
    text = config.first.inner_text()
    assert f'repo: "{repo}"' in text and f'ref: "{branch}"' in text, text

    button = page.locator("button.btn-launch-thebe")
    assert button.count() == 1, "no Live Code button"
    assert re.search(r"Live Code", button.first.inner_text()), button.first.inner_text()
    page.locator(".dropdown-launch-buttons > button").first.click()  # open the launch menu
    button.first.wait_for(state="visible", timeout=5_000)
    assert page.evaluate(
        "(b) => b.getAttribute('title') || b.getAttribute('aria-label') || b.innerText",
        button.first.element_handle(),
    ).strip()

    button.first.click()
    page.wait_for_timeout(1_500)
    assert len(report.offsite) == 1 and THEBE_SCRIPT.match(report.offsite[0]), (
        f"clicking Live Code should request only thebe's script, got {json.dumps(report.offsite)}"
    )
