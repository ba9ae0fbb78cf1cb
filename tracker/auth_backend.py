"""Django's ``ModelBackend`` reading a person's permissions in one statement, not two, and
the signed-in person by a statement built once per process.

``has_perm`` asks the backend for every permission the person holds, which Django reads as
two statements: the person's own permissions, then their groups'. Every signed-in page
asks (the access policy tells a reader's role by permission, ``permissions.recognise``), so
those two statements were on every request. Here both come from one statement, into the
same per-request cache Django keeps (``_perm_cache`` on the user object). What a person may
do is unchanged: ``tests/site/test_auth_backend.py`` compares both backends for every kind
of person.

``get_user`` is Django's (the person by id, if they may sign in), its statement built once
with the id as its value (``projects.selectors.placed``): with the session's read
(``tracker.sessions``) it was the last statement every page still built.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Q


class OneStatementModelBackend(ModelBackend):
    def get_user(self, user_id):
        from projects.selectors import placed  # the selectors import the app's models

        people = get_user_model()._default_manager
        try:
            user_id = people.model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = placed.objects_of(
            ("signed-in person", people.model._meta.label),
            lambda pk: people.filter(pk=pk),
            user_id,
        )
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            from projects.selectors import compiled

            permissions = Permission.objects.all()
            # The same statement for every person (their id in its place): built and
            # compiled once per process, as the page's statements are.
            statement = compiled.statement(
                ("permissions", user_obj.is_superuser, permissions.db),
                lambda person: _held(permissions, person, user_obj.is_superuser),
                per_project=not user_obj.is_superuser,
            )
            user_obj._perm_cache = {
                f"{row['content_type__app_label']}.{row['codename']}"
                for row in statement.rows(user_obj.pk)
            }
        return user_obj._perm_cache


def _held(permissions, person: int, superuser: bool):
    """The permissions ``person`` holds, as (app label, codename) rows."""
    if not superuser:
        # Two subqueries, not two joins: joined, each permission's row would repeat once
        # per member of every group holding it before the person was picked out.
        own = Permission.user_set.through.objects.filter(user_id=person)
        grouped = Permission.group_set.through.objects.filter(group__user=person)
        permissions = permissions.filter(
            Q(pk__in=own.values("permission_id")) | Q(pk__in=grouped.values("permission_id"))
        )
    return permissions.values("content_type__app_label", "codename").order_by()
