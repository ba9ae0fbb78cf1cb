"""A model's check constraints validated by one query, not one each.

``full_clean`` (every write through the services) validates each ``CheckConstraint`` with a
query of its own that annotates every field of the instance: a quarter plan's eight checks
were eight queries a save, and the 974 validations of loading the demo sent 4,351 such
queries, a third of ``load_demo``'s time. ``ChecksInOneQuery`` puts a model's checks into one
``SELECT COALESCE(<condition>, true), …`` over the same annotations, then reports each failed
one exactly as Django's own loop does (its message and code, in the constraints' order).

What Django's ``CheckConstraint.validate`` and ``Q.check`` decide stays theirs: a condition
naming an excluded field is skipped (``FieldError``); a database error falls back to Django's
one query per check, which logs it and lets the check pass; a database that cannot compare
boolean expressions gets Django's loop. ``tests/models/test_checks_in_one_query.py`` holds the
errors equal to Django's for every such model.
"""

from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


class ChecksInOneQuery:
    """Mixin for a model with more than one ``CheckConstraint`` (before ``models.Model``)."""

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        if not connections[using].features.supports_comparing_boolean_expr:
            return super().validate_constraints(exclude=exclude)
        errors = {}
        for model_class, model_constraints in self.get_constraints():
            checks = [c for c in model_constraints if isinstance(c, CheckConstraint)]
            passed = _checked_together(self, model_class, checks, exclude, using)
            for constraint in model_constraints:
                try:
                    if id(constraint) in passed:
                        if not passed[id(constraint)]:
                            raise ValidationError(
                                constraint.get_violation_error_message(),
                                code=constraint.violation_error_code,
                            )
                    else:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as e:
                    # As Django's Model.validate_constraints files the error.
                    if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _checked_together(instance, model, checks, exclude, using) -> dict:
    """{id(check): whether it holds} for the checks the query could test; {} to leave them all
    to Django (one check, or a database error)."""
    if len(checks) < 2:
        return {}
    against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)
    query = Query(None)
    for name, value in against.items():
        if not hasattr(value, "resolve_expression"):
            value = Value(value)
        query.add_annotation(value, name, select=False)
    tested = []
    for check in checks:
        try:
            query.add_annotation(
                Coalesce(Q(check.condition), True, output_field=BooleanField()),
                f"_check_{len(tested)}",
            )
        except FieldError:
            continue  # names an excluded field: Django skips the check
        tested.append(check)
    if not tested:
        return {}
    connection = connections[using]
    atomic = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with atomic:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        return {}  # each check then runs alone, as Django runs it
    # By identity: a constraint compares equal by its contents and is not hashable.
    return {id(check): bool(value) for check, value in zip(tested, row, strict=True)}
