"""Pages follow the user's language choice, then zh-hans, never the browser's Accept-Language."""

import pytest

from tests.factories import ProgrammeFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    ProgrammeFactory()
    client.force_login(user_with_role("manager"))
    return client


def test_an_english_browser_still_gets_the_chinese_report(reader):
    response = reader.get("/reports/2024/q1/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "Projects on the list" not in page
    assert response.headers["Content-Language"] == "zh-hans"


def test_the_language_switch_gives_english(reader):
    response = reader.post("/i18n/setlang/", {"language": "en", "next": "/reports/2024/q1/"})
    assert response.status_code == 302
    page = reader.get("/reports/2024/q1/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in page
    assert "Projects on the list" in page


def test_an_unknown_language_cookie_falls_back_to_chinese(reader):
    reader.cookies["django_language"] = "xx"
    page = reader.get("/reports/2024/q1/").content.decode()
    assert '<html lang="zh-hans">' in page
