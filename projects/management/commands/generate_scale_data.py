"""Fill the configured database with a province's worth of generated lists, in bulk.

``python manage.py generate_scale_data --projects 20000 --years 5`` writes 20,000 projects a
year for five years (100,000 projects, 1.2 million monthly rows) with their units, streets,
categories, lists, quarterly plans and one staff account per unit, built by ``projects.scale``
from the demo's rules; the same arguments give the same rows. PostgreSQL is written with COPY,
other databases with batched INSERTs; neither goes through the services (no history rows,
no per-row checks): this is bench and load-test data, not a ledger anyone reports from.

The command refuses a database holding rows it did not generate (use ``--force`` to add its
rows beside them anyway) and first removes every row it generated before, so running it
again replaces the data rather than adding to it; ``--delete`` only removes them.
"""

import datetime as dt
import io
import time
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from projects import scale
from projects.models import (
    EVERY_YEAR,
    Category,
    Leader,
    MonthlyProgress,
    Programme,
    Project,
    QuarterPlan,
    Street,
    Unit,
)
from projects.periods import FIRST_YEAR, LAST_YEAR
from projects.permissions import MANAGER, UNIT_STAFF, setup_roles
from projects.services import versions

BATCH = 20_000
# The demo's seven categories are shared reference, kept as the demo loader names them (same
# codes), so the demo and generated lists can share a database; they are not wiped.
REFERENCE_MODELS = (Unit, Street, Programme)


def generated(model) -> Q:
    """The rows of ``model`` this command wrote."""
    if model is Project:
        return Q(programme__code__startswith=scale.CODE_PREFIX)
    if model in (MonthlyProgress, QuarterPlan):
        return Q(project__programme__code__startswith=scale.CODE_PREFIX)
    return Q(code__startswith=scale.CODE_PREFIX)


def real_data(using: str) -> dict[str, int]:
    """How many rows of each ledger table the command did not generate."""
    counts = {}
    for model in (Project, *REFERENCE_MODELS):
        n = model.objects.using(using).exclude(generated(model)).count()
        if n:
            counts[model._meta.verbose_name_plural] = n
    return counts


class Command(BaseCommand):
    help = "Fill the database with generated, deterministic scale data (projects × years)."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=2000, help="projects on a year's lists")
        parser.add_argument("--years", type=int, default=1, help="yearly lists, up to --last-year")
        parser.add_argument("--programmes", type=int, default=1, help="lists per year")
        parser.add_argument("--last-year", type=int, default=scale.demo.YEAR)
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument(
            "--password",
            default="",
            help="password of the generated staff accounts (gen-manager, gen-d001-fgj, …); "
            "without it they cannot log in",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="write beside rows the command did not generate instead of refusing",
        )
        parser.add_argument(
            "--delete", action="store_true", help="only remove the rows generated before"
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        using = options["database"]
        spec = scale.Spec(
            projects=options["projects"],
            years=options["years"],
            programmes=options["programmes"],
            last_year=options["last_year"],
            seed=options["seed"],
        )
        if not options["delete"]:
            if spec.projects < 1 or spec.years < 1 or spec.programmes < 1:
                raise CommandError("--projects, --years and --programmes must be positive.")
            if spec.programmes > spec.projects:
                raise CommandError("--programmes cannot exceed --projects.")
            if not FIRST_YEAR <= spec.first_year <= spec.last_year <= LAST_YEAR:
                raise CommandError("The years must lie between 2000 and 2100.")
        real = real_data(using)
        if real and not options["force"]:
            found = ", ".join(f"{n:,} {name}" for name, n in real.items())
            raise CommandError(
                f"This database holds data the generator did not write ({found}); "
                "refusing to mix generated rows into it. Use an empty database, or --force."
            )
        started = time.perf_counter()
        with transaction.atomic(using=using):
            # Written with COPY and bulk statements: no model signal bumps the reports' keys.
            versions.bump([("every", EVERY_YEAR)], using=using)
            removed = wipe(using, truncate=not real)
            if options["delete"]:
                self.stdout.write(f"removed {removed:,} generated rows")
                return
            counts = fill(spec, using, options["password"], self.stdout)
        connection = connections[using]
        if connection.vendor == "postgresql":
            # What autovacuum does to a settled table: fresh statistics and visibility map
            # (VACUUM only outside a transaction, i.e. not when called from a test).
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for model in (Project, QuarterPlan, MonthlyProgress):
                    cursor.execute(f"{command} {model._meta.db_table}")
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"generated {counts['projects']:,} projects ({spec.projects:,} a year × "
            f"{spec.years} years, {spec.programmes} list(s) a year), {counts['plans']:,} plans, "
            f"{counts['months']:,} monthly rows, {counts['units']:,} units and "
            f"{counts['users']:,} accounts on {connection.vendor} in "
            f"{time.perf_counter() - started:.1f} s"
        )


