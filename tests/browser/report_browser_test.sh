#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Browser test of `itsim report` (CTest label `browser`): a short run of SCENARIO, its
# report opened in headless Chromium (report_page.mjs: no console error, no request, every
# chart rendered), the page's numbers against /summary and /comparison (compare_numbers.py,
# h5py), a screenshot and the PDF (`itsim report --pdf` too), and identical bytes for the
# same file and SOURCE_DATE_EPOCH.
# usage: report_browser_test.sh ITSIM SCENARIO REPLICATIONS EXPECTED_CHARTS WORKDIR SOURCE_DIR
set -euo pipefail
itsim=$1 scenario=$2 reps=$3 charts=$4 work=$5 src=$6
if [ ! -x "${ITSIM_CHROMIUM:-/usr/bin/chromium}" ] || ! command -v node >/dev/null ||
   [ ! -d "$src/node_modules/playwright-core" ]; then
  echo "SKIP: needs Debian's chromium, node and npm ci's playwright-core (scripts/install-deps.sh)"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
"$itsim" run "$scenario" -r "$reps" -o "$work/results.h5" --progress none >"$work/run.txt"
export SOURCE_DATE_EPOCH=1767225600
"$itsim" report "$work/results.h5" -o "$work/report.html" --pdf "$work/itsim.pdf"
"$itsim" report "$work/results.h5" -o "$work/again.html"
cmp "$work/report.html" "$work/again.html"
size=$(stat -c %s "$work/report.html")
[ "$size" -lt 5000000 ] || { echo "FAIL report is $size bytes (limit 5 MB)"; exit 1; }
head -c 5 "$work/itsim.pdf" | grep -q '%PDF-' || { echo "FAIL itsim.pdf is not a PDF"; exit 1; }
(cd "$src" && node tests/browser/report_page.mjs "$work/report.html" "$charts" "$work/cells.json" \
  "$work/first-page.png" "$work/page.pdf")
/usr/bin/python3 "$src/tests/browser/compare_numbers.py" "$work/results.h5" "$work/cells.json"
echo "report_browser_test: $scenario ok ($size bytes)"
