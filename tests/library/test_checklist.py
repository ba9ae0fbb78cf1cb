"""The 入库 material checklist through its doors: the page's form, the file, the remove button.

A clerk works on their own unit's projects, another unit's are 404 at every door, a manager
reaches all; every write leaves history with its actor; an item dated in a locked month (the
month it was attached in) moves only by a manager's reason. Today is 2024-07-10.
"""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from projects.attachments import library_services as services
from projects.attachments import services as photo_services
from projects.attachments.demo import demo_pdf
from projects.attachments.models import LibraryDocument
from projects.models import PeriodLock
from tests.attachments.test_photos import jpeg
from tests.factories import user_with_role
from tests.library.files import pdf

pytestmark = pytest.mark.django_db
Kind = LibraryDocument.Kind


@pytest.fixture(autouse=True)
def _july_2024():
    with time_machine.travel(dt.datetime(2024, 7, 10, 9, 0), tick=False):
        yield


def page(project):
    return reverse("library_checklist", kwargs={"code": project.code})


def attach_pdf(client, project, kind=Kind.APPROVAL, **extra):
    return client.post(page(project), {"kind": kind, "document": pdf(), **extra})


# ---------------------------------------------------------------- the page's form


def test_a_clerk_attaches_a_pdf_to_their_own_project(staff_a, staff_a_client, project_a):
    response = attach_pdf(staff_a_client, project_a)
    assert response.status_code == 302
    item = LibraryDocument.objects.get()
    assert (item.project, item.kind, item.content_type) == (
        project_a,
        Kind.APPROVAL,
        "application/pdf",
    )
    last = item.history.latest()
    assert (last.history_user, last.history_type) == (staff_a, "+")


def test_a_clerk_attaches_one_of_the_projects_photos(staff_a, staff_a_client, project_a):
    photo = photo_services.upload_photo(
        actor=staff_a, project=project_a, upload=jpeg(), year=2024, month=6
    )
    staff_a_client.post(page(project_a), {"kind": Kind.SITE_PHOTO, "photo": photo.pk})
    item = LibraryDocument.objects.get()
    assert item.photo == photo and not item.document


def test_another_units_project_is_404_at_the_page_and_its_form(staff_b_client, project_a):
    assert staff_b_client.get(page(project_a)).status_code == 404
    assert attach_pdf(staff_b_client, project_a).status_code == 404
    assert not LibraryDocument.objects.exists()


def test_a_manager_attaches_to_any_units_project(manager, manager_client, project_a, project_b):
    for project in (project_a, project_b):
        assert attach_pdf(manager_client, project).status_code == 302
    assert set(LibraryDocument.objects.values_list("uploaded_by", flat=True)) == {manager.pk}


def test_a_viewer_sees_the_checklist_but_cannot_attach(viewer_client, project_a):
    assert viewer_client.get(page(project_a)).status_code == 200
    assert attach_pdf(viewer_client, project_a).status_code == 403
    assert not LibraryDocument.objects.exists()


def test_attaching_again_replaces_the_item_and_its_old_link(staff_a, staff_a_client, project_a):
    attach_pdf(staff_a_client, project_a)
    first = LibraryDocument.objects.get()
    old_link = reverse("library_document", kwargs={"token": first.token})
    attach_pdf(staff_a_client, project_a, note="盖章版")
    item = LibraryDocument.objects.get()
    assert item.pk == first.pk and item.note == "盖章版" and item.token != first.token
    assert staff_a_client.get(old_link).status_code == 404
    assert item.history.count() == 2


def test_a_photo_and_a_file_together_are_refused_without_writing(
    staff_a, staff_a_client, project_a
):
    photo = photo_services.upload_photo(
        actor=staff_a, project=project_a, upload=jpeg(), year=2024, month=6
    )
    response = staff_a_client.post(
        page(project_a), {"kind": Kind.SITE_PHOTO, "photo": photo.pk, "document": pdf()}
    )
    assert response.status_code == 200
    assert "请选择项目的一张现场照片或上传一个文件，二者选一。" in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_another_projects_photo_is_not_offered_nor_taken(
    manager, staff_a_client, project_a, project_b
):
    photo = photo_services.upload_photo(
        actor=manager, project=project_b, upload=jpeg(), year=2024, month=6
    )
    response = staff_a_client.post(page(project_a), {"kind": Kind.SITE_PHOTO, "photo": photo.pk})
    assert response.status_code == 200
    assert not LibraryDocument.objects.exists()
    with pytest.raises(ValidationError):
        services.attach_library_document(
            actor=manager, project=project_a, kind=Kind.SITE_PHOTO, photo=photo
        )


# ---------------------------------------------------------------- the file and the remove button


def test_the_file_is_a_download_to_its_unit_and_404_to_another(
    staff_a_client, staff_b_client, manager_client, project_a
):
    attach_pdf(staff_a_client, project_a)
    link = reverse("library_document", kwargs={"token": LibraryDocument.objects.get().token})
    response = staff_a_client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert manager_client.get(link).status_code == 200
    assert staff_b_client.get(link).status_code == 404