def wipe(using: str, *, truncate: bool = False) -> int:
    """Remove every row generated before (and anything hanging off those rows).

    ``truncate`` when the database holds no other projects: every row that hangs off a
    project then hangs off a generated one.
    """
    removed = 0
    projects = Project.objects.using(using).filter(generated(Project))
    project_ids = projects.values("pk")
    for model in (MonthlyProgress, QuarterPlan):
        # History rows the app wrote on generated rows (e.g. a load test's saves).
        history = model.history.model
        removed += (
            history.objects.using(using).filter(project_id__in=project_ids)._raw_delete(using)
        )
    if truncate and connections[using].vendor == "postgresql":
        # Nothing but generated rows: emptying the tables beats deleting a million rows.
        tables = [m._meta.db_table for m in (MonthlyProgress, QuarterPlan, Project)]
        with connections[using].cursor() as cursor:
            # Checks still pending in this transaction (a caller's inserts) must run first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # The big tables first, in plain DELETEs (no per-row signals or history rows).
    for model in (MonthlyProgress, QuarterPlan):
        removed += model.objects.using(using).filter(project__in=project_ids)._raw_delete(using)
    # Anything else the app hung off generated projects since (tags, problems, nodes, photos).
    removed += _clear_related(Project, project_ids, using, skip=(MonthlyProgress, QuarterPlan))
    history = Project.history.model
    removed += (
        history.objects.using(using).filter(code__startswith=scale.CODE_PREFIX)._raw_delete(using)
    )
    removed += projects._raw_delete(using)
    User = get_user_model()
    users = User.objects.using(using).filter(username__regex=scale.USERNAME_PATTERN)
    if users.exists():
        removed += users.delete()[0]
    for model in REFERENCE_MODELS:
        rows = model.objects.using(using).filter(generated(model))
        # What hangs off generated units, streets or lists (a bench account's membership,
        # a unit's submissions) goes with them.
        removed += _clear_related(model, rows.values("pk"), using, skip=(Project,))
        removed += rows._raw_delete(using)
    return removed


def _clear_related(model, ids, using: str, skip=()) -> int:
    """Delete the rows of other tables that point at ``ids`` of ``model``."""
    removed = 0
    for relation in model._meta.related_objects:
        related_model = relation.related_model
        if related_model in skip or related_model is model:
            continue
        if relation.many_to_many:
            through = relation.through
            name = next(
                f.name
                for f in through._meta.get_fields()
                if getattr(f, "related_model", None) is model
            )
            rows = through.objects.using(using).filter(**{f"{name}__in": ids})
        else:
            rows = related_model._default_manager.using(using).filter(
                **{f"{relation.field.name}__in": ids}
            )
        if rows.exists():
            removed += rows.delete()[0]
    for field in model._meta.many_to_many:  # e.g. a unit's staff accounts
        through = field.remote_field.through
        name = field.m2m_field_name()
        removed += through.objects.using(using).filter(**{f"{name}__in": ids})._raw_delete(using)
    return removed


def fill(spec: scale.Spec, using: str, password: str, out) -> dict[str, int]:
    connection = connections[using]
    writer = _Writer(connection)
    today = timezone.localdate()
    ref = scale.reference(spec)
    ids: dict[type, dict[str, int]] = {Unit: {}, Street: {}, Category: {}}
    for order, row in enumerate(ref.categories):
        category = (
            Category.objects.using(using).filter(Q(code=row.code) | Q(name=row.name)).first()
        ) or Category.objects.using(using).create(code=row.code, name=row.name, sort_order=order)
        ids[Category][row.code] = category.pk
    # Leaders (包联领导) are shared with the demo by name, as categories are; kept on --delete.
    leader_ids = {
        name: (
            Leader.objects.using(using).filter(Q(code=name) | Q(name=name)).first()
            or Leader.objects.using(using).create(code=name, name=name)
        ).pk
        for name in dict.fromkeys(scale.demo.LEADERS)
    }
    for model, rows in ((Unit, ref.units), (Street, ref.streets)):
        # Names are unique: beside real data (--force) a real row of the same name serves.
        taken = dict(model.objects.using(using).values_list("name", "pk"))
        writer.insert(
            model,
            ["code", "name", "sort_order"],
            ((r.code, r.name, r.sort_order) for r in rows if r.name not in taken),
        )
        ids[model].update((r.code, taken[r.name]) for r in rows if r.name in taken)
        ids[model].update(
            model.objects.using(using).filter(generated(model)).values_list("code", "pk")
        )
    programme_ids: dict[str, int] = {}
    by_slot: dict[int, int] = {}
    for row in scale.programmes(spec):
        programme = Programme.objects.using(using).create(
            code=row.code, name=row.name, year=row.year, previous_id=by_slot.get(row.slot)
        )
        programme_ids[row.code] = by_slot[row.slot] = programme.pk
    counts = {"projects": 0, "plans": 0, "months": 0, "units": len(ref.units)}
    for year, rows in scale.year_lists(spec, today):
        tick = time.perf_counter()
        writer.insert(
            Project,
            [
                "code",
                "name",
                "programme_id",
                "category_id",
                "unit_id",
                "street_id",
                "leader_id",
                "kind",
                "total_investment",
                "planned_start",
                "actual_start",
                "planned_completion",
                "statistics_entry_date",
                "image_progress",
                "highlighted",
                "joined_on",
            ],
            (
                (
                    p.code,
                    p.name,
                    programme_ids[p.programme],
                    ids[Category][p.category],
                    ids[Unit][p.unit],
                    ids[Street][p.street],
                    leader_ids.get(p.leader),
                    p.kind,
                    str(p.total_investment),
                    p.planned_start,
                    p.actual_start,
                    p.planned_completion,
                    p.statistics_entry_date,
                    p.image_progress,
                    p.highlighted,
                    p.joined_on,
                )
                for p in rows
            ),
        )
        project_ids = dict(
            Project.objects.using(using)
            .filter(programme__year=year, programme__code__startswith=scale.CODE_PREFIX)
            .values_list("code", "pk")
        )
        counts["projects"] += len(rows)
        counts["plans"] += writer.insert(
            QuarterPlan,
            ["project_id", "year"]
            + [f"investment_q{q}" for q in (1, 2, 3, 4)]
            + [f"inclusion_q{q}" for q in (1, 2, 3, 4)],
            (
                (
                    project_ids[p.code],
                    year,
                    *map(_money, p.plan_investment),
                    *map(_money, p.plan_inclusion),
                )
                for p in rows
            ),
        )
        counts["months"] += writer.insert(
            MonthlyProgress,
            [
                "project_id",
                "year",
                "month",
                "investment",
                "inclusion",
                "image_progress",
                "problems",
            ],
            (
                (project_ids[p.code], year, month, _money(inv), _money(inc), text, problem)
                for p in rows
                for month, inv, inc, text, problem in p.months
            ),
        )
        out.write(f"  {year}: {len(rows):,} projects in {time.perf_counter() - tick:.1f} s")
    counts["users"] = _accounts(ref, ids[Unit], using, password)
    return counts


