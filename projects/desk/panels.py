"""The to-do list (待办) at the top of the landing pages: /entry/ for unit staff, / for managers."""

from django.utils import timezone

from projects.web.panels import register

from .todo import todo


@register("entry", name="todo", order=5, slots={"todo": "desk/_todo.html"})
def entry_todo(request, *, grid, unit):
    return todo(request.user, timezone.localdate())


@register("report", name="todo", order=5, slots={"todo": "desk/_todo.html"})
def report_todo(request, *, programme, period_end):
    return todo(request.user, timezone.localdate())
