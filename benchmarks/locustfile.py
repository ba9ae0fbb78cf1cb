"""The load test's users: managers reading reports and files, clerks saving monthly entries.

Run by ``benchmarks/load.py`` (``make load``), which sets the environment: LOAD_PASSWORD,
LOAD_MANAGER, LOAD_CLERKS (one unit's clerk per clerk user, never shared, so no two
users edit the same row), LOAD_YEAR, LOAD_PROGRAMME, LOAD_PROJECTS, LOAD_MONTH and
LOAD_OUT (where the figures and every successful save are written at the end).

A save goes through the real /entry/ form: the page is read, one row's figures changed
(with its version, as the browser sends it, and "checked" ticked), the whole form posted;
success is the redirect back to the grid.

The users sign in first, then start work together (``_all_signed_in``). Twenty PBKDF2 logins
(Django's 1,000,000 iterations, 0.18 s of processor each on the machine of the committed run)
are 3.7 core-seconds: when each user started work as soon as its own login answered, its first pages
waited behind the others' logins, and those seconds were every page kind's slowest, on a
measure meant for pages served to users at work. Started together, each then takes its
usual pause (0.5–1.5 s) before its first task. The logins are still timed and reported.
Each request answered after the start is also kept with when it answered, in seconds since
the start (``timeline``), so ``benchmarks.load`` can show the run ten seconds at a time.
"""

import itertools
import json
import os
import random
import threading
import time
from decimal import Decimal
from html.parser import HTMLParser

