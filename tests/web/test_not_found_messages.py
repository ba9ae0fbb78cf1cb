"""Pages that do not exist say why in words, never the bare exception name."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/reports/status/2024/13/", "/reports/status/2024/13/csv/"])
def test_status_page_for_month_13_explains_itself(client, url):
    client.force_login(user_with_role("manager"))
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Http404" not in page
    assert "2024-13 不是有效月份" in page or "2024-13 is not a month" in page


def test_status_page_message_is_translated_to_english_on_request(client, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(user_with_role("manager"))
    page = client.get("/reports/status/2024/13/").content.decode()
    assert "2024-13 is not a month" in page


def test_unknown_import_kind_explains_itself(client):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("imports:import", args=["nonsense"]))
    assert response.status_code == 404
    assert "Http404" not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "reason"),
    [("/no-such-page/", None), ("/reports/status/2024/13/", "2024-13 不是有效月份")],
)
def test_development_shows_the_sites_own_404_page_not_djangos_technical_one(
    client, settings, url, reason
):
    """``make run`` sets DEBUG: a newcomer mistyping a URL sees the same page production shows."""
    from django.test import override_settings

    middleware = [*settings.MIDDLEWARE, "tracker.middleware.PlainNotFoundInDevelopmentMiddleware"]
    client.force_login(user_with_role("manager"))
    with override_settings(DEBUG=True, MIDDLEWARE=middleware):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 404
    assert "URLconf" not in page
    assert "URL 模式" not in page and "technical_404" not in page
    assert (reason or "此地址没有内容。") in page


def test_a_report_of_a_year_or_code_without_a_list_explains_itself_and_keeps_no_statement(
    client,
):
    from projects.models import Programme
    from projects.selectors import compiled
    from tests.factories import ProgrammeFactory

    ProgrammeFactory(year=2024, code="SJGJ2024")
    compiled.forget()
    client.force_login(user_with_role("manager"))
    for year in range(2090, 2100):  # the address names the year: none of these has a list
        response = client.get(f"/reports/{year}/q1/")
        assert response.status_code == 404
        assert f"{year}年还没有重点项目清单。" in response.content.decode()
    response = client.get("/reports/2024/q1/?programme=NO-SUCH")
    assert response.status_code == 404 and "NO-SUCH" in response.content.decode()
    # Neither the years nor the code a request names became a statement kept in the process.
    kept = [shape for shape in compiled._kept if "programme" in str(shape[0])]
    assert kept == [("every programme", Programme.objects.db)]
