"""Load the demo ledger (2024年市级攻坚项目, 147 projects); safe to run again."""

from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects import demo, demo_previous, services
from projects.demo_leaders import GROUPS as TASK_FORCE_GROUPS
from projects.demo_leaders import POSTS, TASK_FORCES, task_forces_of
from projects.demo_signals import demo_loaded
from projects.desk.demo_lights import save_light_signals
from projects.models import (
    CampaignCount,
    Category,
    FundsInPlace,
    Indicator,
    IndicatorValue,
    Leader,
    MonthlyProgress,
    MonthSubmission,
    Programme,
    Project,
    QuarterPlan,
    Street,
    Tag,
    TagGroup,
    Unit,
)
from projects.models.reference import INDUSTRY_SECTIONS, Industry
from projects.services.accounts import system_actor
from projects.services.reference import load_street_boundaries, save_leader, save_tag_group
from projects.services.tags import record_campaign_counts, save_tag

PROJECT_FIELDS = [
    "name",
    "national_code",
    "longitude",
    "latitude",
    "kind",
    "total_investment",
    "planned_start",
    "actual_start",
    "planned_completion",
    "statistics_entry_date",
    "image_progress",
    "highlighted",
]


class Command(BaseCommand):
    help = "Create or refresh the 2024 demo list of 147 key projects with Q1 progress."

    @transaction.atomic
    def handle(self, *args, **options):
        # The demo is written through the services like any other change, by a named account.
        actor = system_actor()
        units = _named_list(Unit, demo.UNITS)
        streets = _named_list(Street, [(f"JD-{c}", n) for c, n in demo.STREETS])
        # Schematic outlines for the map page, loaded the way a real file would be.
        load_street_boundaries(actor=actor, text=demo.demo_streets_text(), reason="demo")
        categories = _named_list(Category, demo.CATEGORIES)
        # Made by the migrations, but a flushed database (the tests') has lost them.
        industries = _named_list(Industry, INDUSTRY_SECTIONS)
        leaders = _save_leaders(actor)
        programme, _created = Programme.objects.update_or_create(
            code=demo.PROGRAMME_CODE, defaults={"name": demo.PROGRAMME_NAME, "year": demo.YEAR}
        )
        existing = {p.code: p for p in Project.objects.filter(programme=programme)}
        plans = {p.project_id: p for p in QuarterPlan.objects.filter(project__programme=programme)}
        progress = {
            (e.project_id, e.month): e
            for e in MonthlyProgress.objects.filter(project__programme=programme, year=demo.YEAR)
        }
        changed = 0
        tagged: dict[str, list[Project]] = {name: [] for name in demo.TAGS}
        forces: dict[str, list[Project]] = {force: [] for _g, force, _w in TASK_FORCES}
        for row in demo.build():
            project = existing.get(row.code) or Project(code=row.code, programme=programme)
            wanted = {field: getattr(row, field) for field in PROJECT_FIELDS}
            wanted.update(
                unit=units[row.unit],
                street=streets[f"JD-{row.street}"],
                category=categories[row.category],
                industry=industries[row.industry],
                leader=leaders.get(row.leader),
                joined_on=demo.dt.date(demo.YEAR, 1, 1),
            )
            changed += _save_project(actor, project, wanted)
            for name in row.tags:
                tagged[name].append(project)
            for force in task_forces_of(row.name, row.category):
                forces[force].append(project)
            changed += _save_plan(actor, project, row, plans.get(project.pk))
            changed += _save_months(actor, project, row, progress)
        changed += _save_reviews(actor, programme)
        changed += _load_previous_year(actor, units, streets, categories, programme)
        changed += _save_tags(actor, tagged)
        changed += _save_task_forces(actor, forces)
        changed += _save_campaign_counts(actor)
        changed += _save_indicators(actor, units)
        changed += _save_funds(actor, programme)
        # Problems, nodes, approvals: added by the apps built on the ledger.
        demo_loaded.send(sender=self.__class__, programme=programme, actor=actor)
        # After the apps' rows: a manager's flags and a node that late and then caught up.
        changed += save_light_signals(actor, programme)
        self.stdout.write(
            _("Demo list %(name)s: %(count)s projects, %(changed)s rows created or updated.")
            % {"name": programme.name, "count": programme.projects.count(), "changed": changed}
        )


# Each step below writes only what differs from the demo, so a second run changes nothing,
# and returns how many rows it created or updated.


def _save_project(actor, project, wanted) -> int:
    if project.pk is not None and all(getattr(project, k) == v for k, v in wanted.items()):
        return 0
    for key, value in wanted.items():
        setattr(project, key, value)
    services.save_project(
        actor=actor,
        project=project,
        expected_version=project.version if project.pk else None,
    )
    return 1


