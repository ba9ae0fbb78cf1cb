"""Admin for share links and their download log."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.db.models import Count, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import services
from ..filters import ProjectReportFilter
from ..models import (
    ShareDownload,
    ShareLink,
)
from ..scope_labels import describe


class ShareDownloadInline(admin.TabularInline):
    model = ShareDownload
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "ip_address", "user_agent"]

    def has_add_permission(self, request, obj=None):
        return False


FILTER_PREFIX = "filter_"


class ShareLinkBaseForm(forms.ModelForm):
    class Meta:
        model = ShareLink
        fields = ["programme", "year", "quarter", "month", "format", "recipient", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("expires_at", timezone.now() + dt.timedelta(days=7))

    def clean(self):
        cleaned = super().clean()
        # The report's own filter fields, kept as the parameters the report's address carries
        # (codes), so the link runs the very filter the report page runs.
        self.instance.filters = {
            name: _parameter(
                ProjectReportFilter.base_filters[name], cleaned.get(FILTER_PREFIX + name)
            )
            for name in ProjectReportFilter.base_filters
            if cleaned.get(FILTER_PREFIX + name) not in (None, "")
        }
        return cleaned


def _parameter(report_filter, value) -> str:
    if isinstance(value, Model):
        return str(getattr(value, report_filter.extra.get("to_field_name") or "pk"))
    return str(value)


# One optional field per report filter (unit, street, category, kind, status, light…).
ShareLinkForm = type(
    "ShareLinkForm",
    (ShareLinkBaseForm,),
    {
        FILTER_PREFIX + name: report_filter.field
        for name, report_filter in ProjectReportFilter.base_filters.items()
    },
)


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    form = ShareLinkForm
    list_display = [
        "programme",
        "year",
        "quarter",
        "month",
        "filter_summary",
        "format",
        "recipient",
        "link",
        "expires_at",
        "revoked_at",
        "download_count",
    ]
    list_filter = ["format", "year"]
    actions = ["revoke"]

    def get_inlines(self, request, obj):
        # The download log belongs to a sent link; a new one has none.
        return [ShareDownloadInline] if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(download_total=Count("downloads"))

    @admin.display(description=_("report filters"))
    def filter_summary(self, obj):
        return "、".join(describe(obj.filters).labels) or "—"

    @admin.display(description=_("link"))
    def link(self, obj):
        url = reverse("share", args=[obj.token])
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=_("downloads"), ordering="download_total")
    def download_count(self, obj):
        return obj.download_total

    def get_readonly_fields(self, request, obj=None):
        # A link's target is fixed once sent; only revoking changes it.
        if obj is not None:
            return [
                "programme",
                "year",
                "quarter",
                "month",
                "filter_summary",
                "format",
                "recipient",
                "expires_at",
                "link",
            ]
        return []

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.create_share_link(
                actor=request.user,
                programme=obj.programme,
                year=obj.year,
                quarter=obj.quarter,
                month=obj.month,
                filters=obj.filters,
                fmt=obj.format,
                expires_at=obj.expires_at,
                recipient=obj.recipient,
            )
            obj.pk, obj.token = created.pk, created.token

    def has_delete_permission(self, request, obj=None):
        # Links are revoked, not deleted, so the download log stays.
        return False

    def response_add(self, request, obj, post_url_continue=None):
        url = request.build_absolute_uri(reverse("share", args=[obj.token]))
        self.message_user(
            request,
            format_html('{} <a href="{}">{}</a>', _("Send this link to the recipient:"), url, url),
        )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Revoke the selected links"))
    def revoke(self, request, queryset):
        for link in queryset:
            services.revoke_share_link(actor=request.user, link=link)
        self.message_user(request, _("The selected links no longer give access."))
