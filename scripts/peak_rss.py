#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Peak memory of `itsim run --detail requests` on one pool (issue 17): the item rows go to
the file as runs finish, so the peak must not grow with the row count.

    scripts/peak_rss.py ITSIM SOURCE_DIR WORK_DIR [--weeks W] [--replications R]
                        [--rate PER_HOUR] [--bound-mb MB] [-j N]

Runs scenarios/validation/mmc.yaml with one pool of `rate * 1.3` people (load about 0.77)
at `rate` items an hour (default 14) for W weeks (default 52) x R replications (default
30), prints the rows written, the peak resident memory of the itsim process (its
ru_maxrss) and the wall time, and exits 1 when the peak is over --bound-mb (default 300).
"""
import argparse
import math
import os
import resource
import subprocess
import sys
import time


def measure(itsim, source_dir, work_dir, weeks=52, replications=30, rate=14.0, threads=2):
    """(rows, peak RSS in MB, wall seconds) of one streamed run; the file is removed."""
    os.makedirs(work_dir, exist_ok=True)
    out = os.path.join(work_dir, "peak_rss_%d.h5" % os.getpid())
    if os.path.exists(out):
        os.remove(out)
    headcount = int(math.ceil(rate * 1.3))
    args = [itsim, "run", os.path.join(source_dir, "scenarios", "validation", "mmc.yaml"),
            "--set", "horizon=%dw" % weeks, "--set", "demand.work_types.ticket.rate=%g/h" % rate,
            "--set", "staff.pools.desk.headcount=%d" % headcount, "-r", str(replications),
            "-j", str(threads), "--detail", "requests", "--progress", "none", "-o", out]
    started = time.monotonic()
    # A fresh process per measurement, so that RUSAGE_CHILDREN's peak is this run's.
    code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], "
            "stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True); "
            "sys.stderr.write(r.stderr); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    wall = time.monotonic() - started
    if r.returncode != 0:
        raise RuntimeError("itsim run failed (%d): %s" % (r.returncode, r.stderr))
    peak_mb = int(r.stdout.split()[-1]) / 1024.0
    import h5py  # Debian's python3-h5py
    with h5py.File(out) as f:
        rows = f["requests/row"].shape[0]
    os.remove(out)
    return rows, peak_mb, wall


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("itsim")
    p.add_argument("source_dir")
    p.add_argument("work_dir")
    p.add_argument("--weeks", type=int, default=52)
    p.add_argument("--replications", type=int, default=30)
    p.add_argument("--rate", type=float, default=14.0)
    p.add_argument("--bound-mb", type=float, default=300.0)
    p.add_argument("-j", "--threads", type=int, default=2)
    a = p.parse_args()
    rows, peak, wall = measure(a.itsim, a.source_dir, a.work_dir, a.weeks, a.replications,
                               a.rate, a.threads)
    print("rows %d, peak RSS %.1f MB, wall %.1f s (bound %.0f MB)" % (rows, peak, wall,
                                                                    a.bound_mb))
    return 0 if peak <= a.bound_mb else 1


if __name__ == "__main__":
    sys.exit(main())
