"""The user admin: managers keep accounts within the three roles; superusers grant the rest.

Replaces Django's user admin. The rule itself is in ``services.accounts``; this
screen mirrors it: a manager's form has no superuser, staff or permission
fields, a forged one is refused with the reason, and a superuser's account is
read-only to anyone but a superuser.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..models import Street, Unit
from ..permissions import MANAGER, STREET_VIEWER, UNIT_STAFF, VIEWER, role_of
from ..services import lockouts
from ..services.account_roles import (
    may_manage_account,
    membership_refusal,
    privileges_refusal,
    save_account,
)
from ..text import validate_line

User = get_user_model()

ROLE_CHOICES = [
    ("", _("no role (cannot sign in to anything)")),
    (UNIT_STAFF, _("unit staff (enters its units' figures)")),
    (MANAGER, _("manager (every unit, review and locks)")),
    (VIEWER, _("viewer (reads and downloads reports)")),
    (STREET_VIEWER, _("street viewer (reads its streets' projects and reports)")),
]
# Fields only a superuser's form has; on anyone else's they are forged.
PRIVILEGED_FLAGS = ("is_superuser", "is_staff")
PRIVILEGED_LISTS = ("user_permissions", "groups")
CHECKED = {"on", "true", "1", "yes"}


class AccountFieldsMixin(forms.Form):
    """The role and unit fields both account forms share, and the check for forged privileges."""

    role = forms.ChoiceField(label=_("role"), choices=ROLE_CHOICES, required=False)
    member_of = forms.ModelMultipleChoiceField(
        label=_("responsible units"),
        queryset=Unit.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Unit staff enter the figures of these units' projects."),
    )
    member_of_streets = forms.ModelMultipleChoiceField(
        label=_("streets"),
        queryset=Street.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Street viewers read the projects of these streets."),
    )
    privileged = False

    def forged_privileges(self) -> list[str]:
        """The privileged fields this form does not have but the submission tries to change."""
        user = self.instance
        forged = []
        for name in PRIVILEGED_FLAGS:
            if name in self.data and (self.data.get(name, "").lower() in CHECKED) != bool(
                getattr(user, name)
            ):
                forged.append(name)
        for name in PRIVILEGED_LISTS:
            posted = {str(v) for v in self.data.getlist(name)} if name in self.data else None
            current = (
                {str(pk) for pk in getattr(user, name).values_list("pk", flat=True)}
                if user.pk
                else set()
            )
            if posted is not None and posted != current:
                forged.append(name)
        return forged

    # A person's name is one line of visible text (projects.text): it is printed in the
    # status file and reminders. Django's User has no field of ours to carry the rule.
    def clean_first_name(self):
        validate_line(self.cleaned_data.get("first_name", ""))
        return self.cleaned_data.get("first_name", "")

    def clean_last_name(self):
        validate_line(self.cleaned_data.get("last_name", ""))
        return self.cleaned_data.get("last_name", "")

    def clean(self):
        cleaned = super().clean()
        if not self.privileged and self.forged_privileges():
            raise ValidationError(privileges_refusal(), code="privileges")
        refusal = membership_refusal(
            cleaned.get("role") or None,
            units=cleaned.get("member_of") or [],
            streets=cleaned.get("member_of_streets") or [],
        )
        if refusal:
            raise ValidationError(refusal, code="membership")
        return cleaned


class AccountChangeForm(AccountFieldsMixin, UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("role", role_of(self.instance) or "")
            self.initial.setdefault("member_of", list(self.instance.units.all()))
            self.initial.setdefault("member_of_streets", list(self.instance.streets.all()))


class AccountCreationForm(AccountFieldsMixin, AdminUserCreationForm):
    pass


ACCOUNT_FIELDS = ("role", "member_of", "member_of_streets", "is_active")


class AccountAdmin(UserAdmin):
    change_form_template = "admin/projects/account_change_form.html"
    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ("username", "first_name", "last_name", "role_label", "is_active")
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Role and units"), {"fields": ("role", "member_of", "member_of_streets")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        fieldsets = [
            (None, {"fields": ("username", "password")}),
            (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
            (_("Role and units"), {"fields": ACCOUNT_FIELDS}),
        ]
        if request.user.is_superuser:
            fieldsets.append(
                (
                    _("Privileges (superusers only)"),
                    {"fields": ("is_staff", "is_superuser", "user_permissions")},
                )
            )
        fieldsets.append((_("Important dates"), {"fields": ("last_login", "date_joined")}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ("last_login", "date_joined")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"privileged": request.user.is_superuser})

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_manage_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        unlock = path(
            "<int:pk>/unlock/",
            self.admin_site.admin_view(self.unlock_view),
            name="auth_user_unlock",
        )
        return [unlock, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        account = self.get_object(request, object_id)
        if account is not None and may_manage_account(request.user, account):
            extra_context = {
                **(extra_context or {}),
                "lockout": {
                    "locked": lockouts.is_locked_out(account),
                    "failed": lockouts.failed_logins(account),
                },
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def unlock_view(self, request, pk: int):
        """解除登录锁定: a POST from the account's page; anyone else's account is not found."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        account = self.get_object(request, str(pk))
        if account is None or not may_manage_account(request.user, account):
            raise Http404
        lockouts.release_lockout(actor=request.user, account=account)
        messages.success(
            request,
            _("%(name)s can sign in again: the failed logins were cleared.")
            % {"name": account.get_username()},
        )
        return redirect("admin:auth_user_change", account.pk)

    def save_model(self, request, obj, form, change):
        save_account(
            actor=request.user,
            account=obj,
            role=form.cleaned_data.get("role"),
            units=form.cleaned_data.get("member_of") or [],
            streets=form.cleaned_data.get("member_of_streets") or [],
        )

    @admin.display(description=_("role"))
    def role_label(self, obj):
        return dict(ROLE_CHOICES).get(role_of(obj) or "", "")

    # Read-only views (a superuser's account seen by a manager) show these by name.
    @admin.display(description=_("role"))
    def role(self, obj):
        return self.role_label(obj)

    @admin.display(description=_("responsible units"))
    def member_of(self, obj):
        return ", ".join(str(unit) for unit in obj.units.all()) or "—"

    @admin.display(description=_("streets"))
    def member_of_streets(self, obj):
        return ", ".join(str(street) for street in obj.streets.all()) or "—"


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
