from django.db import migrations, models

FIRST_YEAR, LAST_YEAR = 2000, 2100  # periods.FIRST_YEAR, LAST_YEAR when written


def month_rows(apps, schema_editor):
    """A version row for each month of every year a list may have (the year's own row is
    month 0): a month's figures bump their month's row from now on."""
    DataVersion = apps.get_model("projects", "DataVersion")
    using = schema_editor.connection.alias
    DataVersion.objects.using(using).bulk_create(
        [
            DataVersion(year=year, month=month)
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
            for month in range(1, 13)
        ]
    )


def drop_month_rows(apps, schema_editor):
    """Back to one row a year: the months' rows go before the year is unique again."""
    DataVersion = apps.get_model("projects", "DataVersion")
    DataVersion.objects.using(schema_editor.connection.alias).exclude(month=0).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0030_list_thresholds"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="month",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="dataversion",
            name="year",
            field=models.PositiveSmallIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="dataversion",
            constraint=models.UniqueConstraint(
                fields=("year", "month"), name="one_version_per_month"
            ),
        ),
        migrations.RunPython(month_rows, drop_month_rows),
    ]