def _accounts(ref: scale.Reference, unit_ids: dict[str, int], using: str, password: str) -> int:
    """One staff account per unit and one manager, all sharing one password hash."""
    User = get_user_model()
    groups = setup_roles()
    encoded = make_password(password or None)  # hashed once: thousands of accounts
    users = [
        User(
            username=scale.MANAGER_USERNAME,
            password=encoded,
            first_name="生成数据管理员",
            is_staff=True,
        )
    ]
    for unit in ref.units:
        users.append(
            User(
                username=scale.USERNAME_PREFIX + unit.code.removeprefix(scale.CODE_PREFIX).lower(),
                password=encoded,
                first_name=unit.name[:150],
                is_staff=True,
            )
        )
    User.objects.using(using).bulk_create(users, batch_size=2000)
    user_ids = dict(
        User.objects.using(using)
        .filter(username__regex=scale.USERNAME_PATTERN)
        .values_list("username", "pk")
    )
    Membership = User.groups.through
    Membership.objects.using(using).bulk_create(
        [Membership(user_id=user_ids[scale.MANAGER_USERNAME], group_id=groups[MANAGER].pk)]
        + [
            Membership(user_id=user_ids[u.username], group_id=groups[UNIT_STAFF].pk)
            for u in users[1:]
        ],
        batch_size=5000,
    )
    Member = Unit.members.through
    Member.objects.using(using).bulk_create(
        [
            Member(unit_id=unit_ids[unit.code], user_id=user_ids[user.username])
            for unit, user in zip(ref.units, users[1:], strict=True)
        ],
        batch_size=5000,
    )
    return len(users)


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class _Writer:
    """Bulk rows into a model's table: COPY on PostgreSQL, batched INSERTs elsewhere.

    Columns the caller does not give take the field's default (``auto_now`` ones: now), so
    a field added later with a default needs no change here.
    """

    def __init__(self, connection):
        self.connection = connection
        self.now = timezone.now()

    def _columns(self, model, given: list[str]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        missing = []
        for name, f in fields.items():
            if name in given or f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = self.now
            else:
                value = f.get_default()
            missing.append((f.column, f.get_db_prep_save(value, self.connection)))
        columns = [fields[name].column for name in given] + [c for c, _v in missing]
        return columns, tuple(v for _c, v in missing)

    def insert(self, model, given: list[str], rows: Iterable[tuple]) -> int:
        columns, extra = self._columns(model, given)
        table = self.connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(self.connection.ops.quote_name(c) for c in columns)
        if self.connection.vendor == "postgresql":
            return self._copy(table, names, rows, extra)
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        count = 0
        batch = []
        with self.connection.cursor() as cursor:
            for row in rows:
                batch.append(tuple(_plain(v) for v in row) + extra)
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    def _copy(self, table, names, rows, extra) -> int:
        tail = "".join("\t" + _copy_text(v) for v in extra)
        count = 0
        buffer = io.StringIO()
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                buffer.write("\t".join(_copy_text(v) for v in row))
                buffer.write(tail)
                buffer.write("\n")
                count += 1
                if count % BATCH == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        return count


def _plain(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)
