"""The health check, the error pages and the headers every response carries."""

import ipaddress
import threading
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import ProgrammeFactory, user_with_role
from tracker import health
from tracker.client_ip import client_ip

pytestmark = pytest.mark.django_db


def test_health_check_answers_ok_with_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


def test_health_check_answers_503_when_the_database_fails(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


def test_health_check_answers_503_in_time_when_the_database_never_replies(client, settings):
    # A frozen server: the query is sent and no answer ever comes.
    settings.HEALTHZ_TIMEOUT = 1
    released = threading.Event()

    def hang(*args, **kwargs):
        released.wait(10)
        raise OperationalError("server closed the connection")

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=hang) as execute:
        started = time.monotonic()
        first = client.get("/healthz")
        waited = time.monotonic() - started
        # The first check is still out, past its deadline: the next poll starts no other
        # and is answered at once.
        started = time.monotonic()
        second = client.get("/healthz")
        waited_second = time.monotonic() - started
        released.set()
        for _ in range(200):  # the waiting check ends once the database "answers"
            if not health.checking():
                break
            time.sleep(0.01)
    assert (first.status_code, second.status_code) == (503, 503)
    assert waited < 3 and waited_second < 0.5
    assert execute.call_count == 1


def test_polls_that_come_together_share_one_check_and_are_told_ok(settings, monkeypatch):
    """A load balancer and a monitor polling one worker at once: the second waits for the
    check the first started, and is not told the database is down."""
    from django.db.backends.utils import CursorWrapper

    settings.HEALTHZ_TIMEOUT = 5
    asked = []
    real = CursorWrapper.execute

    def slow(self, *args, **kwargs):
        asked.append(1)
        time.sleep(0.3)  # a busy but healthy server
        return real(self, *args, **kwargs)

    monkeypatch.setattr(CursorWrapper, "execute", slow)
    together = threading.Barrier(2)
    answers = []

    def poll():
        together.wait()
        answers.append(Client().get("/healthz").status_code)

    polls = [threading.Thread(target=poll) for _ in range(2)]
    for thread in polls:
        thread.start()
    for thread in polls:
        thread.join(10)
    assert answers == [200, 200]
    assert asked == [1]


def test_health_check_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_server_error_page_renders_in_chinese_without_a_request():
    html = get_template("500.html").render()
    assert "服务器出错" in html
    assert "<script" not in html


def test_bad_request_page_renders_in_chinese_without_a_request():
    assert "请求无效" in get_template("400.html").render()


def test_database_failure_in_a_view_gives_the_chinese_error_page(settings):
    settings.DEBUG = False
    user = user_with_role("manager")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with mock.patch("projects.web.reports.selectors.due_report_period") as latest:
        latest.side_effect = OperationalError("canceling statement due to statement timeout")
        response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()


def test_not_found_page_is_chinese_in_the_site_style(client):
    client.force_login(user_with_role("manager"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "此地址没有内容" in page
    assert "Resolver404" not in page
    assert 'class="topbar"' in page


@pytest.mark.parametrize(
    "url",
    ["/projects/%00/", "/share/%00/", "/reports/2024/q1/?programme=%00", "/admin/?q=a%01b"],
)
def test_control_characters_in_the_address_get_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


def test_control_characters_in_a_form_field_get_400(client):
    response = client.post(reverse("login"), {"username": "li\x00", "password": "x"})
    assert response.status_code == 400


def test_line_breaks_and_tabs_in_form_fields_are_allowed(client):
    response = client.post(reverse("login"), {"username": "li\r\n\tzhang", "password": "x"})
    assert response.status_code == 200


def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_report_files_are_sent_with_no_store(client):
    programme = ProgrammeFactory(year=2024)
    client.force_login(user_with_role("manager"))
    response = client.get(
        reverse("export_report", kwargs={"year": 2024, "quarter": 1, "fmt": "csv"}),
        {"programme": programme.code},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def request_from(remote="10.0.0.2", **meta):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **meta)


@pytest.fixture
def behind_proxy(settings):
    """The app behind one proxy at 10.0.0.2 that sets X-Forwarded-For."""
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.CLIENT_IP_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/30")]
    return settings


def test_client_address_ignores_forwarded_headers_unless_configured(settings):
    settings.CLIENT_IP_HEADER = ""
    assert client_ip(request_from(HTTP_X_FORWARDED_FOR="203.0.113.7")) == "10.0.0.2"


def test_client_address_comes_from_the_configured_proxy_header(behind_proxy):
    assert client_ip(request_from(HTTP_X_FORWARDED_FOR="203.0.113.7")) == "203.0.113.7"


def test_client_address_behind_two_proxies_skips_the_inner_one(behind_proxy):
    behind_proxy.CLIENT_IP_PROXY_COUNT = 2
    request = request_from(HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.5")
    assert client_ip(request) == "203.0.113.7"


def test_a_made_up_forwarded_address_is_not_believed(behind_proxy):
    request = request_from(HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert client_ip(request) == "10.0.0.2"


@pytest.mark.parametrize("made_up", ["203.0.113.7", "198.51.100.1", "192.0.2.99"])
def test_a_client_reaching_the_app_server_directly_is_known_by_its_socket(behind_proxy, made_up):
    # Each try sends a new address in the header; none is believed, so the lockout counts
    # every try against the one real address.
    request = request_from(remote="192.0.2.50", HTTP_X_FORWARDED_FOR=made_up)
    assert client_ip(request) == "192.0.2.50"


def test_the_proxy_header_is_believed_from_the_local_proxy_by_default():
    from django.conf import settings

    assert [str(n) for n in settings.TRUSTED_PROXIES] == ["127.0.0.1/32", "::1/128"]


def test_lockout_counts_each_client_behind_the_proxy_separately(client, settings):
    from axes.utils import reset

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    settings.CLIENT_IP_PROXY_COUNT = 1
    reset()
    user_with_role("viewer", username="zhou")
    login = reverse("login")
    for _ in range(2):
        client.post(login, {"username": "zhou", "password": "wrong"}, HTTP_X_REAL_IP="198.51.100.9")
    locked = client.post(
        login, {"username": "zhou", "password": "wrong"}, HTTP_X_REAL_IP="198.51.100.9"
    )
    other = Client().post(
        login,
        {"username": "zhou", "password": "correct-horse-battery-staple"},
        HTTP_X_REAL_IP="203.0.113.7",
    )
    reset()
    assert locked.status_code == 429
    assert other.status_code == 302


def test_without_collectstatic_static_addresses_use_plain_names(tmp_path):
    from tracker.staticfiles import ManifestOrPlainStorage

    storage = ManifestOrPlainStorage(location=tmp_path, base_url="/static/")
    assert storage.url("css/tracker.css") == "/static/css/tracker.css"


def test_after_collectstatic_static_addresses_are_hashed(tmp_path):
    import json

    from tracker.staticfiles import ManifestOrPlainStorage

    manifest = {"paths": {"css/tracker.css": "css/tracker.abc123.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = ManifestOrPlainStorage(location=tmp_path, base_url="/static/")
    assert storage.url("css/tracker.css") == "/static/css/tracker.abc123.css"


def test_postgresql_connections_carry_the_statement_timeout_and_jit_off():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        timeout = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    assert timeout == "30s"
    assert jit == "off"


def test_a_statement_over_the_timeout_is_cancelled():
    from django.db import OperationalError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with (
        pytest.raises(OperationalError, match="statement timeout"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = '100ms'")
        cursor.execute("SELECT pg_sleep(2)")
