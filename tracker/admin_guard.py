"""Malformed ids in admin URLs and posts answered with 404/400 instead of a server error.

Django's admin checks the object id of its change view itself, but its bulk actions and
django-simple-history's history pages pass whatever the URL or form holds straight to a
query, where ``abc`` for an integer key raises and the visitor gets a server error. The
model admin behind each admin view is known, so its key field can judge the ids first.
"""

from django.contrib.admin import ModelAdmin, helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import BadRequest, FieldDoesNotExist, ValidationError
from django.http import Http404


def is_key(field, value: str) -> bool:
    """Whether ``value`` can be looked up in ``field`` at all (whether or not it exists)."""
    try:
        field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    # Integer keys in the database are 64-bit; a longer number overflows the query.
    return not (field.get_internal_type().endswith("AutoField") and len(value.strip()) > 18)


def model_admin_of(view_func) -> ModelAdmin | None:
    """The ModelAdmin serving a view: Django marks its own; other admin views are bound methods."""
    marked = getattr(view_func, "model_admin", None)
    if isinstance(marked, ModelAdmin):
        return marked
    # admin_view() and its decorators wrap the bound method; look for it down the chain.
    while view_func is not None:
        owner = getattr(view_func, "__self__", None)
        if isinstance(owner, ModelAdmin):
            return owner
        view_func = getattr(view_func, "__wrapped__", None)
    return None


class AdminIdGuardMiddleware:
    """404 for an admin URL whose object or version id cannot exist; 400 for such ids posted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = model_admin_of(view_func)
        if model_admin is None:
            return None
        key = model_admin.model._meta.pk
        # Django's admin URLs name their ids; simple-history's history pages pass them in
        # order (object id, then version id).
        ids = [*view_args, None, None]
        object_id = view_kwargs.get("object_id", ids[0])
        if object_id is not None and not is_key(key, unquote(object_id)):
            raise Http404("No such record.")
        version_id = view_kwargs.get("version_id", ids[1])
        if version_id is not None and not (
            version_id.isascii() and version_id.isdigit() and len(version_id) <= 18
        ):
            raise Http404("No such version.")
        if request.method == "POST":
            selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
            if not all(is_key(key, value) for value in selected):
                raise BadRequest("Selected ids are not keys.")
            for name in model_admin.get_autocomplete_fields(request):
                # The autocomplete widget looks the posted value up while redrawing the
                # form, before the form's own validation can report it.
                try:
                    target = model_admin.model._meta.get_field(name).target_field
                except FieldDoesNotExist:
                    continue
                if not all(is_key(target, v) for v in request.POST.getlist(name) if v):
                    raise BadRequest("A related record id is not a key.")
        return None
