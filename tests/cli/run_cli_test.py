#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`itsim run` end to end, as users script against it (CONTRACT.md): exit codes, output
safety, byte-identical results for any thread count, --precision, and what the file holds
(/timeseries, /requests, the MSER-5 warm-up, the stationarity verdict).

    run_cli_test.py ITSIM SOURCE_DIR WORK_DIR
"""
import math
import os
import resource
import signal
import subprocess
import sys
import time
import unittest

import h5py
import numpy as np
import xarray as xr

ITSIM, SOURCE_DIR, WORK_DIR = (os.path.abspath(a) for a in sys.argv[1:4])
SCENARIO = os.path.join(SOURCE_DIR, "scenarios", "midsize.yaml")
# Eight weeks, one of warm-up: quick, but every model delivers work of every kind.
SHORT = ["--set", "horizon=8w", "--set", "warmup=1w", "--progress", "none"]


def path(name):
    return os.path.join(WORK_DIR, name)


def itsim(*args, env=None, **kwargs):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([ITSIM, "run", SCENARIO, *args], capture_output=True, text=True,
                          env=full_env, timeout=600, **kwargs)


def leftovers():
    """Hidden temporary files the writer left in the work directory."""
    return [f for f in os.listdir(WORK_DIR) if ".tmp-" in f]


def fresh(name):
    p = path(name)
    if os.path.exists(p):
        os.remove(p)
    return p


def significant(v, sign=False):
    """The table's number format (cli/progress.cpp format_significant, 3 digits)."""
    if not math.isfinite(v):
        return "n/a"
    r = float("%.2e" % v)
    plus = "+" if sign and math.copysign(1.0, r) > 0 else ""
    if r == 0:
        return plus + "0"
    if abs(r) < 1e-4:
        return plus + "%.2e" % r
    group, scaled = 0, r
    while group < 3 and abs(scaled) >= 1000:
        scaled /= 1000
        group += 1
    before = math.floor(math.log10(abs(scaled))) + 1
    return plus + "%.*f%s" % (max(0, 3 - before), scaled, ["", "k", "M", "G"][group])


class ComparisonTable(unittest.TestCase):
    def test_the_table_has_units_three_digits_stars_and_fits_120_columns(self):
        out = fresh("table.h5")
        r = itsim(*SHORT, "-r", "3", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("model "))
        headings, units = lines[at - 1], lines[at]
        for h in ["shadow", "lead p50", "lead p95", "SLA", "value", "cost", "net value",
                  "perception"]:
            self.assertIn(h, headings)
        self.assertNotIn("lead p50 h", headings)
        self.assertEqual(units.split(), ["model", "(items)", "(h)", "(h)", "(share)", "(USD)",
                                         "(USD)", "(USD)", "(score)"])
        names = ["shadow_builds", "lead_time_p50_h", "lead_time_p95_h", "sla_attainment",
                 "value_gross", "cost_total", "net_value", "perception"]
        summary = xr.open_dataset(out, group="summary", engine="h5netcdf").to_dataframe()
        comparison = xr.open_dataset(out, group="comparison",
                                     engine="h5netcdf").to_dataframe()
        body = lines[at + 1:lines.index("", at)]
        self.assertEqual(len(body), 2 * len(summary) + 2 * len(comparison))
        for line in [headings, units] + body:
            self.assertLessEqual(len(line), 120, line)
        i = 0
        for _, row in summary.iterrows():
            model = row["model"]
            mean, ci = body[i].split(), body[i + 1].split()
            self.assertEqual(mean[0], model)
            self.assertEqual(mean[1:], [significant(row[n + "_mean"]) for n in names])
            self.assertEqual(ci, ["±" + significant(row[n + "_ci"]) for n in names])
            i += 2
            if model == "passive":
                continue
            c = comparison[comparison.model == model].iloc[0]
            self.assertTrue(body[i].startswith("  vs passive "), body[i])
            diff = body[i][len("  vs passive"):].split()
            self.assertEqual(diff, [significant(c[n + "_diff"], True) +
                                    ("*" if c[n + "_significant"] else "") for n in names])
            self.assertEqual(body[i + 1].split(),
                             ["±" + significant(c[n + "_ci"]) for n in names])
            i += 2
        self.assertIn("* where its CI excludes 0 (significant)", r.stdout)


