#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds itsim and passes its tests, from a fresh machine: installs the dependencies,
# checks formatting, builds with warnings as errors and runs every test, then builds with
# AddressSanitizer + UndefinedBehaviorSanitizer and runs the suite again, then fuzzes the
# scenario loader for half a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

echo "== formatting (clang-format, .clang-format)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

echo "== release build, warnings as errors"
cmake --preset ci
cmake --build --preset ci
ctest --preset ci

echo "== address + undefined-behaviour sanitizers"
cmake --preset asan
cmake --build --preset asan
ctest --preset asan

echo "== fuzzing the scenario loader (libFuzzer, Clang, 30 s)"
bash scripts/fuzz.sh 30

echo "== all tests passed"
