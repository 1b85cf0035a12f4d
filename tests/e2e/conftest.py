"""Browser tests: the app served by gunicorn with a real RQ worker, driven by Debian's Chromium.

The served app shares the test database and Redis db index with the `app` fixture, so a test can
look at what the browser did. Mail goes to the loopback SMTP server of the `smtp` fixture.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SECRET
from tests.mailbox import free_port, sign_in_code

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package")
def live_server(app, database_url, redis_url, smtp, tmp_path_factory):
    """gunicorn (2 workers) and `rq worker`, as in production, on a free loopback port.

    Stopped when the browser tests end: its worker would otherwise take the jobs that later
    tests queue on the same Redis db and run them in another process, behind their backs.
    """
    port = free_port()
    instance = tmp_path_factory.mktemp("live-instance")
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
           "REDIS_URL": redis_url, "MAIL_URL": f"smtp://127.0.0.1:{smtp.port}", "INSTANCE_DIR": str(instance),
           "CERTIFICATE_ROOT": str(app.config["CERTIFICATE_ROOT"]), "BASE_URL": base_url,
           "ANTHROPIC_API_KEY": "", "LOG_LEVEL": "WARNING"}
    bin_dir = Path(sys.executable).parent
    log = open(instance / "server.log", "ab")
    processes = [
        subprocess.Popen([str(bin_dir / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
                          "--timeout", "60", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log),
        subprocess.Popen([str(bin_dir / "rq"), "worker", "--worker-class", "jobs.worker.AppWorker", "--url", redis_url,
                          "--path", str(ROOT), "default", "low"],
                         cwd=ROOT, env=env, stdout=log, stderr=log),
    ]
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(base_url + "/privacy", timeout=2)
            break
        except Exception:
            if time.time() > deadline or any(p.poll() is not None for p in processes):
                for p in processes:
                    p.kill()
                tail = (instance / "server.log").read_text()[-3000:]
                raise RuntimeError("the served app did not start: " + tail) from None
            time.sleep(0.2)
    yield base_url
    for p in processes:
        p.terminate()
    for p in processes:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _context(browser, base_url, *, javascript: bool, phone: bool):
    options = {"base_url": base_url, "java_script_enabled": javascript}
    if phone:
        options.update(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                       device_scale_factor=2)
    return browser.new_context(**options)


@pytest.fixture
def new_page(browser, live_server):
    """new_page(javascript=True, phone=False) -> a page in a fresh browser context (own cookies)."""
    contexts = []

    def factory(javascript: bool = True, phone: bool = False):
        context = _context(browser, live_server, javascript=javascript, phone=phone)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()
    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


class BrowserAuth:
    """Signs up or in through the browser, reading the code from the real mail."""

    def __init__(self, mailbox):
        self.mailbox = mailbox

    def sign_up(self, page, email="ann@example.com", name="Ann Example"):
        self.request(page, email)
        page.wait_for_url("**/welcome")
        page.fill("#name", name)
        page.check("#adult")
        page.check("#accept")
        page.click("button:has-text('Create my account')")
        page.wait_for_url("**/dashboard")

    def sign_in(self, page, email="ann@example.com"):
        self.request(page, email)
        page.wait_for_url("**/dashboard")

    def request(self, page, email):
        self.mailbox.clear()
        page.goto("/sign-in")
        page.fill("#email", email)
        page.click("button:has-text('Mail me a sign-in link')")
        page.wait_for_url("**/sign-in/code")
        code = sign_in_code(self.mailbox.wait_for(email, timeout=20))
        page.fill("#code", code)
        page.click("#code-form button[type=submit]")


@pytest.fixture
def browser_auth(mailbox):
    return BrowserAuth(mailbox)


def screenshot(page, name: str) -> Path:
    """Keeps a screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


# Elements sticking out past the viewport, outside any box that scrolls on its own (tables do).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX; if (s === 'auto' || s === 'scroll') return true; } return false; };
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !scrolls(el)
                  && !el.closest('.visually-hidden, .skip-link'))
    .map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right));
}"""


def fits_the_screen(page) -> None:
    """No sideways scroll, and no element past the right edge (app.css hides overflow-x, so
    scrollWidth alone would not tell); tables may scroll inside their own box."""
    assert no_horizontal_scroll(page), page.url
    assert page.evaluate(OVERFLOWING) == [], page.url


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the current page."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v.get("impact") in {"serious", "critical"}]
