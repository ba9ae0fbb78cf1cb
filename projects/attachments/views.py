"""Photo pages: a project's gallery and upload form, and the checked file view."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.exports.responses import inline_file
from projects.models import PeriodLock, Project
from projects.permissions import can, can_manage_all_units
from projects.selectors.project import project_in_reach
from projects.web.form_errors import add_service_error

from . import services
from .forms import EntryPhotoForm, PhotoForm
from .models import Photo
from .selectors import month_photos
from .services import photo_month


def _project(request, code: str) -> Project:
    # Fetched through the policy: a project out of reach is as missing as an unknown code.
    project = project_in_reach(request.user, code)
    if project is None:
        raise Http404(_("There is no project with code %(code)s.") % {"code": code})
    return project


@login_required
def gallery(request, code: str):
    project = _project(request, code)
    editable = can(request.user, "change", project)
    manager = can_manage_all_units(request.user)
    today = timezone.localdate()
    form = PhotoForm(
        project=project, may_correct_locked=manager, initial={"month": (today.year, today.month)}
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("You can add photos only to your own unit's projects."))
        form = PhotoForm(request.POST, request.FILES, project=project, may_correct_locked=manager)
        if form.is_valid():
            data = form.cleaned_data
            try:
                month = data["month"]
                services.upload_photo(
                    actor=request.user,
                    project=project,
                    upload=data["image"],
                    caption=data["caption"],
                    year=month[0] if month else None,
                    month=month[1] if month else None,
                    milestone=data["milestone"],
                    reason=data.get("reason", ""),
                    use_location=data["use_location"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Photo added."))
                return redirect("photo_gallery", code=project.code)
    photos = list(Photo.objects.filter(project=project).select_related("milestone"))
    locked = PeriodLock.objects.locked_months()
    for photo in photos:
        # A locked month's photo is removed only by a manager giving a reason.
        photo.locked = photo_month(photo.year, photo.month, photo.uploaded_at) in locked
    context = {
        "project": project,
        "photos": photos,
        "form": form,
        "editable": editable,
        "manager": manager,
    }
    return render(request, "attachments/gallery.html", context)


def _entry_url(request) -> str:
    """Back to the entry grid on the month (and unit, and way of entering) it was sent from."""
    query = {}
    for key in ("year", "month", "unit", "cumulative"):
        value = request.POST.get(key, "").strip()
        if value.isdigit():
            query[key] = value
    return f"{reverse('entry')}?{urlencode(query)}" if query else reverse("entry")


def _refusal(request, text: str):
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": text}, status=400)
    messages.error(request, text)
    return redirect(_entry_url(request))


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@login_required
def entry_upload(request):
    """A photo from a row of the month entry grid, attached to that project's month.

    A form of its own, apart from the grid's: the page sends it in the background so
    figures typed but not yet saved stay on screen; without scripts it returns to the
    grid on the same month.
    """
    form = EntryPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for field in ("image", "year", "month") for e in form.errors.get(field, [])]
        return _refusal(request, " ".join(errors) or _("The photo could not be read; try again."))
    data = form.cleaned_data
    project = _project(request, data["project"])
    if not can(request.user, "change", project):
        raise PermissionDenied(_("You can add photos only to your own unit's projects."))
    try:
        photo = services.upload_photo(
            actor=request.user,
            project=project,
            upload=data["image"],
            caption=data["caption"],
            year=data["year"],
            month=data["month"],
        )
    except ValidationError as error:
        return _refusal(request, " ".join(error.messages))
    text = _("Photo added to %(project)s for %(year)s-%(month)02d.") % {
        "project": project.code,
        "year": photo.year,
        "month": photo.month,
    }
    if _wants_json(request):
        summary = month_photos([project], photo.year, photo.month)[project.pk]
        return JsonResponse(
            {
                "ok": True,
                "message": text,
                "count": summary.count,
                "thumb": reverse("photo_thumb", kwargs={"token": summary.latest_token}),
                "full": reverse("photo_file", kwargs={"token": summary.latest_token}),
            }
        )
    messages.success(request, text)
    return redirect(_entry_url(request))


@require_POST
@login_required
def delete(request, token: str):
    photo = _visible(request, token)
    try:
        services.delete_photo(
            actor=request.user, photo=photo, reason=request.POST.get("reason", "")[:100]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Photo removed."))
    return redirect("photo_gallery", code=photo.project.code)


def _visible(request, token: str) -> Photo:
    # Missing, anonymous or another unit's: the same 404, so a link reveals nothing.
    photo = (
        Photo.objects.restrict(request.user, "view")
        .select_related("project")
        .filter(token=token)
        .first()
    )
    if photo is None:
        raise Http404(_("There is no such photo."))
    return photo


def photo_file(request, token: str, size: str = "full"):
    """The picture itself, only to users who may see its project; never a public static file."""
    photo = _visible(request, token)
    field = photo.thumbnail if size == "thumb" else photo.image
    content_type = "image/jpeg" if size == "thumb" else photo.content_type
    # Shown in the page, not saved: cached an hour by this browser only, no storage name sent.
    return inline_file(
        field.open("rb"), content_type=content_type, cache_control="private, max-age=3600"
    )
