"""Settings refuse what they cannot read and start only when production is configured."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tracker.database import SQLITE_INIT
from tracker.env import env_networks
from tracker.settings import env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "DJANGO_ALLOWED_HOSTS": "xm.chengyang.example",
}
# Variables this suite sets itself; whatever the calling shell has for them is dropped.
OURS = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SECURE_HTTPS", "DJANGO_STATIC_ROOT", "DATABASE_URL"}


def manage(*args, **env):
    """Run manage.py in a fresh interpreter (not under pytest) with the given environment."""
    base = {k: v for k, v in os.environ.items() if k not in OURS and not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
    )


@pytest.fixture
def collected_static(tmp_path):
    """A static root that looks collected: a manifest whitenoise can load."""
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {}, "version": "1.1", "hash": "0"})
    )
    return str(tmp_path)


def test_missing_secret_key_is_an_error_outside_debug():
    result = manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    ("key", "says"),
    [("short", "it has 5 characters"), ("ab" * 40, "fewer than 5 distinct characters")],
)
def test_weak_secret_key_stops_the_app_outside_debug(key, says):
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    assert says in result.stderr


def test_debug_may_run_on_the_local_key():
    assert manage("check", DJANGO_DEBUG="true").returncode == 0


@pytest.mark.parametrize("spelling", ["ture", "enabled", "false!", "2"])
def test_misspelled_boolean_is_an_error_not_false(monkeypatch, spelling):
    monkeypatch.setenv("DJANGO_SECURE_HTTPS", spelling)
    with pytest.raises(ImproperlyConfigured, match="is not a boolean"):
        env_bool("DJANGO_SECURE_HTTPS", True)


def test_misspelled_boolean_stops_the_app_at_start():
    result = manage("check", DJANGO_DEBUG="true", DJANGO_SECURE_HTTPS="ture")
    assert result.returncode != 0
    assert "DJANGO_SECURE_HTTPS='ture' is not a boolean" in result.stderr


@pytest.mark.parametrize(
    ("spelling", "value"),
    [("FALSE", False), (" off ", False), ("no", False), ("0", False), ("Yes", True), ("1", True)],
)
def test_documented_boolean_spellings_are_read(monkeypatch, spelling, value):
    monkeypatch.setenv("DJANGO_SECURE_HTTPS", spelling)
    assert env_bool("DJANGO_SECURE_HTTPS", not value) is value


def test_unset_or_empty_boolean_takes_the_default(monkeypatch):
    monkeypatch.setenv("DJANGO_SECURE_HTTPS", "  ")
    assert env_bool("DJANGO_SECURE_HTTPS", True) is True


@pytest.mark.parametrize("text", ["30s", "1.5", "-1"])
def test_timeouts_must_be_whole_non_negative_numbers(monkeypatch, text):
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", text)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_STATEMENT_TIMEOUT"):
        env_int("DATABASE_STATEMENT_TIMEOUT", 30)


def test_check_deploy_is_clean_when_production_is_configured(collected_static):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DJANGO_STATIC_ROOT=collected_static,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_until_static_files_are_collected(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DJANGO_STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode != 0
    assert "tracker.W001" in result.stderr


def test_check_deploy_complains_when_https_is_turned_off(collected_static):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DJANGO_STATIC_ROOT=collected_static,
        DJANGO_SECURE_HTTPS="false",
    )
    assert result.returncode != 0
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE


def database_options(url: str, **env) -> dict:
    result = manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))",
        DJANGO_DEBUG="true",
        DATABASE_URL=url,
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_postgresql_gets_connect_and_statement_timeouts_beside_jit_off():
    options = database_options("postgres://u@db.invalid:5432/x", DATABASE_STATEMENT_TIMEOUT="12")
    assert options["connect_timeout"] == 5
    assert options["options"] == "-c jit=off -c statement_timeout=12000"


def test_statement_timeout_zero_leaves_only_jit_off():
    options = database_options("postgres://u@db.invalid:5432/x", DATABASE_STATEMENT_TIMEOUT="0")
    assert options["options"] == "-c jit=off"


def test_sqlite_waits_a_bounded_time_for_a_locked_file(tmp_path):
    options = database_options(f"sqlite:///{tmp_path}/x.sqlite3", DATABASE_CONNECT_TIMEOUT="3")
    assert options == {"timeout": 3, "init_command": SQLITE_INIT}


def test_trusted_proxies_are_read_as_addresses_and_networks():
    networks = env_networks("P", environ={"P": "10.0.0.11, 10.0.1.0/24,::1"})
    assert [str(n) for n in networks] == ["10.0.0.11/32", "10.0.1.0/24", "::1/128"]


@pytest.mark.parametrize("spelling", ["10.0.0.300", "nginx", "10.0.0.0/33"])
def test_a_misspelled_trusted_proxy_is_an_error_not_ignored(spelling):
    with pytest.raises(ImproperlyConfigured, match="neither an IP address nor a network"):
        env_networks("DJANGO_TRUSTED_PROXIES", environ={"DJANGO_TRUSTED_PROXIES": spelling})


def _settings_read(*, under_pytest: bool, **env) -> str:
    """DEBUG and the session cookie's Secure flag as a fresh interpreter's settings give them."""
    base = {k: v for k, v in os.environ.items() if k not in OURS and not k.startswith("DJANGO_")}
    code = (
        ("import pytest\n" if under_pytest else "")
        + "import django\nfrom django.conf import settings\n"
        + "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_shells_debug_does_not_turn_the_suites_settings_into_developments():
    assert _settings_read(under_pytest=True, DJANGO_DEBUG="true") == "False True"


def test_outside_the_test_runner_debug_is_read_from_the_shell():
    assert _settings_read(under_pytest=False, DJANGO_DEBUG="true") == "True False"
    assert _settings_read(under_pytest=False, **PRODUCTION) == "False True"


def test_a_debug_that_is_neither_yes_nor_no_stops_the_suite_too():
    with pytest.raises(AssertionError, match="DJANGO_DEBUG"):
        _settings_read(under_pytest=True, DJANGO_DEBUG="maybe")
