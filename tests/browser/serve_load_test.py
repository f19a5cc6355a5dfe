# SPDX-License-Identifier: Apache-2.0
"""Bounded load test of `itsim serve` on loopback: 10 clients make 5 lever changes each
(50 in all) and follow their comparisons, while a prober checks that the server keeps
answering /api/levers quickly; bad requests (malformed JSON, unknown lever, out-of-range
value, oversized body) get 400/413 throughout; afterwards a known lever value gives the
numbers of the CLI run (RESULTS.h5) and the server's memory (RSS from /proc) stayed bounded.
Talks only to 127.0.0.1. usage: /usr/bin/python3 serve_load_test.py PORT PID RESULTS.h5 LEVER VALUE"""
import json
import sys
import threading
import time
import urllib.error
import urllib.request

import h5py

port, pid, results, lever, value = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
base = f"http://127.0.0.1:{port}"
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
deadline = time.monotonic() + 240  # the whole test's bound
errors = []


def call(path, body=None, timeout=30):
    req = urllib.request.Request(base + path, data=body, method="POST" if body is not None else "GET")
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def rss_mb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_job(job):
    while time.monotonic() < deadline:
        status, body = call(f"/api/result?job={job}&have=-2")
        if status != 200:
            return None
        r = json.loads(body)
        if r["state"] != "running":
            return r
        time.sleep(0.2)
    errors.append(f"job {job} did not finish in time")
    return None


levers = json.loads(call("/api/levers")[1])["levers"]
ranged = [l for l in levers if l["kind"] == "range"]
rss_start = rss_mb()
counts = {"202": 0, "503": 0, "done": 0, "cancelled": 0}
lock = threading.Lock()


def client(k):
    for i in range(5):
        l = ranged[(k + i) % len(ranged)]
        steps = int(round((l["max"] - l["min"]) / l["step"]))
        v = l["min"] + ((k * 7 + i * 3) % (steps + 1)) * l["step"]
        status, body = call("/api/run", json.dumps({l["id"]: round(v, 10)}).encode())
        with lock:
            counts[str(status)] = counts.get(str(status), 0) + 1
        if status == 202:
            r = wait_job(json.loads(body)["job"])
            if r is not None:
                with lock:
                    counts[r["state"]] = counts.get(r["state"], 0) + 1
                if r["state"] == "failed":
                    errors.append(f"job failed: {r.get('error')}")
        elif status != 503:
            errors.append(f"POST {l['id']}={v}: HTTP {status} {body[:200]!r}")
        time.sleep(0.05)


bad = [(b"{\"l1_headcount\": ", 400), (b"{\"no_such_lever\": 1}", 400),
       (json.dumps({ranged[0]["id"]: ranged[0]["max"] + 1}).encode(), 400),
       (b"{\"x\": \"" + b"a" * 100000 + b"\"}", 413)]
latencies = []


def prober():
    i = 0
    while any(t.is_alive() for t in clients) and time.monotonic() < deadline:
        t0 = time.monotonic()
        status, _ = call("/api/levers", timeout=10)
        latencies.append(time.monotonic() - t0)
        if status != 200:
            errors.append(f"/api/levers: HTTP {status} under load")
        body, expected = bad[i % len(bad)]
        status, _ = call("/api/run", body)
        if status != expected:
            errors.append(f"bad request {body[:30]!r}: HTTP {status}, expected {expected}")
        i += 1
        time.sleep(0.1)


clients = [threading.Thread(target=client, args=(k,)) for k in range(10)]
t_start = time.monotonic()
for t in clients:
    t.start()
probe = threading.Thread(target=prober)
probe.start()
for t in clients:
    t.join()
probe.join()
storm_s = time.monotonic() - t_start
rss_peak = rss_mb()

# After the storm: a known value gives the CLI's numbers.
status, body = 503, b""
while status == 503 and time.monotonic() < deadline:
    status, body = call("/api/run", json.dumps({lever: float(value)}).encode())
    time.sleep(0.2)
if status != 202:
    errors.append(f"final POST: HTTP {status} {body[:200]!r}")
else:
    r = wait_job(json.loads(body)["job"])
    if r is None or r["state"] != "done":
        errors.append(f"final comparison: {r and r['state']}")
    else:
        status, body = call(f"/api/result?job={r['job']}")
        html = json.loads(body)["board"]["html"]
        f = h5py.File(results, "r")
        models = list(f["summary"]["model"].asstr()[:])
        for m in models:
            stored = float(f["summary"]["net_value_mean"][models.index(m)])
            tag = f'data-kpi="net_value" data-model="{m}" data-mean="'
            at = html.find(tag)
            if at < 0:
                errors.append(f"no net_value cell for {m}")
                continue
            page = float(html[at + len(tag):html.index('"', at + len(tag))])
            if page != stored:
                errors.append(f"{m} net_value: server {page}, CLI {stored}")
rss_end = rss_mb()
slow = max(latencies) if latencies else float("nan")
print(f"serve_load_test: 50 lever changes from 10 clients in {storm_s:.1f} s: {counts}; "
      f"/api/levers answered {len(latencies)} times, slowest {slow:.2f} s; "
      f"RSS {rss_start:.0f} MB at start, {rss_peak:.0f} MB after the storm, {rss_end:.0f} MB at the end")
if not latencies or slow > 2.0:
    errors.append(f"the server was slow to answer under load: {slow:.2f} s")
if counts.get("done", 0) + counts.get("cancelled", 0) == 0:
    errors.append("no comparison ran")
if rss_end > 1500 or rss_peak > 1500:
    errors.append(f"memory not bounded: RSS {rss_peak:.0f} / {rss_end:.0f} MB")
for e in errors:
    print("FAIL", e)
sys.exit(1 if errors else 0)
