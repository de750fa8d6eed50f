// forecast_fitted and forecast_backtest_rows: the in-sample one-step fits of
// every series of a query, and the forecasts behind forecast_backtest's
// measures, one row per series, window and period.
#include <cmath>

#include "datum.hpp"
#include "device.hpp"
#include "forecast_batch.hpp"

using namespace supplyml;
using namespace supplyml::pg;

// forecast_fitted(source, method, season, options, on_error, freq, as_of,
// negative, duplicates, nonnegative)
SML_FUNCTION(sml_forecast_fitted) {
  ForecastSettings s = batch_settings(fcinfo, 1, 2, -1, 3, "forecast_fitted");
  if (flag_arg(fcinfo, "nonnegative")) s.opt.nonnegative = true;
  const OnError on_error = on_error_arg(fcinfo, 4);
  validate_forecast_options(s.opt, 1);
  Batch b = read_batch(fcinfo, "forecast_fitted");
  resolve_as_of(s, b.time_type);
  choose_device(Computation::kForecast, forecast_work(b));
  std::vector<SeriesForecast> res(b.rows.size());
  const auto failed = for_each_series(b, on_error, [&](std::size_t i, Interrupt& intr) {
    res[i] = forecast_rows_of(std::move(b.rows[i]), 1, s, intr);
  });
  report_skipped("forecast_fitted", "series", on_error, failed);
  RowWriter out(fcinfo);
  for (std::size_t i = 0; i < res.size(); i++) {
    const SeriesForecast& f = res[i];
    const Datum key = key_text(b, i);
    if (!failed[i].empty()) {
      if (on_error == OnError::kNull) put_error_row(out, key, failed[i]);
      continue;
    }
    const Datum method = text_datum(f.out.method);
    const std::vector<double>& y = f.series.y;
    for (std::size_t t = 0; t < y.size(); t++) {
      const double fit = t < f.out.fitted.size() ? f.out.fitted[t] : NAN;
      Datum v[7];
      bool nulls[7] = {false};
      v[0] = key;
      v[1] = forecast_time_datum(f.series.calendar.at(f.series.start, static_cast<std::int64_t>(t)),
                                 b.time_type);
      v[2] = Float8GetDatum(y[t]);
      nulls[3] = nulls[4] = std::isnan(fit);
      v[3] = Float8GetDatum(nulls[3] ? 0.0 : fit);
      v[4] = Float8GetDatum(nulls[4] ? 0.0 : y[t] - fit);
      v[5] = method;
      nulls[6] = true;  // error
      out.put(v, nulls);
    }
  }
  return (Datum)0;
}

// forecast_backtest_rows(source, horizon, method, windows, season, level, options,
// on_error, freq, as_of, negative, duplicates, nonnegative): the windows of
// forecast_backtest (backtest_windows), as rows.
SML_FUNCTION(sml_forecast_backtest_rows) {
  Backtest bt = run_backtest(fcinfo, "forecast_backtest_rows");
  const int h = bt.horizon;
  const Batch& b = bt.batch;
  RowWriter out(fcinfo);
  for (std::size_t i = 0; i < bt.series.size(); i++) {
    const PreparedSeries& ps = bt.series[i];
    const Datum key = key_text(b, i);
    if (!bt.failed[i].empty()) {
      if (bt.on_error == OnError::kNull) put_error_row(out, key, bt.failed[i]);
      continue;
    }
    for (const BacktestWindow& w : bt.windows_of[i]) {
      const Datum method = text_datum(w.out.method);
      const Datum cutoff = forecast_time_datum(ps.calendar.at(ps.start, w.cut - 1), b.time_type);
      for (int k = 0; k < h; k++) {
        Datum v[9];
        bool nulls[9] = {false};
        v[0] = key;
        v[1] = cutoff;
        v[2] = forecast_time_datum(ps.calendar.at(ps.start, w.cut + k), b.time_type);
        v[3] = Float8GetDatum(ps.y[w.cut + k]);
        v[4] = Float8GetDatum(w.out.point[k]);
        nulls[5] = std::isnan(w.out.lower[k]);
        nulls[6] = std::isnan(w.out.upper[k]);
        v[5] = Float8GetDatum(nulls[5] ? 0.0 : w.out.lower[k]);
        v[6] = Float8GetDatum(nulls[6] ? 0.0 : w.out.upper[k]);
        v[7] = method;
        nulls[8] = true;  // error
        out.put(v, nulls);
      }
    }
  }
  return (Datum)0;
}
