#!/usr/bin/env python3
"""stockpyl side of the inventory benchmark.

    bench.py N OUT.csv   draws N random SKUs (seeded), times stockpyl on each
                         policy function, writes parameters and results to
                         OUT.csv and the timings (seconds) to stdout as JSON.
The exact (s,S) search takes about a second per SKU in stockpyl, so it runs on
the first N_SS SKUs only; timings are per function, so ratios stay fair.
"""
import csv
import json
import math
import random
import sys
import time

from stockpyl import eoq, newsvendor as nv, rq, ss


N_SS = 60


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(7)
    skus = []
    for i in range(n):
        h = rng.uniform(0.05, 5.0)
        p = h * rng.uniform(1.5, 40.0)
        K = rng.uniform(1.0, 500.0)
        lam = rng.uniform(50.0, 4000.0)
        sd = lam * rng.uniform(0.05, 0.3)
        L = rng.uniform(0.02, 0.5)
        pois = rng.uniform(1.0, 20.0)
        skus.append(dict(sku=i, h=h, p=p, k=K, lam=lam, sd=sd, lead_time=L, pois=pois))
    timing = {}

    def run(name, fn, subset=None):
        t0 = time.perf_counter()
        for s in skus[:subset]:
            fn(s)
        timing[name] = time.perf_counter() - t0

    run("eoq", lambda s: s.update(eoq_q=eoq.economic_order_quantity(s["k"], s["h"], s["lam"])[0]))
    run("newsvendor", lambda s: s.update(nv_s=float(nv.newsvendor_normal(s["h"], s["p"], s["lam"], s["sd"])[0]),
                                         nv_c=float(nv.newsvendor_normal(s["h"], s["p"], s["lam"], s["sd"])[1])))
    def rqlf(s):
        r, q = rq.r_q_loss_function_approximation(s["h"], s["p"], s["k"], s["lam"], s["sd"], s["lead_time"])
        s.update(rq_r=float(r), rq_q=float(q))
    run("rq_loss_function", rqlf)
    run("rq_cost", lambda s: s.update(rq_c=rq.r_q_cost(s["rq_r"], s["rq_q"], s["h"], s["p"], s["k"], s["lam"],
                                                       s["sd"], s["lead_time"])))
    def ssx(s):
        a, b, c = ss.s_s_discrete_exact(s["h"], s["p"], s["k"], True, s["pois"])
        s.update(ss_lo=float(a), ss_hi=float(b), ss_c=float(c))
    for s in skus:
        s.update(ss_lo="", ss_hi="", ss_c="")
    run("ss_exact_poisson", ssx, N_SS)
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(skus[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(skus)
    json.dump(timing, sys.stdout)


if __name__ == "__main__":
    main()
