// forecast_batch and forecast_backtest: every series of a query, fitted on
// the supplyml.threads pool. Rows go back ready for INSERT ... SELECT.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>

#include "batch_errors.hpp"
#include "datum.hpp"
#include "device.hpp"
#include "forecast_batch.hpp"
#include "progress.hpp"
#include "settings.hpp"
#include "source.hpp"
#include "supplyml/forecast_stats.hpp"
#include "supplyml/parallel.hpp"

namespace supplyml::pg {

// source: (series key, ts, value) rows.
Batch read_batch(FunctionCallInfo fcinfo, const char* what) {
  require_arg(fcinfo, 0, "source");
  const std::string query = text_arg(fcinfo, 0);
  std::vector<Column> cols = read_source(
      query,
      {{"series key", ColumnType::kKey}, {"ts", ColumnType::kTime}, {"value", ColumnType::kNumber, true}},
      what);
  Batch b;
  b.what = what;
  const auto& ids = cols[0].ids;
  b.keys = std::move(cols[0].keys);
  b.time_type = cols[1].oid;
  b.rows.resize(b.keys.size());
  for (std::size_t i = 0; i < ids.size(); i++)
    b.rows[ids[i]].push_back({cols[1].ints[i], cols[2].nums[i]});
  return b;
}

// Named arguments: horizon, method, season, level, options (batch; backtest
// has windows between method and season), then on_error, freq, as_of,
// negative, duplicates after options. Option keys override named arguments.
ForecastSettings batch_settings(FunctionCallInfo fcinfo, int method_arg, int season_arg,
                                int level_arg, int options_arg, const char* what) {
  ForecastSettings s;
  if (!PG_ARGISNULL(method_arg)) s.opt.method = text_arg(fcinfo, method_arg);
  if (!PG_ARGISNULL(season_arg)) {
    s.opt.season = PG_GETARG_INT32(season_arg);
    s.season_given = true;
  }
  if (level_arg >= 0) s.opt.level = levels_arg(fcinfo, level_arg).front();
  const int freq_arg = options_arg + 2, as_of_arg = options_arg + 3;
  const int negative_arg = options_arg + 4, duplicates_arg = options_arg + 5;
  if (!PG_ARGISNULL(freq_arg)) s.rules.freq = freq_calendar(text_arg(fcinfo, freq_arg));
  if (!PG_ARGISNULL(as_of_arg)) s.as_of_tz = PG_GETARG_TIMESTAMPTZ(as_of_arg);
  if (!PG_ARGISNULL(negative_arg)) s.rules.negative = negative_policy(text_arg(fcinfo, negative_arg));
  if (!PG_ARGISNULL(duplicates_arg)) s.rules.duplicates = duplicate_policy(text_arg(fcinfo, duplicates_arg));
  if (s.as_of_tz && (*s.as_of_tz == DT_NOBEGIN || *s.as_of_tz == DT_NOEND))
    invalid_parameter("as_of must be finite", "The as_of time is infinite.", "Pass a date or time.");
  Options o(fcinfo, options_arg, what);
  return read_forecast_settings(o, s, InvalidOid);
}

int horizon_arg(FunctionCallInfo fcinfo) {
  require_arg(fcinfo, 1, "horizon");
  return PG_GETARG_INT32(1);
}

int windows_arg(FunctionCallInfo fcinfo) {
  const int windows = PG_ARGISNULL(3) ? 3 : PG_GETARG_INT32(3);
  if (windows < 1)
    invalid_parameter("windows must be at least 1", "The number of backtest windows was " +
                                                         std::to_string(windows) + ".",
                      "Use 1 or more rolling-origin windows.");
  return windows;
}

OnError on_error_arg(FunctionCallInfo fcinfo, int argno) {
  return parse_on_error(PG_ARGISNULL(argno) ? "error" : text_arg(fcinfo, argno));
}

// Runs fn(series index, worker interrupt) for every series on the pool; the
// errors come back as keyed_errors() makes them (batch_errors.hpp). Progress:
// series done of the total, reported where the calling thread polls.
std::vector<std::string> for_each_series(const Batch& b, OnError on_error,
                                         const std::function<void(std::size_t, Interrupt&)>& fn) {
  const std::size_t n = b.rows.size();
  Progress progress(b.what);
  std::atomic<std::int64_t> done{0};
  Interrupt intr = progress.counting(done, static_cast<std::int64_t>(n), "fitted", "series");
  std::vector<std::exception_ptr> errors(n);
  parallel_for(n, threads_setting(), intr, [&](std::size_t lo, std::size_t hi, int worker) {
    // Worker 0 is the calling thread: it asks PostgreSQL (a single long
    // series must stop on statement_timeout too); other threads only read the
    // stop flag it sets.
    Interrupt local([&intr, worker] { return worker == 0 ? intr.check() : intr.stopped(); });
    for (std::size_t i = lo; i < hi; i++) {
      try {
        fn(i, local);
      } catch (const Cancelled&) {
        throw;
      } catch (...) {
        errors[i] = std::current_exception();
      }
      done.fetch_add(1, std::memory_order_relaxed);
    }
  });
  progress.count("fitted", done.load(), static_cast<std::int64_t>(n), "series");
  return keyed_errors(errors, on_error,
                      [&](std::size_t i) { return "series " + b.keys.display(static_cast<std::int32_t>(i)); });
}

Datum key_text(const Batch& b, std::size_t i) {
  return text_datum(b.keys.display(static_cast<std::int32_t>(i)));
}

// The device choice's estimate of a batch's work: fitting a series costs a
// few hundred likelihood evaluations over its rows.
double forecast_work(const Batch& b) {
  double rows = 0;
  for (const auto& r : b.rows) rows += static_cast<double>(r.size());
  return 1000.0 * rows;
}

}  // namespace supplyml::pg

