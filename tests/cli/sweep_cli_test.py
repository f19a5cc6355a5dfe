#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`itsim sweep` and `itsim merge` end to end (docs/sweeps.md): serial, -j 2, two shards
merged and MPI give identical results; --resume after SIGINT and after kill -9 gives the
file an uninterrupted sweep gives; failed runs are recorded; bad input gets its exit code.

    sweep_cli_test.py ITSIM SOURCE_DIR WORK_DIR
"""
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest

import h5py
import numpy as np

ITSIM, SOURCE_DIR, WORK_DIR = (os.path.abspath(a) for a in sys.argv[1:4])
MIDSIZE = os.path.join(SOURCE_DIR, "scenarios", "midsize.yaml")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200"}
for k in ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN"):
    ENV.pop(k, None)


def path(name):
    return os.path.join(WORK_DIR, name)


def write_sweep(name, body, horizon="4w"):
    p = path(name)
    with open(p, "w") as f:
        f.write("scenario: %s\nset: {horizon: %s, warmup: 1w}\n%s" % (MIDSIZE, horizon, body))
    return p


# 6 LHS points x 2 models x 3 replications = 36 short runs.
SMALL = """sweep: small
replications: 3
models: [passive, coe]
design: {type: lhs, samples: 6, seed: 5}
factors:
  mechanisms.handoff.retention: {min: 0.6, max: 0.95}
  staff.pools.l1.headcount: {min: 6, max: 9, integer: true}
"""


def itsim(*args, env=None, cwd=None, **kw):
    return subprocess.run([ITSIM, *args], capture_output=True, text=True, env=env or ENV,
                          cwd=cwd or WORK_DIR, timeout=900, **kw)


def fresh(*names):
    for n in names:
        for f in os.listdir(WORK_DIR):
            if f == n or f.startswith(n + ".journal"):
                os.remove(path(f))
    return [path(n) for n in names] if len(names) > 1 else path(names[0])


def group(file, name):
    with h5py.File(file) as f:
        g = f[name]
        return {k: (g[k].asstr()[:] if g[k].dtype.kind in "OS" else g[k][:]) for k in g}


def assert_same_groups(test, a, b, groups=("runs", "points", "summary", "comparison",
                                           "sensitivity", "winners")):
    for g in groups:
        ga, gb = group(a, g), group(b, g)
        test.assertEqual(sorted(ga), sorted(gb), g)
        for k in ga:
            np.testing.assert_array_equal(ga[k], gb[k], err_msg="%s/%s" % (g, k))


class Equivalence(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sweep = write_sweep("small.yaml", SMALL)
        cls.serial = fresh("serial.h5")
        r = itsim("sweep", cls.sweep, "-o", "serial.h5", "-j", "1", "--progress", "none")
        assert r.returncode == 0, r.stderr
        cls.stdout = r.stdout

    def test_the_file_holds_the_sweep(self):
        runs = group(self.serial, "runs")
        self.assertEqual(len(runs["model"]), 36)
        self.assertEqual(sorted(set(runs["point"])), list(range(6)))
        self.assertIn("mechanisms_handoff_retention", runs)
        self.assertIn("staff_pools_l1_headcount", runs)
        with h5py.File(self.serial) as f:
            col = f["runs/mechanisms_handoff_retention"]
            self.assertEqual(col.attrs["key_path"], "mechanisms.handoff.retention")
            self.assertEqual(col.attrs["role"], "factor")
            self.assertEqual(f["sweep"].attrs["design"], "lhs")
            self.assertEqual(int(f["sweep"].attrs["runs_total"]), 36)
        # Replications innermost, then models, points outermost.
        np.testing.assert_array_equal(runs["replication"][:6], [0, 1, 2, 0, 1, 2])
        self.assertEqual(list(runs["model"][:6]), ["passive"] * 3 + ["coe"] * 3)
        sens = group(self.serial, "sensitivity")
        kpis = len(runs) - 7 - 2  # run, model, replication, point, seed, status, message; 2 factors
        self.assertEqual(len(sens["model"]), 2 * kpis * 2)  # models x KPIs x factors
        rows = [i for i in range(len(sens["model"]))
                if sens["model"][i] == "passive" and sens["kpi"][i] == "wait_mean_h"]
        self.assertEqual(len(rows), 2)
        # More first-line agents shorten waits: the L1 headcount's coefficient is negative
        # and ranks first for the wait.
        l1 = [i for i in rows if sens["factor"][i] == "staff_pools_l1_headcount"][0]
        self.assertLess(sens["src"][l1], 0)
        self.assertEqual(sens["rank"][l1], 1)
        win = group(self.serial, "winners")
        self.assertEqual(len(win["point"]), 6)
        self.assertIn("Where each model wins", self.stdout)

    def test_threads_shards_and_mpi_give_the_same_results(self):
        j2 = fresh("j2.h5")
        r = itsim("sweep", self.sweep, "-o", "j2.h5", "-j", "2", "--progress", "none")
        self.assertEqual(r.returncode, 0, r.stderr)
        assert_same_groups(self, self.serial, j2)

        shards = []
        for k in (1, 2):
            fresh("sh.shard-%d-of-2.h5" % k)
            r = itsim("sweep", self.sweep, "-o", "sh.h5", "--shard", "%d/2" % k, "--progress",
                      "none")
            self.assertEqual(r.returncode, 0, r.stderr)
            shards.append(path("sh.shard-%d-of-2.h5" % k))
        merged = fresh("merged.h5")
        r = itsim("merge", "-o", "merged.h5", *shards)
        self.assertEqual(r.returncode, 0, r.stderr)
        assert_same_groups(self, self.serial, merged)

        # Shard from a Slurm job array's environment.
        fresh("slurm.shard-2-of-2.h5")
        env = {**ENV, "SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "4",
               "SLURM_ARRAY_TASK_COUNT": "2"}
        r = itsim("sweep", self.sweep, "-o", "slurm.h5", "--progress", "none", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("shard 2/2 from the Slurm job array", r.stderr)
        assert_same_groups(self, shards[1], path("slurm.shard-2-of-2.h5"), groups=("runs",))

        version = itsim("--version").stdout
        mpirun = shutil.which("mpirun")
        if "MPI" not in version or mpirun is None:
            print("(MPI not built in: the MPI comparison is skipped)")
            return
        mpi = fresh("mpi.h5")
        env = {**ENV, "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
               "OMPI_MCA_rmaps_base_oversubscribe": "1"}
        r = subprocess.run([mpirun, "--oversubscribe", "-np", "3", ITSIM, "sweep", self.sweep,
                            "-o", "mpi.h5", "--progress", "lines"], capture_output=True,
                           text=True, env=env, cwd=WORK_DIR, timeout=900)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        assert_same_groups(self, self.serial, mpi)
        self.assertEqual([f for f in os.listdir(WORK_DIR) if "mpi.h5.journal" in f], [])


class Resume(unittest.TestCase):
    def interrupted_then_resumed(self, sig, name):
        # 40 points x 2 models x 2 replications of a quarter: long enough to interrupt.
        sweep = write_sweep(name + ".yaml", """sweep: long
