#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fuzzes the scenario loader with libFuzzer for a bounded time (default 60 s):
#   bash scripts/fuzz.sh [SECONDS]
# Builds the `fuzz` preset (Clang, AddressSanitizer + UndefinedBehaviorSanitizer), then
# runs itsim_scenario_loader_fuzz from the kept corpus (tests/fuzz/corpus/scenario) with
# the format's dictionary. New inputs go to a scratch copy of the corpus, so a run never
# changes the repository; to keep the interesting ones, minimise them into the corpus:
#   build/fuzz/tests/fuzz/itsim_scenario_loader_fuzz -merge=1 tests/fuzz/corpus/scenario NEW_DIR
# A crash leaves its input as build/fuzz/crash-* and fails the script; reproduce it with
#   build/fuzz/tests/fuzz/itsim_scenario_loader_fuzz build/fuzz/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

scratch="build/fuzz/corpus"
rm -rf "$scratch"
mkdir -p "$scratch"
cp tests/fuzz/corpus/scenario/* "$scratch"/

# -rss_limit_mb and -timeout turn a blow-up or a hang into a failure; -max_len covers
# every seed (the largest kept input is well under 64 KiB).
ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  build/fuzz/tests/fuzz/itsim_scenario_loader_fuzz "$scratch" \
  -dict=tests/fuzz/scenario.dict -max_total_time="$seconds" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/fuzz/
echo "fuzz: no crash in ${seconds} s"
