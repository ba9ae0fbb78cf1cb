"""Signals the demo loader sends, so apps built on the ledger can add their own demo rows."""

from django.dispatch import Signal

# Sent with ``programme`` once the demo ledger is loaded; receivers must be idempotent.
demo_loaded = Signal()
