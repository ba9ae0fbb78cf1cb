"""Where a load test's processor time went, and how fast this machine runs Python.

``make load``'s latencies are only comparable between machines, and between runs on one
machine, when one knows whether the processors were saturated and by what. The same commit
has read a project page p95 of 140 ms on one two-core machine and of several seconds on
another whose Python ran three times slower. So a load run records:

* ``reference_loop_ms``: the best of five runs of a fixed pure-Python loop (a machine's speed
  for the interpreter, not for PostgreSQL);
* the processor seconds each kind of process used while the users ran (the app's gunicorn
  processes, PostgreSQL's, the load generator's, the rest), read from ``/proc`` twice a
  second, against the seconds the machine's cores had.

Linux only (``/proc``); elsewhere the accounting is empty and says so.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from pathlib import Path

PROC = Path("/proc")
LOOP = 2_000_000
KINDS = ("server", "database", "users", "other")


def reference_loop_ms(runs: int = 5) -> float:
    """The best time of ``runs`` runs of a fixed loop of additions, in milliseconds."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        total = 0
        for n in range(LOOP):
            total += n
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def kind_of(command: str, name: str) -> str | None:
    """Which part of the test a process is: the app's server, the database, the users; None
    when it cannot be told (no command line: a process that has ended and not yet been
    reaped, or a kernel thread)."""
    if "gunicorn" in command:
        return "server"
    if "locust" in command:
        return "users"
    if name.startswith("postgres") or command.startswith("postgres"):
        return "database"
    return "other" if command else None


def _processes() -> dict[int, tuple[str | None, float]]:
    """Each process's kind (``kind_of``) and processor seconds so far (user and system)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone between the listing and the read
            continue
        name, _sep, rest = stat.partition("(")[2].rpartition(")")
        fields = rest.split()
        seconds = (int(fields[11]) + int(fields[12])) / ticks
        found[int(entry.name)] = (kind_of(command, name), seconds)
    return found


class CpuUse:
    """Processor seconds by kind of process between ``start()`` and ``stop()``.

    Sampled twice a second, so a process that lived and died between two samples is missed
    (none of the test's processes does) and one that died after a sample counts up to it."""

    def __init__(self, interval: float = 0.5):
        self.interval = interval
        self.available = PROC.is_dir()
        self._base: dict[int, tuple[str, float]] = {}
        self._last: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = 0.0

    def start(self) -> None:
        if not self.available:
            return
        self._base = {pid: (kind or "other", t) for pid, (kind, t) in _processes().items()}
        self._last = dict(self._base)
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.merge(_processes())

    def merge(self, found: dict[int, tuple[str | None, float]]) -> None:
        """Take a reading; a process whose kind is no longer told keeps the one it had."""
        for pid, (kind, seconds) in found.items():
            self._last[pid] = (kind or self._last.get(pid, ("other", 0.0))[0], seconds)

    def stop(self) -> dict:
        if not self.available:
            return {"available": False}
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.merge(_processes())
        used: Counter[str] = Counter()
        for pid, (kind, seconds) in self._last.items():
            before = self._base.get(pid)
            # A pid reused by another process after the first read starts from nought.
            since = before[1] if before and before[0] == kind and before[1] <= seconds else 0
            used[kind] += seconds - since
        wall = time.monotonic() - self._started
        cores = os.cpu_count() or 1
        return {
            "available": True,
            "wall_s": round(wall, 1),
            "cores": cores,
            "core_seconds": round(wall * cores, 1),
            "used_s": {kind: round(used[kind], 1) for kind in KINDS},
            "busy_share": round(sum(used.values()) / (wall * cores), 3) if wall else None,
        }


def describe(use: dict) -> str:
    """One line for the printed summary."""
    if not use.get("available"):
        return "processor time: not measured (no /proc)"
    parts = ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in use["used_s"].items())
    return (
        f"processor time while the users ran: {parts}, of {use['core_seconds']:.0f} core-seconds "
        f"({use['cores']} cores × {use['wall_s']:.0f} s): {use['busy_share']:.0%} busy"
    )
