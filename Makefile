# Gongkai — two commands for a newcomer: `make` builds the sample site, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
CONFIG ?= config.yml
CONTENT ?= content
OUTPUT ?= output
PORT   ?= 8000

.PHONY: all build serve check new test bench screenshots clean chromium

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

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PIP) install --quiet -e '.[test,bench]'
	touch $@

build: $(VENV)/.installed
	$(VENV)/bin/gongkai build --config $(CONFIG) --content $(CONTENT) --output $(OUTPUT)

# A new document with its front matter filled in: asks for what is missing, or
# make new TITLE="…" CATEGORY="…" AGENCY="…"
new: $(VENV)/.installed
	$(VENV)/bin/gongkai new --config $(CONFIG) --content $(CONTENT) $(if $(TITLE),--title "$(TITLE)") $(if $(CATEGORY),--category "$(CATEGORY)") $(if $(AGENCY),--agency "$(AGENCY)")

# Checks content and config, and lints (文号, images, links, headings), writing nothing. STRICT=1 fails on warnings.
check: $(VENV)/.installed
	$(VENV)/bin/gongkai check --config $(CONFIG) --content $(CONTENT) $(if $(STRICT),--strict)

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

# axe-core (accessibility rules run inside Chromium) comes from npm, pinned by package-lock.json.
node_modules/.package-lock.json: package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "安装测试所需的 Node.js 和 npm (apt-get)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; \
	  else \
	    echo "无障碍测试需要 npm，请先安装：sudo apt-get install nodejs npm" >&2; exit 2; \
	  fi; \
	fi
	npm ci --no-audit --no-fund --loglevel=error

test: $(VENV)/.installed-test chromium node_modules/.package-lock.json
	$(PY) -m pytest

# Screenshots for a reviewer: home and document, standard and 长者模式, 1280 and 375 px.
screenshots: $(VENV)/.installed-test chromium
	$(PY) tests/browser/screenshots.py

# Benchmarks, not tests: numbers for people (needs ../shared beside the checkout).
# Build times against Hugo + Pagefind, then search bytes; BENCH_FULL=1 adds 100,000 documents.
bench: $(VENV)/.installed-bench chromium
	$(PY) bench/build_bench.py

clean:
	rm -rf $(OUTPUT) .gongkai-cache screenshots .$(notdir $(OUTPUT)).staging-* $(VENV) node_modules *.egg-info .pytest_cache .hypothesis
