"""Online Retail (UCI id 352, CC BY 4.0; Chen, Sain & Guo 2012) as implicit
feedback, split in time.

Rows kept: a customer id, a product stock code (five digits, optional letter
suffix: POST, M, DOT, BANK CHARGES, gift vouchers and the like are dropped),
positive quantity and price, and an invoice that is not a cancellation ('C').
Weight of (customer, item) = number of distinct invoices with that item.

train: invoices before 2011-10-01.
test:  (customer, item) pairs first bought on or after 2011-10-01 by a
       customer present in train who had not bought that item before.
A validation split for tuning is cut the same way inside train at 2011-07-01.

usage: prepare.py DATA_DIR OUT_DIR
"""
import sys
import pandas as pd

data_dir, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(f"{data_dir}/online_retail/online_retail.csv.xz",
                 dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
df = df[df.CustomerID.notna()
        & ~df.InvoiceNo.str.startswith("C")
        & (df.Quantity > 0) & (df.UnitPrice > 0)
        & df.StockCode.str.match(r"^[0-9]{5}[A-Za-z]*$")]
df["day"] = pd.to_datetime(df.InvoiceDate)


def split(rows, cut):
    before = rows[rows.day < cut]
    after = rows[rows.day >= cut]
    train = (before.groupby(["CustomerID", "StockCode"]).InvoiceNo.nunique()
             .rename("weight").reset_index())
    seen = set(zip(train.CustomerID, train.StockCode))
    users = set(train.CustomerID)
    test = after[["CustomerID", "StockCode"]].drop_duplicates()
    keep = [u in users and (u, i) not in seen for u, i in zip(test.CustomerID, test.StockCode)]
    return train, test[keep]


for name, frame, cut in [("", df, "2011-10-01"), ("valid_", df[df.day < "2011-10-01"], "2011-07-01")]:
    train, test = split(frame, pd.Timestamp(cut))
    train.to_csv(f"{out}/{name}train.csv", index=False, header=False)
    test.to_csv(f"{out}/{name}test.csv", index=False, header=False)
    print(f"{name or 'final_'}split at {cut}: train {len(train)} pairs, "
          f"{train.CustomerID.nunique()} customers, {train.StockCode.nunique()} items; "
          f"test {len(test)} pairs, {test.CustomerID.nunique()} customers")