def _save_plan(actor, project, row, plan) -> int:
    if plan is not None and (
        [plan.investment(q) for q in (1, 2, 3, 4)] == row.plan_investment
        and [plan.inclusion(q) for q in (1, 2, 3, 4)] == row.plan_inclusion
    ):
        return 0
    services.save_plan(
        actor=actor,
        project=project,
        year=demo.YEAR,
        investment=row.plan_investment,
        inclusion=row.plan_inclusion,
        expected_version=plan.version if plan else None,
    )
    return 1


def _save_months(actor, project, row, progress) -> int:
    changed = 0
    for month, (investment, inclusion, image, problems) in row.months.items():
        entry = progress.get((project.pk, month))
        if entry is not None and (
            entry.investment,
            entry.inclusion,
            entry.image_progress,
            entry.problems,
        ) == (investment, inclusion, image, problems):
            continue
        services.record_progress(
            actor=actor,
            project=project,
            year=demo.YEAR,
            month=month,
            investment=investment,
            inclusion=inclusion,
            image_progress=image,
            problems=problems,
            expected_version=entry.version if entry else None,
            # The invented months include unusual ones (a slow January, inclusion ahead of
            # investment); the demo confirms them as a clerk would, so they show as checked.
            acknowledge=True,
        )
        changed += 1
    return changed


# The demo's reviews: January and February approved for every unit, March submitted by every
# unit and approved for all but the last two, so a fresh demo shows an incomplete Q1 (the
# banner, 已审核15个) and a manager can finish the review, lock Q1 and publish edition 1.
DEMO_REVIEWS = {1: "all", 2: "all", 3: "all but two"}


def _save_reviews(actor, programme) -> int:
    units = list(
        Unit.objects.filter(projects__programme=programme).distinct().order_by("sort_order", "code")
    )
    existing = {
        (s.unit_id, s.month): s
        for s in MonthSubmission.objects.filter(year=demo.YEAR, month__in=list(DEMO_REVIEWS))
    }
    changed = 0
    for month, which in DEMO_REVIEWS.items():
        for position, unit in enumerate(units):
            waiting = which == "all but two" and position >= len(units) - 2
            status = (
                MonthSubmission.Status.SUBMITTED if waiting else MonthSubmission.Status.APPROVED
            )
            submission = existing.get((unit.pk, month))
            if submission is not None and submission.status == status:
                continue
            submission = submission or MonthSubmission(unit=unit, year=demo.YEAR, month=month)
            submission.status = status
            submission.submitted_by = actor
            submission.submitted_at = timezone.now()
            submission.reviewed_by = None if waiting else actor
            submission.reviewed_at = None if waiting else timezone.now()
            submission.save()
            changed += 1
    return changed


def _save_tags(actor, tagged: dict[str, list[Project]]) -> int:
    changed = 0
    for order, (name, projects) in enumerate(tagged.items()):
        tag = Tag.objects.filter(name=name).first() or Tag(name=name, sort_order=order)
        if tag.pk is None or set(tag.projects.all()) != set(projects):
            save_tag(actor=actor, tag=tag, projects=projects)
            changed += 1
    return changed


def _save_leaders(actor) -> dict[str, Leader]:
    """The invented leaders in charge with their posts, through the service managers use."""
    stored = {leader.name: leader for leader in Leader.objects.all()}
    for order, name in enumerate(dict.fromkeys(demo.LEADERS)):
        leader = stored.get(name) or Leader(name=name, code=name)
        wanted = {"title": POSTS[name], "sort_order": order, "active": True}
        if leader.pk is None or any(getattr(leader, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(leader, key, value)
            stored[name] = save_leader(actor=actor, leader=leader, reason="demo")
    return stored


def _save_task_forces(actor, forces: dict[str, list[Project]]) -> int:
    """The 专班 groups and their task forces (tags of a group), with their projects."""
    changed = 0
    groups = {}
    for order, name in enumerate(TASK_FORCE_GROUPS):
        group = TagGroup.objects.filter(name=name).first()
        if group is None or group.sort_order != order:
            group = group or TagGroup(name=name)
            group.sort_order = order
            save_tag_group(actor=actor, group=group, reason="demo")
            changed += 1
        groups[name] = group
    for order, (group_name, name, _words) in enumerate(TASK_FORCES):
        tag = Tag.objects.filter(name=name).first() or Tag(name=name)
        group = groups[group_name]
        if (
            tag.pk is None
            or (tag.group_id, tag.sort_order) != (group.pk, order)
            or set(tag.projects.all()) != set(forces[name])
        ):
            tag.group, tag.sort_order = group, order
            save_tag(actor=actor, tag=tag, projects=forces[name])
            changed += 1
    return changed


def _save_campaign_counts(actor) -> int:
    """The article's campaigns with their own counts (微更新, the park programme), as entered."""
    changed = 0
    for order, (name, target, categories, counts) in enumerate(demo.CAMPAIGN_COUNTS):
        tag = Tag.objects.filter(name=name).first() or Tag(
            name=name, sort_order=len(demo.TAGS) + order
        )
        if tag.pk is None or (tag.target, tag.categories) != (target, categories):
            tag.target, tag.categories = target, categories
            save_tag(actor=actor, tag=tag)
            changed += 1
        row = CampaignCount.objects.filter(tag=tag, year=demo.YEAR, month=demo.CAMPAIGN_MONTH)
        row = row.first()
        if row is None or any(getattr(row, k) != v for k, v in counts.items()):
            record_campaign_counts(
                actor=actor,
                tag=tag,
                year=demo.YEAR,
                month=demo.CAMPAIGN_MONTH,
                counts=counts,
                expected_version=row.version if row else None,
            )
            changed += 1
    return changed


def _save_indicators(actor, units) -> int:
    """The district's indicators and their figures, through the service like any entry."""
    changed = 0
    for order, (code, name, count_unit, frequency, unit, period, value, target) in enumerate(
        demo.INDICATORS
    ):
        indicator, created = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "count_unit": count_unit,
                "frequency": frequency,
                "unit": units[unit],
                "sort_order": order,
            },
        )
        stored = IndicatorValue.objects.filter(
            indicator=indicator, year=demo.YEAR, period=period
        ).first()
        wanted = (Decimal(value), None if target is None else Decimal(target))
        if stored is not None and (stored.value, stored.target) == wanted:
            continue
        services.record_indicator_value(
            actor=actor,
            indicator=indicator,
            year=demo.YEAR,
            period=period,
            value=wanted[0],
            target=wanted[1],
            expected_version=stored.version if stored else None,
            # The demo's first quarter may be locked already; the reason is the history's.
            reason="演示数据",
        )
        changed += 1
    return changed


