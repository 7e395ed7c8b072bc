"""Browser tests: Debian's Chromium driven by Playwright against a real ``danvan runserver``.

The server runs in a subprocess on a demo database of its own (a temporary DANVAN_DATA_DIR,
always SQLite), built once per test run with the real commands: ``migrate``, ``load_areas``,
``load_demo``. pytest-django's ``live_server`` is not used: it needs ``transactional_db``,
which would empty the official areas the other tests share.

Both xdist workers' servers share that database, so a browser test has it to itself while it
runs (``demo_to_itself``): a figure counted before and after an action moves by that action
alone.

Each test's ``page`` fails the test when the browser saw a console error, an uncaught script
error, a failed request or an answer of 400 or more that the test did not announce with
``page.expect_status(...)``. Screenshots go to ``var/screenshots/`` (git-ignored).

Select them with ``pytest -m browser``; skip them with ``-m "not browser"``.
"""

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in this thread once a browser test ran;
# the Django tests that the same worker runs next touch the database synchronously, which
# Django would refuse in a thread with a running loop. Nothing here is asynchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "DanVan-demo-2025!"
REPOSITORY = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPOSITORY / "var" / "screenshots"
DANVAN = [sys.executable, "-m", "danvan"]
SERVER_START_SECONDS = 60


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test (``-m browser`` selects them)."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _give_up(reason: str):
    if _in_ci():
        pytest.fail(reason)
    pytest.skip(reason)


def ensure_chromium() -> Path:
    """Return Debian's Chromium, installing it with apt when running as root; never download
    a browser from anywhere else."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        _give_up(f"{CHROMIUM} is missing; install Debian's package: apt-get install -y chromium")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            _give_up(f"{' '.join(command)} failed: {done.stderr[-2000:]}")
    if not CHROMIUM.exists():
        _give_up(f"apt installed chromium but {CHROMIUM} is still missing")
    return CHROMIUM


def _server_env(data_dir: Path) -> dict[str, str]:
    """The environment of the demo server: its own SQLite database, whatever the tests use."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DANVAN_TEST_POSTGRES", "DANVAN_TEST_SQLITE", "DEBUG"}
    }
    env.update(
        DANVAN_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'danvan.sqlite3'}",
        DANVAN_ENV="development",
        DANVAN_TASKS_IMMEDIATE="1",
        MEDIA_ROOT=str(data_dir / "media"),
        PYTHONUNBUFFERED="1",
        # Every browser test signs its people in from 127.0.0.1, both test workers against
        # one server: the per-address limit would refuse them (tests/accounts holds its tests).
        LOGIN_ATTEMPTS_PER_MINUTE="1000",
    )
    return env


def _run(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        done = subprocess.run(
            [*DANVAN, *args], env=env, cwd=REPOSITORY, stdout=out, stderr=subprocess.STDOUT
        )
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        pytest.fail(f"danvan {' '.join(args)} failed:\n{tail}")


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    """Build the demo database once per run, shared by the xdist workers (under a lock)."""
    # Under xdist each worker's base folder sits in the run's own folder; without it the base
    # folder is the run's own. Either way nothing outlives the run and an old schema is never
    # reused.
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    data_dir = shared / "browser-demo"
    data_dir.mkdir(exist_ok=True)
    done_marker = data_dir / "ready"
    with (shared / "browser-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done_marker.exists():
            env = _server_env(data_dir)
            log = data_dir / "build.log"
            _run(["migrate", "--noinput"], env, log)
            _run(["load_areas"], env, log)
            _run(["load_demo"], env, log)
            done_marker.touch()
    return data_dir


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.fail(f"the server did not answer in {SERVER_START_SECONDS} s")


@pytest.fixture(scope="session")
def base_url(demo_data_dir) -> str:
    """Start ``danvan runserver`` on a free port for this worker; yield its address."""
    port = _free_port()
    log = demo_data_dir / f"server-{port}.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*DANVAN, "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=_server_env(demo_data_dir),
            cwd=REPOSITORY,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(autouse=True)
def demo_to_itself(demo_data_dir):
    """Give each browser test the demo database to itself while it runs.

    The xdist workers share one demo database. A test that counts a figure, acts, and counts
    again (the dashboard's registered models, a reviewer's due evaluations) would count the
    other worker's writes too. So each test holds an exclusive lock for its duration, and a
    browser test on the other worker waits for its turn (its other tests do not).
    """
    with (demo_data_dir.parent / "browser-demo.turn").open("w") as turn:
        fcntl.flock(turn, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(turn, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the run (Debian's, never a downloaded one)."""
    executable = ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@dataclass
class BrowserProblems:
    """What went wrong in the browser during one test."""

    expected: set[tuple[int, str]] = field(default_factory=set)
    seen: list[str] = field(default_factory=list)

    def expect_status(self, status: int, url_part: str) -> None:
        """Announce an answer the test provokes on purpose (a 403, a 404)."""
        self.expected.add((status, url_part))

    def _is_expected(self, status: int, url: str) -> bool:
        return any(status == s and part in url for s, part in self.expected)

    def on_console(self, message) -> None:
        if message.type == "error":
            text = message.text
            # Chromium logs every answer of 400 or more as a console error too; those are
            # judged on the response itself.
            if "Failed to load resource" in text and "status of" in text:
                return
            self.seen.append(f"console error: {text} at {message.location}")

    def on_page_error(self, error) -> None:
        self.seen.append(f"uncaught script error: {error}")

    def on_request_failed(self, request) -> None:
        # Leaving a page at once aborts its icon request: the browser's doing, not the app's.
        if request.failure == "net::ERR_ABORTED" and request.url.endswith(".ico"):
            return
        if request.failure == "net::ERR_ABORTED" and "favicon" in request.url:
            return
        # Leaving the dashboard before its map's outlines arrive aborts their request.
        if request.failure == "net::ERR_ABORTED" and "/map/" in request.url:
            return
        self.seen.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def on_response(self, response) -> None:
        if response.status >= 400 and not self._is_expected(response.status, response.url):
            self.seen.append(f"HTTP {response.status}: {response.request.method} {response.url}")


@pytest.fixture
def context(browser, request):
    """A fresh browser profile per test, as a Vietnamese officer's phone or desktop would be."""
    locale = getattr(request, "param", None) or "vi-VN"
    ctx = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, base_url):
    """A page that fails the test on console errors, script errors and failed requests."""
    problems = BrowserProblems()
    page = context.new_page()
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    page.on("requestfailed", problems.on_request_failed)
    page.on("response", problems.on_response)
    page.expect_status = problems.expect_status
    page.base_url = base_url
    yield page
    page.close()
    if problems.seen:
        pytest.fail("the browser reported problems:\n" + "\n".join(problems.seen), pytrace=False)


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form as a demo person; land on the dashboard."""
    page.goto(page.base_url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(page.base_url + "/")


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot of the page as ``var/screenshots/<name>.png`` (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
