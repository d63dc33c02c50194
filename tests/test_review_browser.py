"""End to end in a real browser: Debian's chromium driven by Playwright over the review page.

Opens the queue of a real sample extraction (two amounts misread by the OCR), corrects one
cell by typing digits, accepts the suggested repair with Enter, exports, and reads the CSV.
With RECOVER_DOCS_SCREENSHOT=1 the screenshot of the page is written to docs/ (committed).
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from conftest import ROOT
from test_review import REPAIRED, SAMPLE, UNREADABLE, extracted  # noqa: F401  (module fixture)

from recover.review.server import create_app

CHROMIUM = Path(os.environ.get("RECOVER_CHROMIUM", "/usr/bin/chromium"))


def _browser_or_skip() -> None:
    if CHROMIUM.is_file():
        return
    if os.environ.get("RECOVER_REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} not found; .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} not installed")


@pytest.fixture
def server(extracted: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:  # noqa: F811
    out = tmp_path / "out"
    shutil.copytree(extracted, out)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(out), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", out
    srv.should_exit = True
    thread.join(timeout=10)


def test_review_in_chromium_with_the_keyboard(server: tuple[str, Path]) -> None:
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    url, out = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 820})
        page.goto(url)
        # Largest doubt first: the total that did not read as a number.
        assert page.url.endswith(UNREADABLE)
        assert page.inner_text("#printed") == "1,106,0"
        assert "宣传事务" in page.inner_text("#row-label")
        assert page.locator("#crop img").evaluate("img => img.naturalWidth") > 100
        if os.environ.get("RECOVER_DOCS_SCREENSHOT"):
            page.screenshot(path=str(ROOT / "docs" / "review-page.png"), full_page=True)
        page.keyboard.type("1106000")  # digits start a correction
        assert page.input_value("#correction") == "1106000"
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/*{REPAIRED}")
        # The row's other cells were flagged only by that total: the correction settled them.
        assert "decided" in page.inner_text("#progress")
        assert page.inner_text("#printed") == "257,100"
        assert "257,700" in page.inner_text("#candidates")
        page.keyboard.press("Enter")  # accept the suggested repair
        page.wait_for_url("**/next*")
        assert "queue is clear" in page.content()
        page.click("#export")
        page.wait_for_selector("#message")
        browser.close()
    rows = list(
        csv.reader((out / SAMPLE.stem / "tables" / "01.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert rows[10][4] == "1106000" and rows[4][4] == "257,700"
