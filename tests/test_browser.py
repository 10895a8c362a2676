"""A real browser: headless Debian Chromium driven by Playwright against
`streamlit run` on a free port. In CI it must run, not skip."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import IN_CI, ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(real_index_dir):
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail("chromium is missing in CI: `make test` installs it (apt-get install chromium)")
        pytest.skip("Debian chromium not installed (make chromium)")
    port = free_port()
    env = {**os.environ, "ZANQA_INDEX_DIR": str(real_index_dir)}
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "streamlit_app.py"),
            "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield url, time.perf_counter() - started
    proc.terminate()
    proc.wait(timeout=20)


def ask(page, question: str, expect: str) -> float:
    """Type ``question``, wait for ``expect`` on the page; seconds from Enter to it."""
    box = page.locator("textarea").first
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    page.get_by_text(expect).first.wait_for(timeout=60_000)
    return time.perf_counter() - started


def settle(page, text: str) -> None:
    """For the screenshot only (after the timing): let the rerun finish and
    bring the answer into view."""
    page.get_by_text(text).last.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)


def test_kazakh_and_russian_questions_in_a_real_browser(server):
    url, server_ready = server
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        opened = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded")
        page.locator("textarea").first.wait_for(timeout=90_000)
        page_ready = time.perf_counter() - opened
        # timings are recorded for the README (tests/artifacts/timings.json), not asserted
        first = ask(page, "Адамды тасу қашан аяқталды деп есептеледі?", "(6-тармақ)")
        settle(page, "(6-тармақ)")
        page.screenshot(path=str(ARTIFACTS / "answer-kk.png"), full_page=True)
        second = ask(page, "Когда перевозка человека считается оконченной?", "(п. 6)")
        settle(page, "(п. 6)")
        page.screenshot(path=str(ARTIFACTS / "answer-ru.png"), full_page=True)
        hostile = "<img src=x onerror=alert(1)> что такое вербовка?"
        third = ask(page, hostile, hostile)
        assert page.locator("img[src='x']").count() == 0
        timings = {
            "server_ready_s": server_ready,
            "page_ready_s": page_ready,
            "first_answer_s": first,
            "later_answers_s": [second, third],
        }
        (ARTIFACTS / "timings.json").write_text(
            json.dumps(
                {
                    k: (round(v, 3) if isinstance(v, float) else [round(x, 3) for x in v])
                    for k, v in timings.items()
                }
            )
        )
        browser.close()
    assert (ARTIFACTS / "answer-kk.png").stat().st_size > 10_000
    assert (ARTIFACTS / "answer-ru.png").stat().st_size > 10_000
