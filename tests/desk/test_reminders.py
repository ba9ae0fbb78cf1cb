"""remind_units: per unit, months to submit, problems due soon or overdue, and late nodes."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from projects.coordination import services as problems
from projects.coordination.models import Department
from projects.milestones import services
from projects.models import DispatchSettings, MonthSubmission

pytestmark = pytest.mark.django_db


@pytest.fixture
def situation(manager, staff_a, project_a, project_b, unit_a):
    staff_a.email = "staff_a@example.cn"
    staff_a.save()
    MonthSubmission.objects.create(
        unit=unit_a, year=2024, month=3, status=MonthSubmission.Status.SUBMITTED
    )
    department = Department.objects.create(code="GD", name="城阳供电中心")
    # Two kinds: a project has one open problem per kind.
    for text, kind, deadline in [
        ("电力接入滞后", "utilities", dt.date(2024, 4, 14)),
        ("燃气迁改", "clearance", dt.date(2024, 4, 18)),
    ]:
        problem = problems.raise_problem(
            actor=manager,
            project=project_a,
            description=text,
            kind=kind,
            raised_on=dt.date(2024, 4, 1),
        )
        problems.assign_problem(
            actor=manager, problem=problem, department=department, deadline=deadline
        )
    services.save_milestone(
        actor=manager,
        project=project_a,
        name="施工许可",
        planned_date=dt.date(2024, 4, 5),
        actual_date=None,
    )


def _run(*args):
    out = io.StringIO()
    call_command("remind_units", "--date", "2024-04-15", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_text_lists_each_units_months_problems_and_late_nodes(situation):
    text = _run()
    a_part = text[text.index("甲单位") : text.index("乙单位")]
    assert "【逾期未报】2024-01" in a_part and "【逾期未报】2024-02" in a_part
    assert "【待报月份】2024-03" not in a_part  # submitted
    assert "【问题超期】PA001 2024-04-14 电力接入滞后" in a_part
    assert "【问题临期】PA001 2024-04-18 燃气迁改" in a_part
    assert "【节点滞后】PA001 2024-04-05 施工许可，滞后10天" in a_part
    b_part = text[text.index("乙单位") :]
    assert "【待报月份】2024-03" in b_part and "问题" not in b_part


def test_csv_has_one_row_per_reminder(situation):
    rows = [line.split(",") for line in _run("--format", "csv").strip().splitlines()]
    assert rows[0] == ["单位", "事项", "项目编号", "日期", "说明"]
    assert ["甲单位", "节点滞后", "PA001", "2024-04-05", "施工许可，滞后10天"] in rows
    assert len([r for r in rows if r[0] == "甲单位"]) == 5


def test_email_goes_to_each_units_staff_through_the_mail_framework(settings, situation):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _run("--email")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staff_a@example.cn"]
    assert "燃气迁改" in mail.outbox[0].body


def test_email_without_a_mail_server_is_refused_with_a_clear_message(settings, situation):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    with pytest.raises(CommandError, match="EMAIL_HOST"):
        _run("--email")


def test_a_bad_date_is_refused_with_a_clear_message():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind_units", "--date", "15/04/2024")


def test_one_units_reminders_and_their_lines_read_eight_queries_whatever_their_number(
    situation, manager, project_a, unit_a, django_assert_num_queries
):
    from projects.desk.reminders import lines, reminders

    DispatchSettings.current()  # the row a live database has (made on first read)
    for n in range(5):  # more late nodes: still the one statement, and no query per line
        services.save_milestone(
            actor=manager,
            project=project_a,
            name=f"节点{n}",
            planned_date=dt.date(2024, 4, 1 + n),
            actual_date=None,
        )
    with django_assert_num_queries(8):
        found = reminders(dt.date(2024, 4, 15), {unit_a.pk})
        printed = [row for reminder in found for row in lines(reminder)]
    assert [r.unit for r in found] == [unit_a]
    assert sum(kind == "节点滞后" for kind, *_rest in printed) == 6
    assert sum(kind.startswith("问题") for kind, *_rest in printed) == 2


def test_reminders_without_emails_read_one_statement_fewer_and_the_same_lines(
    situation, unit_a, django_assert_num_queries
):
    from projects.desk.reminders import lines, reminders

    DispatchSettings.current()
    day = dt.date(2024, 4, 15)
    (with_emails,) = reminders(day, {unit_a.pk})
    with django_assert_num_queries(7):
        (without,) = reminders(day, {unit_a.pk}, emails=False)
    assert with_emails.emails == ["staff_a@example.cn"] and without.emails == []
    assert lines(without) == lines(with_emails)


def test_each_units_reminders_are_its_own_from_statements_built_once(
    situation, manager, project_b, unit_a, unit_b, monkeypatch
):
    """A clerk's to-do reads its unit's rows through statements built once per day and
    number of units (``compiled``): another unit's read is its own, never the first's."""
    from projects.desk import reminders as module
    from projects.selectors import compiled

    compiled.forget()
    day = dt.date(2024, 4, 15)
    services.save_milestone(
        actor=manager,
        project=project_b,
        name="竣工验收",
        planned_date=dt.date(2024, 4, 2),
        actual_date=None,
    )
    builds = []
    original = module._of_units

    def counted(shape, ids, build, **kwargs):
        return original(shape, ids, lambda units: builds.append(shape) or build(units), **kwargs)

    monkeypatch.setattr(module, "_of_units", counted)
    (of_a,) = module.reminders(day, {unit_a.pk}, emails=False)
    first = len(builds)
    (of_b,) = module.reminders(day, {unit_b.pk}, emails=False)
    assert len(builds) == first  # the second unit's read built nothing
    assert [n.name for n in of_a.nodes_late] == ["施工许可"]
    assert [n.name for n in of_b.nodes_late] == ["竣工验收"]
    assert len(of_a.problems_due_soon + of_a.problems_overdue) == 2
    assert of_b.problems_due_soon + of_b.problems_overdue == []
    assert (of_a.unit, of_b.unit) == (unit_a, unit_b)
    # Both units at once: one read of the two, each reminder its own unit's.
    both = module.reminders(day, {unit_a.pk, unit_b.pk}, emails=False)
    assert {r.unit: [n.name for n in r.nodes_late] for r in both} == {
        unit_a: ["施工许可"],
        unit_b: ["竣工验收"],
    }
    compiled.forget()
