"""Generated implicit feedback with power-law user activity and item
popularity (Zipf exponents 1.1 and 1.2), seeded: N (user, item, count) rows.
usage: powerlaw.py N OUT.csv"""
import sys

import numpy as np

n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(20240601)
users = max(1000, n // 20)
items = max(1000, n // 100)
u = (rng.zipf(1.1, size=n * 2) - 1)
u = u[u < users][:n]
i = (rng.zipf(1.2, size=n * 2) - 1)
i = i[i < items][:len(u)]
u = u[:len(i)]
w = rng.integers(1, 5, size=len(u))
np.savetxt(out, np.column_stack([u, i, w]), fmt="%d", delimiter=",")
print(f"powerlaw: {len(u)} rows, up to {users} users x {items} items")
