# Gongkai — two commands for a newcomer: `make` builds the sample site, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
CONFIG ?= config.yml
CONTENT ?= content
OUTPUT ?= output
PORT   ?= 8000

.PHONY: all build serve test clean chromium

all: build

# The venv is rebuilt only when pyproject.toml changes; the stamp records a finished install.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(VENV)/bin/gongkai build --config $(CONFIG) --content $(CONTENT) --output $(OUTPUT)

serve: $(VENV)/.installed
	$(VENV)/bin/gongkai serve --config $(CONFIG) --content $(CONTENT) --output $(OUTPUT) --port $(PORT)

# Browser tests need Debian's chromium and a Chinese font; installed here when missing and we are root.
chromium:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "安装浏览器测试所需的 chromium 和中文字体 (apt-get)…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei >/dev/null; \
	else \
	  echo "浏览器测试需要 chromium 和中文字体，请先安装：sudo apt-get install chromium fonts-wqy-microhei" >&2; exit 2; \
	fi

test: $(VENV)/.installed-test chromium
	$(PY) -m pytest

clean:
	rm -rf $(OUTPUT) .$(notdir $(OUTPUT)).staging-* .$(notdir $(OUTPUT)).old-* $(VENV) *.egg-info .pytest_cache .hypothesis
