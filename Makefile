# kansli — the two commands: `make demo` and `make test`. Both set up .venv when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench setup system-packages schemas templates clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	@mkdir -p outputs
	@set -e; for f in inputs/minutes/*.json; do \
	  echo "kansli agenda $$f"; $(BIN)/kansli agenda "$$f" -o outputs; \
	  if $(BIN)/kansli check "$$f" 2>/dev/null | grep -q "(minnesanteckningar"; then \
	    echo "kansli minutes $$f"; $(BIN)/kansli minutes "$$f" -o outputs; \
	    echo "kansli publish $$f --html"; $(BIN)/kansli publish "$$f" -o outputs --html; fi; done
	@echo "kansli extract inputs/minutes/2023-10-27-ledningsgrupp.json --item 5"
	@$(BIN)/kansli extract inputs/minutes/2023-10-27-ledningsgrupp.json --item 5 -o outputs
	@echo "kansli tasks inputs/minutes --date 2023-12-15"
	@$(BIN)/kansli tasks inputs/minutes --date 2023-12-15 --csv outputs/uppdrag.csv
	@$(BIN)/kansli tasks inputs/minutes --date 2023-12-15
	@set -e; for f in inputs/plan/*.json; do \
	  echo "kansli plan $$f"; $(BIN)/kansli plan "$$f" -o outputs; \
	  echo "kansli calendar $$f"; $(BIN)/kansli calendar "$$f" -o "outputs/$$(basename $$f .json).ics"; done
	@echo "Klart: se outputs/"; ls -1 outputs

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests bench tools
	$(BIN)/mypy

# The Debian packages the tests use (LibreOffice, poppler, fonts, chromium), installed when missing and
# allowed; never fails: what cannot be installed is named and its tests are skipped.
system-packages:
	@sh tools/system-packages.sh

test: system-packages lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

schemas: $(STAMP)
	$(BIN)/kansli schema minutes -o schemas/minutes.schema.json
	$(BIN)/kansli schema plan -o schemas/plan.schema.json

templates: $(STAMP)
	$(BIN)/python tools/template_minutes.py
	$(BIN)/python tools/template_kallelse.py
	$(BIN)/python tools/template_plan.py

clean:
	rm -rf $(VENV) outputs/*.docx outputs/*.pdf outputs/*.ics outputs/*.csv
