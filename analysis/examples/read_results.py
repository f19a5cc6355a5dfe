#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Open an itsim results file as a data scientist would, print a short summary, and check
its layout (docs/results-format.md). Exits 0 when the file is sound, 1 with a message on
the first problem, 2 on a usage error.

    python3 analysis/examples/read_results.py RESULTS.h5

Needs h5py, xarray, h5netcdf and numpy (Debian: python3-h5py python3-xarray
python3-h5netcdf python3-numpy; scripts/install-deps.sh installs them).

The one-liners it shows:
    h5py.File(path)["runs/model"].asstr()[:]                             # strings as str
    xr.open_dataset(path, group="runs", engine="h5netcdf").to_dataframe()  # one row per run
    xr.open_dataset(path, group="sensitivity", engine="h5netcdf").to_dataframe()  # a table
    dict(h5py.File(path)["sweep"].attrs)                                 # the sweep, if any
    pools = xr.open_dataset(path, group="resources", engine="h5netcdf").to_dataframe()
    pools.groupby(["model", "resource"]).utilisation.mean()              # per team

`itsim run` files add the tables /resources (a row per run and resource: utilisation,
wait_mean_h, p_wait, queue_mean, served), /lead_time_by_priority, /lead_time_by_unit and
their NAME_summary tables (mean and CI half-width per model and key); when present they
are checked against each other.

