"""The peer: implicit's CPU ALS on the same CSV, same factors, regularization,
cg_steps and threads, timing each iteration; optionally its ranking metrics on
a held-out CSV (implicit.evaluation.ranking_metrics_at_k).

implicit scales by alpha itself and takes the result as the confidence; so that
both solve the same equations it is handed 1 + alpha * w with alpha = 1
(Hu, Koren & Volinsky's confidence, which supplyml uses).

usage: implicit_bench.py TRAIN.csv TEST.csv|- factors iterations regularization alpha cg_steps threads
"""
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

train_csv, test_csv = sys.argv[1], sys.argv[2]
LOSS = len(sys.argv) > 9 and sys.argv[9] == "loss"
factors, iterations = int(sys.argv[3]), int(sys.argv[4])
reg, alpha, cg_steps, threads = float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])

from implicit.cpu.als import AlternatingLeastSquares  # noqa: E402
from implicit.evaluation import ranking_metrics_at_k  # noqa: E402

tr = pd.read_csv(train_csv, header=None, names=["u", "i", "w"], dtype={"u": str, "i": str})
users = {u: k for k, u in enumerate(pd.unique(tr.u))}
items = {i: k for k, i in enumerate(pd.unique(tr.i))}
rows = tr.u.map(users).to_numpy()
cols = tr.i.map(items).to_numpy()
conf = (1.0 + alpha * tr.w.to_numpy()).astype(np.float32)
ui = sp.csr_matrix((conf, (rows, cols)), shape=(len(users), len(items)))

times = []
last = [0.0]


def tick(*_):
    now = time.perf_counter()
    times.append(now - last[0])
    last[0] = now


with threadpool_limits(1, "blas"):
    model = AlternatingLeastSquares(factors=factors, regularization=reg, alpha=1.0, iterations=iterations,
                                    use_cg=True, num_threads=threads, random_state=42,
                                    calculate_training_loss=LOSS)
    model.cg_steps = cg_steps  # an attribute, not a constructor argument
    t0 = last[0] = time.perf_counter()
    model.fit(ui, show_progress=False, callback=tick)
    total = time.perf_counter() - t0
print(f"implicit: users {ui.shape[0]} items {ui.shape[1]} nnz {ui.nnz} factors {factors} threads {threads}: "
      f"fit {total:.3f} s, {total / iterations:.4f} s/iteration (min {min(times):.4f})")

if test_csv != "-":
    te = pd.read_csv(test_csv, header=None, names=["u", "i"], dtype=str)
    te = te[te.u.isin(users) & te.i.isin(items)]
    test = sp.csr_matrix((np.ones(len(te), dtype=np.float32), (te.u.map(users), te.i.map(items))),
                         shape=ui.shape)
    m = ranking_metrics_at_k(model, ui, test, K=10, show_progress=False)
    print("implicit metrics (test items known to train only):", {k: round(v, 4) for k, v in m.items()})
