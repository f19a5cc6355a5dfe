#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `itsim report` on bad input (CONTRACT.md exit codes, messages naming the file, never a
# half-written report), and failed runs reported in the page.
# usage: report_bad_input_test.sh ITSIM SCENARIO WORKDIR
set -uo pipefail
itsim=$1 scenario=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail=0
expect() { # expect CODE TEXT -- command...
  local code=$1 text=$2; shift 3
  "$@" >"$work/out.txt" 2>"$work/err.txt"
  local rc=$?
  if [ "$rc" -ne "$code" ] || ! grep -q -- "$text" "$work/err.txt"; then
    echo "FAIL: $* -> $rc (expected $code, stderr naming '$text'):"; cat "$work/err.txt"; fail=1
  fi
}
"$itsim" run "$scenario" -r 2 --set horizon=8w --set warmup=2w -o "$work/ok.h5" --progress none >/dev/null || exit 1

echo "not hdf5" >"$work/text.h5"
expect 66 "text.h5" -- "$itsim" report "$work/text.h5" -o "$work/a.html"
expect 66 "missing.h5" -- "$itsim" report "$work/missing.h5" -o "$work/a.html"
/usr/bin/python3 - "$work" <<'PY'
import shutil, sys, h5py
w = sys.argv[1]
shutil.copy(f"{w}/ok.h5", f"{w}/newer.h5")
with h5py.File(f"{w}/newer.h5", "r+") as f:
    f.attrs.modify("format_version", 99)
shutil.copy(f"{w}/ok.h5", f"{w}/other.h5")
with h5py.File(f"{w}/other.h5", "r+") as f:
    f.attrs["format"] = "something-else"
shutil.copy(f"{w}/ok.h5", f"{w}/failed.h5")
with h5py.File(f"{w}/failed.h5", "r+") as f:
    s = f["runs/status"][:]
    s[0] = 1
    f["runs/status"][:] = s
PY
expect 66 "newer.h5" -- "$itsim" report "$work/newer.h5" -o "$work/a.html"
expect 66 "other.h5" -- "$itsim" report "$work/other.h5" -o "$work/a.html"
expect 73 "no/such/dir/a.html" -- "$itsim" report "$work/ok.h5" -o "$work/no/such/dir/a.html"
expect 64 "results file" -- "$itsim" report -o "$work/a.html"
expect 64 "required" -- "$itsim" report "$work/ok.h5"
expect 69 "Chromium" -- env ITSIM_CHROMIUM=/nonexistent "$itsim" report "$work/ok.h5" -o "$work/a.html" --pdf "$work/a.pdf"
if ls -A "$work" | grep -q -e '^a\.' -e '\.tmp-'; then
  echo "FAIL: a failed report left a file: $(ls -A "$work")"; fail=1
fi
"$itsim" report "$work/ok.h5" -o "$work/ok.html" || fail=1
expect 73 "exists" -- "$itsim" report "$work/ok.h5" -o "$work/ok.html"
"$itsim" report "$work/ok.h5" -o "$work/ok.html" --force || fail=1
"$itsim" report "$work/failed.h5" -o "$work/failed.html" || fail=1
grep -q 'data-failed-runs="1"' "$work/failed.html" || { echo "FAIL: failed run not reported"; fail=1; }
grep -q 'data-failed-runs' "$work/ok.html" && { echo "FAIL: ok file reports failed runs"; fail=1; }
[ $fail -eq 0 ] && echo "report_bad_input_test: ok"
exit $fail
