# Two entry points, each on a fresh machine with only Python and make:
#   make demo   the example site with demo content, on SQLite, at http://127.0.0.1:8000/
#   make test   the test suite on SQLite and PostgreSQL, the browser tests, the docs build
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two test processes (pytest-xdist), each file's tests in one of them; at most
# five with Redis (tests/settings.py). PYTEST_PARALLEL= runs in one process.
PYTEST_PARALLEL ?= -n 2 --dist loadfile

.PHONY: demo test install clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,docs]"
	touch $@

install: $(VENV)/.installed

demo: install
	cd example_site && ../$(BIN)/python manage.py migrate --no-input
	cd example_site && ../$(BIN)/python manage.py load_demo
	cd example_site && ../$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	@# Imports only point down the layers of docs/design.md (pyproject.toml).
	$(BIN)/lint-imports
	$(BIN)/python -m django makemigrations --check --dry-run --settings=tests.settings
	cd example_site && ../$(BIN)/python manage.py makemigrations --check --dry-run
	@# The load test brings its own PostgreSQL database and Redis: it runs once, below.
	$(BIN)/pytest $(PYTEST_PARALLEL) --ignore=tests/load
	@# The example site always runs on SQLite, and what the browser sees does not
	@# depend on the database: those run once, above (and .ci/run runs the browser
	@# tests on PostgreSQL too, with the newest Django).
	WAGTAIL_DIALOG_TEST_DB=postgres $(BIN)/pytest $(PYTEST_PARALLEL) --ignore=tests/test_example_site.py \
		--ignore=tests/browser
	$(BIN)/mkdocs build --strict --quiet --site-dir $(VENV)/docs-site

# Refresh the Swedish catalogue after changing strings (needs GNU gettext).
messages: install
	cd wagtail_dialog && ../$(BIN)/django-admin makemessages -l sv --no-obsolete
	cd wagtail_dialog && ../$(BIN)/django-admin compilemessages -l sv

clean:
	rm -rf $(VENV) example_site/db.sqlite3 example_site/media build *.egg-info
