"""M3 monthly (validation part), wide to the long form of prepare.py.

  python3 prepare_m3.py DATA_DIR OUT_DIR [N]

appends to OUT_DIR/m4_train.csv and OUT_DIR/m4_test.csv the rows
(Monthly, id, t, value) and (Monthly, id, step, value) of
DATA_DIR/m3_validation/m3_monthly_{train,test}.csv, so that the loader and
the scorer of the M4 benchmark serve both.
"""
import csv
import os
import sys


def main():
    data, out = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
    for part, name in (("train", "m4_train.csv"), ("test", "m4_test.csv")):
        src = os.path.join(data, "m3_validation", f"m3_monthly_{part}.csv")
        with open(src, newline="") as f, open(os.path.join(out, name), "a", newline="") as o:
            r, w = csv.reader(f), csv.writer(o)
            next(r)
            for k, line in enumerate(r):
                if limit is not None and k >= limit:
                    break
                vals = [v for v in line[1:] if v not in ("", "NA")]
                for t, v in enumerate(vals):
                    w.writerow(("Monthly", line[0], t if part == "train" else t + 1, v))


if __name__ == "__main__":
    main()