def _save_funds(actor, programme) -> int:
    """A few funds-in-place rows (``demo.FUNDS``), through the service like any entry."""
    projects = {p.code: p for p in Project.objects.filter(programme=programme)}
    stored = {
        (f.project_id, f.month, f.source): f
        for f in FundsInPlace.objects.filter(project__programme=programme, year=demo.YEAR)
    }
    changed = 0
    for code, month, source, amount in demo.FUNDS:
        project = projects[code]
        row = stored.get((project.pk, month, source))
        if row is not None and row.amount == Decimal(amount):
            continue
        services.record_funds(
            actor=actor,
            project=project,
            year=demo.YEAR,
            month=month,
            source=source,
            amount=Decimal(amount),
            expected_version=row.version if row else None,
            # The demo's first quarter may be locked already; the reason is the history's.
            reason="演示数据",
        )
        changed += 1
    return changed


def _named_list(model, pairs):
    objects = {}
    for order, (code, name) in enumerate(pairs):
        objects[code], _created = model.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    return objects


def _load_previous_year(actor, units, streets, categories, programme) -> int:
    """The invented 2023 list, named as the 2024 list's previous year so 同比 has a figure."""
    industries = {i.code: i for i in Industry.objects.all()}
    previous, _created = Programme.objects.update_or_create(
        code=demo_previous.PROGRAMME_CODE,
        defaults={"name": demo_previous.PROGRAMME_NAME, "year": demo_previous.YEAR},
    )
    if programme.previous_id != previous.pk:
        programme.previous = previous
        programme.save(update_fields=["previous"])
    existing = {p.code: p for p in Project.objects.filter(programme=previous)}
    planned = set(
        QuarterPlan.objects.filter(project__programme=previous).values_list("project_id", flat=True)
    )
    entered = set(
        MonthlyProgress.objects.filter(
            project__programme=previous, year=demo_previous.YEAR
        ).values_list("project_id", "month")
    )
    changed, entries = 0, []
    for row in demo_previous.build():
        project = existing.get(row.code)
        if project is None:
            project = Project(
                code=row.code,
                name=row.name,
                programme=previous,
                unit=units[row.unit],
                street=streets[f"JD-{row.street}"],
                category=categories[row.category],
                industry=industries[demo.industry_of(row.name, row.category)],
                kind=Project.Kind.CONTINUING,
                total_investment=row.total_investment,
                actual_start=row.actual_start,
                joined_on=demo_previous.JOINED,
            )
            services.save_project(actor=actor, project=project)
            changed += 1
        if project.pk not in planned:
            services.save_plan(
                actor=actor,
                project=project,
                year=demo_previous.YEAR,
                investment=row.plan_investment,
                inclusion=row.plan_inclusion,
            )
            changed += 1
        entries += [
            services.ProgressInput(
                project=project,
                year=demo_previous.YEAR,
                month=month,
                investment=investment,
                inclusion=inclusion,
                image_progress=text,
                acknowledge=True,
            )
            for month, (investment, inclusion, text) in row.months.items()
            if (project.pk, month) not in entered
        ]
    refusals = services.record_progress_batch(actor=actor, entries=entries)
    if refusals:
        raise CommandError(" ".join(str(exc) for exc in refusals.values()))
    return changed + len(entries)
