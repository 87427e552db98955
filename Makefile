# The two commands of the README:
#   make run    set everything up, load the demo content, serve on http://127.0.0.1:8000/
#               (with the task worker, manage.py db_worker, beside the server)
#   make test   set everything up, check the style (ruff), run the tests on SQLite and on PostgreSQL
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000
# The task queues `make run`'s worker serves (config/settings.py TASK_QUEUES).
WORKER_QUEUES ?= default,library
# The PostgreSQL server the second test run uses. pytest-django creates and
# drops its own test database there, named after the run's process id
# (test_portal_<pid>) so that two runs on one server do not collide.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/portal

.PHONY: setup run test lint test-sqlite test-postgres clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 10) else "Python 3.10+ is required (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	@mkdir -p var
	@# The project's own wording over Django's Chinese (locale/): .po → .mo in pure Python.
	$(PY) -m config.messages

# axe-core for the accessibility tests (package.json pins it). Without npm the
# browser accessibility checks skip with a message (they fail under CI).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the axe-core accessibility checks will be skipped."; \
	fi

run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py regroup_items
	@DEBUG=1 $(PY) manage.py demo_editor
	@echo "门户地址: http://$(ADDR)/    管理后台: http://$(ADDR)/admin/"
	@# The task worker (articles/events.py: search index, stored pages, library
	@# regrouping after a change) runs beside the server and stops with it.
	@DEBUG=1 $(PY) manage.py db_worker --queue-name $(WORKER_QUEUES) --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(ADDR)

test: lint test-sqlite test-postgres

# Style first: ruff (pyproject.toml) lints and checks the formatting of the whole tree.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-sqlite: setup
	$(VENV)/bin/pytest -q

# Skips with a clear message when no PostgreSQL answers, except under CI,
# where a missing server is a failure.
test-postgres: setup
	@if $(PY) -c "import psycopg2, sys; psycopg2.connect('$(TEST_POSTGRES_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL run ($(TEST_POSTGRES_URL)) =="; \
		DATABASE_URL=$(TEST_POSTGRES_URL)_$$$$ $(VENV)/bin/pytest -q; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL at $(TEST_POSTGRES_URL) does not answer: CI requires it." >&2; exit 1; \
	else \
		echo "SKIPPED: PostgreSQL tests — no server answers at $(TEST_POSTGRES_URL) (set TEST_POSTGRES_URL)."; \
	fi

clean:
	rm -rf $(VENV) var/test-media .pytest_cache
	find locale -name '*.mo' -delete
