"""statsforecast AutoETS (or AutoARIMA) on a long-form training file.

  python peer_statsforecast.py TRAIN_CSV OUT_CSV FREQ SEASON HORIZON THREADS [MODEL]

MODEL is AutoETS (default) or AutoARIMA. With SF_R_ROOT_CHECK=1, AutoARIMA's search
rejects a candidate whose AR or MA polynomial has a root of modulus below 1.01 as R's
auto.arima does: statsforecast 2.1.1 indexes the last nonzero coefficient from 0 and tests
`> 0`, so it skips the test when only the first coefficient is nonzero (every AR(1) or
MA(1) part) and accepts MA(1) models with roots at 1.002 that R rejects.

Writes (source, freq, id, step, point) rows and prints the fitting time, elapsed
and CPU (of this process and its workers), with series per second of each. A
warm-up fit on one short series comes first (first-call set-up), so the timed
run measures fitting alone (the warm-up time is printed).
"""
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
import statsforecast.arima as sf_arima
from statsforecast import StatsForecast
from statsforecast.models import AutoARIMA, AutoETS


def cpu_seconds():
    """CPU time of this process and of its finished worker processes."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def min_root(coefs, sign):
    """Smallest root modulus of 1 + sign * coefs (up to the last nonzero term), or 2."""
    nonzero = np.flatnonzero(np.abs(coefs) > 1e-8)
    if nonzero.size == 0:
        return 2.0
    roots = np.polynomial.polynomial.polyroots(np.append(1, sign * coefs[: nonzero[-1] + 1]))
    return min(2.0, float(np.abs(roots).min()))


def with_r_root_check(myarima):
    """myarima, whose fits are rejected (ic infinite) by R's root test."""
    def checked(*args, **kwargs):
        fit = myarima(*args, **kwargs)
        if fit is not None and np.isfinite(fit.get("ic", np.inf)):
            model = fit["model"]
            if min(min_root(np.asarray(model["phi"]), -1),
                   min_root(np.asarray(model["theta"]), 1)) < 1.01:
                fit["ic"] = np.inf
        return fit
    return checked


def main():
    r_root_test = os.environ.get("SF_R_ROOT_CHECK") == "1"
    if r_root_test:
        sf_arima.myarima = with_r_root_check(sf_arima.myarima)
    train, out, freq, m, h, threads = sys.argv[1:7]
    m, h, threads = int(m), int(h), int(threads)
    name = sys.argv[7] if len(sys.argv) > 7 else "AutoETS"
    model = {"AutoETS": AutoETS, "AutoARIMA": AutoARIMA}[name]
    label = f"statsforecast {name}" + (" R root test" if r_root_test else "")
    df = pd.read_csv(train, header=None, names=["freq", "unique_id", "ds", "y"])
    df = df[df.freq == freq].drop(columns="freq")
    t0 = time.perf_counter()
    warm = pd.DataFrame({"unique_id": "w", "ds": np.arange(3 * max(m, 2) + 10),
                         "y": 10 + np.sin(np.arange(3 * max(m, 2) + 10))})
    StatsForecast(models=[model(season_length=m)], freq=1, n_jobs=1).forecast(df=warm, h=h)
    compile_s = time.perf_counter() - t0
    sf = StatsForecast(models=[model(season_length=m)], freq=1, n_jobs=threads)
    t0, c0 = time.perf_counter(), cpu_seconds()
    fc = sf.forecast(df=df, h=h)
    secs, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    fc = fc.reset_index() if "unique_id" not in fc.columns else fc
    fc["step"] = fc.groupby("unique_id").cumcount() + 1
    n = fc.unique_id.nunique()
    with open(out, "a") as f:
        for r in fc.itertuples(index=False):
            f.write(f"{label},{freq},{r.unique_id},{r.step},{getattr(r, name)!r}\n")
    print(f"{label} {freq}: {n} series in {secs:.2f} s = {n / secs:.2f} series/s "
          f"({threads} jobs; warm-up {compile_s:.1f} s not counted); "
          f"CPU {cpu:.2f} s = {n / cpu:.3f} series per CPU second")


if __name__ == "__main__":
    main()