replications: 2
models: [passive, coe]
design: {type: lhs, samples: 40, seed: 5}
factors:
  mechanisms.handoff.retention: {min: 0.6, max: 0.95}
""", horizon="13w")
        out = fresh(name + ".h5")
        p = subprocess.Popen([ITSIM, "sweep", sweep, "-o", name + ".h5", "-j", "2",
                              "--progress", "none"], cwd=WORK_DIR, env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        journal = out + ".journal"
        deadline = time.time() + 60
        while time.time() < deadline:  # wait for some finished runs
            if os.path.exists(journal) and os.path.getsize(journal) > 2000:
                break
            time.sleep(0.05)
        p.send_signal(sig)
        _, err = p.communicate(timeout=120)
        if sig == signal.SIGINT:
            self.assertEqual(p.returncode, 130, err)
            self.assertIn("--resume", err)
        self.assertFalse(os.path.exists(out))
        self.assertTrue(os.path.exists(journal))
        r = itsim("sweep", sweep, "-o", name + ".h5", "--progress", "none")
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn("--resume", r.stderr)
        r = itsim("sweep", sweep, "-o", name + ".h5", "--resume", "--progress", "lines")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("resuming:", r.stderr)
        self.assertFalse(os.path.exists(journal))
        whole = fresh(name + "_whole.h5")
        r = itsim("sweep", sweep, "-o", name + "_whole.h5", "--progress", "none")
        self.assertEqual(r.returncode, 0, r.stderr)
        assert_same_groups(self, whole, out)

    def test_a_disk_that_fills_exits_74_and_resume_finishes(self):
        # RLIMIT_FSIZE stands in for a full disk (SIGXFSZ ignored: writes fail with EFBIG):
        # each file may hold 64 KB, enough for the journal of the 36 runs, not for the
        # results. Exit 74, nothing under the target's name, the journal intact; --resume
        # (without the limit) runs nothing again and writes the file a plain sweep writes.
        import resource
        sweep = write_sweep("full.yaml", SMALL)
        out = fresh("full.h5")

        def limit_file_size():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

        r = itsim("sweep", sweep, "-o", "full.h5", "-j", "2", "--progress", "none",
                  preexec_fn=limit_file_size)
        self.assertEqual(r.returncode, 74, r.stderr)
        self.assertIn("File too large", r.stderr)
        self.assertFalse(os.path.exists(out))
        self.assertEqual([f for f in os.listdir(WORK_DIR) if f.startswith(".full.h5")], [])
        journal = out + ".journal"
        self.assertTrue(os.path.exists(journal))
        r = itsim("sweep", sweep, "-o", "full.h5", "--resume", "--progress", "none")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("resuming: 36 of 36 runs already done", r.stderr)
        self.assertFalse(os.path.exists(journal))
        whole = fresh("full_whole.h5")
        r = itsim("sweep", sweep, "-o", "full_whole.h5", "--progress", "none")
        self.assertEqual(r.returncode, 0, r.stderr)
        assert_same_groups(self, whole, out)

    def test_resume_after_ctrl_c(self):
        self.interrupted_then_resumed(signal.SIGINT, "ctrl_c")

    def test_resume_after_kill_9(self):
        self.interrupted_then_resumed(signal.SIGKILL, "killed")


class MpiRankDies(unittest.TestCase):
    def test_a_dead_rank_loses_nothing_finished(self):
        mpirun = shutil.which("mpirun")
        if "MPI" not in itsim("--version").stdout or mpirun is None:
            self.skipTest("MPI not built in")
        sweep = write_sweep("dies.yaml", """sweep: dies
