"""The load test's server-side times: gunicorn's access log read back per page."""

import shlex

import pytest
from gunicorn.config import Config

from benchmarks import load, server_times


@pytest.mark.parametrize(
    ("method", "path", "query", "name"),
    [
        ("GET", "/accounts/login/", "", "login page"),
        ("POST", "/accounts/login/", "", "login"),
        ("GET", "/entry/", "ym=2024-12", "entry page"),
        ("POST", "/entry/", "", "entry save"),
        ("GET", "/projects/GEN-2024-000017/", "", "project page"),
        ("GET", "/reports/2024/q1/", "programme=GEN-2024-1&p-page=3", "report page"),
        (
            "GET",
            "/reports/2024/q1/",
            "programme=GEN-2024-1&p-page=3&p-sort=-investment_rate",
            "report page, sorted",
        ),
        ("GET", "/reports/2024/q1.csv", "programme=GEN-2024-1", "CSV"),
        ("GET", "/reports/2024/q1.json", "programme=GEN-2024-1", "JSON"),
        ("GET", "/reports/2024/q1.xlsx", "programme=GEN-2024-1", "XLSX"),
        ("GET", "/healthz", "", None),
    ],
)
def test_each_request_is_named_as_the_locustfile_names_it(method, path, query, name):
    assert server_times.request_name(method, path, query) == name


def _line(pid, ms, status, method, path, query):
    # What gunicorn writes for ACCESS_LOG_FORMAT (its atoms by hand).
    return server_times.ACCESS_LOG_FORMAT % {
        "p": f"<{pid}>",
        "M": ms,
        "s": status,
        "m": method,
        "U": path,
        "q": query,
    }


def test_the_log_gives_each_kinds_times_and_skips_the_servers_other_lines():
    lines = [
        "[2026-12-07 13:18:53 +0800] [7613] [INFO] Starting gunicorn 27.0.1",
        _line(7614, 25, 200, "GET", "/healthz", ""),
        _line(7614, 51, 200, "GET", "/projects/GEN-2024-000001/", ""),
        _line(7615, 99, 200, "GET", "/projects/GEN-2024-000002/", ""),
        _line(7616, 937, 200, "GET", "/reports/2024/q1.xlsx", "programme=GEN-2024-1"),
        _line(7617, 16, 302, "POST", "/entry/", ""),
        'load-request <1> x 200 "GET /projects/a/?"',  # not a number: not read
    ]
    assert server_times.read(lines) == {
        "project page": [51, 99],
        "XLSX": [937],
        "entry save": [16],
    }


def test_the_summary_has_each_kinds_count_and_percentiles(tmp_path):
    log = tmp_path / "server.log"
    log.write_text(
        "\n".join(_line(1, ms, 200, "GET", "/projects/P/", "") for ms in range(1, 101)) + "\n"
    )
    assert load.server_figures(log) == {
        "project page": {"requests": 100, "p50_ms": 50, "p95_ms": 95, "p99_ms": 99, "max_ms": 100}
    }
    assert load.server_figures(tmp_path / "missing.log") == {}


@pytest.mark.parametrize("callers", ["", "--workers 2", "--access-logformat '%(r)s'"])
def test_the_server_is_asked_for_the_format_and_the_callers_arguments_win(callers):
    # ``make load`` hands the format to ``make serve`` through GUNICORN_CMD_ARGS, which
    # gunicorn reads with its own parser, the caller's own arguments after it.
    args = Config().parser().parse_args(shlex.split(load.gunicorn_args(callers)))
    expected = "%(r)s" if "logformat" in callers else server_times.ACCESS_LOG_FORMAT
    assert args.access_log_format == expected
    assert args.workers == (2 if "workers" in callers else None)
