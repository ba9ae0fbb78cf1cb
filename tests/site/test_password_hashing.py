"""Production hashes passwords at full cost; only the tests' settings use a fast hasher."""

from django.conf import global_settings, settings

import tracker.settings as production


def test_production_hashes_with_pbkdf2_and_never_the_tests_md5():
    # tests/conftest.py sets MD5 on django.conf.settings only; the settings module itself
    # (what `make serve` loads) must keep Django's default list, strongest first.
    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert not any("MD5" in hasher for hasher in hashers)


def test_the_suite_itself_runs_on_the_fast_hasher():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