using namespace supplyml;
using namespace supplyml::pg;

namespace {

// One series' rows of forecast_batch: (series_key, step, ts, point, lower,
// upper, method, level, error), per step one row per level.
void put_forecast(RowWriter& out, Datum key, const SeriesForecast& f, int h,
                  const std::vector<double>& levels, Oid time_type) {
  const Datum method = text_datum(f.out.method);
  const std::int64_t n = static_cast<std::int64_t>(f.series.y.size());
  for (int k = 0; k < h; k++) {
    const Datum ts = forecast_time_datum(f.series.calendar.at(f.series.start, n + k), time_type);
    for (std::size_t j = 0; j < levels.size(); j++) {
      const ForecastOutput& at = f.by_level[j];
      Datum v[9];
      bool nulls[9] = {false};
      v[0] = key;
      v[1] = Int32GetDatum(k + 1);
      v[2] = ts;
      v[3] = Float8GetDatum(f.out.point[k]);
      v[4] = Float8GetDatum(at.lower[k]);
      v[5] = Float8GetDatum(at.upper[k]);
      nulls[4] = std::isnan(at.lower[k]);
      nulls[5] = std::isnan(at.upper[k]);
      v[6] = method;
      v[7] = Float8GetDatum(levels[j]);
      nulls[8] = true;
      out.put(v, nulls);
    }
  }
}

}  // namespace

// forecast_batch(source, horizon, method, season, level, options, on_error,
// freq, as_of, negative, duplicates, nonnegative): one row per series, step
// and level (levels in the order given).
SML_FUNCTION(sml_forecast_batch) {
  const int h = horizon_arg(fcinfo);
  ForecastSettings s = batch_settings(fcinfo, 2, 3, 4, 5, "forecast_batch");
  if (flag_arg(fcinfo, "nonnegative")) s.opt.nonnegative = true;
  const std::vector<double> levels = levels_arg(fcinfo, 4);
  const OnError on_error = on_error_arg(fcinfo, 6);
  validate_forecast_options(s.opt, h);
  Batch b = read_batch(fcinfo, "forecast_batch");
  resolve_as_of(s, b.time_type);
  choose_device(Computation::kForecast, forecast_work(b));
  std::vector<SeriesForecast> res(b.rows.size());
  const auto failed = for_each_series(b, on_error, [&](std::size_t i, Interrupt& intr) {
    res[i] = forecast_rows_of(std::move(b.rows[i]), h, s, intr, levels);
  });
  report_skipped("forecast_batch", "series", on_error, failed);
  RowWriter out(fcinfo);
  for (std::size_t i = 0; i < res.size(); i++) {
    if (failed[i].empty())
      put_forecast(out, key_text(b, i), res[i], h, levels, b.time_type);
    else if (on_error == OnError::kNull)
      put_error_row(out, key_text(b, i), failed[i]);
  }
  return (Datum)0;
}

