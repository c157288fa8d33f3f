# Shopfloor: one command each. Needs only Python 3.11+; uv is installed when missing.
#   make install   uv sync --all-packages --all-extras --frozen --compile-bytecode
#   make up        install, then run the whole platform (`shopfloor-local up --help` for variables)
#   make test      pytest per workspace package, each in its own process (ARGS="-x" for pytest)
#                  packages run side by side, SHOPFLOOR_TEST_JOBS at a time (default: one per core, up to 4)
#   make lint      ruff check, ruff format --check, mypy
#   make fmt       ruff format, ruff check --fix
#   make docs      regenerate docs/asyncapi.yaml and events.md's tables from the event contracts

.DEFAULT_GOAL := help
SHELL := /bin/sh

# Every recipe that needs uv starts with this: $$uv is uv's path (installed first if missing).
WITH_UV = uv="$$(sh deploy/local/ensure-uv.sh)" &&
RUN = "$$uv" run --frozen --no-sync
MYPY_PATHS = $(wildcard libs/*/src) gateway/src deploy/local/src bench/src $(wildcard services/*/src)

.PHONY: help install up test lint fmt docs

help:
	@sed -n 's/^#   //p' Makefile

install:
	@$(WITH_UV) "$$uv" sync --all-packages --all-extras --frozen --compile-bytecode

# `up` runs as the venv's Python itself (uv only says where it is): a `uv run` parent would
# stay for the platform's life (~29 MiB RSS, bench/README.md idle-memory).
up: install
	@$(WITH_UV) python="$$($(RUN) python -c 'import sys; print(sys.executable)')" && exec "$$python" -m shopfloor_local up

test: install
	@$(WITH_UV) exec $(RUN) python -m shopfloor_local.testrun $(ARGS)

lint: install
	@$(WITH_UV) $(RUN) ruff check . && $(RUN) ruff format --check . && $(RUN) mypy $(MYPY_PATHS)

fmt: install
	@$(WITH_UV) $(RUN) ruff format . && $(RUN) ruff check --fix .

docs: install
	@$(WITH_UV) $(RUN) shopfloor-local docs