replications: 2
models: [passive, coe]
design: {type: lhs, samples: 40, seed: 5}
factors:
  mechanisms.handoff.retention: {min: 0.6, max: 0.95}
""", horizon="13w")
        out = fresh("dies.h5")
        env = {**ENV, "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
        p = subprocess.Popen([mpirun, "--oversubscribe", "-np", "3", ITSIM, "sweep", sweep, "-o",
                              "dies.h5", "--progress", "none"], cwd=WORK_DIR, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        journal = out + ".journal.rank-1"
        deadline = time.time() + 60
        while time.time() < deadline:
            if os.path.exists(journal) and os.path.getsize(journal) > 2000:
                break
            time.sleep(0.05)
        # Kill worker rank 1 (the one writing that journal) as a node failure would.
        ranks = subprocess.run(["pgrep", "-f", "itsim sweep .*dies.yaml"], capture_output=True,
                               text=True).stdout.split()
        victim = None
        for pid in ranks:
            try:
                with open("/proc/%s/environ" % pid, "rb") as f:
                    if b"OMPI_COMM_WORLD_RANK=1\0" in f.read():
                        victim = int(pid)
            except OSError:
                pass
        self.assertIsNotNone(victim, ranks)
        os.kill(victim, signal.SIGKILL)
        _, err = p.communicate(timeout=120)
        self.assertNotEqual(p.returncode, 0)
        self.assertFalse(os.path.exists(out))
        kept = [f for f in os.listdir(WORK_DIR) if f.startswith("dies.h5.journal")]
        self.assertIn("dies.h5.journal.rank-1", kept)
        # What finished, on every rank, is kept: a serial --resume completes the sweep into
        # the file an uninterrupted sweep writes.
        r = itsim("sweep", sweep, "-o", "dies.h5", "--resume", "--progress", "none")
        self.assertEqual(r.returncode, 0, r.stderr)
        done_before = int(r.stderr.split("resuming: ")[1].split()[0])
        self.assertGreater(done_before, 0)
        whole = fresh("dies_whole.h5")
        r = itsim("sweep", sweep, "-o", "dies_whole.h5", "--progress", "none")
        self.assertEqual(r.returncode, 0, r.stderr)
        assert_same_groups(self, whole, out)


class Failures(unittest.TestCase):
    def test_a_failing_point_is_recorded_and_the_others_run(self):
        # Each value is valid on its own; together (a warm-up as long as the horizon) not.
        sweep = write_sweep("fail.yaml", """replications: 2
models: [passive]
factors:
  warmup: [1w, 5w]
  horizon: [4w, 6w]
