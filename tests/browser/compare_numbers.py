# SPDX-License-Identifier: Apache-2.0
"""Checks that the numbers the report page printed (data attributes of the KPI table,
extracted by report_page.mjs) equal /summary and /comparison of the results file, read with
h5py. usage: /usr/bin/python3 compare_numbers.py RESULTS.h5 CELLS.json"""
import json
import math
import sys

import h5py

results, cells_path = sys.argv[1], sys.argv[2]
data = json.load(open(cells_path))
cells = data["cells"]
f = h5py.File(results, "r")
summary, comparison = f["summary"], f["comparison"]
s_model = list(summary["model"].asstr()[:])
s_point = list(summary["point"][:])
c_model = list(comparison["model"].asstr()[:]) if "model" in comparison else []
c_point = list(comparison["point"][:]) if "point" in comparison else []


def same(page, stored):
    page = float(page)
    if math.isnan(stored):
        return math.isnan(page)
    return page == stored or abs(page - stored) <= 1e-12 * max(1.0, abs(stored))


errors, checked = [], 0
for c in cells:
    kpi, model, point = c["kpi"], c["model"], int(c.get("point", 0))
    row = [i for i in range(len(s_model)) if s_model[i] == model and s_point[i] == point]
    if len(row) != 1:
        errors.append(f"{model} point {point}: not one row of /summary")
        continue
    r = row[0]
    pairs = [("mean", f"{kpi}_mean")] + ([("ci", f"{kpi}_ci")] if "ci" in c else [])
    for attr, ds in pairs:
        checked += 1
        if not same(c[attr], float(summary[ds][r])):
            errors.append(f"{model} {kpi} {attr}: page {c[attr]}, /summary {summary[ds][r]}")
    if "diff" in c:
        rows = [i for i in range(len(c_model)) if c_model[i] == model and c_point[i] == point]
        if len(rows) != 1:
            errors.append(f"{model}: not one row of /comparison")
            continue
        r = rows[0]
        for attr, ds in [("diff", f"{kpi}_diff"), ("diffCi", f"{kpi}_ci")]:
            checked += 1
            if not same(c[attr], float(comparison[ds][r])):
                errors.append(f"{model} {kpi} {attr}: page {c[attr]}, /comparison {comparison[ds][r]}")
        checked += 1
        if int(c["significant"]) != int(comparison[f"{kpi}_significant"][r]):
            errors.append(f"{model} {kpi} significant: page {c['significant']}")
if data.get("answer") is not None:
    diffs = [float(comparison["net_value_diff"][i]) for i in range(len(c_model)) if c_point[i] == 0]
    checked += 1
    if not any(same(data["answer"], d) for d in diffs) or not same(data["answer"], max(diffs)):
        errors.append(f"answer sentence {data['answer']} is not the largest net_value_diff {max(diffs)}")
if checked < 10:
    errors.append(f"only {checked} numbers found in the page")
for e in errors:
    print("FAIL", e)
print(f"compare_numbers: {checked} numbers checked against /summary and /comparison")
sys.exit(1 if errors else 0)
