#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`itsim explain` end to end: the terminal table, the /attribution tables of the file,
the identity structure + Shapley values = the paired difference `itsim run` reports, and
bad input (unknown model, the baseline itself, models that do not differ).

    explain_cli_test.py ITSIM SOURCE_DIR WORK_DIR
"""
import os
import subprocess
import sys
import unittest

import h5py
import numpy as np
import xarray as xr

ITSIM, SOURCE_DIR, WORK_DIR = (os.path.abspath(a) for a in sys.argv[1:4])
SCENARIO = os.path.join(SOURCE_DIR, "scenarios", "midsize.yaml")
# Eight weeks, one of warm-up, three replications: seconds, and every model delivers.
SHORT = ["--set", "horizon=8w", "--set", "warmup=1w", "-r", "3", "--progress", "none"]


def path(name):
    return os.path.join(WORK_DIR, name)


def fresh(name):
    p = path(name)
    if os.path.exists(p):
        os.remove(p)
    return p


def itsim(command, *args, scenario=SCENARIO):
    return subprocess.run([ITSIM, command, scenario, *args], capture_output=True, text=True,
                          timeout=600)


def table(out, group):
    return xr.open_dataset(out, group=group, engine="h5netcdf").to_dataframe()


class Attribution(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = fresh("rotation.h5")
        cls.result = itsim("explain", *SHORT, "--model", "rotation", "-j", "2", "-o", cls.out)

    def test_prints_one_table_per_kpi_with_every_switch(self):
        r = self.result
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("rotation against passive", r.stdout)
        self.assertIn("mechanism switches (3): rotation, rotation_learning, "
                      "rotation_boosts", r.stdout)
        self.assertIn("8 variants", r.stdout)
        for kpi in ("net_value", "enhancement_lead_time_p50_h"):
            self.assertIn(kpi + " (", r.stdout)
        for term in ("structure", "rotation_learning", "rotation_boosts", "total"):
            self.assertIn("  " + term + " ", r.stdout)

    def test_file_terms_add_up_to_the_paired_difference_of_itsim_run(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        with h5py.File(self.out) as f:
            self.assertEqual(f.attrs["format"], "itsim-results")
            self.assertIn("attribution", f)
            self.assertEqual(f["attribution"].attrs["method"], "shapley")
        t = table(self.out, "attribution")
        self.assertEqual(len(t), 2 * 5)  # two KPIs x (structure, 3 switches, total)
        per_rep = table(self.out, "attribution_replications")
        for kpi in ("net_value", "enhancement_lead_time_p50_h"):
            rows = per_rep[per_rep.kpi == kpi]
            total = rows[rows.mechanism == "total"].set_index("replication").shapley
            parts = rows[rows.mechanism != "total"].groupby("replication").shapley.sum()
            np.testing.assert_allclose(parts.values, total.values, rtol=1e-9, atol=1e-6)
        # The total is itsim run's paired difference, replication by replication.
        run_out = fresh("run.h5")
        r = itsim("run", *SHORT, "-j", "2", "-o", run_out)
        self.assertEqual(r.returncode, 0, r.stderr)
        runs = table(run_out, "runs")
        net = runs.set_index(["model", "replication"]).net_value
        paired = (net["rotation"] - net["passive"]).values
        rows = per_rep[(per_rep.kpi == "net_value") & (per_rep.mechanism == "total")]
        np.testing.assert_array_equal(rows.sort_values("replication").shapley.values, paired)
        summary = t[(t.kpi == "net_value") & (t.mechanism == "total")]
        self.assertAlmostEqual(float(summary.shapley_mean.iloc[0]), float(paired.mean()),
                               delta=1e-6 * (1 + abs(paired.mean())))
        # /runs holds the baseline and the whole model, as itsim run writes them.
        explain_runs = table(self.out, "runs")
        self.assertEqual(sorted(set(explain_runs.model.astype(str))), ["passive", "rotation"])
        variants = table(self.out, "attribution_variants")
        self.assertEqual(len(variants), 2 * 8 * 3)

    def test_kpi_option_chooses_what_is_attributed(self):
        out = fresh("kpi.h5")
        r = itsim("explain", *SHORT, "--model", "rotation", "--kpi", "perception", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("perception (", r.stdout)
        self.assertNotIn("net_value (", r.stdout)
        self.assertEqual(set(table(out, "attribution").kpi.astype(str)), {"perception"})


class OneAtATime(unittest.TestCase):
    def test_reports_each_switch_alone_and_the_interactions(self):
        r = itsim("explain", *SHORT, "--model", "coe", "--one-at-a-time",
                  "--kpi", "net_value")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("10 variants", r.stdout)  # all on, 8 alone off, all off
        self.assertIn("interactions", r.stdout)
        self.assertIn("wip_limits", r.stdout)


class BadInput(unittest.TestCase):
    def test_unknown_model_exits_64_naming_the_models(self):
        out = fresh("bad.h5")
        r = itsim("explain", *SHORT, "--model", "cloud", "-o", out)
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn("'cloud'", r.stderr)
        self.assertIn("passive, embedded, rotation, coe", r.stderr)
        self.assertFalse(os.path.exists(out))
        r = itsim("explain", *SHORT, "--model", "coe", "--baseline", "desk")
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn("--baseline: no model 'desk'", r.stderr)

    def test_the_baseline_itself_exits_64_naming_it(self):
        r = itsim("explain", *SHORT, "--model", "passive")
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn("'passive' is the baseline 'passive'", r.stderr)
        r = itsim("explain", *SHORT, "--model", "coe", "--baseline", "coe")
        self.assertEqual(r.returncode, 64, r.stderr)

    def test_models_that_do_not_differ_exit_65_naming_both(self):
        twin = path("twin.yaml")
        with open(twin, "w") as f:
            f.write("extends: %s\nmodels:\n  twin: {preset: passive}\n" % SCENARIO)
        r = itsim("explain", *SHORT, "--model", "twin", scenario=twin)
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertIn("'twin' and 'passive'", r.stderr)

    def test_usage_errors_exit_64(self):
        for args, needle in ((["--model", "coe", "--kpi", "speed"], "--kpi"), ([], "--model"),
                             (["--model", "coe", "-r", "0"], "--replications")):
            with self.subTest(args=args):
                r = itsim("explain", *SHORT, *args)
                self.assertEqual(r.returncode, 64, r.stderr)
                self.assertIn(needle, r.stderr)


if __name__ == "__main__":
    os.makedirs(WORK_DIR, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v"])
