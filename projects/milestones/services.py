"""Every write to node plans and approvals; the same rules as the ledger's services.

Unit staff keep their own units' projects' nodes and approvals up to date;
managers may write any project's and alone apply templates in bulk.
``actor`` is always named; commands and the demo use the system account.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from projects.models import PeriodLock, Project, Unit
from projects.services.bulk import update_in_bulk
from projects.services.checks import (
    DateMove,
    ensure_can_edit,
    ensure_dates_unlocked,
    ensure_manager,
    require_actor,
)

from . import planning
from .models import Anchor, Approval, Milestone, NodeTemplate, TemplateSet


def _history(instance, actor, reason: str) -> None:
    instance._change_reason = reason[:100]  # the history column's length
    if actor is not None:
        instance._history_user = actor


@transaction.atomic
def save_milestone(
    *,
    actor,
    project: Project,
    name: str,
    planned_date: dt.date | None,
    actual_date: dt.date | None,
    unit: Unit | None = None,
    note: str = "",
    sort_order: int | None = None,
    version: int | None = None,
    reason: str = "",
) -> Milestone:
    """Create a node or change its dates; a node is found by its name within the project.

    A node's dates moved into, out of or across a locked month change what that
    month's reports counted late or done: unit staff are refused, a manager gives
    a ``reason`` (kept in the history).
    """
    ensure_can_edit(actor, project)
    name = name.strip()
    node = Milestone.objects.select_for_update().filter(
        project=project, name=name
    ).first() or Milestone(project=project, name=name, version=0)
    if version is not None and node.pk and version != node.version:
        raise ValidationError(
            _("Someone else changed the node %(name)s after you opened it; reload and try again.")
            % {"name": name}
        )
    was = (node.planned_date, node.actual_date) if node.pk else (None, None)
    if sort_order is None and node.pk is None:
        last = Milestone.objects.filter(project=project).order_by("-sort_order").first()
        sort_order = (last.sort_order + 10) if last else 10
    fill_milestone(
        node,
        name=name,
        planned_date=planned_date,
        actual_date=actual_date,
        unit=unit,
        note=note,
        sort_order=sort_order,
    )
    node.full_clean()
    ensure_dates_unlocked(actor, node_moves(was, node), reason)
    node.version += 1
    _history(node, actor, reason or "node saved")
    node.save()
    return node


def fill_milestone(
    node: Milestone,
    *,
    name: str,
    planned_date: dt.date | None,
    actual_date: dt.date | None,
    unit: Unit | None,
    note: str,
    sort_order: int | None,
) -> Milestone:
    """The node's values set and checked by its own rules (``clean``); uniqueness apart.

    The one home of a node's value rules: a single save and the bulk import both use it.
    """
    if not name.strip():
        raise ValidationError({"name": _("Name the node.")})
    if sort_order is not None:
        node.sort_order = sort_order
    node.planned_date, node.actual_date, node.unit, node.note = (
        planned_date,
        actual_date,
        unit,
        note.strip(),
    )
    # The (project, name) pair is kept unique by the callers, who find nodes by it; the
    # project and unit are rows the caller already holds (checking them again is a query
    # per node: 9,000 queries for a 20,000-row import).
    node.full_clean(exclude=["project", "unit"], validate_unique=False, validate_constraints=False)
    return node


def node_moves(was: tuple, node: Milestone | None) -> list[DateMove]:
    """A node's (old, new) planned and actual dates; ``None`` for a node that is not there."""
    now = (node.planned_date, node.actual_date) if node is not None else (None, None)
    return list(zip(was, now, strict=True))


NODE_FIELDS = ["sort_order", "planned_date", "actual_date", "unit", "note", "version"]
BATCH = 500


@transaction.atomic
def save_milestones_in_bulk(
    *, actor, new: list[Milestone], changed: list[Milestone], reason: str
) -> None:
    """Write many filled nodes at once with their history (the node import).

    Every node was filled by ``fill_milestone``, its project checked with
    ``ensure_can_edit`` and its dates with ``ensure_dates_unlocked`` (the import names
    the row). A changed node must still have the version it was read with:
    otherwise someone saved it meanwhile and the whole batch is refused, nothing written.
    """
    require_actor(actor)
    if changed:
        current = dict(
            Milestone.objects.select_for_update()
            .filter(pk__in=[n.pk for n in changed])
            .values_list("pk", "version")
        )
        moved = [n for n in changed if current.get(n.pk) != n.version]
        if moved:
            raise ValidationError(
                _(
                    "Someone else changed the node %(name)s while the file was read; "
                    "import it again."
                )
                % {"name": moved[0].name}
            )
    for node in changed:
        node.version += 1
    bulk_create_with_history(
        new, Milestone, batch_size=BATCH, default_user=actor, default_change_reason=reason
    )
    update_in_bulk(Milestone, changed, NODE_FIELDS)
    Milestone.history.bulk_history_create(
        changed, batch_size=BATCH, update=True, default_user=actor, default_change_reason=reason
    )


@transaction.atomic
def delete_milestone(*, actor, milestone: Milestone, reason: str = "") -> None:
    ensure_can_edit(actor, milestone.project)
    ensure_dates_unlocked(
        actor, node_moves((milestone.planned_date, milestone.actual_date), None), reason
    )
    _history(milestone, actor, reason or "node removed")
    milestone.delete()


