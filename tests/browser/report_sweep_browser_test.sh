#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Browser test of `itsim report` on a sweep file (CTest label `browser`): a shipped sweep
# made short (its copy beside the work directory: fewer points and replications, a short
# horizon, the base scenario by absolute path), run; its report opened in headless Chromium
# (report_page.mjs: no console error, no request, every chart rendered: the tornado chart
# and the win map), the page's numbers against /summary (compare_numbers.py, h5py), a
# screenshot of the first page and one of the whole page, the PDF, and identical bytes for
# the same file and SOURCE_DATE_EPOCH.
# usage: report_sweep_browser_test.sh ITSIM SWEEP.yaml EXPECTED_CHARTS WORKDIR SOURCE_DIR
set -euo pipefail
itsim=$1 sweep=$2 charts=$3 work=$4 src=$5
if [ ! -x "${ITSIM_CHROMIUM:-/usr/bin/chromium}" ] || ! command -v node >/dev/null ||
   [ ! -d "$src/node_modules/playwright-core" ]; then
  echo "SKIP: needs Debian's chromium, node and npm ci's playwright-core (scripts/install-deps.sh)"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
base=$(cd "$(dirname "$sweep")" && realpath "$(sed -n 's/^scenario: *//p' "$sweep")")
sed -e "s#^scenario: .*#scenario: $base#" -e 's/horizon: [0-9]*w/horizon: 10w/' \
    -e 's/warmup: [0-9]*w/warmup: 2w/' -e 's/^replications: [0-9]*/replications: 2/' \
    -e 's/samples: [0-9]*/samples: 8/' "$sweep" >"$work/sweep.yaml"
"$itsim" sweep "$work/sweep.yaml" -o "$work/results.h5" -j 2 --progress none >"$work/sweep.txt" 2>&1
export SOURCE_DATE_EPOCH=1767225600
"$itsim" report "$work/results.h5" -o "$work/report.html" --pdf "$work/itsim.pdf"
"$itsim" report "$work/results.h5" -o "$work/again.html"
cmp "$work/report.html" "$work/again.html"
size=$(stat -c %s "$work/report.html")
[ "$size" -lt 5000000 ] || { echo "FAIL report is $size bytes (limit 5 MB)"; exit 1; }
head -c 5 "$work/itsim.pdf" | grep -q '%PDF-' || { echo "FAIL itsim.pdf is not a PDF"; exit 1; }
grep -q "not in this version" "$work/report.html" && { echo "FAIL the page still says the sweep charts are missing"; exit 1; }
(cd "$src" && node tests/browser/report_page.mjs "$work/report.html" "$charts" "$work/cells.json" \
  "$work/first-page.png" "$work/page.pdf" "$work/whole-page.png")
/usr/bin/python3 "$src/tests/browser/compare_numbers.py" "$work/results.h5" "$work/cells.json"
echo "report_sweep_browser_test: $(basename "$sweep") ok ($size bytes)"
