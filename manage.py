#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv"


def main():
    try:
        import django  # noqa: F401
    except ImportError:
        # `make run` / `make install` put the app in .venv; a newcomer typing
        # `python manage.py …` with the system Python gets that interpreter, not an error.
        python = VENV / "bin" / "python"
        if python.exists() and Path(sys.prefix).resolve() != VENV.resolve():
            os.execv(python, [str(python), *sys.argv])
        raise SystemExit("Django is not installed here: run `make install` first.") from None
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