Backtest supplyml::pg::run_backtest(FunctionCallInfo fcinfo, const char* what) {
  Backtest bt;
  bt.horizon = horizon_arg(fcinfo);
  bt.windows = windows_arg(fcinfo);
  ForecastSettings s = batch_settings(fcinfo, 2, 4, 5, 6, what);
  if (flag_arg(fcinfo, "nonnegative")) s.opt.nonnegative = true;
  bt.on_error = on_error_arg(fcinfo, 7);
  validate_forecast_options(s.opt, bt.horizon);
  bt.batch = read_batch(fcinfo, what);
  resolve_as_of(s, bt.batch.time_type);
  choose_device(Computation::kForecast, bt.windows * forecast_work(bt.batch));
  const std::size_t n = bt.batch.rows.size();
  bt.series.resize(n);
  bt.seasons.resize(n);
  bt.windows_of.resize(n);
  bt.failed = for_each_series(bt.batch, bt.on_error, [&](std::size_t i, Interrupt& intr) {
    bt.series[i] = prepare_series(std::move(bt.batch.rows[i]), s.rules);
    ForecastOptions opt = s.opt;
    if (!s.season_given) opt.season = bt.series[i].calendar.default_season;
    bt.seasons[i] = opt.season;
    bt.windows_of[i] = backtest_windows(bt.series[i].y, bt.horizon, bt.windows, opt, intr);
  });
  report_skipped(what, "series", bt.on_error, bt.failed);
  return bt;
}

// forecast_backtest(source, horizon, method, windows, season, level, options,
// on_error, freq, as_of, negative, duplicates, nonnegative): rolling origin;
// window w trains on all but the last w*horizon periods.
SML_FUNCTION(sml_forecast_backtest) {
  Backtest bt = run_backtest(fcinfo, "forecast_backtest");
  const int h = bt.horizon, windows = bt.windows;
  const Batch& b = bt.batch;
  const OnError on_error = bt.on_error;
  const std::vector<std::string>& failed = bt.failed;
  // Measures are NaN where undefined (MASE of a constant series); a series'
  // MASE averages its windows where it is defined, and the overall row
  // averages, per measure, the series where it is defined. NaN becomes NULL.
  constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
  struct Score {
    std::string method;
    double m[5] = {0, 0, 0, 0, 0};  // mase, smape, rmse, bias, coverage
  };
  std::vector<Score> scores(b.rows.size());
  for (std::size_t i = 0; i < scores.size(); i++) {
    if (!failed[i].empty()) continue;
    const std::vector<double>& y = bt.series[i].y;
    Score& sc = scores[i];
    double sq = 0, covered = 0, mase_sum = 0, smape_sum = 0, bias = 0;
    int mase_windows = 0;
    for (const BacktestWindow& bw : bt.windows_of[i]) {
      const std::vector<double> train(y.begin(), y.begin() + bw.cut);
      const double* actual = y.data() + bw.cut;
      const ForecastOutput& f = bw.out;
      sc.method = f.method;
      const double m = mase(actual, f.point.data(), h, train, bt.seasons[i]);
      if (std::isfinite(m)) {
        mase_sum += m;
        mase_windows++;
      }
      smape_sum += smape(actual, f.point.data(), h);
      for (int k = 0; k < h; k++) {
        const double e = f.point[k] - actual[k];
        sq += e * e;
        bias += e;
        covered += (actual[k] >= f.lower[k] && actual[k] <= f.upper[k]) ? 1 : 0;
      }
    }
    const double cells = static_cast<double>(h) * windows;
    sc.m[0] = mase_windows ? mase_sum / mase_windows : kUndefined;
    sc.m[1] = smape_sum / windows;
    sc.m[2] = std::sqrt(sq / cells);
    sc.m[3] = bias / cells;
    sc.m[4] = covered / cells;
  }

  int scored = 0;
  for (const auto& f : failed) scored += f.empty() ? 1 : 0;
  RowWriter out(fcinfo);
  Score all;
  for (int j = 0; j < 5; j++) {
    double sum = 0;
    int defined = 0;
    for (std::size_t i = 0; i < scores.size(); i++)
      if (const Score& sc = scores[i]; failed[i].empty() && std::isfinite(sc.m[j])) {
        sum += sc.m[j];
        defined++;
      }
    all.m[j] = defined ? sum / defined : kUndefined;
  }
  for (std::size_t i = 0; i <= scores.size(); i++) {
    const bool total = i == scores.size();
    if (!total && !failed[i].empty()) {
      if (on_error == OnError::kNull) put_error_row(out, key_text(b, i), failed[i]);
      continue;
    }
    const Score& sc = total ? all : scores[i];
    Datum v[10];
    bool nulls[10] = {false};
    v[0] = total ? (Datum)0 : key_text(b, i);
    nulls[0] = total;
    v[1] = total ? (Datum)0 : text_datum(sc.method);
    nulls[1] = total;
    v[2] = Int32GetDatum(windows);
    for (int j = 0; j < 5; j++) {
      nulls[3 + j] = std::isnan(sc.m[j]);
      v[3 + j] = Float8GetDatum(nulls[3 + j] ? 0.0 : sc.m[j]);
    }
    v[8] = Int32GetDatum(total ? scored : 1);
    nulls[9] = true;
    out.put(v, nulls);
  }
  return (Datum)0;
}
