"""Form data the admin's change forms expect, for tests that post as a browser would."""

from django.urls import reverse


def change_url(obj):
    return reverse(f"admin:projects_{obj._meta.model_name}_change", args=[obj.pk])


def inline_management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def project_post(project, **extra):
    data = {
        "expected_version": project.version,
        "name": project.name,
        "category": project.category_id,
        "street": project.street_id,
        "leader": "",
        "kind": project.kind,
        "total_investment": project.total_investment,
        "planned_start": project.planned_start.isoformat(),
        "actual_start": "",
        "planned_completion": "",
        "statistics_entry_date": "",
        "joined_on": project.joined_on.isoformat(),
        "withdrawn_on": "",
        "image_progress": "",
        "notes": "",
        "reason": "",
        **inline_management("plans", 0, 0),
        **inline_management("progress", 0, 0),
    }
    data.update(extra)
    return data