import gevent.event
from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "")
MANAGER = os.environ.get("LOAD_MANAGER", "gen-manager")
CLERKS = [c for c in os.environ.get("LOAD_CLERKS", "").split(",") if c]
YEAR = int(os.environ.get("LOAD_YEAR", "2024"))
PROGRAMME = os.environ.get("LOAD_PROGRAMME", f"GEN-{YEAR}-1")
PROJECTS = int(os.environ.get("LOAD_PROJECTS", "2000"))
MONTH = int(os.environ.get("LOAD_MONTH", "12"))
PAGES = max(1, -(-PROJECTS // 50))
USERS = int(os.environ.get("LOAD_USERS", "20"))
SIGN_IN_WAIT = 120  # seconds a signed-in user waits for the others before starting anyway

_next_clerk = itertools.count()
_saves: list[dict] = []
_lock = threading.Lock()
_signed_in = itertools.count(1)
_all_signed_in = gevent.event.Event()
_started: list[float] = []  # when work started: the moment the last user signed in
_timeline: list[tuple[float, str, float]] = []


class FormFields(HTMLParser):
    """The fields a browser would post from the page's POST form."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._in_form = "entry-form" in (a.get("class") or "")
        if not self._in_form or not a.get("name"):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button"):
                return
            self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self._in_form = False


class Visitor(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    username = ""

    def on_start(self):
        self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login as {self.username}: {response.status_code}")
        # A user whose login failed counts too: the others are not kept waiting for it.
        if next(_signed_in) >= USERS:
            _started.append(time.monotonic())
            _all_signed_in.set()
        _all_signed_in.wait(SIGN_IN_WAIT)
        # Then each takes its first pause before its first task, as between any two: twenty
        # first pages asked in the same instant are a start no office has.
        gevent.sleep(self.wait_time())

    def report_page(self):
        page = random.randint(1, PAGES)
        sort = random.choice(["", "", "&p-sort=investment_rate", "&p-sort=-investment_rate"])
        name = "report page, sorted" if sort else "report page"
        self.client.get(f"/reports/{YEAR}/q1/?programme={PROGRAMME}&p-page={page}{sort}", name=name)


class Manager(Visitor):
    weight = 3
    username = MANAGER

    @task(4)
    def report(self):
        self.report_page()

    @task(4)
    def project(self):
        code = f"GEN-{YEAR}-{random.randint(1, PROJECTS):06d}"
        self.client.get(f"/projects/{code}/", name="project page")

    @task(1)
    def csv(self):
        self.client.get(f"/reports/{YEAR}/q1.csv?programme={PROGRAMME}", name="CSV")

    @task(1)
    def json(self):
        self.client.get(f"/reports/{YEAR}/q1.json?programme={PROGRAMME}", name="JSON")

    @task(1)
    def xlsx(self):
        self.client.get(f"/reports/{YEAR}/q1.xlsx?programme={PROGRAMME}", name="XLSX")


class Clerk(Visitor):
    weight = 2

    def on_start(self):
        index = next(_next_clerk)
        if index >= len(CLERKS):
            raise RuntimeError("more clerk users than clerk accounts (LOAD_CLERKS)")
        self.username = CLERKS[index]
        super().on_start()

    @task(1)
    def report(self):
        self.report_page()

    @task(3)
    def save_entry(self):
        url = f"/entry/?ym={YEAR}-{MONTH}"
        page = self.client.get(url, name="entry page")
        parser = FormFields()
        parser.feed(page.text)
        data = dict(parser.fields)
        rows = sorted(
            {int(name.split("-")[1]) for name, _v in parser.fields if name.endswith("-project")}
        )
        if not rows:
            return
        row = random.choice(rows)
        shown = (data.get(f"e-{row}-investment", ""), data.get(f"e-{row}-inclusion", ""))
        # Figures equal to the row's own are "nothing changed": the page answers 302 too, and
        # writes nothing, so such a draw would count as a save without its history row.
        while True:
            investment = Decimal(random.randint(100, 99_999)) / 100
            inclusion = (investment * Decimal("0.8")).quantize(Decimal("0.01"))
            if not _same(shown, (investment, inclusion)):
                break
        data[f"e-{row}-investment"] = str(investment)
        data[f"e-{row}-inclusion"] = str(inclusion)
        data[f"e-{row}-confirm"] = "on"
        with self.client.post(
            "/entry/",
            data,
            headers={"Referer": f"{self.host}{url}"},
            allow_redirects=False,
            name="entry save",
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                with _lock:
                    _saves.append(
                        {
                            "clerk": self.username,
                            "project": int(data[f"e-{row}-project"]),
                            "month": MONTH,
                            "investment": str(investment),
                            "inclusion": str(inclusion),
                        }
                    )
            else:
                response.failure(f"entry save answered {response.status_code}, not saved")


def _same(shown: tuple[str, str], figures: tuple[Decimal, Decimal]) -> bool:
    try:
        return tuple(Decimal(v.replace(",", "")) for v in shown) == figures
    except ArithmeticError:  # an empty or unreadable field: any figure is a change
        return False


@events.request.add_listener
def _keep_time(name, response_time, **kwargs):
    if _started:
        _timeline.append((round(time.monotonic() - _started[0], 3), name, round(response_time)))


@events.test_stop.add_listener
def _write_results(environment, **kwargs):
    out = os.environ.get("LOAD_OUT")
    if not out:
        return
    stats = []
    for entry in sorted(environment.stats.entries.values(), key=lambda e: e.name):
        stats.append(_entry(entry))
    result = {
        "requests": stats,
        "total": _entry(environment.stats.total),
        "saves": _saves,
        "timeline": _timeline,
        "errors": [
            {"name": e.name, "error": str(e.error), "occurrences": e.occurrences}
            for e in environment.stats.errors.values()
        ],
    }
    with open(out, "w", encoding="utf-8") as file:
        json.dump(result, file, ensure_ascii=False, indent=2)


def _entry(entry) -> dict:
    return {
        "name": entry.name,
        "method": entry.method,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "median_ms": entry.median_response_time,
        "p95_ms": entry.get_response_time_percentile(0.95),
        "p99_ms": entry.get_response_time_percentile(0.99),
        "max_ms": entry.max_response_time,
        "avg_ms": round(entry.avg_response_time, 1),
        "rps": round(entry.total_rps, 2),
    }
