"""Report pages and files read the ledger from the replica; nothing else does."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import resolve

from projects.models import DispatchSettings, MonthlyProgress, Project
from tracker import routers
from tracker.routers import PIN_COOKIE, ReportReplicaMiddleware, ReportReplicaRouter

ROOT = Path(__file__).resolve().parent.parent.parent
router = ReportReplicaRouter()


@pytest.fixture
def replica_on(monkeypatch, settings):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    settings.DATABASE_REPLICA_PIN_SECONDS = 10


def through_middleware(method, path, *, cookies=None, streaming=False, status=200):
    """Run a view behind the middleware; returns where its reads went, and the response."""
    seen = []

    def view(request):
        seen.append((router.db_for_read(Project), router.db_for_read(Session)))
        if streaming:

            def chunks():
                for _ in range(2):
                    seen.append((router.db_for_read(MonthlyProgress), None))
                    yield b"x"

            return StreamingHttpResponse(chunks())
        return HttpResponse("ok", status=status)

    def handler(request):
        return middleware.process_view(request, view, (), {}) or view(request)

    middleware = ReportReplicaMiddleware(handler)
    request = RequestFactory().generic(method, path)
    request.resolver_match = resolve(path)
    request.COOKIES.update(cookies or {})
    response = middleware(request)
    if streaming:
        b"".join(response.streaming_content)
    return seen, response


def test_outside_a_report_request_every_read_and_write_is_on_the_primary():
    assert router.db_for_read(Project) == "default"
    assert router.db_for_write(Project) == "default"
    assert router.allow_migrate("replica", "projects") is False
    assert router.allow_migrate("default", "projects") is True


def test_a_report_page_reads_the_ledger_from_the_replica_and_sessions_from_the_primary(
    replica_on,
):
    seen, _response = through_middleware("GET", "/reports/2024/q1/")
    assert seen == [("replica", "default")]
    # Once the request is over, reads are back on the primary.
    assert router.db_for_read(Project) == "default"


def test_a_streamed_file_reads_from_the_replica_while_it_streams(replica_on):
    seen, _response = through_middleware("GET", "/reports/2024/q1.csv", streaming=True)
    assert seen == [("replica", "default"), ("replica", None), ("replica", None)]


@pytest.mark.parametrize("path", ["/entry/", "/projects/CY2024-001/", "/admin/"])
def test_other_pages_read_from_the_primary(replica_on, path):
    seen, _response = through_middleware("GET", path)
    assert seen == [("default", "default")]


def test_without_a_replica_nothing_changes():
    seen, response = through_middleware("GET", "/reports/2024/q1/")
    assert seen == [("default", "default")]
    assert PIN_COOKIE not in response.cookies


def test_a_write_pins_the_browser_to_the_primary_for_a_while(replica_on):
    seen, response = through_middleware("POST", "/entry/")
    assert seen == [("default", "default")]
    pin = response.cookies[PIN_COOKIE]
    assert pin["max-age"] == 10
    assert float(pin.value) > time.time()

    seen, _response = through_middleware(
        "GET", "/reports/2024/q1/", cookies={PIN_COOKIE: pin.value}
    )
    assert seen == [("default", "default")]
    # Expired or garbled, the cookie pins nothing.
    for value in (str(time.time() - 1), "soon"):
        seen, _response = through_middleware(
            "GET", "/reports/2024/q1/", cookies={PIN_COOKIE: value}
        )
        assert seen == [("replica", "default")]


def test_a_refused_write_does_not_pin(replica_on):
    _seen, response = through_middleware("POST", "/entry/", status=400)
    assert PIN_COOKIE not in response.cookies


PROBE = """
import json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from projects.permissions import MANAGER, setup_roles

user = get_user_model().objects.create(username="replica-probe", is_staff=True)
user.groups.add(setup_roles()[MANAGER])
client = Client()
client.force_login(user)

def probe(call):
    with CaptureQueriesContext(connections["default"]) as primary:
        with CaptureQueriesContext(connections["replica"]) as replica:
            status = call().status_code
    return {
        "status": status,
        "primary": [q["sql"] for q in primary.captured_queries],
        "replica": [q["sql"] for q in replica.captured_queries],
    }

def csv():
    response = client.get("/reports/2024/q1.csv")
    if response.streaming:
        b"".join(response.streaming_content)
    return response

out = {
    "aliases": sorted(connections.databases),
    "report": probe(lambda: client.get("/reports/2024/q1/")),
    "csv": probe(csv),
    "entry": probe(lambda: client.get("/entry/")),
    "write": probe(lambda: client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})),
    "after_write": probe(lambda: client.get("/reports/2024/q1/")),
}
print(json.dumps(out))
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a replica is PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_aliases_on_one_database_serve_the_report_from_the_replica(scale_data_committed):
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "true", "DATABASE_URL": url, "DATABASE_REPLICA_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.splitlines()[-1])
    assert out["aliases"] == ["default", "replica"]
    report = out["report"]
    assert report["status"] == 200
    assert report["replica"], "the report read nothing from the replica"
    # The ledger's tables; the dispatch settings kept the table name they were created with.
    ledger = ('"projects_', f'"{DispatchSettings._meta.db_table}"')
    assert [sql for sql in report["replica"] if not any(t in sql for t in ledger)] == []
    assert any("django_session" in sql for sql in report["primary"])
    assert not any('"projects_monthlyprogress"' in sql for sql in report["primary"])
    assert out["csv"]["replica"]
    assert out["entry"]["replica"] == []
    assert out["write"]["status"] == 302
    assert out["after_write"]["status"] == 200
    assert out["after_write"]["replica"] == []


@pytest.fixture
def scale_data_committed(django_db_blocker):
    from django.core.management import call_command

    call_command("generate_scale_data", projects=20, years=1, verbosity=0)
    yield
    get_user_model().objects.filter(username="replica-probe").delete()
