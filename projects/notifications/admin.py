"""Managers set up the group robots and read the log of what was sent to them."""

from django.contrib import admin

from projects.admin.base import ManagersOnly

from .models import Delivery, Robot


@admin.register(Robot)
class RobotAdmin(ManagersOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "active"]
    list_filter = ["kind", "active"]
    fields = ["name", "kind", "unit", "url", "secret", "active"]


@admin.register(Delivery)
class DeliveryAdmin(ManagersOnly, admin.ModelAdmin):
    """The log: read-only, each message with its tries and the last error."""

    list_display = ["created_at", "robot", "event", "status", "attempts", "error", "sent_at"]
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
