"""Browser tests: the public site over the Jiashan demo, in the system's headless Chromium
(/usr/bin/chromium) driven by Playwright, with axe-core for accessibility.

Playwright never downloads a browser here: it launches the system Chromium. axe-core comes from
the npm registry into var/node (git-ignored; `.ci/run` installs it). When either is missing the
tests fail under CI=true and are skipped elsewhere, so a CI run can never pass by skipping them.

The demo is loaded once for the whole browser suite and committed, because the live server reads
it from another thread (or, on PostgreSQL, another connection). That is why the tests do not use
pytest-django's `live_server` fixture by name: it makes every test transactional, and the flush
after each test would mean loading the demo again for each of them. Instead each browser test
is marked `django_db` (so the test database is created and each test's own writes are rolled
back), the browser tests run after all others (the committed demo must not be seen by any other
test), and `demo_site` runs the same server as `live_server` (pytest-django's LiveServer:
Django's LiveServerThread with the static files handler). At the end it empties the database and
puts back what the migrations had made, as Django's `serialized_rollback` does, so a reused test
database (--reuse-db) is left as it was found.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.db_support import empty_and_restore

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 360, "height": 740},
}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Mark the browser tests as database tests and run them last, after pytest-django's own
    ordering (hence trylast): their session-wide demo data is committed."""
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(item.path).parents]
    if not browser_items:
        return
    for item in browser_items:
        item.add_marker(pytest.mark.django_db)
    chosen = set(map(id, browser_items))
    items[:] = [item for item in items if id(item) not in chosen] + browser_items


def _in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing_prerequisites():
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not AXE_JS.exists():
        missing.append(f"{AXE_JS} (npm install --prefix var/node axe-core@4)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (pip install -e '.[test]')")
    return missing


@pytest.fixture(scope="session")
def browser_prerequisites():
    """Fail under CI, skip elsewhere, when the browser tests cannot run."""
    missing = _missing_prerequisites()
    if missing:
        message = "browser tests need " + "; ".join(missing)
        if _in_ci():
            pytest.fail(message + " — CI must run them, not skip them.", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def demo_site(browser_prerequisites, django_db_setup, django_db_blocker):
    """The live site over the committed Jiashan demo; yields its base URL (no trailing slash)."""
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    name = str(connection.settings_dict["NAME"])
    if not (name.startswith("test_") or "mode=memory" in name):
        raise RuntimeError(f"browser tests: {name} is not a test database; not loading the demo")
    with django_db_blocker.unblock():
        migrated_state = connection.creation.serialize_db_to_string()
        server = None
        try:
            call_command("load_demo", stdout=io.StringIO())
            call_command("setup_site", stdout=io.StringIO())
            server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"))
            server._live_server_modified_settings.enable()  # its host in ALLOWED_HOSTS
            yield server.url
        finally:
            if server is not None:
                server._live_server_modified_settings.disable()
                server.stop()
                _end_server_sessions(connection)
            empty_and_restore(connection, migrated_state)
            # Left open, the connection used here is the one session that kept pytest-django
            # from dropping the test database at the end of the run.
            connection.close()


def _end_server_sessions(connection):
    """A request thread of the stopped server may still hold a PostgreSQL session, which would
    keep pytest-django from dropping the test database at the end of the run."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session")
def browser(browser_prerequisites):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread; the ORM reads the tests make
    # between page loads are ordinary synchronous calls, so tell Django not to refuse them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request):
    return VIEWPORTS[request.param]


def _new_page(browser, base_url, viewport, **options):
    # A fresh context: no cookies, so each test starts on the Chinese site.
    context = browser.new_context(
        base_url=base_url, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", **options
    )
    context.set_default_timeout(20_000)
    return context.new_page()


@pytest.fixture
def page(browser, demo_site, viewport):
    """A page in a fresh browser context at the test's viewport; page.goto("/...") opens the site."""
    page = _new_page(browser, demo_site, viewport)
    yield page
    page.context.close()


@pytest.fixture
def no_js_page(browser, demo_site, viewport):
    """Like `page`, with JavaScript turned off."""
    page = _new_page(browser, demo_site, viewport, java_script_enabled=False)
    yield page
    page.context.close()


@pytest.fixture
def screenshot(request, viewport):
    """screenshot(page, label=None) saves var/screenshots/<test>[-label]-<width>.png (full page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"^test_", "", request.node.originalname)

    def take(page, label=None):
        name = test_name + (f"-{label}" if label else "")
        path = SCREENSHOTS / f"{name}-{viewport['width']}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


_DANGLING_ARIA_REFERENCES = """() => {
    const found = [];
    for (const attribute of ['aria-labelledby', 'aria-describedby', 'aria-controls']) {
        for (const element of document.querySelectorAll(`[${attribute}]`)) {
            for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) found.push(`${element.tagName.toLowerCase()}[${attribute}=${id}]`);
            }
        }
    }
    return found.slice(0, 10);
}"""


@pytest.fixture
def assert_accessible():
    """assert_accessible(page) runs axe-core on the page as it is now and fails, listing each
    serious or critical violation (rule, help, the offending elements), if there is any."""

    def check(page):
        # Evaluated through the driver, not added as an inline <script>, which the site's
        # Content-Security-Policy blocks.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        problems = []
        for violation in results["violations"]:
            if violation["impact"] not in ("serious", "critical"):
                continue
            problems.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:8]:
                target = " ".join(str(part) for part in node["target"])
                summary = " ".join((node.get("failureSummary") or "").split())
                problems.append(f"    {target}: {node['html'][:160]}\n      {summary[:300]}")
            if len(violation["nodes"]) > 8:
                problems.append(f"    ... and {len(violation['nodes']) - 8} more elements")
        assert not problems, (
            f"axe-core: serious or critical violations on {page.url}\n" + "\n".join(problems)
        )
        # axe only calls these "incomplete": a label or description pointing at no element.
        dangling = page.evaluate(_DANGLING_ARIA_REFERENCES)
        assert not dangling, f"ARIA references to missing ids on {page.url}: {dangling}"

    return check
