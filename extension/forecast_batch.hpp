// What the batch forecasting functions share (forecast_batch.cpp,
// forecast_outputs.cpp): the series of a source query, their settings from
// named arguments, and a parallel loop over them.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "batch_errors.hpp"
#include "datum.hpp"
#include "forecast_options.hpp"
#include "key_dictionary.hpp"

namespace supplyml::pg {

struct Batch {
  KeyDictionary keys;
  std::vector<std::vector<std::pair<std::int64_t, double>>> rows;  // per series
  Oid time_type = TIMESTAMPTZOID;  // of the source's ts column
  const char* what = "";           // the SQL function, for progress lines
};

// source (argument 0): (series key, ts, value) rows.
Batch read_batch(FunctionCallInfo fcinfo, const char* what);

// Named arguments method, season, level, options at the given positions
// (level: the first of levels_arg's levels; level_arg -1: none), and after
// options: on_error (read by on_error_arg), freq, as_of, negative, duplicates.
ForecastSettings batch_settings(FunctionCallInfo fcinfo, int method_arg, int season_arg,
                                int level_arg, int options_arg, const char* what);

// horizon (argument 1), required.
int horizon_arg(FunctionCallInfo fcinfo);

// windows (argument 3) of the backtest functions: 3 when NULL, at least 1.
int windows_arg(FunctionCallInfo fcinfo);

// on_error (argument argno): error, skip or null; NULL is error.
OnError on_error_arg(FunctionCallInfo fcinfo, int argno);

// Runs fn(series index, worker interrupt) for every series on the pool; the
// errors come back as keyed_errors() makes them (batch_errors.hpp): one
// string per series, empty where it succeeded.
std::vector<std::string> for_each_series(const Batch& b, OnError on_error,
                                         const std::function<void(std::size_t, Interrupt&)>& fn);

// The series key as text.
Datum key_text(const Batch& b, std::size_t i);

// The windows of a backtest call (forecast_backtest, forecast_backtest_rows):
// its arguments (source, horizon, method, windows, season, level, options,
// on_error, freq, as_of, negative, duplicates, nonnegative) read, the source
// read, and backtest_windows run on every series.
struct Backtest {
  int horizon = 0, windows = 0;
  OnError on_error = OnError::kError;
  Batch batch;
  std::vector<PreparedSeries> series;
  std::vector<int> seasons;                             // the season each series was fitted with
  std::vector<std::vector<BacktestWindow>> windows_of;  // per series, oldest cutoff first
  std::vector<std::string> failed;                      // per series, as for_each_series gives them
};
Backtest run_backtest(FunctionCallInfo fcinfo, const char* what);

// The device choice's estimate of a batch's work.
double forecast_work(const Batch& b);

// Interval levels of argument `argno` as fractions (interval_level): a
// number, an array of numbers, or text holding either ('95', '{80,95}'),
// whichever type the call resolved; NULL gives {0.95}.
std::vector<double> levels_arg(FunctionCallInfo fcinfo, int argno);

// Boolean parameter `name` (arg_position): false when NULL or absent. The
// parameters after the fixed ones (nonnegative) are found by name, so their
// position can change with the functions' signatures.
bool flag_arg(FunctionCallInfo fcinfo, const char* name);

}  // namespace supplyml::pg
