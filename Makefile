# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# torch is installed FIRST and pinned: the CPU build on local disk. Unpinned, sentence-transformers
# would pull a multi-GB CUDA build (see ../shared/DEPENDENCIES.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install install-test demo test train eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test,dask]"
	@# The page's browser test drives Debian's chromium (no browser download at run time).
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; the browser test will be skipped"
	touch $@

install: $(VENV)/.installed

demo: install
	@for f in examples/*.txt; do \
	  echo "== $$f"; $(BIN)/starlint score "$$f" --rubric ai-pm || exit $$?; \
	done

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

train: install
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[train]"
	$(BIN)/python -m models.train

eval: install
	$(BIN)/starlint eval --split test

bench: install
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[bench]"
	$(BIN)/python -m benchmarks.run --json benchmarks/results.json

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
