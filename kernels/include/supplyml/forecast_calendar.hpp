// Turning (timestamp, value) rows into an equally spaced series: sorting,
// duplicates, step detection (hourly, daily, weekly, monthly, quarterly or any
// fixed step) or an explicit step, an as-of date that ends every series,
// filling missing periods, and the timestamps of future periods. Times are
// microseconds since 2000-01-01 00:00 UTC (dates at midnight).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace supplyml {

struct Calendar {
  std::int64_t step_us = 0;  // fixed step, when months == 0
  int months = 0;            // calendar step in months (1 monthly, 3 quarterly, 12 yearly)
  std::string name = "single";  // hourly, daily, weekly, monthly, quarterly, yearly, fixed, single
  int default_season = 1;    // 24, 7, 52, 12, 4, or 1

  // A fixed step (named hourly, daily or weekly when it is one of those).
  static Calendar fixed(std::int64_t step_us);
  // A step of whole calendar months (monthly, quarterly, yearly, or "every N months").
  static Calendar of_months(int months);

  // Timestamp k periods after t0 (k may be negative); Error 22008 past the
  // end of the timestamp range.
  std::int64_t at(std::int64_t t0, std::int64_t k) const;
  // Periods from t0 to t (negative before t0), or nullopt when t is not on
  // the grid through t0.
  std::optional<std::int64_t> offset(std::int64_t t0, std::int64_t t) const;
};

// freq names: hour, day, week, month, quarter, year; nullopt for any other text.
std::optional<Calendar> calendar_named(const std::string& freq);

// Most periods a prepared series may span, gaps included (54000 beyond it).
inline constexpr std::int64_t kMaxPeriods = 10000000;

// The SQL type a time came in, for messages that name it.
enum class TimeKind : std::uint8_t { kTimestampTz, kTimestamp, kDate };
// A time as PostgreSQL prints its type: 2024-01-05, 2024-01-05 13:00:00,
// 2024-01-05 13:00:00+00 (timestamptz in UTC).
std::string format_time(std::int64_t t, TimeKind kind);

enum class MissingPolicy : std::uint8_t { kZero, kInterpolate, kError };
enum class NegativePolicy : std::uint8_t { kKeep, kZero, kError };
enum class DuplicatePolicy : std::uint8_t { kSum, kError };

// How rows become a series. Defaults: detected step, history to the last row,
// gaps zero, negative values kept, duplicate timestamps summed.
struct SeriesRules {
  MissingPolicy missing = MissingPolicy::kZero;
  NegativePolicy negative = NegativePolicy::kKeep;
  DuplicatePolicy duplicates = DuplicatePolicy::kSum;
  std::optional<Calendar> freq;        // explicit step, else detected
  std::optional<std::int64_t> as_of;   // last period of every series
  TimeKind time_kind = TimeKind::kTimestampTz;
};

struct PreparedSeries {
  std::vector<double> y;   // equally spaced values
  Calendar calendar;
  std::int64_t start = 0;  // timestamp of y[0]
  int filled = 0;          // periods filled by the missing-value policy
};

// rows: (time, value) in any order; a NaN value marks a missing period.
// Duplicate timestamps are summed (or 23505 under DuplicatePolicy::kError);
// rows after as_of are left out, and the periods from the last row to as_of
// are missing periods; the grid runs through as_of when it is given, else
// through the first row. Throws Error naming the time concerned for times off
// the grid, gaps under policy error and negative values under policy error
// (22000, 22023), non-finite values (22000), no rows up to as_of (22000),
// timestamps outside PostgreSQL's range (22008) and spans over kMaxPeriods
// (54000).
PreparedSeries prepare_series(std::vector<std::pair<std::int64_t, double>> rows,
                              const SeriesRules& rules);

}  // namespace supplyml
