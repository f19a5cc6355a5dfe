#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks `itsim schema` against an independent JSON Schema implementation.

Usage: check_json_schema.py ITSIM SCENARIO.yaml...

1. The output of `itsim schema` is a valid draft-07 JSON Schema.
2. Every shipped scenario given on the command line satisfies it (editors that use the
   schema must not flag a file itsim accepts). Presets (files in a `presets` folder, such
   as scenarios/presets/) are skipped: a preset is a model's body, not a scenario.
3. Files that itsim rejects for a reason the schema can express are rejected by the schema
   too (so the schema is not vacuous). A file that `extends` others is only checked for the
   shapes of the keys it writes, since what it leaves out comes from its bases.
Needs Debian's python3-jsonschema and python3-yaml.
"""
import json
import os
import subprocess
import sys

import jsonschema
import yaml


def main() -> int:
    itsim = sys.argv[1]
    files = [f for f in sys.argv[2:]
             if "presets" not in os.path.normpath(f).split(os.sep)[:-1]]
    if not files:
        print("no scenario files given", file=sys.stderr)
        return 2
    schema = json.loads(subprocess.run([itsim, "schema"], check=True, capture_output=True,
                                       text=True).stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    failures = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors:
            failures += 1
            where = ".".join(str(p) for p in e.path)
            print(f"{path}: {where}: {e.message}", file=sys.stderr)
    # The schema must reject what it can see is wrong. The bad variants start from a
    # standalone file (one that extends nothing: every required key is its own).
    docs = [yaml.safe_load(open(f, encoding="utf-8")) for f in files]
    standalone = [d for d in docs if isinstance(d, dict) and "extends" not in d]
    if not standalone:
        print("no standalone scenario among the files given", file=sys.stderr)
        return 2
    base = standalone[0]
    layer = {"extends": "base.yaml", "name": "layer"}
    bad_cases = {
        "unknown top-level key": {**base, "horizn": "1y"},
        "duration without unit": {**base, "horizon": "5"},
        "business time for the horizon": {**base, "horizon": "3bd"},
        "replications below 1": {**base, "replications": 0},
        "quoted number": {**base, "replications": "30"},
        "missing name": {k: v for k, v in base.items() if k != "name"},
        "bad id": {**base, "models": {"Bad Id": {"routes": {}}}},
        "model with neither routes nor a preset": {**base, "models": {"m": {"description": "x"}}},
        "team WIP limit of 0": {**base, "models": {"m": {"preset": "coe", "teams": {
            "t": {"members": {"l1": 1}, "wip_limit": 0}}}}},
        "duration without unit, in a file extending another": {**layer, "horizon": "5"},
        "misspelt key, in a file extending another": {**layer, "staff": {"pools": {
            "l1": {"headcont": 9}}}},
    }
    for label, doc in bad_cases.items():
        if validator.is_valid(doc):
            failures += 1
            print(f"the schema accepts a scenario with a {label}", file=sys.stderr)
    # ... and accept a layer that changes one key of something its base defines.
    good_layers = {
        "unit's flag without its headcount": {**layer, "organisation": {"units": {
            "sales": {"customer_facing": True}}}},
        "distribution's mean without its family": {**layer, "demand": {"work_types": {
            "incident": {"effort": {"mean": "15min"}}}}},
    }
    for label, doc in good_layers.items():
        if not validator.is_valid(doc):
            failures += 1
            print(f"the schema rejects a file extending another that sets a {label}",
                  file=sys.stderr)
    print(f"checked {len(files)} scenario files, {len(bad_cases)} bad variants and "
          f"{len(good_layers)} partial layers")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
