"""Every string the code marks for translation is in the Chinese catalogue, translated.

A string added without a catalogue entry shows in English on a Chinese page, and nothing
else notices: six model labels, two validation messages, a node import's refusal, a heading
and the scoring page's explanation once did. The sources are read as ``make messages``
reads them, in a copy of the tree (so the committed catalogue is never rewritten), and the
catalogue that runs (the compiled ``django.mo``) and its source (``django.po``) are each
compared with them by gettext's own ``msgcmp``: a string missing, untranslated or only
guessed (fuzzy) in either fails. Needs GNU gettext, as ``make messages`` does; CI installs
it and sets ``CATALOGUE_CHECK_REQUIRED``, so there a missing gettext fails.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
TOOLS = ("xgettext", "msgmerge", "msgcmp", "msgunfmt")
REQUIRED_ENV = "CATALOGUE_CHECK_REQUIRED"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The catalogue template (.pot) of the current sources, as ``make messages`` makes it."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"GNU gettext is not installed ({', '.join(missing)}): apt-get install gettext"
        if os.environ.get(REQUIRED_ENV):
            pytest.fail(message)
        pytest.skip(message)
    copy = tmp_path_factory.mktemp("tree")
    for part in ("projects", "tracker", "templates", "locale"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DJANGO_DEBUG": "true",
        "PYTHONPATH": str(copy),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--keep-pot"]
        + ["--ignore=tests", "--ignore=.venv"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return copy / "locale" / "django.pot"


def _missing(catalogue: Path, template: Path) -> str:
    """What ``msgcmp`` finds in the template that the catalogue lacks or leaves untranslated."""
    found = subprocess.run(
        ["msgcmp", str(catalogue), str(template)], capture_output=True, text=True, check=False
    )
    return "" if found.returncode == 0 else found.stderr


def test_the_catalogue_translates_every_string_of_the_sources(template):
    missing = _missing(MESSAGES / "django.po", template)
    assert not missing, missing


def test_the_compiled_catalogue_is_the_one_that_translates_them(template, tmp_path):
    compiled = tmp_path / "compiled.po"
    subprocess.run(["msgunfmt", str(MESSAGES / "django.mo"), "-o", str(compiled)], check=True)
    missing = _missing(compiled, template)
    assert not missing, missing