""", horizon="6w")
        out = fresh("fail.h5")
        r = itsim("sweep", sweep, "-o", "fail.h5", "--progress", "none")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("2 of 8 runs failed", r.stderr)
        runs = group(out, "runs")
        failed = [i for i in range(8) if runs["status"][i] != 0]
        self.assertEqual(len(failed), 2)
        self.assertIn("warmup", runs["message"][failed[0]])
        self.assertTrue(np.isnan(runs["net_value"][failed[0]]))


class BadInput(unittest.TestCase):
    def test_exit_codes(self):
        sweep = write_sweep("bad_ok.yaml", SMALL)
        cases = [
            (["sweep", sweep, "-o", "x.h5", "--shard", "3/2"], 64, "--shard"),
            (["sweep", sweep, "-o", "x.h5", "--shard", "two"], 64, "--shard"),
            (["sweep", sweep, "-o", "x.h5", "-j", "0"], 64, "--threads"),
            (["sweep", sweep], 64, "--output"),
            (["sweep", path("missing.yaml"), "-o", "x.h5"], 66, "missing.yaml"),
            (["sweep", write_sweep("bad_path.yaml", "factors: {staff.pools.l7.headcount: [1]}\n"),
              "-o", "x.h5"], 65, "bad_path.yaml:3:11: factors.staff.pools.l7.headcount"),
            (["sweep", write_sweep("bad_lhs.yaml", "design: {type: lhs, samples: 0}\n"
                                   "factors: {staff.pools.l1.headcount: {min: 6, max: 9}}\n"),
              "-o", "x.h5"], 65, "needs `samples` of at least 1, got 0"),
            (["sweep", write_sweep("bad_c.yaml", "factors: {staff.pools.l1.headcount: [6, 7]}\n"
                                   "constraint: staff.pools.l1.headcount > 99\n"),
              "-o", "x.h5"], 65, "removes every one of the 2 points"),
            (["sweep", write_sweep("bad_range.yaml", "design: {type: random, samples: 3}\n"
                                   "factors: {staff.pools.l1.headcount: {min: 9, max: 6}}\n"),
              "-o", "x.h5"], 65, "empty range"),
        ]
        for args, code, text in cases:
            with self.subTest(args=args):
                fresh("x.h5")
                r = itsim(*args)
                self.assertEqual(r.returncode, code, r.stderr)
                self.assertIn(text, r.stderr)
                self.assertFalse(os.path.exists(path("x.h5")))

    def test_dry_run_prints_the_run_table_and_runs_nothing(self):
        sweep = write_sweep("dry.yaml", SMALL)
        r = itsim("sweep", sweep, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("6 points x 2 models x 3 replications = 36 runs", r.stdout)
        lines = r.stdout.splitlines()
        table = lines[lines.index("run\tpoint\tmodel\treplication\tseed") + 1:]
        self.assertEqual(len(table), 36)
        self.assertEqual(table[4].split("\t")[:4], ["4", "0", "coe", "1"])

    def test_merge_refuses_shards_that_do_not_belong_together(self):
        a = write_sweep("ma.yaml", SMALL)
        b = write_sweep("mb.yaml", SMALL.replace("seed: 5", "seed: 6"))
        for name, sweep in (("ma", a), ("mb", b)):
            for k in (1, 2):
                fresh("%s.shard-%d-of-2.h5" % (name, k))
                r = itsim("sweep", sweep, "-o", name + ".h5", "--shard", "%d/2" % k,
                          "--progress", "none")
                self.assertEqual(r.returncode, 0, r.stderr)
        cases = [
            (["ma.shard-1-of-2.h5", "mb.shard-2-of-2.h5"], "a shard of another sweep"),
            (["ma.shard-1-of-2.h5", "ma.shard-1-of-2.h5"], "overlaps"),
            (["ma.shard-1-of-2.h5"], "runs are missing"),
        ]
        for files, text in cases:
            with self.subTest(files=files):
                fresh("m.h5")
                r = itsim("merge", "-o", "m.h5", *files)
                self.assertEqual(r.returncode, 65, r.stderr)
                self.assertIn(text, r.stderr)
                self.assertFalse(os.path.exists(path("m.h5")))
        fresh("m.h5")
        r = itsim("merge", "-o", "m.h5", "ma.shard-2-of-2.h5", "ma.shard-1-of-2.h5")
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    os.makedirs(WORK_DIR, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v"])
