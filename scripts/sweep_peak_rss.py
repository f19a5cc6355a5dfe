#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Peak memory of `itsim sweep` against its run count (issue 17, point 2): the final
assembly streams the runs from the journal into the file a point at a time, so the peak
must not grow with the runs.

    scripts/sweep_peak_rss.py ITSIM SOURCE_DIR WORK_DIR [--runs 25000,100000]
                              [--replications R] [--weeks W] [--bound-mb MB]
                              [--max-ratio X] [-j N]

For each run count N: an LHS sweep of scenarios/midsize.yaml (its four models) over two
factors with N / (4 R) points x R replications (default 5) of W weeks (default 2, one of
warm-up), -j N threads (default 2). Prints the runs, the peak resident memory of the
itsim process (its ru_maxrss) and the wall time of each, and exits 1 when a peak is over
--bound-mb (default 512) or the largest run count's peak is over --max-ratio (default 1.3)
times the smallest's.
"""
import argparse
import os
import subprocess
import sys
import time


def measure(itsim, source_dir, work_dir, runs, replications=5, weeks=2, threads=2):
    """(runs in the file, peak RSS in MB, wall seconds) of one sweep; its files are removed."""
    os.makedirs(work_dir, exist_ok=True)
    points = max(1, runs // (4 * replications))
    sweep = os.path.join(work_dir, "sweep_rss_%d.yaml" % os.getpid())
    out = os.path.join(work_dir, "sweep_rss_%d.h5" % os.getpid())
    with open(sweep, "w") as f:
        f.write("sweep: peak_rss\nscenario: %s\nset: {horizon: %dw, warmup: 1w}\n"
                "replications: %d\ndesign: {type: lhs, samples: %d, seed: 1}\nfactors:\n"
                "  mechanisms.handoff.retention: {min: 0.6, max: 0.95}\n"
                "  staff.pools.l1.headcount: {min: 6, max: 12, integer: true}\n"
                % (os.path.abspath(os.path.join(source_dir, "scenarios", "midsize.yaml")), weeks, replications,
                   points))
    for name in os.listdir(work_dir):
        if name.startswith(os.path.basename(out)):
            os.remove(os.path.join(work_dir, name))
    args = [itsim, "sweep", sweep, "-o", out, "-j", str(threads), "--progress", "none"]
    started = time.monotonic()
    # A fresh process per measurement, so that RUSAGE_CHILDREN's peak is this sweep's.
    code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], "
            "stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True); "
            "sys.stderr.write(r.stderr); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    wall = time.monotonic() - started
    if r.returncode not in (0, 1):  # 1: some runs failed, recorded in the file
        raise RuntimeError("itsim sweep failed (%d): %s" % (r.returncode, r.stderr))
    peak_mb = int(r.stdout.split()[-1]) / 1024.0
    import h5py  # Debian's python3-h5py
    with h5py.File(out) as f:
        rows = f["runs/run"].shape[0]
    os.remove(out)
    os.remove(sweep)
    return rows, peak_mb, wall


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("itsim")
    p.add_argument("source_dir")
    p.add_argument("work_dir")
    p.add_argument("--runs", default="25000,100000")
    p.add_argument("--replications", type=int, default=5)
    p.add_argument("--weeks", type=int, default=2)
    p.add_argument("--bound-mb", type=float, default=512.0)
    p.add_argument("--max-ratio", type=float, default=1.3)
    p.add_argument("-j", "--threads", type=int, default=2)
    a = p.parse_args()
    peaks = []
    for n in (int(x) for x in a.runs.split(",")):
        rows, peak, wall = measure(a.itsim, a.source_dir, a.work_dir, n, a.replications, a.weeks,
                                   a.threads)
        peaks.append(peak)
        print("runs %d, peak RSS %.1f MB, wall %.1f s" % (rows, peak, wall), flush=True)
    ratio = peaks[-1] / peaks[0]
    print("largest / smallest peak %.2f (bound %.2f); bound %.0f MB" % (ratio, a.max_ratio,
                                                                       a.bound_mb))
    return 0 if max(peaks) <= a.bound_mb and ratio <= a.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
