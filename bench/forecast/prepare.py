"""M4 Weekly and Hourly, wide (one series a row) to long CSV files.

  python3 prepare.py DATA_DIR OUT_DIR [N]

writes OUT_DIR/m4_train.csv (freq, id, t, value; t from 0) and
OUT_DIR/m4_test.csv (freq, id, step, value; step from 1). N keeps the first
N series of each frequency (all by default). Also writes OUT_DIR/carparts.csv
(part, month, qty): the carparts series with no missing month and at least
two months with demand.
"""
import csv
import lzma
import os
import sys


def open_text(path):
    """The file, or its xz-compressed form PATH.xz (as data/ holds them)."""
    if os.path.exists(path):
        return open(path, newline="")
    return lzma.open(path + ".xz", "rt", newline="")


def rows(path, limit):
    with open_text(path) as f:
        r = csv.reader(f)
        next(r)
        for k, line in enumerate(r):
            if limit is not None and k >= limit:
                return
            yield line[0], [v for v in line[1:] if v != ""]


def main():
    data, out = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "m4_train.csv"), "w", newline="") as tr, \
            open(os.path.join(out, "m4_test.csv"), "w", newline="") as te:
        wtr, wte = csv.writer(tr), csv.writer(te)
        for freq in ("Weekly", "Hourly"):
            for sid, vals in rows(os.path.join(data, "m4", freq + "-train.csv"), limit):
                for t, v in enumerate(vals):
                    wtr.writerow((freq, sid, t, v))
            for sid, vals in rows(os.path.join(data, "m4", freq + "-test.csv"), limit):
                for t, v in enumerate(vals):
                    wte.writerow((freq, sid, t + 1, v))
    carparts(data, out)


def carparts(data, out):
    with open_text(os.path.join(data, "carparts", "carparts_wide.csv")) as f:
        r = list(csv.reader(f))
    months = [row[0] + "-01" for row in r[1:]]
    with open(os.path.join(out, "carparts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        for j, part in enumerate(r[0][1:], start=1):
            col = [row[j] for row in r[1:]]
            if "" in col or sum(float(v) != 0 for v in col) < 2:
                continue
            for m, v in zip(months, col):
                w.writerow((part, m, v))


if __name__ == "__main__":
    main()