class UsageErrors(unittest.TestCase):
    def test_bad_options_exit_64_naming_the_option(self):
        cases = [
            (["-r", "0"], "--replications"),
            (["-j", "0"], "--threads"),
            (["--progress", "fancy"], "--progress"),
            (["--precision", "0"], "--precision"),
            (["--precision", "1.5"], "--precision"),
            (["--detail", "everything"], "--detail"),
            (["--precision", "0.1", "--precision-kpi", "speed"], "--precision-kpi"),
            (["--max-replications", "5"], "--precision"),
            (["--precision", "0.1", "--max-replications", "1"], "--max-replications"),
            (["--show", "everything"], "--show"),
        ]
        for args, option in cases:
            with self.subTest(args=args):
                out = fresh("usage.h5")
                r = itsim(*SHORT, "-o", out, *args)
                self.assertEqual(r.returncode, 64, r.stderr)
                self.assertIn(option, r.stderr)
                self.assertFalse(os.path.exists(out))


    def test_a_negative_discount_rate_is_refused_at_its_set(self):
        out = fresh("discount.h5")
        r = itsim(*SHORT, "-o", out, "--set", "discount_rate=-0.1")
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertIn('--set:3:15: discount_rate: must be >= 0, got "-0.1"', r.stderr)
        self.assertFalse(os.path.exists(out))


