"""Production as an operator sees it: JSON-line logs on stdout, and the security headers.

The logs are read the way a log collector would: the stdout of a process running the production
settings, one JSON object a line.
"""

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils.log import configure_logging

from tests.redis_support import REDIS_URL
from website.logs import json_logging

ROOT = Path(__file__).resolve().parent.parent

# Production settings, the site's URLs plus one view that fails; three requests through the stack.
REQUESTS = """
import django
django.setup()
from django.test import Client, override_settings
from django.urls import path
from website import urls  # its language prefixes cannot sit in an include()

def fails(request):
    raise RuntimeError("the database went away")

urlpatterns = [path("fails/", fails), *urls.urlpatterns]

with override_settings(ROOT_URLCONF="__main__"):
    client = Client(raise_request_exception=False)
    client.get("/robots.txt", secure=True, HTTP_X_REQUEST_ID="lb-7f3a-0001")
    client.get("/robots.txt?q=1", secure=True, HTTP_X_REQUEST_ID="not a sane id; <script>")
    client.get("/fails/", secure=True)
"""


@pytest.fixture(scope="module")
def production_log_lines():
    env = {k: v for k, v in os.environ.items() if k not in ("LOG_LEVEL", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="website.settings.production", SECRET_KEY="x" * 50,
               ALLOWED_HOSTS="testserver", REDIS_URL=REDIS_URL)
    result = subprocess.run([sys.executable, "-c", REQUESTS], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]  # every line is JSON
    assert lines
    return lines


def access_lines(lines):
    return [line for line in lines if line["logger"] == "website.access"]


def test_one_access_line_per_request_with_method_path_status_and_duration(production_log_lines):
    first, second, failed = access_lines(production_log_lines)
    assert (first["method"], first["path"], first["status"]) == ("GET", "/robots.txt", 200)
    assert second["path"] == "/robots.txt"  # the path, not the query
    assert failed["path"] == "/fails/" and failed["status"] == 500
    for line in (first, second, failed):
        assert isinstance(line["duration_ms"], (int, float)) and line["duration_ms"] >= 0
        assert 0 <= line["cpu_ms"] <= line["duration_ms"] + 1  # CPU never exceeds the wall time
        assert line["user_id"] is None
        assert line["level"] == "INFO" and line["time"].endswith("+00:00")


def test_the_request_id_comes_from_the_proxy_when_sane_else_is_made(production_log_lines):
    first, second, failed = access_lines(production_log_lines)
    assert first["request_id"] == "lb-7f3a-0001"
    assert second["request_id"] != "not a sane id; <script>"
    assert len(second["request_id"]) == 32 and second["request_id"] != failed["request_id"]


def test_an_error_is_one_line_with_its_traceback_and_the_request_id(production_log_lines):
    failed = access_lines(production_log_lines)[-1]
    errors = [line for line in production_log_lines if line["level"] == "ERROR"]
    assert len(errors) == 1
    (error,) = errors
    assert error["logger"] == "django.request"
    assert error["request_id"] == failed["request_id"]
    assert "Traceback (most recent call last)" in error["traceback"]
    assert "RuntimeError: the database went away" in error["traceback"]


@pytest.fixture
def json_stdout():
    """The production logging config in this process, its stdout handler writing to a buffer."""
    logging.config.dictConfig(json_logging())
    buffer = io.StringIO()
    for handler in {*logging.getLogger().handlers, *logging.getLogger("django").handlers}:
        handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)


@pytest.mark.django_db
def test_the_access_line_names_the_signed_in_user(client, django_user_model, json_stdout):
    user = django_user_model.objects.create_user("staff", password="x")
    client.force_login(user)
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID="abc")
    assert response["X-Request-ID"] == "abc"
    lines = json_stdout()
    access = [line for line in lines if line["logger"] == "website.access"]
    assert len(access) == 1, lines
    (line,) = access
    assert line["user_id"] == user.pk and line["request_id"] == "abc"


# --- headers ------------------------------------------------------------------------------------

def policy(response):
    return {d.split()[0]: d.split()[1:] for d in response["Content-Security-Policy"].split("; ")}


@pytest.mark.django_db
def test_every_response_echoes_its_request_id(client):
    first, second = client.get("/robots.txt"), client.get("/robots.txt")
    assert first["X-Request-ID"] and first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_public_pages_allow_scripts_only_from_the_site(client):
    directives = policy(client.get("/robots.txt"))
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)


@pytest.mark.django_db
def test_the_admin_has_its_own_policy(client):
    directives = policy(client.get("/admin/login/"))
    assert "'unsafe-inline'" in directives["script-src"]
    assert directives["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_permissions_policy_turns_off_features_the_site_does_not_use(client):
    header = client.get("/robots.txt")["Permissions-Policy"]
    assert "camera=()" in header and "geolocation=()" in header and "microphone=()" in header


def test_no_public_template_has_an_inline_script_or_handler():
    """Scripts run only from static files; JSON-LD data blocks are not scripts."""
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        if template.parts[len(ROOT.parts) + 1] in {"importer", "summaries"}:
            continue  # admin pages and PDF sources, under the admin's policy or none
        text = template.read_text(encoding="utf-8")
        for tag in text.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            if "src=" not in opening and 'type="application/ld+json"' not in opening:
                offenders.append(template.name)
        if " onclick=" in text or " onload=" in text or "javascript:" in text:
            offenders.append(template.name)
    assert offenders == []


# --- cookies ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_public_pages_without_a_form_set_no_cookie(client):
    from registry.factories import registered_organization
    from registry.urls_public import organization_url
    from website.public_pages import ensure_public_pages

    ensure_public_pages()
    organization = registered_organization(name="测试社会组织")
    for url in ("/", "/organizations/", organization_url(organization), "/statistics/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "lang-switch" in response.content.decode(), url  # the switch is there
        assert not response.cookies, (url, list(response.cookies))
        client.cookies.clear()


@pytest.mark.django_db
def test_the_language_switch_sets_only_the_language_cookie_and_goes_back(client):
    response = client.get("/i18n/setlang/", {"language": "en", "next": "/funds/?x=1"})
    assert response.status_code == 302 and response["Location"] == "/en/funds/?x=1"
    assert list(response.cookies) == [django_settings.LANGUAGE_COOKIE_NAME]
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_the_language_switch_goes_back_only_to_this_site(client, back):
    response = client.get("/i18n/setlang/", {"language": "en", "next": back})
    assert response.status_code == 302 and response["Location"] == "/en/"


@pytest.mark.django_db
def test_an_unknown_language_sets_no_cookie(client):
    response = client.get("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302 and not response.cookies
