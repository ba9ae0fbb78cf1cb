"""A person's notices: the list, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import services
from .models import Notice, unread_notices

SHOWN = 50


@login_required
def notice_list(request):
    notices = list(Notice.objects.filter(user=request.user).select_related("by")[:SHOWN])
    return render(request, "notifications/notice_list.html", {"notices": notices})


@require_POST
@login_required
def mark_read(request):
    # Only the person's own notices: an id of someone else's simply matches nothing.
    ids = [int(v) for v in request.POST.getlist("notice") if v.isascii() and v.isdigit()]
    services.mark_read(actor=request.user, notice_ids=ids or None)
    return redirect("notice_list")


def unread_count(request) -> dict:
    """Context processor: the count in the top bar (one small indexed query per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": unread_notices(user)}
