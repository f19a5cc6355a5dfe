#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`itsim show --calibration` end to end: MODEL.md's calibration targets, each marked as set
by an input or emerging, and, from a results file, the measured mean and its 99% interval
of the baseline (or --model) with a verdict; and its usage and input errors.

    show_calibration_cli_test.py ITSIM SOURCE_DIR WORK_DIR
"""
import os
import re
import subprocess
import sys
import unittest

import h5py
import numpy as np

ITSIM, SOURCE_DIR, WORK_DIR = (os.path.abspath(a) for a in sys.argv[1:4])
MIDSIZE = os.path.join(SOURCE_DIR, "scenarios", "midsize.yaml")
RESULTS = os.path.join(WORK_DIR, "midsize.h5")
TARGETS = 7


def show(*args):
    return subprocess.run([ITSIM, "show", "--calibration", *args], capture_output=True,
                          text=True, timeout=120)


def blocks(text):
    """The text of each target's block, keyed by the KPI its band line names."""
    out = {}
    for block in text.split("\n\n"):
        m = re.search(r"^  band:\s+(\w+) in \[", block, re.M)
        if m:
            out[m.group(1)] = block
    return out


def setUpModule():
    # Half a year, five replications; L1 at twice its loaded cost, so that the cost per
    # ticket (an identity of headcount and wage) misses its band while the routing's
    # first-contact resolution stays inside.
    r = subprocess.run([ITSIM, "run", MIDSIZE, "-o", RESULTS, "--force", "--progress", "none",
                        "-r", "5", "--set", "horizon=26w", "--set", "warmup=8w",
                        "--set", "staff.pools.l1.cost_per_hour=88"],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)


class WithoutResults(unittest.TestCase):
    def test_lists_every_target_as_set_by_input_or_emerging(self):
        r = show()
        self.assertEqual(r.returncode, 0, r.stderr)
        b = blocks(r.stdout)
        self.assertEqual(len(b), TARGETS, r.stdout)
        set_by = [k for k, v in b.items() if "set by input:" in v]
        emerges = [k for k, v in b.items() if "emerges:" in v]
        self.assertEqual(sorted(set_by), ["cost_per_ticket_l1", "first_contact_resolution",
                                          "resolved_at_l1"])
        self.assertEqual(len(emerges), 4)
        self.assertIn("band:     first_contact_resolution in [0.67, 0.74]", r.stdout)
        self.assertIn("mechanisms.shadow.run_cost_per_week", b["shadow_share"])
        self.assertNotIn("measured:", r.stdout)
        self.assertIn("itsim show --calibration midsize.h5", r.stdout)


class FromResults(unittest.TestCase):
    def test_measures_the_baseline_with_a_99_percent_interval(self):
        r = show(RESULTS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("model passive", r.stdout)
        b = blocks(r.stdout)
        self.assertEqual(len(b), TARGETS, r.stdout)
        with h5py.File(RESULTS, "r") as f:
            models = [m.decode() for m in f["runs"]["model"][()]]
            fcr = f["runs"]["first_contact_resolution"][()][np.array(models) == "passive"]
        m = re.search(r"measured: ([0-9.]+), 99% CI \[([0-9.]+), ([0-9.]+)\] over 5 runs: (\w+)",
                      b["first_contact_resolution"])
        self.assertIsNotNone(m, b["first_contact_resolution"])
        self.assertAlmostEqual(float(m.group(1)), fcr.mean(), places=3)
        half = 4.604094871415897 * fcr.std(ddof=1) / np.sqrt(5)  # t(0.995, 4 dof)
        self.assertAlmostEqual(float(m.group(3)) - float(m.group(2)), 2 * half, places=3)
        self.assertEqual(m.group(4), "met")
        # Twice L1's wage doubles the cost per ticket, about 44: out of the 18-26 band.
        self.assertRegex(b["cost_per_ticket_l1"], r"measured: 4[0-9.]+, .*MISSED")
        self.assertRegex(r.stdout, r"\n[0-9] of 7 targets met by passive\.")

    def test_model_option_measures_another_model(self):
        r = show(RESULTS, "--model", "coe")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("model coe", r.stdout)
        self.assertEqual(r.stdout.count("measured:"), TARGETS)


class Errors(unittest.TestCase):
    def test_usage_errors_exit_64(self):
        for args in (["--model", "nosuch", RESULTS], ["--resolved", RESULTS],
                     ["--model", "passive"], [RESULTS, RESULTS]):
            with self.subTest(args=args):
                r = show(*args)
                self.assertEqual(r.returncode, 64, r.stdout + r.stderr)
        r = subprocess.run([ITSIM, "show", "--model", "passive", MIDSIZE], capture_output=True,
                           text=True)
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn("--model needs --calibration", r.stderr)

    def test_missing_or_foreign_file_exits_66(self):
        r = show(os.path.join(WORK_DIR, "missing.h5"))
        self.assertEqual(r.returncode, 66, r.stderr)
        r = show(MIDSIZE)  # a scenario, not a results file
        self.assertEqual(r.returncode, 66, r.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
