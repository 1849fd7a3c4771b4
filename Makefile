# Two commands matter: `make run` and `make test`. Everything else is a helper they use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test faults lint format install messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# A local secret key, made once and never committed.
.env:
	@printf 'DJANGO_SECRET_KEY=%s\nDJANGO_DEBUG=true\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote .env with a new local secret key."

install: $(VENV)/.installed node_modules/.installed .env

run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --quiet-logins
	$(PY) scripts/run.py --port $(PORT)

test: $(VENV)/.installed node_modules/.installed
	$(PY) scripts/test.py $(ARGS)

# The outbox under failure (Redis outage, killed workers, two sweepers) with real PostgreSQL and Redis.
faults: $(VENV)/.installed
	$(PY) scripts/fault_injection.py

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-check-only} DJANGO_READ_DOT_ENV=false $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: $(VENV)/.installed
	for lang in en uk ru ar tr ro fa; do $(PY) manage.py makemessages -l $$lang --ignore=.venv --ignore=node_modules --ignore=var; done
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf var/broker var/cache test-artifacts
