# The kind moved to the set in 0002; dropped here, in a transaction of its own, because
# PostgreSQL refuses to alter a table whose rows the same transaction updated (deferred keys).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0002_template_sets_steps_and_parallel_groups"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='nodetemplate',
            name='node_template_once_per_kind',
        ),
        migrations.RemoveField(
            model_name='nodetemplate',
            name='kind',
        ),
        migrations.AlterField(
            model_name='nodetemplate',
            name='template_set',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='nodes', to='milestones.templateset', verbose_name='template set'),
        ),
    ]
