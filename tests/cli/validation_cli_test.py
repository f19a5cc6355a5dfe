#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""One file of scenarios/validation/ through `itsim run` itself, as a user would run it:
no preset, no mechanism settings, the file's own replications and seed. Every
`# expect:` line of the file states a result, its closed-form value and the widest 99%
interval accepted; the 99% Student t interval over the replications must contain the
value and be no wider than that (docs/validation.md, "Through itsim run").

    validation_cli_test.py ITSIM SCENARIO.yaml WORK_DIR [--set KEY=VALUE]...

An `expect:` line reads `[MODEL:] QUANTITY = VALUE +- HALF_WIDTH` (spaces around `=`),
QUANTITY one of
    KPI                          a KPI of /runs (e.g. lead_time_mean_h)
    KPI / KPI                    the ratio of two KPIs, per run
    resources[POOL].COLUMN       a column of /resources for one pool or team
    requests.COLUMN              the mean of a /requests column over delivered items
    requests[COLUMN=N].COLUMN    ... over delivered items whose first column is N
and MODEL, when given, limits the check to one model (every model otherwise).
Extra `--set` options go to `itsim run` (to watch a check fail, e.g. with
`--set models.single_server.knowledge.initial=0.3`).
"""
import math
import os
import re
import subprocess
import sys

import h5py
import numpy as np

EXPECT = re.compile(
    r"^#\s*expect:\s*(?:(?P<model>[A-Za-z0-9_]+):\s+)?(?P<quantity>.+?)\s+=\s+"
    r"(?P<value>[-+0-9.eE]+)\s*\+-\s*(?P<half>[0-9.eE]+)\s*$")
RESOURCE = re.compile(r"^resources\[(?P<pool>[A-Za-z0-9_]+)\]\.(?P<column>\w+)$")
REQUESTS = re.compile(r"^requests(?:\[(?P<key>\w+)=(?P<key_value>[0-9]+)\])?\.(?P<column>\w+)$")
RATIO = re.compile(r"^(?P<num>\w+)\s*/\s*(?P<den>\w+)$")
LEVEL = 0.99


def betacf(a, b, x):
    """Continued fraction of the regularised incomplete beta (Numerical Recipes 6.4)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                   -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def incomplete_beta(a, b, x):
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) +
                     b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return front * betacf(a, b, x) / a
    return 1.0 - front * betacf(b, a, 1 - x) / b


def t_quantile(p, dof):
    """Student's t quantile for p > 0.5, by bisection on the distribution function."""
    def upper_tail(t):
        return 0.5 * incomplete_beta(dof / 2, 0.5, dof / (dof + t * t))
    lo, hi = 0.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if upper_tail(mid) > 1 - p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def interval(samples):
    x = np.asarray(samples, dtype=float)
    n = len(x)
    half = t_quantile(1 - (1 - LEVEL) / 2, n - 1) * x.std(ddof=1) / math.sqrt(n)
    return x.mean(), half


def strings(ds):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in ds[()]]


def expectations(scenario):
    out = []
    with open(scenario) as f:
        for number, line in enumerate(f, 1):
            if not re.match(r"^#\s*expect:", line):
                continue
            m = EXPECT.match(line.rstrip("\n"))
            if not m:
                sys.exit(f"{scenario}:{number}: cannot read the expect line: {line.strip()}")
            out.append((number, m.group("model"), m.group("quantity").strip(),
                        float(m.group("value")), float(m.group("half"))))
    return out


def per_run(f, model, quantity):
    """The quantity's value in each ok run of `model`, in replication order."""
    runs = f["runs"]
    models = strings(runs["model"])
    ok = runs["status"][()] == 0
    rows = [i for i, m in enumerate(models) if m == model and ok[i]]
    if not rows:
        raise ValueError(f"no ok run of model {model}")
    if m := RATIO.match(quantity):
        return [runs[m["num"]][i] / runs[m["den"]][i] for i in rows]
    if m := RESOURCE.match(quantity):
        t = f["resources"]
        run, resource = t["run"][()], strings(t["resource"])
        column = t[m["column"]][()]
        by_run = {int(run[j]): column[j] for j in range(len(run)) if resource[j] == m["pool"]}
        if not by_run:
            raise ValueError(f"no resource {m['pool']} in /resources")
        return [by_run[i] for i in rows]
    if m := REQUESTS.match(quantity):
        if "requests" not in f:
            raise ValueError("no /requests in the file")
        t = f["requests"]
        run = t["run"][()]
        keep = np.array(strings(t["outcome"])) == "delivered"
        if m["key"]:
            keep &= t[m["key"]][()] == int(m["key_value"])
        column = t[m["column"]][()].astype(float)
        return [column[keep & (run == i)].mean() for i in rows]
    if quantity in runs:
        return [runs[quantity][i] for i in rows]
    raise ValueError(f"unknown quantity {quantity!r}")


def main():
    itsim, scenario, work = sys.argv[1:4]
    extra = sys.argv[4:]
    checks = expectations(scenario)
    if not checks:
        sys.exit(f"{scenario}: no `# expect:` line: every validation file states what it checks")
    name = os.path.splitext(os.path.basename(scenario))[0]
    out = os.path.join(work, name + ".h5")
    args = [itsim, "run", scenario, "-o", out, "--force", "--progress", "none", "-j", "2"]
    if any(q.startswith("requests") for _, _, q, _, _ in checks):
        args += ["--detail", "requests"]
    r = subprocess.run(args + extra, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args + extra)}: exit {r.returncode}\n{r.stderr}")
    failures = 0
    with h5py.File(out, "r") as f:
        models = strings(f["runs"]["model"])
        models = sorted(set(models), key=models.index)
        for number, model, quantity, value, half_max in checks:
            for m in [model] if model else models:
                where = f"{scenario}:{number}: {m}: {quantity}"
                try:
                    mean, half = interval(per_run(f, m, quantity))
                except (KeyError, ValueError) as e:
                    print(f"{where}: {e}")
                    failures += 1
                    continue
                ok = abs(mean - value) <= half and half <= half_max
                print(f"{where}: theory {value:g}, itsim run {mean:.4f} +- {half:.4f} (99%), "
                      f"at most +- {half_max:g}: {'ok' if ok else 'FAILED'}")
                failures += not ok
    if failures:
        sys.exit(f"{failures} check(s) failed")


if __name__ == "__main__":
    main()