Files of a sweep add factor columns to /runs (recognised by their attribute key_path),
the group /sweep and extra tables (any other root group with a `row` dimension scale);
files without them are checked as before.
"""
import math
import sys

try:
    import h5py
    import numpy as np
    import xarray as xr
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.exit(f"read_results.py: {e}; install python3-h5py python3-xarray python3-h5netcdf "
             "python3-numpy (bash scripts/install-deps.sh)")

# CONTRACT.md: the KPIs every results file has.
REQUIRED_KPIS = [
    "demand_generated", "arrivals_to_it", "self_served", "completed", "abandoned",
    "shadow_builds", "backlog_end", "wait_mean_h", "lead_time_mean_h", "lead_time_p50_h",
    "lead_time_p95_h", "first_contact_resolution", "resolved_at_l1", "handoffs_mean",
    "rework_rate", "flow_efficiency", "sla_attainment", "value_gross", "value_lost_to_delay",
    "downtime_cost", "customer_value", "cost_total", "net_value", "utilisation_mean",
    "perception",
]
RUN_COLUMNS = ["model", "replication", "point", "seed", "status", "message"]
# Present when the runs were tested for a trend (`itsim run`): the stationarity verdict.
VERDICT_COLUMNS = ["steady", "backlog_slope_per_year"]
STEADY_CODES = {0, 1, 2, 255}  # trending, steady, too short to tell, not tested
# Root groups of the layout; any other with a `row` dimension scale is an extra table.
KNOWN_GROUPS = {"scenario", "runs", "summary", "comparison", "timeseries", "requests", "sweep"}
FACTOR_ROLES = {"factor", "lever"}
SWEEP_DESIGNS = {"grid", "zip", "random", "lhs", "morris"}
RESERVED_RUN_NAMES = {"run", "row"} | set(RUN_COLUMNS) | set(VERDICT_COLUMNS)
STATS = ["n", "mean", "ci", "p10", "p50", "p90"]
DIFFS = ["n", "diff", "ci", "significant"]


class Problem(Exception):
    """The file does not follow docs/results-format.md."""


def check(condition, message):
    if not condition:
        raise Problem(message)


def open_group(path, group):
    """A group as an xarray Dataset: one line, thanks to the dimension scales."""
    return xr.open_dataset(path, group=group, engine="h5netcdf")


def check_table(ds, group, dim, columns):
    check(list(ds.dims) == [dim], f"/{group}: dimensions {dict(ds.dims)}, expected only '{dim}'")
    check(dim in ds.coords, f"/{group}: '{dim}' is not a coordinate (dimension scale missing)")
    check(np.array_equal(ds[dim].values, np.arange(ds.sizes[dim])),
          f"/{group}/{dim} is not 0..n-1")
    for c in columns:
        check(c in ds, f"/{group}: missing column '{c}'")
    for name, var in ds.variables.items():
        units = str(var.attrs.get("units", ""))
        check("since" not in units.lower(), f"/{group}/{name}: units '{units}' contain 'since'")


def is_table(f, group):
    """An extra table: a root group not of the fixed layout with a `row` dimension scale."""
    g = f[group]
    return (group not in KNOWN_GROUPS and isinstance(g, h5py.Group) and "row" in g
            and isinstance(g["row"], h5py.Dataset) and h5py.h5ds.is_scale(g["row"].id))


def read_factors(f):
    """The factor columns of /runs (those with a key_path attribute), in file order."""
    factors = {}
    for name, d in f["runs"].items():
        if "key_path" not in d.attrs:
            continue
        key_path, role = d.attrs["key_path"], d.attrs.get("role")
        check(isinstance(key_path, str) and key_path, f"/runs/{name}: empty key_path")
        check(role in FACTOR_ROLES, f"/runs/{name}: role {role!r} is not 'factor' or 'lever'")
        check(name not in RESERVED_RUN_NAMES, f"/runs/{name}: a factor with a reserved name")
        check(d.ndim == 1 and d.shape == f["runs/run"].shape,
              f"/runs/{name}: shape {d.shape}, expected {f['runs/run'].shape}")
        check(d.dtype.kind in "fuSO", f"/runs/{name}: dtype {d.dtype}")
        factors[name] = {"key_path": key_path, "role": role,
                         "units": str(d.attrs.get("units", ""))}
    return factors


def read_sweep(f):
    """The attributes of /sweep, checked; None without one."""
    if "sweep" not in f:
        return None
    a = f["sweep"].attrs
    sweep = {key: a[key] for key in ["name", "yaml", "id", "design"]}
    for key, value in sweep.items():
        check(isinstance(value, str), f"/sweep attribute {key} missing or not a string")
    for key in ["runs_total", "points", "shard_index", "shard_count"]:
        check(key in a and a[key].dtype.kind == "u", f"/sweep attribute {key} missing or signed")
        sweep[key] = int(a[key])
    sid = sweep["id"]
    check(len(sid) == 16 and all(c in "0123456789abcdefABCDEF" for c in sid),
          f"/sweep id {sid!r} is not 16 hexadecimal digits")
    check(sweep["design"] in SWEEP_DESIGNS, f"/sweep design {sweep['design']!r}")
    k, n = sweep["shard_index"], sweep["shard_count"]
    check((k, n) == (0, 0) or 1 <= k <= n, f"/sweep shard {k}/{n}")
    check(f["runs/run"].shape[0] <= sweep["runs_total"], "/runs has more runs than runs_total")
    return sweep


def check_compressed(f, group):
    """Numeric datasets of 1024 elements or more are chunked with shuffle + gzip 4."""
    for name, d in f[group].items():
        if d.dtype.kind in "fiu" and d.size >= 1024:
            check(d.chunks is not None and d.compression == "gzip" and d.shuffle,
                  f"/{group}/{name}: {d.size} values, expected chunks with shuffle + gzip")
            check(d.compression_opts == 4, f"/{group}/{name}: gzip level {d.compression_opts}")


def read_attributes(path):
    """Root and /scenario attributes, and string columns, with h5py."""
    with h5py.File(path, "r") as f:
        a = f.attrs
        check(a.get("format") == "itsim-results", f"format is {a.get('format')!r}")
        version = int(a["format_version"])
        check(version == 1, f"format_version {version}; this script reads 1")
        for key in ["itsim_version", "created_utc", "command_line", "git_describe"]:
            check(isinstance(a.get(key), str), f"root attribute {key} missing or not a string")
        s = f["scenario"].attrs
        info = {
            "itsim_version": a["itsim_version"],
            "created_utc": a["created_utc"],
            "command_line": a["command_line"],
            "yaml": s["yaml_resolved"],
            "master_seed": int(s["master_seed"]),
            "models": [str(m) for m in s["models"]],
            "baseline": str(s["baseline"]),
        }
        check(isinstance(info["yaml"], str) and info["yaml"], "/scenario yaml_resolved is empty")
        # Strings in datasets come back as bytes unless .asstr().
        info["run_models"] = list(f["runs/model"].asstr()[:])
        check(set(info["run_models"]) <= set(info["models"]),
              "/runs/model has ids that /scenario models lacks")
        info["factors"] = read_factors(f)
        info["sweep"] = read_sweep(f)
        info["tables"] = [g for g in f if is_table(f, g)]
        for group in ["runs", "timeseries", "requests"] + info["tables"]:
            if group in f:
                check_compressed(f, group)
        for group, dim in [("runs", "run")] + [(t, "row") for t in info["tables"]]:
            scale = f[group][dim]
            check(h5py.h5ds.is_scale(scale.id), f"/{group}/{dim} is not a dimension scale")
            for name in f[group]:
                if name != dim:
                    check(f[group][name].dims[0].keys() == [dim],
                          f"/{group}/{name} is not attached to the dimension scale /{group}/{dim}")
        for group in info["tables"]:
            check(isinstance(f[group].attrs.get("description"), str),
                  f"/{group}: no description attribute")
        return info


def kpi_names(runs, info):
    """The KPIs of /runs: what is neither a fixed column nor a factor."""
    return [k for k in runs.data_vars
            if k not in RUN_COLUMNS + VERDICT_COLUMNS and k not in info["factors"]]


def check_runs(runs, info):
    check_table(runs, "runs", "run", RUN_COLUMNS + REQUIRED_KPIS)
    for k in REQUIRED_KPIS:
        check(runs[k].dtype == np.float64, f"/runs/{k}: dtype {runs[k].dtype}, expected float64")
        check("units" in runs[k].attrs, f"/runs/{k}: no units attribute")
    check(runs.replication.dtype == np.uint32 and runs.point.dtype == np.uint32,
          "/runs replication and point must be uint32")
    check(runs.seed.dtype == np.uint64, "/runs/seed must be uint64")
    check(runs.status.dtype == np.uint8, "/runs/status must be uint8")
    check(("steady" in runs) == ("backlog_slope_per_year" in runs),
          "/runs: steady and backlog_slope_per_year come together")
    if "steady" in runs:
        check(runs.steady.dtype == np.uint8, "/runs/steady must be uint8")
        check(set(np.unique(runs.steady.values)) <= STEADY_CODES, "/runs/steady: unknown code")
        check(runs.backlog_slope_per_year.dtype == np.float64,
              "/runs/backlog_slope_per_year must be float64")
    check(list(runs.model.values) == info["run_models"], "xarray and h5py disagree on /runs/model")
    ok = runs.status.values == 0
    messages = runs.message.values
    check(all(m == "" for m in messages[ok]), "an ok run has a message")
    check(all(m != "" for m in messages[~ok]), "a failed run has no message")
    keys = list(zip(runs.model.values, runs.replication.values, runs.point.values))
    check(len(set(keys)) == len(keys), "two runs share (model, replication, point)")
    names = list(runs.data_vars)
    kpis = kpi_names(runs, info)
    for name in info["factors"]:
        check(runs[name].dims == ("run",), f"/runs/{name}: dims {runs[name].dims}")
        # Factors come after the fixed columns and before the KPIs.
        check(names.index(name) > names.index("message") and
              all(names.index(name) < names.index(k) for k in kpis),
              f"/runs/{name}: a factor column must come after message and before the KPIs")
    for k in kpis:
        check(runs[k].dtype == np.float64, f"/runs/{k}: dtype {runs[k].dtype}, expected float64")


def check_extra_table(ds, group):
    check_table(ds, group, "row", [])
    for name, var in ds.data_vars.items():
        check(var.dims == ("row",), f"/{group}/{name}: dims {var.dims}")
    df = ds.to_dataframe()
    check(len(df) == ds.sizes["row"], f"/{group}: the data frame has {len(df)} rows")
    check(list(df.columns) == list(ds.data_vars), f"/{group}: data frame columns {list(df.columns)}")


RESOURCE_STATS = ["utilisation", "wait_mean_h", "p_wait", "queue_mean", "served"]


def check_resources(runs, path, tables):
    """/resources: a row per ok run and resource; /resources_summary: its means per model."""
    res = open_group(path, "resources")
    check_table(res, "resources", "row", ["run", "resource"] + RESOURCE_STATS)
    df = res.to_dataframe()
    run_df = runs.to_dataframe()
    check(((df.run >= 0) & (df.run < len(run_df))).all(), "/resources/run: not a row of /runs")
    check((run_df.status.values[df.run.values] == 0).all(), "/resources: a row of a failed run")
    u = df.utilisation.dropna()
    check(((u >= 0) & (u <= 1 + 1e-9)).all(), "/resources/utilisation outside [0, 1]")
    for name in RESOURCE_STATS:
        check(res[name].dtype == np.float64, f"/resources/{name}: dtype {res[name].dtype}")
        check("units" in res[name].attrs, f"/resources/{name}: no units")
    lines = []
    if "resources_summary" in tables:
        summ = open_group(path, "resources_summary").to_dataframe()
        df = df.join(run_df[["point"]], on="run")
        means = df.groupby(["model", "point", "resource"], sort=False)[RESOURCE_STATS].mean()
        check(len(summ) == len(means),
              f"/resources_summary: {len(summ)} rows, expected {len(means)} (model, point, resource)")
        for _, row in summ.iterrows():
            want = means.loc[(row.model, row.point, row.resource)]
            for name in RESOURCE_STATS:
                got = row[f"{name}_mean"]
                check(np.isclose(got, want[name], rtol=1e-9, equal_nan=True),
                      f"/resources_summary {name}_mean ({row.model}, {row.resource}): "
                      f"{got} != {want[name]}")
        shown = summ[(summ.point == summ.point.min()) & (summ.served_mean > 0)]
        for _, row in shown.iterrows():  # the resources that served something
            lines.append(f"    {row.model:>10} {row.resource:<12} utilisation "
                         f"{row.utilisation_mean:.3f} +/- {row.utilisation_ci:.2g}, "
                         f"wait {row.wait_mean_h_mean:.3g} h, P(wait) {row.p_wait_mean:.3f}, "
                         f"served {row.served_mean:.4g}")
    return [f"  /resources: {res.sizes['row']} rows (run x resource)"] + lines


def check_summary(runs, summary, info):
    kpis = kpi_names(runs, info)
    check_table(summary, "summary", "row", ["model", "point", "runs_ok", "runs_failed"] +
                [f"{k}_{s}" for k in kpis for s in STATS])
    check(0 < float(summary.attrs["confidence_level"]) < 1, "/summary confidence_level")
    df = runs.to_dataframe()
    for i in range(summary.sizes["row"]):
        model, point = str(summary.model.values[i]), int(summary.point.values[i])
        group = df[(df.model == model) & (df.point == point)]
        ok = group[group.status == 0]
        check(int(summary.runs_ok.values[i]) == len(ok), f"/summary row {i}: runs_ok")
        check(int(summary.runs_failed.values[i]) == len(group) - len(ok),
              f"/summary row {i}: runs_failed")
        for k in kpis:
            x = ok[k].to_numpy()
            x = x[np.isfinite(x)]
            check(int(summary[f"{k}_n"].values[i]) == len(x), f"/summary {k}_n row {i}")
            if len(x) == 0:
                continue
            got = [float(summary[f"{k}_{s}"].values[i]) for s in ["mean", "p10", "p50", "p90"]]
            want = [x.mean(), *np.percentile(x, [10, 50, 90])]
            check(np.allclose(got, want, rtol=1e-12, atol=1e-12 * max(1.0, abs(want[0]))),
                  f"/summary {k} row {i} ({model}, point {point}): {got} != numpy's {want}")
            ci = float(summary[f"{k}_ci"].values[i])
            check(math.isnan(ci) if len(x) < 2 else ci >= 0, f"/summary {k}_ci row {i}")


def check_comparison(runs, comparison, info):
    kpis = kpi_names(runs, info)
    check_table(comparison, "comparison", "row",
                ["model", "point"] + [f"{k}_{s}" for k in kpis for s in DIFFS])
    baseline = info["baseline"]
    check(comparison.attrs["baseline"] == baseline, "/comparison baseline != /scenario baseline")
    check(baseline not in set(comparison.model.values), "/comparison compares the baseline")
    df = runs.to_dataframe()
    df = df[df.status == 0]
    base = df[df.model == baseline].set_index(["replication", "point"])
    for i in range(comparison.sizes["row"]):
        model, point = str(comparison.model.values[i]), int(comparison.point.values[i])
        mine = df[(df.model == model) & (df.point == point)].set_index(["replication", "point"])
        joined = mine.join(base, how="inner", rsuffix="_base")
        for k in kpis:
            d = (joined[k] - joined[f"{k}_base"]).to_numpy()
            d = d[np.isfinite(d)]
            check(int(comparison[f"{k}_n"].values[i]) == len(d), f"/comparison {k}_n row {i}")
            if len(d) == 0:
                continue
            got = float(comparison[f"{k}_diff"].values[i])
            check(np.isclose(got, d.mean(), rtol=1e-9, atol=1e-9 * max(1.0, abs(d.mean()))),
                  f"/comparison {k}_diff row {i}: {got} != {d.mean()}")
            ci = float(comparison[f"{k}_ci"].values[i])
            sig = bool(comparison[f"{k}_significant"].values[i])
            if len(d) >= 2:
                check(sig == (abs(got) > ci), f"/comparison {k}_significant row {i}")


def check_timeseries(runs, ts):
    check(set(ts.dims) == {"run", "time_h"}, f"/timeseries dimensions {dict(ts.dims)}")
    check(ts.sizes["run"] == runs.sizes["run"], "/timeseries has another number of runs")
    check(ts.time_h.attrs.get("units") == "h", "/timeseries/time_h units must be 'h'")
    t = ts.time_h.values
    if len(t) > 1:
        check(np.allclose(np.diff(t), float(ts.attrs["step_h"])), "/timeseries grid not regular")
    for name, var in ts.data_vars.items():
        if name in ("model", "replication", "point"):
            check(var.dims == ("run",), f"/timeseries/{name} dimensions")
        else:
            check(var.dims == ("run", "time_h"), f"/timeseries/{name}: dims {var.dims}")


def check_requests(runs, req):
    check_table(req, "requests", "row", ["run"])
    check(req.run.dtype.kind == "u", "/requests/run must be unsigned")
    check(int(req.run.max()) < runs.sizes["run"] if req.sizes["row"] else True,
          "/requests/run refers to a run that does not exist")


def print_summary(path, info, runs, summary, comparison):
    n = runs.sizes["run"]
    failed = int((runs.status.values != 0).sum())
    print(f"{path}: itsim {info['itsim_version']}, created {info['created_utc']}")
    print(f"  {n} runs ({failed} failed) of models {', '.join(info['models'])}; "
          f"baseline {info['baseline'] or '(none)'}; master seed {info['master_seed']}")
    shown = [k for k in ["net_value", "lead_time_mean_h", "sla_attainment"] if f"{k}_mean" in summary]
    level = round(100 * float(summary.attrs["confidence_level"]))
    print(f"  mean +/- {level} % CI half-width:")
    for i in range(summary.sizes["row"]):
        cells = [f"{k} {float(summary[f'{k}_mean'].values[i]):.4g} "
                 f"+/- {float(summary[f'{k}_ci'].values[i]):.2g}" for k in shown]
        print(f"    {summary.model.values[i]:>10} point {int(summary.point.values[i])}: "
              + "; ".join(cells))
    for i in range(comparison.sizes["row"]):
        cells = []
        for k in shown:
            mark = "*" if comparison[f"{k}_significant"].values[i] else ""
            cells.append(f"{k} {float(comparison[f'{k}_diff'].values[i]):+.4g}{mark}")
        print(f"    {comparison.model.values[i]:>10} point {int(comparison.point.values[i])} "
              f"- {info['baseline']}: " + "; ".join(cells))
    if comparison.sizes["row"]:
        print("    (* the CI of the paired difference excludes 0)")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    try:
        info = read_attributes(path)
        runs = open_group(path, "runs")
        check_runs(runs, info)
        summary = open_group(path, "summary")
        check_summary(runs, summary, info)
        comparison = open_group(path, "comparison")
        check_comparison(runs, comparison, info)
        with h5py.File(path, "r") as f:
            groups = set(f.keys())
        check({"scenario", "runs", "summary", "comparison"} <= groups, f"groups {sorted(groups)}")
        extra = []
        if "timeseries" in groups:
            ts = open_group(path, "timeseries")
            check_timeseries(runs, ts)
            extra.append(f"  /timeseries: "
                         f"{', '.join(v for v in ts.data_vars if v not in RUN_COLUMNS)}"
                         f" over {ts.sizes['time_h']} samples")
        if "requests" in groups:
            req = open_group(path, "requests")
            check_requests(runs, req)
            extra.append(f"  /requests: {req.sizes['row']} items, "
                         f"columns {', '.join(req.data_vars)}")
        if info["factors"]:
            df = runs.to_dataframe()
            cells = []
            for name, factor in info["factors"].items():
                values = sorted({str(v) for v in df[name]})
                shown = ", ".join(values[:4]) + (", ..." if len(values) > 4 else "")
                unit = f" {factor['units']}" if factor["units"] else ""
                cells.append(f"{name} ({factor['role']}, {factor['key_path']}{unit}): {shown}")
            extra.append("  factors: " + "; ".join(cells))
        sweep = info["sweep"]
        if sweep is not None:
            shard = (f", shard {sweep['shard_index']}/{sweep['shard_count']}"
                     if sweep["shard_count"] else "")
            extra.append(f"  /sweep: {sweep['name']!r} ({sweep['design']}, id {sweep['id']}): "
                         f"{sweep['points']} points, {sweep['runs_total']} runs{shard}")
        if "resources" in info["tables"]:
            extra += check_resources(runs, path, info["tables"])
        for group in info["tables"]:
            table = open_group(path, group)  # one line, like every table
            check_extra_table(table, group)
            extra.append(f"  /{group}: {table.sizes['row']} rows, columns "
                         f"{', '.join(table.data_vars) or '(none)'}")
        print_summary(path, info, runs, summary, comparison)
        for line in extra:
            print(line)
    except (Problem, KeyError, OSError, ValueError) as e:
        print(f"read_results.py: {path}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    print("read_results.py: layout OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
