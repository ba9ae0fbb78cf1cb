"""Every signed-in person changes their own password from a page of the app."""

import pytest
from django.contrib.auth import authenticate

pytestmark = pytest.mark.django_db
URL = "/accounts/password/"


@pytest.mark.parametrize("who", ["viewer", "staff_a", "manager"])
def test_each_role_changes_its_own_password(client, request, who):
    user = request.getfixturevalue(who)
    user.set_password("old-horse-battery-staple")
    user.save()
    client.force_login(user)
    page = client.get(URL)
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    done = client.post(
        URL,
        {
            "old_password": "old-horse-battery-staple",
            "new_password1": "new-river-lantern-4821",
            "new_password2": "new-river-lantern-4821",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password/done/"
    assert authenticate(username=user.username, password="new-river-lantern-4821") == user
    assert "密码已修改" in client.get(done["Location"]).content.decode()


def test_a_wrong_old_password_changes_nothing_and_says_so(client, viewer):
    viewer.set_password("old-horse-battery-staple")
    viewer.save()
    client.force_login(viewer)
    page = client.post(
        URL,
        {
            "old_password": "not-it",
            "new_password1": "new-river-lantern-4821",
            "new_password2": "new-river-lantern-4821",
        },
    )
    assert page.status_code == 200 and "旧密码" in page.content.decode()
    assert authenticate(username=viewer.username, password="old-horse-battery-staple") == viewer


def test_the_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_top_bar_links_the_name_to_the_password_page(client, viewer):
    client.force_login(viewer)
    assert f'href="{URL}"' in client.get("/accounts/password/done/").content.decode()
