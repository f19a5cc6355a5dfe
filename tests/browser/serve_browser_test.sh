#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Browser and load test of `itsim serve` (CTest label `browser`): the server started on a
# free port of 127.0.0.1; its page driven in headless Chromium (serve_page.mjs: a lever
# moved, the comparison done, no console error, the URL restoring the state, a
# screenshot); the page's numbers against `itsim run --set` with the same seed
# (compare_numbers.py, h5py); the bounded load test (serve_load_test.py); then SIGTERM and
# a clean exit.
# usage: serve_browser_test.sh ITSIM SCENARIO WORKDIR SOURCE_DIR
set -euo pipefail
itsim=$1 scenario=$2 work=$3 src=$4
if [ ! -x "${ITSIM_CHROMIUM:-/usr/bin/chromium}" ] || ! command -v node >/dev/null ||
   [ ! -d "$src/node_modules/playwright-core" ]; then
  echo "SKIP: needs Debian's chromium, node and npm ci's playwright-core (scripts/install-deps.sh)"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
lever=l1_headcount value=9 key=staff.pools.l1.headcount
"$itsim" serve "$scenario" --port 0 -j 2 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
stop_server() { kill -TERM "$pid" 2>/dev/null || true; }
trap stop_server EXIT
for _ in $(seq 100); do
  grep -q 'http://127.0.0.1:' "$work/serve.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.err"; echo "FAIL itsim serve exited"; exit 1; }
  sleep 0.2
done
url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$work/serve.out")
port=${url##*:}; port=${port%/}
echo "serving on $url"
(cd "$src" && node tests/browser/serve_page.mjs "$url" "$lever" "$value" "$work/cells.json" \
  "$work/serve.png")
"$itsim" run "$scenario" --set "$key=$value" -o "$work/cli.h5" --progress none -j 2 >"$work/run.txt" 2>/dev/null
/usr/bin/python3 "$src/tests/browser/compare_numbers.py" "$work/cli.h5" "$work/cells.json"
/usr/bin/python3 "$src/tests/browser/serve_load_test.py" "$port" "$pid" "$work/cli.h5" "$lever" "$value"
trap - EXIT
kill -TERM "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; echo "FAIL itsim serve did not stop on SIGTERM"; exit 1; fi
wait "$pid" || { echo "FAIL itsim serve exited $? on SIGTERM"; exit 1; }
grep -q 'stopped (SIGTERM)' "$work/serve.err" || { echo "FAIL no clean stop"; exit 1; }
echo "serve_browser_test: ok"
