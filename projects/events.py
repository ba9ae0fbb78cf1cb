"""What happened in the ledger, for the apps that tell people (notifications) to hear.

Each is sent once the transaction that made it has committed (``send_after_commit``), so a
listener never tells of a review that rolled back and can never undo one. The ledger knows
nobody who listens.
"""

from django.db import transaction
from django.dispatch import Signal

# A manager approved or returned a unit's month: ``submission`` (a MonthSubmission), ``actor``.
month_reviewed = Signal()
# Months were locked: ``year``, ``months`` (the ones newly locked), ``actor``.
months_locked = Signal()
# A manager approved or refused a plan-change request: ``request``, ``actor``.
plan_request_decided = Signal()
# A manager assigned (交办) a problem to a department with a deadline: ``problem``, ``actor``.
problem_assigned = Signal()
# A manager escalated (提级协调) a problem: ``problem``, ``actor``, ``comment`` (why).
problem_escalated = Signal()
# A manager chased units that have not submitted (催报): ``units``, ``year``, ``month``,
# ``actor``, ``texts`` (each unit's reminder text by unit id).
units_chased = Signal()


def send_after_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=None, **kwargs))
