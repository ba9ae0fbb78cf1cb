"""Signals the demo loader sends, so apps built on the ledger can add their own demo rows."""

from django.dispatch import Signal

# Sent with ``programme`` and the named ``actor`` once the demo ledger is loaded;
# receivers write through services as that actor and must be idempotent.
demo_loaded = Signal()
