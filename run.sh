#!/usr/bin/env bash
# CollabGraph's two commands:
#   ./run.sh         set everything up, load the calibrated demo data, open the explorer
#   ./run.sh test    set everything up and run the test suite
# Anything after `test` is passed to pytest (e.g. ./run.sh test -k closeness).
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

setup_python() {
  if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
  fi
  # Reinstall only when requirements.txt changed since the last install.
  if ! cmp -s requirements.txt .venv/.requirements.installed 2>/dev/null; then
    .venv/bin/pip install --disable-pip-version-check -q -r requirements.txt
    cp requirements.txt .venv/.requirements.installed
  fi
}

setup_test_tools() {
  # Neo4j's own Cypher linter, used by the tests on every .cypher file.
  if ! cmp -s tools/package-lock.json tools/node_modules/.package-lock.json 2>/dev/null; then
    (cd tools && npm ci --no-audit --no-fund --silent)
  fi
  # A headless browser for the end-to-end UI tests (Debian's chromium).
  if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "chromium could not be installed: browser tests will be skipped" >&2
  fi
}

case "${1:-}" in
  test)
    shift
    setup_python
    setup_test_tools
    exec .venv/bin/python -m pytest "$@"
    ;;
  "")
    setup_python
    .venv/bin/python -m loader demo
    exec .venv/bin/python -m ui
    ;;
  *)
    echo "usage: ./run.sh [test [pytest args]]" >&2
    exit 2
    ;;
esac
