# Every target sets up what it needs: a virtual environment with the pinned dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo serve web-assets test test-quick bench lint setup clean verifier go-tools system-deps

# The PDF packs are laid out by WeasyPrint, which loads Pango from the system (Debian's
# libpango-1.0-0 and libpangoft2-1.0-0). Nothing is done when the libraries are there; when they
# are missing, root installs them with apt-get; anyone else is told, in one line, what to install.
SYSTEM_LIBS := pango-1.0 pangoft2-1.0
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0
APT_GET := apt-get

system-deps:
	@missing=""; for lib in $(SYSTEM_LIBS); do \
		$(PYTHON) -c "import ctypes.util, sys; sys.exit(ctypes.util.find_library('$$lib') is None)" || missing="$$missing $$lib"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v $(APT_GET) >/dev/null 2>&1 \
			&& $(APT_GET) install -y -qq $(SYSTEM_PACKAGES) >/dev/null 2>&1; then :; \
		else \
			echo "PDF packs need Pango: install the Debian packages $(SYSTEM_PACKAGES) (apt-get install $(SYSTEM_PACKAGES))" >&2; \
			exit 1; \
		fi; \
	fi

$(STAMP): requirements.lock pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	# The editable install runs from the sources: compile them now, not on each first import.
	$(BIN)/python -m compileall -q adapters audit domain projections bench
	touch $(STAMP)

# Go and golang.org/x/mod, for the checks of our checkpoints, tiles and proofs by Go's own code
# (tests/integration/test_outside_tools.py): Debian's packages, installed only where they are
# missing and apt-get can install them (as root); nothing is done where they are present.
GO_PACKAGES := golang-go golang-golang-x-mod-dev
GO_NOTE := /usr/share/gocode/src/golang.org/x/mod/sumdb/note

go-tools:
	@if command -v go >/dev/null 2>&1 && [ -d $(GO_NOTE) ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(GO_PACKAGES); \
	else echo "Go and golang.org/x/mod are missing: install $(GO_PACKAGES) to run the Go checks"; fi

setup: $(STAMP) go-tools

# The web pages' front-end assets (GOV.UK Frontend, and axe-core for the accessibility tests),
# pinned with integrity hashes in web/package-lock.json.
WEB_STAMP := web/node_modules/.installed

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --ignore-scripts
	touch $(WEB_STAMP)

web-assets: $(WEB_STAMP)

demo: $(STAMP) $(WEB_STAMP)
	rm -f var/demo.db var/demo.db-wal var/demo.db-shm
	$(BIN)/reviewledger --db sqlite:///var/demo.db --kek-file var/demo.kek demo
	$(BIN)/python -m adapters.web.demo_accounts --db sqlite:///var/demo.db --kek-file var/demo.kek

# The web pages and the HTTP API over the demo store, on http://127.0.0.1:8000/ (after `make demo`).
serve: $(STAMP) $(WEB_STAMP)
	$(BIN)/reviewledger --db sqlite:///var/demo.db --kek-file var/demo.kek serve

test: $(STAMP) $(WEB_STAMP) go-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# A quick local subset (a few minutes): lint, and the unit and SQLite integration tests without the
# slow ones (real processes, browsers, fuzzing) or PostgreSQL. `make test` runs everything.
test-quick: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not slow" -k "not postgresql" tests/domain tests/audit tests/integration \
		tests/test_import_direction.py tests/test_test_layout.py tests/test_progress.py tests/test_docs.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The inspector's verifier (verifier/): a wheel in dist/, built offline and reproducibly; the
# SHA-256 it prints is the one README.md publishes for the release.
verifier: $(STAMP)
	$(BIN)/python verifier/build_wheel.py dist

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var dist .pytest_cache .mypy_cache .ruff_cache
