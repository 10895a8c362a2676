# The two commands a newcomer runs: `make run` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PORT   ?= 8501

.PHONY: run test test-fast build lint format eval bench chromium lexicon clean

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Re-install when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-run

# Debian's Kazakh Hunspell dictionary: its stems help restore Kazakh letters typed on a Russian
# keyboard (zanqa/query.py). Without it ZanQA restores against the corpus's own words only.
lexicon:
	@if [ ! -f /usr/share/hunspell/kk_KZ.dic ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hunspell-kk >/dev/null 2>&1 \
		 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hunspell-kk >/dev/null)) \
		|| echo "could not install hunspell-kk: Kazakh letters are restored from the corpus alone"; \
	fi

run: $(VENV)/.installed-run lexicon
	$(VENV)/bin/zanqa build --if-stale
	$(VENV)/bin/zanqa app --port $(PORT)

build: $(VENV)/.installed-run
	$(VENV)/bin/zanqa build

# Debian's chromium for the browser tests (Playwright's own download does not work offline).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "could not install chromium: browser tests will be skipped outside CI"; \
		else echo "chromium missing and not root: browser tests will be skipped outside CI"; fi; \
	fi

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Every tier: unit, integration, system (browser, load test, no network, the wheel), quality.
test: $(VENV)/.installed-test chromium lexicon lint
	$(PY) -m pytest

# The unit tier only: seconds, no index build (tiers: tests/conftest.py).
test-fast: $(VENV)/.installed-test
	$(PY) -m pytest -m unit -q

eval: $(VENV)/.installed-run
	$(VENV)/bin/zanqa eval --pairs eval/pairs.jsonl --retriever hybrid --json eval/out/hybrid.json --report eval/report

bench: $(VENV)/.installed-run
	$(VENV)/bin/zanqa bench --json eval/out/bench.json

clean:
	rm -rf index/* eval/out
