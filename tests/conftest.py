import pytest
from django.conf import settings

# The hashed-name manifest exists only after collectstatic; tests serve plain files
# straight from static/ (also for the live server of browser tests).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
settings.STATIC_ROOT = None
settings.WHITENOISE_USE_FINDERS = True
# The test client speaks plain HTTP; production redirects to HTTPS.
settings.SECURE_SSL_REDIRECT = False
# Every cast member and factory user has a password hashed on creation; at production's
# PBKDF2 cost (a million rounds, ~0.25 s each) that was half the suite's time. Tests only
# prove that the right password is accepted and a wrong one refused, which MD5 shows as
# well; production keeps Django's default hashers (tests/site/test_password_hashing.py).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_off(settings):
    # Tests read Chinese pages by default, as users do; a test can switch per request.
    settings.LANGUAGE_CODE = "zh-hans"
    # Lockout bookkeeping would leak between tests that log in with bad passwords.
    settings.AXES_ENABLED = False


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker, _demo_copies):
    """The 147-project demo ledger, loaded once per test module and removed afterwards.

    Tests using it still need ``pytest.mark.django_db``; their own writes are
    rolled back as usual, so the ledger stays as loaded for the whole module.
    The first module of a worker runs ``load_demo``; later ones get a copy of the
    database it left, and each module leaves the database as it found it (see
    ``tests/demo_copy.py``).
    """
    with django_db_blocker.unblock():
        _demo_copies.load()
    yield
    with django_db_blocker.unblock():
        _demo_copies.remove()


@pytest.fixture(scope="session")
def _demo_copies(django_db_setup, django_db_blocker):
    from tests.demo_copy import DemoCopies

    copies = DemoCopies()
    yield copies
    with django_db_blocker.unblock():
        copies.discard()


def pytest_collection_modifyitems(items):
    # A test that loads the demo ledger is marked `demo`, so `make test-fast` can leave
    # the slow loads out without a list of files to keep up to date.
    for item in items:
        if "demo_db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.demo)
    items[:] = _demo_tests_last(items)


def _demo_tests_last(items):
    """Within each run of one module's tests, those without the demo first.

    ``demo_db`` is module-scoped: from a module's first demo test to its last test, the
    demo's 147 projects are in the database. A test after it that builds its own ten
    projects then ran on 157 (40 pages-by-a-figure cases took 0.7 s each on PostgreSQL
    instead of 0.1), and passed or failed by its place in the file. The order between
    runs (pytest-django's: transactional tests after the others) is kept.
    """
    ordered, run = [], []
    for item in items:
        if run and item.path != run[0].path:
            ordered += _demo_last(run)
            run = []
        run.append(item)
    return ordered + _demo_last(run)


def _demo_last(run):
    return sorted(run, key=lambda item: item.get_closest_marker("demo") is not None)


# ---------------------------------------------------------------- the cast
# One set of people for every test: a manager, unit staff of two units, a
# superior who only reads and a street office that reads its own street
# (``street_a``). Tests that need other shapes build them with
# ``factories.user_with_role``.


@pytest.fixture
def unit_a(db):
    from tests.factories import UnitFactory

    return UnitFactory(code="UNIT-A", name="甲单位")


@pytest.fixture
def unit_b(db):
    from tests.factories import UnitFactory

    return UnitFactory(code="UNIT-B", name="乙单位")


@pytest.fixture
def manager(db):
    from tests.factories import user_with_role

    return user_with_role("manager", username="boss")


@pytest.fixture
def staff_a(unit_a):
    from tests.factories import user_with_role

    return user_with_role("unit_staff", unit_a, username="clerk_a")


@pytest.fixture
def staff_b(unit_b):
    from tests.factories import user_with_role

    return user_with_role("unit_staff", unit_b, username="clerk_b")


@pytest.fixture
def viewer(db):
    from tests.factories import user_with_role

    return user_with_role("viewer", username="reader")


@pytest.fixture
def street_a(db):
    from tests.factories import StreetFactory

    return StreetFactory(code="ST-A", name="甲街道")


@pytest.fixture
def street_viewer(street_a):
    from tests.factories import user_with_role

    user = user_with_role("street_viewer", username="street_reader")
    user.streets.set([street_a])
    return user


def _logged_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(manager):
    return _logged_in(manager)


@pytest.fixture
def staff_a_client(staff_a):
    return _logged_in(staff_a)


@pytest.fixture
def staff_b_client(staff_b):
    return _logged_in(staff_b)


@pytest.fixture
def viewer_client(viewer):
    return _logged_in(viewer)


@pytest.fixture
def street_viewer_client(street_viewer):
    return _logged_in(street_viewer)
