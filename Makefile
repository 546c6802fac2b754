# Stipa developer tasks. Everything runs from the project's own virtual environment (.venv).
#   make test    system packages, venv, lint, format check, type check, tests (what CI runs)
#   make run     the desktop app on the example (or an HTML report when there is no display)
#   make bench   the benchmarks in tests/benchmarks (not part of `make test`)
#   make dist    sdist and wheel in dist/;  make package  the frozen application in dist/stipa
#   make install-desktop / uninstall-desktop   menu entry and .stipa file type for this user

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.stamp

# Debian packages Qt needs to run offscreen (tests, headless export); see shared QT.md.
SYSDEPS := libegl1 libgl1 libglib2.0-0 libfontconfig1 libxkbcommon0 libdbus-1-3 fonts-dejavu-core

# What mypy checks: every package of stipa (the UI too) and the built-ins; those that exist.
MYPY_CANDIDATES := desktop/stipa/model desktop/stipa/diagram desktop/stipa/io desktop/stipa/plugin \
                   desktop/stipa/analysis desktop/stipa/operations desktop/stipa/export \
                   desktop/stipa/testing desktop/stipa/ui desktop/stipa/cli.py desktop/stipa/resources.py \
                   plugins/stipa_builtins
MYPY_TARGETS = $(wildcard $(MYPY_CANDIDATES))

EXAMPLE := resources/examples/wheel-brakes.stipa

PYTEST_ARGS ?=

.PHONY: all venv sysdeps test lint format typecheck pytest bench run clean distclean
.PHONY: dist package package-smoke install-desktop uninstall-desktop

all: test

# ---------------------------------------------------------------------------------------------
# System packages. As root they are installed; otherwise we say exactly what to run and stop.
# Also checks that $(PYTHON) can create a virtual environment (Debian splits off ensurepip).
sysdeps:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	    echo "sysdeps: not a Debian-based system; make sure Qt's runtime libraries" \
	         "(EGL, OpenGL, GLib, fontconfig, xkbcommon, D-Bus) and the DejaVu fonts are installed."; \
	    exit 0; \
	fi; \
	missing=""; \
	for pkg in $(SYSDEPS); do \
	    dpkg-query -W -f='$${Status}\n' "$$pkg" 2>/dev/null | grep -q '^install ok installed$$' \
	        || missing="$$missing $$pkg"; \
	done; \
	if ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then \
	    if [ "$$(command -v $(PYTHON))" = /usr/bin/python3 ] || [ "$$(command -v $(PYTHON))" = /usr/bin/$(PYTHON) ]; then \
	        missing="$$missing python3-venv"; \
	    else \
	        echo "sysdeps: $(PYTHON) cannot create virtual environments (no ensurepip)." >&2; exit 1; \
	    fi; \
	fi; \
	if [ -z "$$missing" ]; then echo "sysdeps: all system packages are installed."; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	    echo "sysdeps: installing$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update && apt-get install -y --no-install-recommends $$missing; \
	else \
	    echo "sysdeps: missing Debian packages:$$missing" >&2; \
	    echo "Install them with:" >&2; \
	    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends$$missing" >&2; \
	    exit 1; \
	fi

# ---------------------------------------------------------------------------------------------
# The virtual environment, rebuilt only when pyproject.toml changes.
venv: $(STAMP)

$(STAMP): pyproject.toml | sysdeps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# ---------------------------------------------------------------------------------------------
test: sysdeps venv
	$(MAKE) --no-print-directory lint typecheck pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	@if [ -n "$(MYPY_TARGETS)" ]; then \
	    echo "$(BIN)/mypy $(MYPY_TARGETS)"; $(BIN)/mypy $(MYPY_TARGETS); \
	else echo "typecheck: no Qt-free layers yet"; fi

# pytest's exit code 5 ("no tests collected") is a failure here, never a silent pass.
pytest: venv
	@QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then \
	    echo "pytest collected no tests (exit 5): treating that as a failure." >&2; exit 1; \
	fi; exit $$rc

bench: sysdeps venv
	@if [ ! -d tests/benchmarks ]; then echo "bench: tests/benchmarks does not exist yet." >&2; exit 1; fi
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/benchmarks \
	    -o addopts="--strict-markers --strict-config -ra" -p no:cacheprovider -s $(PYTEST_ARGS)

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# ---------------------------------------------------------------------------------------------
run: sysdeps venv
	@mkdir -p build
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	    echo "$(BIN)/stipa gui $(EXAMPLE)"; $(BIN)/stipa gui $(EXAMPLE); \
	else \
	    echo "No display found: the desktop application needs one (set DISPLAY)."; \
	    echo "Writing the example's report headless instead:"; \
	    echo "$(BIN)/stipa export $(EXAMPLE) -o build/wheel-brakes-report.html"; \
	    $(BIN)/stipa export $(EXAMPLE) -o build/wheel-brakes-report.html; \
	fi

# ---------------------------------------------------------------------------------------------
# Packaging; see packaging/README.md.
# sdist, then the wheel built from the sdist, in an isolated build environment (setuptools from
# the package index).
dist: venv
	rm -f dist/stipa-*.tar.gz dist/stipa-*.whl
	$(BIN)/python -m build --outdir dist .

# The frozen one-folder application in dist/stipa (PyInstaller needs binutils' objdump).
PACKAGE_STAMP := $(VENV)/.stamp-package
$(PACKAGE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,package]'
	@touch $@

package: sysdeps venv $(PACKAGE_STAMP)
	@command -v objdump >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends binutils; \
	    else echo "package: PyInstaller needs objdump: install binutils." >&2; exit 1; fi; }
	QT_QPA_PLATFORM=offscreen $(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
	    --distpath dist --workpath build/pyinstaller packaging/stipa.spec
	@du -sh dist/stipa

# Runs the frozen application offscreen: opens, analyses and exports an example, loads a plugin
# from beside it; start-up time and size in build/package-smoke.json. Needs `make package`.
package-smoke: venv
	STIPA_REQUIRE_FROZEN=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest \
	    tests/packaging/test_frozen.py -p no:cacheprovider -s $(PYTEST_ARGS)

# Menu entry, .stipa MIME type, icon and AppStream data under ~/.local/share. The menu entry
# starts STIPA_EXEC: the frozen application when built, else the virtual environment's stipa.
STIPA_EXEC ?= $(abspath $(if $(wildcard dist/stipa/stipa),dist/stipa/stipa,$(BIN)/stipa))
install-desktop:
	sh packaging/linux/install-desktop.sh "$(STIPA_EXEC)"

uninstall-desktop:
	sh packaging/linux/install-desktop.sh --uninstall

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -type d -print \
	    | xargs rm -rf

distclean: clean
	rm -rf $(VENV)
