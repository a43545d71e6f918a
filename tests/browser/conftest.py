"""The app served on 127.0.0.1 and driven by Debian's Chromium.

Every page a journey opens is checked where it stands: axe-core finds no serious or critical
accessibility violation, every control can be reached with Tab, and at 360 px nothing scrolls
sideways and every control is a tap target of at least 40 px. Over the whole journey: no console
error, no failed asset, no request to another host than 127.0.0.1. A journey that reaches a page
without checking it fails too.
"""
from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright import sync_api
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
NARROWEST = 360
MIN_TAP_PX = 40
# Screenshots go where ELEARN_SCREENSHOTS says (`make screenshots`: docs/screenshots), else a temporary folder.
SCREENSHOTS = os.environ.get("ELEARN_SCREENSHOTS")

# When the browser drops a connection while a static file is being sent (it navigates on),
# the development server leaves that file for the garbage collector: its warning, not ours.
BROWSER_WARNINGS = [
    pytest.mark.filterwarnings(r"ignore:unclosed file .*/elearn/static/:ResourceWarning"),
    pytest.mark.filterwarnings(r"ignore:Exception ignored in.*/elearn/static/:pytest.PytestUnraisableExceptionWarning"),
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in item.nodeid:
            for mark in BROWSER_WARNINGS:
                item.add_marker(mark)
            # CI sets ELEARN_REQUIRE_SERVICES: there a missing browser fails the tests instead.
            if not Path(CHROMIUM).exists() and not os.environ.get("ELEARN_REQUIRE_SERVICES"):
                item.add_marker(pytest.mark.skip(
                    reason=f"no Chromium at {CHROMIUM}: `make install-test` installs Debian's chromium with apt"))


@pytest.fixture
def server(app):
    """The app on a free port of 127.0.0.1, for as long as the test runs."""
    served = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{served.server_port}"
    served.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        yield browser
        browser.close()


# A control no one can Tab to cannot be used without a mouse.
UNREACHABLE_JS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
  .filter((el) => el.getClientRects().length && !el.disabled && el.tabIndex < 0)
  .map((el) => el.outerHTML.slice(0, 90))"""

# Sizes of what a finger must hit: form controls, buttons, and links that stand on their own (a
# link with words beside it is exempt, as WCAG 2.5.8 says). A checkbox or radio counts with its label.
TAP_TARGETS_JS = """(min) => {
  const besideWords = (el) => [...el.parentElement.childNodes].some(
    (node) => node.nodeType === Node.TEXT_NODE && /[\\p{L}\\p{N}]/u.test(node.textContent));
  const inText = (el) => besideWords(el) || el.closest('p, td, dd, .prose, .flash, blockquote, figcaption');
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (el.tagName === 'A' && inText(el)) continue;
    const target = (el.type === 'checkbox' || el.type === 'radio') ? (el.closest('label') || el) : el;
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    if (box.height < min || box.width < min) {
      small.push(`${target.outerHTML.slice(0, 90)} is ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""

@cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;undefined"


AXE_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': ' + n.failureSummary.split('\\n').slice(1).join(' ')),
  }));
}"""


class Journey:
    """One person's way through the product in one browser context, checking each page."""

    def __init__(self, context: sync_api.BrowserContext, server: str, viewport: str, shots: Path):
        self.context = context
        self.server = server
        self.viewport = viewport
        self.shots = shots
        self.page = context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems: list[str] = []
        self.visited: set[str] = set()
        self.checked: set[str] = set()
        self.dialogs: list[str] = []
        context.route("**/*", self._only_here)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.page.on("framenavigated", self._navigated)
        self.page.on("dialog", self._dialog)

    # What the browser reports while the journey runs.
    def _only_here(self, route: sync_api.Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.problems.append(f"request to another host: {route.request.url}")
            route.abort()

    def _console(self, message: sync_api.ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def _failed(self, request: sync_api.Request) -> None:
        # A download ends its navigation as "aborted": the file still arrives.
        if request.resource_type != "document":
            self.problems.append(f"failed {request.resource_type} {request.url}: {request.failure}")

    def _response(self, response: sync_api.Response) -> None:
        if response.request.resource_type in {"stylesheet", "script", "image", "font"} and response.status >= 400:
            self.problems.append(f"asset {response.url} answered {response.status}")

    def _navigated(self, frame: sync_api.Frame) -> None:
        if frame == self.page.main_frame and frame.url.startswith(self.server):
            self.visited.add(urlsplit(frame.url).path)

    def _dialog(self, dialog: sync_api.Dialog) -> None:
        """Confirmations are read (tests assert on `dialogs`) and accepted, as a user would."""
        self.dialogs.append(dialog.message)
        dialog.accept()

    # Moving about.
    def url(self, path: str) -> str:
        return self.server + path

    def open(self, path: str) -> sync_api.Page:
        self.page.goto(self.url(path))
        self.check()
        return self.page

    def follow(self, target: sync_api.Locator | str, *, key: str | None = None) -> sync_api.Page:
        """Clicks (or presses `key` on) something that loads a new page, then checks that page."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        with self.page.expect_navigation():
            if key:
                locator.press(key)
            else:
                locator.click()
        self.check()
        return self.page

    def menu(self, name: str) -> sync_api.Page:
        """Opens an entry of the main menu, as everyone moves between sections."""
        menu = self.page.get_by_role("navigation", name="Menu utama")
        return self.follow(menu.get_by_role("link", name=name, exact=True))

    def download(self, target: sync_api.Locator | str, folder: Path) -> Path:
        locator = self.page.locator(target) if isinstance(target, str) else target
        with self.page.expect_download() as info:
            locator.click()
        download = info.value
        assert download.failure() is None
        path = folder / download.suggested_filename
        download.save_as(path)
        return path

    def tab_to(self, selector: str, limit: int = 60) -> sync_api.Locator:
        """Presses Tab until the focus is on `selector`, as someone without a mouse does."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
                return self.page.locator(":focus")
        raise AssertionError(f"{selector} is not reached with Tab on {self.page.url}")

    @contextmanager
    def stranger(self):
        """Someone else at the same screen size, with a browser of their own (no shared cookies)."""
        other = Journey(new_context(self.context.browser, self.viewport), self.server, self.viewport, self.shots)
        try:
            yield other
        finally:
            other.context.close()
        other.finish()

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.open("/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.follow("form button[type=submit]")

    def screenshot(self, name: str) -> Path:
        """The page as it stands, full length, as docs/screenshots/<name>-<viewport>.png."""
        path = self.shots / f"{name}-{self.viewport}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    # The checks each page must pass.
    def check(self) -> None:
        page = self.page
        page.wait_for_load_state("load")
        path = urlsplit(page.url).path
        self.checked.add(path)
        # Evaluated through the DevTools protocol: our Content-Security-Policy rightly refuses an injected <script>.
        page.evaluate(axe_source())
        for violation in page.evaluate(AXE_JS):
            self.problems.append(f"axe {violation['impact']} on {path}: {violation['id']} ({violation['help']}) "
                                 + "; ".join(violation["nodes"]))
        for control in page.evaluate(UNREACHABLE_JS):
            self.problems.append(f"not reachable by keyboard on {path}: {control}")
        if self.viewport == "phone":
            size = page.viewport_size
            page.set_viewport_size({"width": NARROWEST, "height": size["height"]})
            try:
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 0:
                    self.problems.append(f"{path} scrolls sideways by {overflow} px at {NARROWEST} px")
                for small in page.evaluate(TAP_TARGETS_JS, MIN_TAP_PX):
                    self.problems.append(f"tap target under {MIN_TAP_PX} px on {path}: {small}")
            finally:
                page.set_viewport_size(size)

    def finish(self) -> None:
        unchecked = self.visited - self.checked
        assert not unchecked, f"pages reached without their checks: {sorted(unchecked)}"
        assert not self.problems, "\n" + "\n".join(dict.fromkeys(self.problems))


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_context(browser: sync_api.Browser, viewport: str) -> sync_api.BrowserContext:
    """A browser at the viewport, in Bahasa Indonesia as a user here sees it."""
    return browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID", accept_downloads=True,
                               has_touch=viewport == "phone", is_mobile=viewport == "phone")


@pytest.fixture
def journey(chromium, server, viewport, shots):
    assert AXE.exists(), f"{AXE.relative_to(ROOT)} is missing: `make install-test` installs it with npm"
    made = Journey(new_context(chromium, viewport), server, viewport, shots)
    yield made
    made.context.close()
    made.finish()


@pytest.fixture
def enrolled(journey, make_user, make_course):
    """A learner signed in and enrolled in the test course, on its first lesson."""
    make_course()
    make_user(nip="198503122010011002", name="Budi Santoso")
    journey.login("198503122010011002")
    journey.open("/courses/etika-pelayanan")
    journey.follow("text=Ikuti kursus ini")
    return journey
