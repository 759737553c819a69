# Gongkai — two commands for a newcomer: `make` builds the sample site, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
CONFIG ?= config.yml
CONTENT ?= content
OUTPUT ?= output
PORT   ?= 8000

.PHONY: all build serve check new test bench fuzz screenshots clean chromium nginx nginx-conf

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

# The deployment test (tests/sites/test_nginx.py) runs Debian's nginx on a loopback port: installed here
# when missing and we are root; the service Debian starts after installing is stopped (the test needs only the program).
nginx:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "安装部署配置测试所需的 nginx (apt-get)…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; \
	  { systemctl disable --now nginx || invoke-rc.d nginx stop; } >/dev/null 2>&1 || true; \
	else \
	  echo "部署配置测试需要 nginx（没有时跳过该测试）：sudo apt-get install nginx-light" >&2; \
	fi

# The nginx configuration for output/: deploy/nginx.conf beside config.yml (SERVER_ROOT=… for the server's path).
nginx-conf: $(VENV)/.installed
	$(VENV)/bin/gongkai nginx --config $(CONFIG) --output $(OUTPUT) $(if $(SERVER_ROOT),--root $(SERVER_ROOT))

test: $(VENV)/.installed-test chromium nginx node_modules/.package-lock.json
	$(PY) -m pytest

# The fuzz suite run long (CI runs it with a few examples, derandomised): arbitrary front matter and bodies.
fuzz: $(VENV)/.installed-test
	CI= GONGKAI_FUZZ_EXAMPLES=1000 $(PY) -m pytest tests/sites/test_fuzz.py -p no:cacheprovider

# Screenshots for a reviewer: home and document, standard and 长者模式, 1280 and 375 px.
screenshots: $(VENV)/.installed-test chromium
	$(PY) tests/browser/screenshots.py

# Benchmarks, not tests: numbers for people (needs ../shared beside the checkout).
# Build times against Hugo + Pagefind, then search bytes; BENCH_FULL=1 adds 100,000 documents.
bench: $(VENV)/.installed-bench chromium
	$(PY) bench/build_bench.py

clean:
	rm -rf $(OUTPUT) .gongkai-cache deploy/nginx.conf screenshots .$(notdir $(OUTPUT)).staging-* $(VENV) node_modules *.egg-info .pytest_cache .hypothesis