class OutputSafety(unittest.TestCase):
    def test_missing_directory_exits_73(self):
        r = itsim(*SHORT, "-r", "1", "-o", path("no/such/dir/out.h5"))
        self.assertEqual(r.returncode, 73, r.stderr)

    def test_existing_file_is_kept_without_force(self):
        out = path("existing.h5")
        with open(out, "w") as f:
            f.write("keep me")
        r = itsim(*SHORT, "-r", "1", "-o", out)
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn("--force", r.stderr)
        with open(out) as f:
            self.assertEqual(f.read(), "keep me")
        r = itsim(*SHORT, "-r", "1", "-o", out, "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(h5py.is_hdf5(out))

    def test_write_error_exits_74_and_leaves_nothing(self):
        out = fresh("too_big.h5")

        def limit_file_size():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
            resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

        r = itsim(*SHORT, "-r", "2", "--detail", "requests", "-o", out,
                  preexec_fn=limit_file_size)
        self.assertEqual(r.returncode, 74, r.stderr)
        self.assertFalse(os.path.exists(out))
        self.assertEqual(leftovers(), [])

    def test_interrupted_run_writes_nothing(self):
        out = fresh("interrupted.h5")
        p = subprocess.Popen([ITSIM, "run", SCENARIO, "-r", "5000", "-j", "2", "--progress",
                              "none", "-o", out], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("interrupted", err)
        self.assertFalse(os.path.exists(out))
        self.assertEqual(leftovers(), [])


class Determinism(unittest.TestCase):
    def test_any_thread_count_gives_the_same_bytes(self):
        # created_utc from SOURCE_DATE_EPOCH; the command line differs in the one digit of
        # -j, and that must be the only difference in the files.
        env = {"SOURCE_DATE_EPOCH": "1764547200"}
        os.makedirs(path("j1"), exist_ok=True)
        os.makedirs(path("j2"), exist_ok=True)
        a, b = fresh("j1/out.h5"), fresh("j2/out.h5")
        for out, j in ((a, "1"), (b, "2")):  # the same relative name, in two directories
            r = itsim(*SHORT, "-r", "6", "-j", j, "--detail", "requests", "-o", "out.h5",
                      env=env, cwd=os.path.dirname(out))
            self.assertEqual(r.returncode, 0, r.stderr)
        with open(a, "rb") as f:
            bytes_a = f.read()
        with open(b, "rb") as f:
            bytes_b = f.read()
        self.assertEqual(len(bytes_a), len(bytes_b))
        diff = [i for i in range(len(bytes_a)) if bytes_a[i] != bytes_b[i]]
        at = bytes_a.find(b"-j 1 ")
        self.assertGreaterEqual(at, 0)
        self.assertEqual(bytes_b[at:at + 5], b"-j 2 ")
        self.assertEqual(diff, [at + 3])
        with h5py.File(a) as f:
            self.assertEqual(f.attrs["created_utc"], "2025-12-01T00:00:00Z")

    def test_a_rerun_gives_the_same_bytes(self):
        env = {"SOURCE_DATE_EPOCH": "0"}
        a, b = fresh("again_a.h5"), fresh("again_b.h5")
        for out in (a, b):
            r = itsim(*SHORT, "-r", "3", "-o", "OUT", env=env, cwd=WORK_DIR)
            self.assertEqual(r.returncode, 0, r.stderr)
            os.replace(path("OUT"), out)
        with open(a, "rb") as fa, open(b, "rb") as fb:
            self.assertEqual(fa.read(), fb.read())


def runs_table(file):
    with h5py.File(file) as f:
        g = f["runs"]
        return {k: (g[k].asstr()[:] if g[k].dtype.kind in "OS" else g[k][:]) for k in g}


class Precision(unittest.TestCase):
    def test_adds_replications_until_the_target_and_matches_a_plain_run(self):
        out = fresh("precision.h5")
        r = itsim(*SHORT, "-r", "3", "--precision", "0.01", "--precision-kpi", "completed",
                  "--precision-kpi", "lead_time_mean_h", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("precision: every model within", r.stdout)
        runs = runs_table(out)
        n = int(runs["replication"].max()) + 1
        self.assertGreater(n, 3)
        self.assertIn("after %d replications" % n, r.stdout)
        with h5py.File(out) as f:
            for m in ("passive", "embedded", "rotation", "coe"):
                row = list(f["summary/model"].asstr()[:]).index(m)
                for kpi in ("completed", "lead_time_mean_h"):
                    mean = f["summary/%s_mean" % kpi][row]
                    ci = f["summary/%s_ci" % kpi][row]
                    self.assertLessEqual(ci, 0.01 * abs(mean), (m, kpi))
        # The same replications run in one go give the same /runs.
        plain = fresh("precision_plain.h5")
        r = itsim(*SHORT, "-r", str(n), "-o", plain)
        self.assertEqual(r.returncode, 0, r.stderr)
        other = runs_table(plain)
        self.assertEqual(sorted(runs), sorted(other))
        for k in runs:
            np.testing.assert_array_equal(runs[k], other[k], err_msg=k)

    def test_reports_a_target_it_cannot_reach(self):
        out = fresh("precision_max.h5")
        r = itsim(*SHORT, "-r", "2", "--precision", "0.0001", "--max-replications", "4",
                  "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("NOT reached after 4 replications", r.stdout)
        self.assertEqual(int(runs_table(out)["replication"].max()), 3)


class Contents(unittest.TestCase):
    def test_time_series_requests_and_warmup(self):
        out = fresh("contents.h5")
        r = itsim(*SHORT, "-r", "2", "--set", "output.timeseries_step=12h", "--detail",
                  "requests", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        ts = xr.open_dataset(out, group="timeseries", engine="h5netcdf")
        self.assertEqual(dict(ts.sizes), {"run": 8, "time_h": 112})
        self.assertEqual(float(ts.time_h[0]), 12.0)
        self.assertEqual(float(ts.time_h[-1]), 8 * 168.0)
        runs = xr.open_dataset(out, group="runs", engine="h5netcdf").to_dataframe()
        np.testing.assert_allclose(ts.backlog[:, -1].values, runs.backlog_end.values)
        means = ts.backlog.groupby(ts.model).mean("run")
        self.assertEqual(sorted(means.model.values), ["coe", "embedded", "passive", "rotation"])
        req = xr.open_dataset(out, group="requests", engine="h5netcdf").to_dataframe()
        delivered = req[req.outcome == "delivered"].groupby("run").size()
        np.testing.assert_array_equal(delivered.values, runs.completed.values)
        self.assertTrue(set(req.work_type) <= {"incident", "request", "enhancement", "project"})
        self.assertTrue((req.created_h >= 168.0).all())  # after the warm-up

        out = fresh("mser.h5")
        r = itsim("--set", "horizon=1y", "--set", "warmup=mser5", "--progress", "none", "-r",
                  "2", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("MSER-5", r.stdout)
        warmups = runs_table(out)["warmup_h"]
        # MSER-5 may find no transient in a run (0: nothing deleted), never half the run.
        self.assertTrue((warmups >= 0).all() and (warmups < 8760 / 2).all(), warmups)
        self.assertTrue((warmups > 0).any(), warmups)


class Stationarity(unittest.TestCase):
    def test_growing_backlog_is_flagged_in_the_file_and_on_the_terminal(self):
        # Three people on the service desk instead of seven: L1's queue grows in every model.
        out = fresh("growing.h5")
        r = itsim("--set", "horizon=26w", "--set", "warmup=4w", "--set",
                  "staff.pools.l1.headcount=3", "--progress", "none", "-r", "2", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(out) as f:
            steady = f["runs/steady"]
            self.assertEqual(steady.dtype, np.uint8)
            self.assertTrue(set(steady[:]) <= {0, 1, 2, 255}, steady[:])
            slope = f["runs/backlog_slope_per_year"]
            self.assertEqual(slope.dtype, np.float64)
            self.assertEqual(slope.attrs["units"], "items/year")
            models = f["runs/model"].asstr()[:]
            passive = models == "passive"
            np.testing.assert_array_equal(steady[:][passive], [0, 0])
            self.assertTrue((slope[:][passive] > 100).all(), slope[:])
        runs = xr.open_dataset(out, group="runs", engine="h5netcdf").to_dataframe()
        self.assertIn("steady", runs.columns)
        self.assertRegex(r.stdout, r"passive: backlog still growing in 2 of 2 runs: \+[0-9]+ "
                                   r"items a year \(median\); results depend on the horizon")

    def test_a_run_too_short_for_the_test_says_so(self):
        # Seven weeks after the warm-up: 49 daily samples, fewer than 10 batches of 5.
        out = fresh("short.h5")
        r = itsim(*SHORT, "-r", "2", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(out) as f:
            np.testing.assert_array_equal(f["runs/steady"][:], [2] * 8)
            self.assertTrue(np.isnan(f["runs/backlog_slope_per_year"][:]).all())
        self.assertIn("coe: cannot tell in 2 runs: the run is too short for the stationarity "
                      "test", r.stdout)

    def test_the_main_job_prints_a_verdict_for_every_model(self):
        r = itsim("--progress", "none", "-r", "4")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Backlog after the warm-up (batch-means trend test, 1% false alarms",
                      r.stdout)
        for m in ("passive", "embedded", "rotation", "coe"):
            self.assertRegex(r.stdout, r"\n  %s: (backlog still (growing|shrinking)|steady in)"
                             % m)


class Overload(unittest.TestCase):
    def test_a_run_past_the_open_items_cap_fails_and_the_others_go_on(self):
        # The bad input (incidents at 1e5 per employee a month) under a small cap:
        # every run stops at the cap, each is recorded as failed with the reason, and the
        # command exits 1, in bounded time and memory.
        out = fresh("overloaded.h5")
        with open(path("overloaded.out"), "w") as so, open(path("overloaded.err"), "w") as se:
            started = time.monotonic()
            p = subprocess.Popen([ITSIM, "run", SCENARIO, "-r", "2", "-j", "2", "--progress",
                                  "none", "--set", "demand.work_types.incident.rate="
                                  "1e5/employee/month", "--set", "limits.max_open_items=20000",
                                  "-o", out], stdout=so, stderr=se)
            _, status, usage = os.wait4(p.pid, 0)  # wait4: the child's peak memory
            took = time.monotonic() - started
            p.returncode = os.waitstatus_to_exitcode(status)
        with open(path("overloaded.err")) as f:
            err = f.read()
        self.assertEqual(p.returncode, 1, err)
        self.assertLess(took, 60)
        self.assertLess(usage.ru_maxrss, 500 * 1024)  # KiB: well under 500 MB
        self.assertIn("8 of 8 runs failed", err)
        self.assertIn("open items passed limits.max_open_items (20000) at t = ", err)
        self.assertIn("the organisation is overloaded; see `itsim validate`", err)
        runs = runs_table(out)
        self.assertEqual(len(runs["status"]), 8)  # every run was tried and recorded
        self.assertTrue((runs["status"] != 0).all())
        for model, message in zip(runs["model"], runs["message"]):
            self.assertIn("model %s: open items passed limits.max_open_items (20000)" % model,
                          message)
        self.assertTrue(np.isnan(runs["open_at_end"]).all())

    def test_a_steady_run_counts_its_open_work(self):
        out = fresh("open_work.h5")
        r = itsim(*SHORT, "-r", "1", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        runs = runs_table(out)
        self.assertTrue((runs["open_at_end"] <= runs["backlog_end"]).all())
        kinds = sum(runs["open_" + k] for k in ("incidents", "requests", "enhancements",
                                                  "projects"))
        np.testing.assert_array_equal(kinds, runs["open_at_end"])
        np.testing.assert_allclose(
            runs["delivered_share"], runs["completed"] / (runs["completed"] + runs["open_at_end"]))


class Pools(unittest.TestCase):
    def test_show_pools_prints_each_resource_and_the_file_has_the_tables(self):
        out = fresh("pools.h5")
        r = itsim(*SHORT, "-r", "2", "--show", "pools", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        runs = runs_table(out)
        res = xr.open_dataset(out, group="resources", engine="h5netcdf").to_dataframe()
        summ = xr.open_dataset(out, group="resources_summary",
                               engine="h5netcdf").to_dataframe()
        # A row per run and resource of its model; the summary a row per model and resource.
        per_model = res.groupby("model").resource.nunique()
        self.assertEqual(len(res), sum(2 * per_model[m] for m in per_model.index))
        self.assertEqual(len(summ), per_model.sum())
        self.assertEqual(sorted(set(res.run)), list(range(len(runs["model"]))))
        for name in ["utilisation", "wait_mean_h", "p_wait", "queue_mean", "served"]:
            for suffix in ["_n", "_mean", "_ci"]:
                self.assertIn(name + suffix, summ.columns)
        with h5py.File(out) as f:
            self.assertEqual(f["resources/utilisation"].attrs["units"], "share")
            self.assertEqual(f["resources/wait_mean_h"].attrs["units"], "h")
            self.assertEqual(f["resources_summary/utilisation_mean"].attrs["units"], "share")
        self.assertTrue(((res.utilisation >= 0) & (res.utilisation <= 1)).all())

        # Printed after the comparison: per model a heading, then a row per resource with
        # servers (the others are listed as having none).
        text = r.stdout
        self.assertIn("where the time goes, per pool and team", text)
        tail = text[text.index("where the time goes"):]
        for model in ["passive", "embedded", "rotation", "coe"]:
            self.assertRegex(tail, r"\n%s +servers +utilisation +wait h +P\(wait\) +queue +served"
                             % model)
            block = tail[tail.index("\n" + model + " "):].split("\n\n")[0]
            staffed = summ[(summ.model == model) & (summ.servers_mean > 0)]
            for _, row in staffed.iterrows():
                self.assertRegex(block, r"\n  %s +\S" % row.resource, (model, row.resource))
            idle = summ[(summ.model == model) & ~(summ.servers_mean > 0)]
            if len(idle):
                self.assertIn("(no servers: %s)" % ", ".join(idle.resource), block)
            rows = [l for l in block.split("\n")[1:] if l.startswith("  ") and "(" not in l]
            self.assertEqual(len(rows), len(staffed), block)

        # Lead time by priority (P1..P4), by business unit and by work type: a row per run
        # and group, the groups' deliveries adding up to the KPI `completed`.
        completed = runs["completed"]
        for group, key, n in [("lead_time_by_priority", "priority", 4),
                              ("lead_time_by_unit", "unit", None),
                              ("lead_time_by_work_type", "work_type", None)]:
            t = xr.open_dataset(out, group=group, engine="h5netcdf").to_dataframe()
            groups = t[key].nunique()
            if n is not None:
                self.assertEqual(groups, n)
            self.assertEqual(len(t), groups * len(completed))
            np.testing.assert_array_equal(t.groupby("run").delivered.sum().values, completed)
            s = xr.open_dataset(out, group=group + "_summary", engine="h5netcdf").to_dataframe()
            self.assertEqual(len(s), 4 * groups)
            self.assertIn("lead_time_p95_h_ci", s.columns)
            if key == "work_type":
                # The six percentiles, in order wherever the work type delivered.
                ps = t[["lead_time_p%d_h" % p for p in (10, 25, 50, 75, 90, 95)]].dropna()
                self.assertGreater(len(ps), 0)
                self.assertTrue((ps.diff(axis=1).iloc[:, 1:] >= 0).all().all())
        # Without --show pools, the table is not printed (the file has it all the same).
        r = itsim(*SHORT, "-r", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("where the time goes", r.stdout)


class Paths(unittest.TestCase):
    def test_reorg_prints_each_paths_trough_and_break_even_and_writes_the_j_curve(self):
        out = fresh("reorg.h5")
        reorg = os.path.join(SOURCE_DIR, "scenarios", "reorg.yaml")
        r = subprocess.run([ITSIM, "run", reorg, "-r", "3", "-o", out, "--progress", "none"],
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("reorganisation paths against staying where they start", r.stdout)
        for p in ("to_coe (passive -> coe): trough", "to_embedded (passive -> embedded): trough"):
            self.assertIn(p, r.stdout)
        self.assertIn("to_coe: a reorganisation path, not meant to be steady", r.stdout)
        self.assertNotIn("to_coe - passive", r.stdout)  # no horizon check for a path
        paths = xr.open_dataset(out, group="paths", engine="h5netcdf").to_dataframe()
        self.assertEqual(list(paths.path), ["to_coe", "to_embedded"])
        self.assertEqual(list(paths["from"]), ["passive", "passive"])
        self.assertTrue((paths.pairs == 3).all())
        self.assertTrue((paths.trough <= paths.at_horizon).all())
        curves = xr.open_dataset(out, group="path_curves", engine="h5netcdf").to_dataframe()
        coe = curves[curves.path == "to_coe"]
        self.assertAlmostEqual(coe["mean"].min(), paths.trough[0])
        self.assertAlmostEqual(coe["mean"].iloc[-1], paths.at_horizon[0])
        with h5py.File(out, "r") as f:
            models = [m.decode() for m in f["runs/model"][()]]
            cost = f["runs/reorg_cost"][()]
            leavers = f["runs/leavers"][()]
        for m, c, n in zip(models, cost, leavers):
            if m.startswith("to_"):
                self.assertGreater(c, 400000)  # tooling and outside help at least
            else:
                self.assertEqual(c, 0)
                self.assertEqual(n, 0)


class ReportExport(unittest.TestCase):
    def test_report_exports_the_tables_for_spreadsheets_with_units_and_refuses_bad_input(self):
        out = fresh("export.h5")
        r = itsim(*SHORT, "-r", "2", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        book = fresh("export.xlsx")
        r = subprocess.run([ITSIM, "report", out, "--format", "xlsx", "-o", book],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        import zipfile
        with zipfile.ZipFile(book) as z:
            self.assertIn("xl/workbook.xml", z.namelist())
        folder = path("export_csv")
        if os.path.isdir(folder):
            for f in os.listdir(folder):
                os.remove(os.path.join(folder, f))
            os.rmdir(folder)
        r = subprocess.run([ITSIM, "report", out, "--format", "csv", "-o", folder],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(folder)), ["comparison.csv", "runs.csv", "summary.csv"])
        with open(os.path.join(folder, "summary.csv")) as f:
            header = f.readline()
        self.assertIn("net_value_mean (USD)", header)
        # A format it does not know: usage (64); an existing workbook without --force: 73.
        r = subprocess.run([ITSIM, "report", out, "--format", "ods", "-o", book],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 64, r.stderr)
        r = subprocess.run([ITSIM, "report", out, "--format", "xlsx", "-o", book],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn(book, r.stderr)


if __name__ == "__main__":
    os.makedirs(WORK_DIR, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v"])
