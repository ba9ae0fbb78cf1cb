"""包联领导 becomes a reference (Leader) and tags get a 专班 group (TagGroup), issue #23.

Nothing typed is lost: every distinct non-empty free-text leader of the projects and of
their history becomes a Leader (cleaned as a name is, so "王某某 " and "王某某" are one),
and every row, historical rows included, is linked to it before 0028 drops the text.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from projects.text import one_line

NAME_LENGTH, CODE_LENGTH = 100, 32


def leader_names(texts) -> dict[str, str]:
    """Each stored free text -> the leader's name it becomes; blank texts are left out.

    Names are cleaned as a name is now refused otherwise (``text.one_line``): a trailing
    space or a stray line break typed once must not make a second leader.
    """
    names = {}
    for text in texts:
        name = one_line(text or "")[:NAME_LENGTH]
        if name:
            names[text] = name
    return names


def leader_codes(names, taken=()) -> dict[str, str]:
    """Each new leader's code: the name itself, as a named entry from a file gets it, or
    the name cut short and numbered when it is too long or already some leader's code."""
    codes, used = {}, set(taken)
    for number, name in enumerate(dict.fromkeys(names), start=1):
        code = name[:CODE_LENGTH]
        while code in used:
            code = f"{name[: CODE_LENGTH - 6]}-{number:05d}"
            number += 1000
        used.add(code)
        codes[name] = code
    return codes


def leaders_from_text(apps, schema_editor):
    """A Leader per distinct cleaned name of the projects and their history, linked back."""
    db = schema_editor.connection.alias
    Leader = apps.get_model("projects", "Leader")
    tables = [apps.get_model("projects", m) for m in ("Project", "HistoricalProject")]
    texts = set()
    for model in tables:
        texts.update(model.objects.using(db).values_list("leader_text", flat=True).distinct())
    names = leader_names(sorted(t for t in texts if t))
    existing = {leader.name: leader for leader in Leader.objects.using(db)}
    fresh = sorted(set(names.values()) - set(existing))
    codes = leader_codes(fresh, Leader.objects.using(db).values_list("code", flat=True))
    for name in fresh:
        existing[name] = Leader.objects.using(db).create(code=codes[name], name=name)
    for model in tables:
        for text, name in names.items():
            model.objects.using(db).filter(leader_text=text).update(leader=existing[name])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0027_data_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Leader",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=32, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                (
                    "sort_order",
                    models.PositiveSmallIntegerField(default=0, verbose_name="sort order"),
                ),
                (
                    "title",
                    models.CharField(
                        blank=True,
                        help_text="The leader's post as briefings give it, e.g. 区委常委、副区长.",
                        max_length=50,
                        verbose_name="post",
                    ),
                ),
                (
                    "active",
                    models.BooleanField(
                        default=True,
                        help_text="Untick when the leader leaves the post; their projects keep the name.",
                        verbose_name="in post",
                    ),
                ),
            ],
            options={
                "verbose_name": "leader in charge",
                "verbose_name_plural": "leaders in charge",
                "ordering": ["sort_order", "code"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="TagGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="As the report heads its table, e.g. 产业链专班 or 攻势.",
                        max_length=30,
                        unique=True,
                        verbose_name="name",
                    ),
                ),
                (
                    "sort_order",
                    models.PositiveSmallIntegerField(default=0, verbose_name="sort order"),
                ),
            ],
            options={
                "verbose_name": "task force group",
                "verbose_name_plural": "task force groups",
                "ordering": ["sort_order", "name"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalLeader",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(db_index=True, max_length=32, verbose_name="code")),
                ("name", models.CharField(db_index=True, max_length=100, verbose_name="name")),
                (
                    "sort_order",
                    models.PositiveSmallIntegerField(default=0, verbose_name="sort order"),
                ),
                (
                    "title",
                    models.CharField(
                        blank=True,
                        help_text="The leader's post as briefings give it, e.g. 区委常委、副区长.",
                        max_length=50,
                        verbose_name="post",
                    ),
                ),
                (
                    "active",
                    models.BooleanField(
                        default=True,
                        help_text="Untick when the leader leaves the post; their projects keep the name.",
                        verbose_name="in post",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical leader in charge",
                "verbose_name_plural": "historical leaders in charge",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalTagGroup",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        db_index=True,
                        help_text="As the report heads its table, e.g. 产业链专班 or 攻势.",
                        max_length=30,
                        verbose_name="name",
                    ),
                ),
                (
                    "sort_order",
                    models.PositiveSmallIntegerField(default=0, verbose_name="sort order"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical task force group",
                "verbose_name_plural": "historical task force groups",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="tag",
            name="group",
            field=models.ForeignKey(
                blank=True,
                help_text="The 专班 group this tag is a task force of (产业链专班, 攻势); blank for a special campaign (专项) that the briefing counts.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="tags",
                to="projects.taggroup",
                verbose_name="task force group",
            ),
        ),
        # The free text moves aside, the reference takes its name, and each distinct
        # name becomes a Leader (leaders_from_text); 0028 drops the text once linked.
        migrations.RenameField(model_name="project", old_name="leader", new_name="leader_text"),
        migrations.RenameField(
            model_name="historicalproject", old_name="leader", new_name="leader_text"
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="leader",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="projects.leader",
                verbose_name="leader in charge",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="leader",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="projects",
                to="projects.leader",
                verbose_name="leader in charge",
            ),
        ),
        migrations.RunPython(leaders_from_text, migrations.RunPython.noop),
    ]
