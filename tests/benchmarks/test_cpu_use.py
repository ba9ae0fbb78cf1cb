"""The load test's processor accounting: which process is which, and what a busy child costs."""

import subprocess
import sys

import pytest

from benchmarks import cpu_use


@pytest.mark.parametrize(
    ("command", "name", "kind"),
    [
        ("gunicorn: worker [tracker.wsgi]", "gunicorn", "server"),
        (".venv/bin/python .venv/bin/locust -f benchmarks/locustfile.py", "locust", "users"),
        ("postgres: 15/main: postgres bench 127.0.0.1(43698) idle", "postgres", "database"),
        ("", "postgres", "database"),  # a backend whose command line is not readable
        ("redis-server 127.0.0.1:6379", "redis-server", "other"),
    ],
)
def test_each_process_is_told_by_its_part_in_the_test(command, name, kind):
    assert cpu_use.kind_of(command, name) == kind


@pytest.mark.skipif(not cpu_use.PROC.is_dir(), reason="reads /proc")
def test_a_busy_child_process_is_counted_in_its_kind():
    # Any process whose command names "locust" counts as the users: a child that spins for
    # about half a second must show there, and the machine's busy share must be above nought.
    spin = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.6: pass"
    use = cpu_use.CpuUse(interval=0.05)
    use.start()
    subprocess.run([sys.executable, "-c", f"# locust\n{spin}"], check=True)
    found = use.stop()
    assert found["available"]
    assert 0.3 <= found["used_s"]["users"] <= 2.0
    assert found["busy_share"] > 0


def test_the_summary_says_when_nothing_was_measured():
    assert "not measured" in cpu_use.describe({"available": False})


def test_a_process_that_ended_keeps_the_kind_it_was_seen_as():
    # Ended but not yet reaped, a process has no command line: its last processor seconds
    # still count for what it was while it ran, not for "other".
    use = cpu_use.CpuUse()
    use.merge({41: ("users", 0.2)})
    use.merge({41: (None, 0.9), 42: (None, 0.5)})
    assert use._last == {41: ("users", 0.9), 42: ("other", 0.5)}
