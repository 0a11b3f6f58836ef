# nesy: two commands do everything.
#   make demo   set up .venv and run the main benchmark with the built-in defaults
#   make test   set up .venv and run the test suite (what CI runs)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.nesy-installed

.PHONY: setup demo test clean

setup: $(STAMP)

# PyTorch first: the CPU build where there is no CUDA (the range in pyproject admits it), so pip
# never pulls the multi-GB CUDA build onto a CPU-only machine.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@if $(BIN)/python -c "import torch" 2>/dev/null; then \
		echo "torch already installed"; \
	elif command -v nvidia-smi >/dev/null 2>&1; then \
		$(BIN)/pip install "torch>=2.2,<2.15"; \
	else \
		$(BIN)/pip install "torch==2.13.0+cpu" 2>/dev/null || \
		$(BIN)/pip install "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu --extra-index-url https://pypi.org/simple; \
	fi
	$(BIN)/pip install -e '.[test]'
	@touch $(STAMP)

demo: setup
	$(BIN)/nesy bench scan --json results/scan-length.json
	$(BIN)/nesy bench solvers --json results/solvers.json
	$(BIN)/nesy report results/scan-length.json results/solvers.json --out results/report

test: setup
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) results report .pytest_cache
