#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`itsim calibrate` end to end: --check's exit codes under its tolerance options (0 within,
1 when a measure misses, 64 for a tolerance without --check or below 0), and --events with
the shipped ServiceNow event-log mapping and its hand-written example.

    calibrate_cli_test.py ITSIM SOURCE_DIR WORK_DIR
"""
import os
import random
import subprocess
import sys
import unittest
from datetime import datetime, timedelta

ITSIM, SOURCE_DIR, WORK_DIR = (os.path.abspath(a) for a in sys.argv[1:4])
MAPPINGS = os.path.join(SOURCE_DIR, "scenarios", "calibration")
DATA = os.path.join(SOURCE_DIR, "tests", "data", "calibration")
EXPORT = os.path.join(WORK_DIR, "tickets.csv")
STAFF = ["--staff", "l1=3,l2=6,l3=14,ba=6,dev=40", "--employees", "2000"]


def calibrate(*args):
    return subprocess.run([ITSIM, "calibrate", *args], capture_output=True, text=True,
                          timeout=300)


def setUpModule():
    # Ten weeks of incidents resolved at the desk: 200 a week, 10-20 minutes of work,
    # resolved one to two hours after opening.
    os.makedirs(WORK_DIR, exist_ok=True)
    rng = random.Random(7)
    start = datetime(2024, 1, 1)
    with open(EXPORT, "w") as f:
        f.write("number,opened_at,resolved_at,closed_at,priority,category,assignment_group,"
                "reassignment_count,reopen_count,time_worked,resolved_by\n")
        n = 2000
        for i in range(n):
            t = start + timedelta(hours=(i + rng.random()) * 10 * 168 / n)
            r = t + timedelta(hours=1 + rng.random())
            f.write(f"INC{i},{t:%Y-%m-%d %H:%M:%S},{r:%Y-%m-%d %H:%M:%S},,3 - Moderate,"
                    f"software,Service Desk,0,0,{600 + rng.randrange(600)},someone\n")


class Check(unittest.TestCase):
    def run_check(self, name, *tolerances):
        out = os.path.join(WORK_DIR, name)
        return calibrate(EXPORT, "--mapping", os.path.join(MAPPINGS, "servicenow-incident.yaml"),
                         "-o", out, "--force", *STAFF, "--check", "-r", "2", *tolerances)

    def test_within_the_given_tolerances_exits_0(self):
        r = self.run_check("loose.yaml", "--tolerance-volume", "10", "--tolerance-share", "1",
                           "--tolerance-lead", "1000")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("tickets a week", r.stdout)
        self.assertIn("+-1000%", r.stdout)  # the volume's tolerance as given
        self.assertNotIn("MISS", r.stdout)

    def test_a_miss_exits_1_and_says_where(self):
        r = self.run_check("tight.yaml", "--tolerance-volume", "0", "--tolerance-share", "0",
                           "--tolerance-lead", "0")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("MISS", r.stdout)
        self.assertIn("When the back-test misses", r.stdout)

    def test_tolerances_are_usage_checked(self):
        r = calibrate(EXPORT, "--mapping", os.path.join(MAPPINGS, "servicenow-incident.yaml"),
                      "-o", os.path.join(WORK_DIR, "x.yaml"), "--force", *STAFF,
                      "--tolerance-lead", "0.3")
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn("--tolerance-lead needs --check", r.stderr)
        r = self.run_check("neg.yaml", "--tolerance-share", "-0.1")
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(WORK_DIR, "neg.yaml")))


class Events(unittest.TestCase):
    def test_the_event_log_gives_the_routes_with_bounce_backs(self):
        out = os.path.join(WORK_DIR, "events.yaml")
        r = calibrate(os.path.join(DATA, "servicenow_event_incidents.csv"),
                      "--events", os.path.join(DATA, "servicenow_events.csv"),
                      "--mapping", os.path.join(MAPPINGS, "servicenow-event-log.yaml"),
                      "-o", out, "--force", *STAFF)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 rows name tickets not in the ticket export", r.stderr)
        self.assertIn("1 tickets not done at the log's end", r.stderr)
        with open(out) as f:
            text = f.read()
        self.assertIn("# event log: 4 visits to l1", text)
        self.assertIn("next: {l1: 0.3334, l3: 0.3333, done: 0.3333", text)
        v = subprocess.run([ITSIM, "validate", out], capture_output=True, text=True)
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)

    def test_a_mapping_without_events_is_a_data_error(self):
        r = calibrate(os.path.join(DATA, "servicenow_incident.csv"),
                      "--events", os.path.join(DATA, "servicenow_events.csv"),
                      "--mapping", os.path.join(MAPPINGS, "servicenow-incident.yaml"),
                      "-o", os.path.join(WORK_DIR, "none.yaml"), "--force", *STAFF)
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertIn("--events needs an events: section", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(WORK_DIR, "none.yaml")))

    def test_a_bad_event_row_names_its_row_and_column(self):
        bad = os.path.join(WORK_DIR, "bad_events.csv")
        with open(bad, "w") as f:
            f.write("number,incident_state,sys_updated_at,assignment_group\n"
                    "INC0000045,New,29/02/2016 09:00,Service Desk\n"
                    "INC0000045,Parked,29/02/2016 09:30,Service Desk\n")
        r = calibrate(os.path.join(DATA, "servicenow_event_incidents.csv"), "--events", bad,
                      "--mapping", os.path.join(MAPPINGS, "servicenow-event-log.yaml"),
                      "-o", os.path.join(WORK_DIR, "bad.yaml"), "--force", *STAFF)
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertIn("bad_events.csv:3:incident_state: unknown state value \"Parked\"", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