def _node_order(template_set: TemplateSet, template: NodeTemplate) -> int:
    # Sets in their order, steps in theirs within a set: one sequence across the sets chosen.
    return min(template_set.sort_order * 100 + template.sort_order, 32767)


def _planned_nodes(project, template_sets, templates, have) -> list[Milestone]:
    added = []
    for template_set in template_sets:
        own = [t for t in templates if t.template_set_id == template_set.pk]
        for template, day in planning.plan_set(template_set, own, project):
            if (project.pk, template.name) in have:
                continue
            node = Milestone(
                project=project,
                name=template.name,
                sort_order=_node_order(template_set, template),
                planned_date=day,
                template_set=template_set,
                step=template.sort_order,
                after_days=template.after_days,
            )
            # 开工 is the ledger's own date: a started project's start node is done.
            if template.anchor == Anchor.PLANNED_START and template.offset_days == 0:
                node.actual_date = project.actual_start
            have.add((project.pk, template.name))
            added.append(node)
    return added


@transaction.atomic
def apply_template_sets(*, actor, projects, template_sets, reason: str = "") -> int:
    """Give each project the nodes of the chosen sets it lacks, dated; returns the nodes added.

    Nodes a project already has (by name) are left as they are, so applying twice adds
    nothing. A node added with dates in or before a locked month changes that month's late
    nodes, so it needs the manager's ``reason`` like any other node.
    """
    ensure_manager(actor, _("Only managers apply node templates."))
    template_sets = sorted(template_sets, key=lambda s: (s.sort_order, s.name))
    templates = list(NodeTemplate.objects.filter(template_set__in=template_sets))
    projects = list(projects)
    have = set(Milestone.objects.filter(project__in=projects).values_list("project_id", "name"))
    added = []
    for project in projects:
        added += _planned_nodes(project, template_sets, templates, have)
    locked = PeriodLock.objects.locked_months()
    for node in added:
        ensure_dates_unlocked(actor, node_moves((None, None), node), reason, locked=locked)
    bulk_create_with_history(
        added,
        Milestone,
        default_user=actor,
        default_change_reason=(reason.strip() or "template applied")[:100],
    )
    return len(added)


def apply_templates(*, actor, projects, kind: str, reason: str = "") -> int:
    """The bulk form's door: the sets of projects of ``kind`` (or of any kind) on its projects."""
    return apply_template_sets(
        actor=actor,
        projects=projects.filter(kind=kind),
        template_sets=TemplateSet.objects.filter(Q(kind=kind) | Q(kind="")),
        reason=reason,
    )


@transaction.atomic
def replan_following(
    *, actor, milestone: Milestone, reason: str, versions: dict[int, int], today: dt.date
) -> list[planning.Move]:
    """重排后续节点: move the planned dates after a late node, each step's limit kept.

    ``versions`` are the nodes' versions the preview showed (id → version); a node saved
    since, or a preview that no longer matches, refuses the whole re-plan. The reason is
    required and kept in each moved node's history; dates in locked months follow the
    lock rule (unit staff refused, a manager's reason accepted).
    """
    ensure_can_edit(actor, milestone.project)
    reason = reason.strip()[:100]
    if not reason:
        raise ValidationError({"reason": _("Give the reason for re-planning the nodes.")})
    nodes = list(Milestone.objects.select_for_update().filter(project=milestone.project_id))
    late = next((n for n in nodes if n.pk == milestone.pk), None)
    if late is None or not planning.is_late(late, today):
        raise ValidationError(_("Only a node done late or overdue can move the nodes after it."))
    moves = planning.replan(nodes, late, today)
    if {m.node.pk: m.node.version for m in moves} != versions:
        raise ValidationError(
            _("The nodes changed after the preview was shown; look at the new preview.")
        )
    locked = PeriodLock.objects.locked_months()
    for move in moves:
        ensure_dates_unlocked(actor, [(move.old, move.new)], reason, locked=locked)
    for move in moves:
        node = move.node
        node.planned_date = move.new
        node.version += 1
        _history(node, actor, reason)
        node.save(update_fields=["planned_date", "version"])
    return moves


@transaction.atomic
def save_approval(
    *,
    actor,
    project: Project,
    kind: str,
    status: str,
    date: dt.date | None = None,
    document_number: str = "",
) -> Approval:
    ensure_can_edit(actor, project)
    approval = Approval.objects.select_for_update().filter(
        project=project, kind=kind
    ).first() or Approval(project=project, kind=kind)
    approval.status, approval.date, approval.document_number = (
        status,
        date,
        document_number.strip(),
    )
    approval.full_clean()
    _history(approval, actor, "approval saved")
    approval.save()
    return approval


@transaction.atomic
def save_template(*, actor, template: NodeTemplate) -> NodeTemplate:
    ensure_manager(actor, _("Only managers change node templates."))
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def save_template_set(*, actor, template_set: TemplateSet) -> TemplateSet:
    ensure_manager(actor, _("Only managers change node templates."))
    template_set.full_clean()
    template_set.save()
    return template_set


@transaction.atomic
def delete_template(*, actor, template: NodeTemplate) -> None:
    # Nodes already planned from it keep their dates; they only lose the link.
    ensure_manager(actor, _("Only managers change node templates."))
    template.delete()
