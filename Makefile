# Keryx — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_WORKERS ?= 2
# Exactly what was tested: every package pinned with its hashes (docs/operations.md).
LOCK     := requirements.lock
DEV_LOCK := requirements-dev.lock
TOOLS    := .venv-tools

.PHONY: run test test-services test-chaos test-browser lint messages system-deps pdf-deps node-deps clean lock audit

$(VENV)/.installed: $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r $(LOCK)
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed $(DEV_LOCK)
	$(BIN)/pip install -q --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(TOOLS)/.installed:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q uv pip-audit
	touch $@

## make lock: pin pyproject.toml's dependencies, with hashes, into the two lock files (uv, from PyPI)
lock: $(TOOLS)/.installed
	$(TOOLS)/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o $(LOCK)
	$(TOOLS)/bin/uv pip compile pyproject.toml --extra test --extra dev --python-version 3.11 \
	  --generate-hashes -o $(DEV_LOCK)

## make audit: known vulnerabilities in the locked packages (pip-audit; needs the audit service)
audit: $(TOOLS)/.installed
	$(TOOLS)/bin/pip-audit --require-hashes --disable-pip -r $(DEV_LOCK)

## make run: install, migrate, load the demo if the database is empty, serve on :8000 (PORT, KERYX_HOME)
run: $(VENV)/.installed pdf-deps
	$(BIN)/keryx migrate -v 0
	$(BIN)/keryx demo --if-empty
	$(BIN)/keryx serve

## system-deps: Debian packages the tests need (gettext for the catalogue checks, a colour
## emoji font for the previews the browser tests look at)
system-deps: pdf-deps
	@command -v msgfmt >/dev/null && command -v xgettext >/dev/null || \
	  (echo "Installing gettext (msgfmt, xgettext)…"; apt-get install -y -q gettext >/dev/null)
	@[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || \
	  (echo "Installing fonts-noto-color-emoji…"; apt-get install -y -q fonts-noto-color-emoji >/dev/null)

## pdf-deps: Debian packages the PDF report needs (WeasyPrint draws with pango and subsets fonts
## with harfbuzz; DejaVu has the Greek glyphs); installed when missing, also by `make run`
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-deps:
	@command -v dpkg-query >/dev/null || { echo "Not Debian: install pango, harfbuzz-subset and DejaVu fonts for PDF reports."; exit 0; }; \
	missing=""; for p in $(PDF_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing (PDF reports)…"; \
	  apt-get install -y -q $$missing >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q $$missing >/dev/null; }; \
	fi

## node-deps: the local AT Protocol server the Bluesky tests publish to (npm ci, ~3 min the first time)
tests/pds/node_modules/.installed: tests/pds/package-lock.json
	npm ci --prefix tests/pds --no-audit --no-fund --loglevel=error
	touch $@

node-deps: tests/pds/node_modules/.installed

## make test: the whole suite on SQLite with no services (browser tests: make test-browser)
test: $(VENV)/.installed-test system-deps node-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not browser"

## make test-services: the same suite on PostgreSQL and Redis (CI)
test-services: $(VENV)/.installed-test system-deps node-deps
	KERYX_TEST_DATABASE_URL=$${KERYX_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	KERYX_TEST_REDIS_URL=$${KERYX_TEST_REDIS_URL:-redis://127.0.0.1:6379/1} \
	KERYX_REQUIRE_SERVICES=1 \
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not browser"

## make test-chaos: only the publishing chaos test (PostgreSQL + Redis, real workers; ~1 min)
test-chaos: $(VENV)/.installed-test
	KERYX_TEST_DATABASE_URL=$${KERYX_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	KERYX_TEST_REDIS_URL=$${KERYX_TEST_REDIS_URL:-redis://127.0.0.1:6379/1} \
	KERYX_REQUIRE_SERVICES=1 \
	$(BIN)/pytest -p no:xdist -s tests/publishing/test_chaos.py

## make test-browser: pages in Debian's Chromium through Playwright (needs `apt-get install chromium`)
test-browser: $(VENV)/.installed-test system-deps node-deps
	$(BIN)/pytest -m browser -p no:xdist

## make lint: ruff and mypy
lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy src

## make messages: refresh every app's Greek catalogue from the code, then compile it
messages: $(VENV)/.installed-test system-deps
	$(BIN)/python scripts/messages.py

clean:
	rm -rf $(VENV) $(TOOLS) build *.egg-info
