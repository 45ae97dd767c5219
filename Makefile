# Two commands for a newcomer: `make run` and `make test`. Each bootstraps .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench installer installer-selftest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,media]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/rdv-desktop --demo

lint: $(STAMP)
	$(BIN)/ruff check rdv_desktop tests bench lint
	$(BIN)/lint-imports
	$(BIN)/mypy
	# Dead code (models/ is left out: its columns are schema, read by the database, not by Python).
	$(BIN)/vulture rdv_desktop tests bench lint/vulture_allow.py --min-confidence 60 --exclude rdv_desktop/models

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The PyInstaller one-folder bundle: dist/rdv-desktop/{rdv-desktop,rdv-admin} (build_installer.spec).
INSTALLER_STAMP := $(VENV)/.installer-extra

$(INSTALLER_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,media,installer]'
	touch $(INSTALLER_STAMP)

installer: $(INSTALLER_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build_installer.spec

installer-selftest: installer
	QT_QPA_PLATFORM=offscreen dist/rdv-desktop/rdv-desktop --self-test
	bash installer/admin_selftest.sh dist/rdv-desktop/rdv-admin

# Every performance goal in one JSON document (builds a ~1M-appointment SQLite database once).
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run_all.py --sqlite bench-history.sqlite3

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache
