"""The free-text 包联领导 is dropped once 0027 has linked every project to its Leader.

Its own migration (its own transaction): on PostgreSQL a table whose rows were just
updated cannot be altered in the same transaction while its foreign keys are deferred.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("projects", "0028_leaders_and_task_forces")]

    operations = [
        migrations.RemoveField(model_name="historicalproject", name="leader_text"),
        migrations.RemoveField(model_name="project", name="leader_text"),
    ]
