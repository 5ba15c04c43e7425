# 医保助手 — set-up, tests, run, benchmarks. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export RASA_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

# Rasa 3.6 supports Python 3.8–3.10 only: use python3.10 if it really runs, else pyenv's 3.10.
PYTHON310 := $(shell for c in python3.10 $$HOME/.pyenv/versions/3.10.*/bin/python3.10; do \
	if $$c -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then echo $$c; break; fi; done)

.PHONY: help setup system-packages test test-policy test-conversation test-scaled run run-scaled shell train bench bench-scaled eval eval-nlu clean

help:
	@echo "make run    — 安装并启动医保助手"
	@echo "make test   — 安装并运行全部测试"
	@echo "make bench  — 性能基准"
	@echo "make eval   — 理解评测(对/弱/错)"

$(STAMP): pyproject.toml requirements-nodeps.txt
	@if [ -z "$(PYTHON310)" ]; then \
		echo "错误:找不到 Python 3.10。Rasa 3.6 只支持 Python 3.8–3.10,请先安装 python3.10(例如 pyenv install 3.10)。" >&2; exit 1; fi
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then \
		rm -rf $(VENV); echo "创建 $(VENV)($(PYTHON310))"; $(PYTHON310) -m venv $(VENV); fi
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m pip install -q --no-deps -r requirements-nodeps.txt
	@touch $@

setup: $(STAMP)

# Debian packages the tests and run-scaled need (Chromium and a CJK font for browser tests, Redis and PostgreSQL
# for the scaled set-up), installed with apt only when missing. If apt cannot install them, the
# tests that need them are skipped with a message saying so.
SYSTEM_PACKAGES := chromium:/usr/bin/chromium fonts-wqy-microhei:/usr/share/fonts/truetype/wqy/wqy-microhei.ttc redis-server:/usr/bin/redis-server \
	postgresql:/usr/lib/postgresql/*/bin/postgres
system-packages:
	@missing=""; for entry in $(SYSTEM_PACKAGES); do \
		pkg=$${entry%%:*}; path=$${entry#*:}; ls $$path >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "用 apt 安装:$$missing"; \
		( $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null ) \
			|| echo "警告:apt 未能安装$$missing,需要它们的测试将跳过。" >&2; fi

test: setup system-packages
	$(PY) -m pytest -q

test-policy: setup
	$(PY) -m pytest -q tests/policy

# Trains only when config.yml, domain.yml, data/, bot/nlp/ or the NLU components changed (hash in
# var/model.hash), starts the action server (127.0.0.1:5055) and the Rasa server (:5005, REST
# channel, SQLite tracker store in var/), prints the address; Ctrl-C stops both.
run: setup
	$(PY) -m bot.run serve

# `rasa shell` against the same model (trains first if needed; starts and stops the action server).
shell: setup
	$(PY) -m bot.run shell

train: setup
	$(PY) -m bot.run train

# Several Rasa servers sharing Redis (locks) and PostgreSQL (trackers); local ones are started
# on loopback with data under var/scaled/ unless YIBAO_PG_HOST / YIBAO_REDIS_HOST are set.
run-scaled: setup system-packages
	$(PY) -m bot.scaled serve --servers $(or $(SERVERS),2)

test-scaled: setup system-packages
	$(PY) -m pytest -q tests/scaled

# Only the conversation tests (they train models/yibao-ci.tar.gz with config.ci.yml if needed).
test-conversation: setup
	$(PY) -m pytest -q tests/conversation

# Every speed and memory figure of the project (see bench/README.md); takes a while (it trains
# the full model once and starts a bare `rasa init` bot beside ours).
bench: setup
	$(PY) bench/bench_engine.py
	$(PY) bench/bench_extractor.py
	$(PY) bench/bench_transcripts.py
	$(PY) bench/bench_transcripts.py --workers 1
	$(PY) bench/bench_load.py
	$(PY) bench/bench_server.py all
	$(PY) bench/bench_wechat.py

# Throughput of 1 vs 2 Rasa servers sharing Redis + PostgreSQL.
bench-scaled: setup system-packages
	$(PY) bench/bench_scaled.py

# The whole assistant on how residents really ask (tests/eval/): right / weak / wrong per file, a
# confusion table and every wrong and weak message. Trains models/yibao.tar.gz first if needed.
eval: setup
	$(PY) -m bot.evaluation

# Intent accuracy and slot F1 of the NLU model alone on the held-out labelled messages.
eval-nlu: setup
	$(VENV)/bin/rasa train nlu --config config.yml --nlu data/nlu --out models --fixed-model-name nlu
	$(PY) -m bot.evaluation.nlu --model models/nlu.tar.gz --eval tests/eval/nlu/messages_heldout.yml

clean:
	rm -rf var/*.db var/*.hash var/scaled models .pytest_cache
