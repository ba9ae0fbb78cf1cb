# Two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run devdb account account-args serve manage test test-fast mutants browser faults screenshots install lint format messages bench load clean

# The browser journeys (tests/browser/) drive Debian's Chromium; without it `make test`
# runs everything else and says so in one line.
CHROMIUM := /usr/bin/chromium
BROWSER_MISSING = $(if $(wildcard $(CHROMIUM)),,1)
# BROWSER=0: `make test` leaves the journeys out, for a run that has them already. CI runs
# them once, with the SQLite `make test`, not again on PostgreSQL: they drive the pages,
# whose database work the suite itself checks on both databases.
BROWSER ?= 1

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

DEV_ENV = DJANGO_DEBUG=$${DJANGO_DEBUG:-true}

# The laptop's development database as `make run` serves it: migrated (the roles come with
# the migrations) and holding the demo ledger, whose units the README's examples name.
devdb: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py createcachetable
	$(DEV_ENV) $(BIN)/python manage.py load_demo

run: devdb
	$(DEV_ENV) $(BIN)/python manage.py ensure_admin --url http://$(HOST):$(PORT)/
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Any manage.py command on the laptop's development database, e.g.
#   make manage ARGS="create_account li --role unit_staff --unit JD-CY"
manage: install
	$(DEV_ENV) $(BIN)/python manage.py $(ARGS)

# An account on the development database, from a fresh clone too, e.g.
#   make account ARGS="li --role unit_staff --unit JD-CY"
# (the password is asked for; press Enter for a generated one, printed once).
account: account-args devdb
	$(DEV_ENV) $(BIN)/python manage.py create_account $(ARGS)

# Said before anything is installed or loaded.
account-args:
	@if [ -z "$(ARGS)" ]; then echo 'Usage: make account ARGS="USERNAME --role ROLE [--unit UNIT]"'; exit 2; fi

# Outside DEBUG the settings demand DJANGO_SECRET_KEY; when it is not set, a random key
# is made once for this checkout and kept in .secret_key (never committed).
.secret_key:
	@umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
KEY_ENV = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret_key)}"

# Production: DEBUG off, gunicorn with WEB_CONCURRENCY workers (default 4) of GUNICORN_THREADS
# threads each (gunicorn.conf.py; default 1, measured in tracker/database.py).
SERVE_ENV = DJANGO_DEBUG=false $(KEY_ENV)
serve: install .secret_key
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py createcachetable
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py check --deploy
	$(SERVE_ENV) exec $(BIN)/gunicorn tracker.wsgi --bind $(HOST):$(PORT) \
		--workers $${WEB_CONCURRENCY:-4} \
		--timeout $${GUNICORN_TIMEOUT:-60} --access-logfile -

# The suite runs in one process per core (pytest-xdist, a test database each); the browser
# journeys run afterwards on their own, since each starts a live server and a Chromium.
TEST_WORKERS ?= auto

# Checks run in development mode: outside it the settings demand a real secret key.
test: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py check
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -m "not browser and not faults" -n $(TEST_WORKERS) $(PYTEST_ARGS)
ifeq ($(BROWSER),0)
	@echo "Browser journeys not run here (BROWSER=0)."
else ifeq ($(BROWSER_MISSING),1)
	@if [ -n "$$BROWSER_TESTS_REQUIRED" ]; then echo "Browser tests are required but $(CHROMIUM) is missing."; exit 1; fi
	@echo "Browser tests skipped: $(CHROMIUM) not found (apt-get install chromium fonts-wqy-microhei)."
else
	$(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)
endif

# The quick loop while changing a rule: the rules core, the models and the services, without
# the browser, the fault suite or the modules that load the demo ledger (marker `demo`).
# About 25 s of CPU shared by the workers: well under a minute on two cores (54 s with a load
# average of 8 beside it). `make test` is still the check before a merge.
FAST_TESTS := tests/test_money.py tests/test_periods.py tests/test_permissions.py \
	tests/test_ranking.py tests/test_text.py tests/models tests/services
test-fast: install
	$(BIN)/python -m pytest -m "not browser and not faults and not demo" -q \
		-n $(TEST_WORKERS) $(FAST_TESTS) $(PYTEST_ARGS)

# Mutation testing of the rules core (money, periods, permissions; settings in pyproject's
# [tool.mutmut]): each small change to those modules should make a fast test fail. It starts
# afresh each time (mutmut's cache in mutants/ does not notice changed tests); about a minute
# on two cores. Ends with the surviving count: mutants the tests let through plus mutants in
# code no fast test reaches.
mutants: install
	rm -rf mutants
	$(BIN)/mutmut run --max-children $${MUTANT_WORKERS:-2} > /dev/null
	@$(BIN)/mutmut results | awk '/: survived$$/ {s++} /: no tests$$/ {n++} \
		END {printf "Surviving mutants: %d (%d pass the tests, %d reached by no fast test); list: .venv/bin/mutmut results\n", s + n, s, n}'

# Only the browser journeys, e.g. after changing a template or the stylesheet.
browser: install
	$(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)

# The fault suite on PostgreSQL (DATABASE_URL), as root: the database frozen and restarted,
# a worker killed mid-job, a full media folder. It stops the machine's PostgreSQL for
# seconds at a time, so it runs alone, never beside other tests.
faults: install
	FAULTS_REQUIRED=1 $(BIN)/python -m pytest -m faults tests/faults $(PYTEST_ARGS)

# Retake docs/screenshots/*.png from the browser journeys on the demo ledger.
screenshots: install
	WRITE_SCREENSHOTS=1 $(BIN)/python -m pytest -m browser tests/browser -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the Chinese catalogue after adding strings, then compile it.
messages: install
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=tests
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# The report's operations timed beside hand-written SQL floors, on scale data generated into
# a database of the bench's own (SQLite file by default; with DATABASE_URL, a sibling
# PostgreSQL database). Province scale: make bench BENCH_PROJECTS=20000 BENCH_YEARS=5.
BENCH_PROJECTS ?= 2000
BENCH_YEARS ?= 1
bench: install .secret_key
	$(KEY_ENV) $(BIN)/python -m benchmarks.run --projects $(BENCH_PROJECTS) \
		--years $(BENCH_YEARS) $(BENCH_ARGS)

# 20 users for 60 s against `make serve` on PostgreSQL (DATABASE_URL), then a count of
# edits: nothing lost, no error, report p95 < 500 ms, project page p95 < 100 ms.
LOAD_PROJECTS ?= 2000
LOAD_YEARS ?= 5
load: install .secret_key
	$(KEY_ENV) $(BIN)/python -m benchmarks.load --projects $(LOAD_PROJECTS) \
		--years $(LOAD_YEARS) $(LOAD_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .secret_key