def test_anonymous_gets_no_file(client, staff_a_client, project_a):
    attach_pdf(staff_a_client, project_a)
    link = reverse("library_document", kwargs={"token": LibraryDocument.objects.get().token})
    assert client.get(link).status_code == 404


def test_a_clerk_removes_an_item_with_history(staff_a, staff_a_client, project_a):
    attach_pdf(staff_a_client, project_a)
    item = LibraryDocument.objects.get()
    response = staff_a_client.post(reverse("library_remove", kwargs={"token": item.token}))
    assert response.status_code == 302
    assert not LibraryDocument.objects.exists()
    gone = LibraryDocument.history.filter(id=item.pk).latest()
    assert (gone.history_type, gone.history_user) == ("-", staff_a)


def test_another_unit_cannot_remove_an_item(staff_a_client, staff_b_client, project_a):
    attach_pdf(staff_a_client, project_a)
    item = LibraryDocument.objects.get()
    response = staff_b_client.post(reverse("library_remove", kwargs={"token": item.token}))
    assert response.status_code == 404
    assert LibraryDocument.objects.exists()


def test_removing_the_photo_removes_the_item_showing_it(staff_a, project_a):
    photo = photo_services.upload_photo(
        actor=staff_a, project=project_a, upload=jpeg(), year=2024, month=6
    )
    item = services.attach_library_document(
        actor=staff_a, project=project_a, kind=Kind.SITE_PHOTO, photo=photo
    )
    photo_services.delete_photo(actor=staff_a, photo=photo)
    assert not LibraryDocument.objects.exists()
    assert LibraryDocument.history.filter(id=item.pk).latest().history_user == staff_a


def test_the_service_refuses_anyone_outside_the_projects_unit(staff_b, project_a):
    with pytest.raises(PermissionDenied):
        services.attach_library_document(
            actor=staff_b, project=project_a, kind=Kind.CONTRACT, upload=pdf()
        )
    assert not LibraryDocument.objects.exists()


# ---------------------------------------------------------------- the lock rule


@pytest.fixture
def july_item(staff_a, project_a):
    """An item attached in July, before July was locked."""
    item = services.attach_library_document(
        actor=staff_a, project=project_a, kind=Kind.CONTRACT, upload=pdf()
    )
    PeriodLock.objects.create(year=2024, month=7)
    return item


def test_a_clerk_cannot_attach_in_a_locked_month(staff_a_client, project_a):
    PeriodLock.objects.create(year=2024, month=7)
    response = attach_pdf(staff_a_client, project_a)
    assert "2024年07月已上报并锁定；如需修改请联系管理员。" in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_a_clerk_cannot_remove_an_item_of_a_locked_month(staff_a_client, july_item):
    staff_a_client.post(reverse("library_remove", kwargs={"token": july_item.token}))
    assert LibraryDocument.objects.filter(pk=july_item.pk).exists()


def test_a_manager_replaces_a_locked_months_item_only_with_a_reason(
    manager, manager_client, project_a, july_item
):
    response = attach_pdf(manager_client, project_a, kind=Kind.CONTRACT)
    assert "2024年07月已锁定；修改须填写原因。" in response.content.decode()
    assert LibraryDocument.objects.get().token == july_item.token
    attach_pdf(manager_client, project_a, kind=Kind.CONTRACT, reason="合同补签")
    item = LibraryDocument.objects.get()
    assert item.uploaded_by == manager
    assert item.history.latest().history_change_reason == "合同补签"


def test_the_locked_item_is_marked_on_the_page_for_the_clerk(staff_a_client, project_a, july_item):
    html = staff_a_client.get(page(project_a)).content.decode()
    assert reverse("library_remove", kwargs={"token": july_item.token}) not in html
    assert "<td>锁定</td>" in html


def test_the_demo_pdf_is_taken_as_a_pdf(staff_a, project_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.pdf", demo_pdf("CY2024-001 approval"), "application/pdf")
    item = services.attach_library_document(
        actor=staff_a, project=project_a, kind=Kind.APPROVAL, upload=upload
    )
    assert item.content_type == "application/pdf" and item.size > 0


def test_a_second_unit_clerk_of_the_same_unit_works_on_it_too(unit_a, project_a, client):
    colleague = user_with_role("unit_staff", unit_a, username="colleague")
    client.force_login(colleague)
    assert attach_pdf(client, project_a).status_code == 302


def test_the_admin_lists_materials_read_only(manager_client, staff_a_client, project_a):
    attach_pdf(staff_a_client, project_a)
    item = LibraryDocument.objects.get()
    listing = manager_client.get("/admin/attachments/librarydocument/")
    assert listing.status_code == 200 and project_a.code in listing.content.decode()
    delete = f"/admin/attachments/librarydocument/{item.pk}/delete/"
    assert manager_client.post(delete, {"post": "yes"}).status_code == 403
    assert LibraryDocument.objects.filter(pk=item.pk).exists()
