// Turning (timestamp, value) rows into an equally spaced series: sorting,
// duplicate detection, step detection (hourly, daily, weekly, monthly,
// quarterly or any fixed step), filling missing periods, and the timestamps of
// future periods. Times are microseconds since 2000-01-01 00:00 UTC.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace supplyml {

struct Calendar {
  std::int64_t step_us = 0;  // fixed step, when months == 0
  int months = 0;            // calendar step in months (1 monthly, 3 quarterly)
  std::string name = "single";  // hourly, daily, weekly, monthly, quarterly, fixed, single
  int default_season = 1;    // 24, 7, 52, 12, 4, or 1

  // Timestamp k periods after t0; Error 22008 past the end of the timestamp range.
  std::int64_t at(std::int64_t t0, std::int64_t k) const;
  // Periods from t0 to t (t on the grid; -1 if it is not).
  std::int64_t index(std::int64_t t0, std::int64_t t) const;
};

// Most periods a prepared series may span, gaps included (54000 beyond it).
inline constexpr std::int64_t kMaxPeriods = 10000000;

enum class MissingPolicy { kZero, kInterpolate, kError };

struct PreparedSeries {
  std::vector<double> y;   // equally spaced values
  Calendar calendar;
  std::int64_t start = 0;  // timestamp of y[0]
  int filled = 0;          // periods filled by the missing-value policy
};

// rows: (time, value) in any order; a NaN value marks a missing period.
// Throws Error for duplicate timestamps (23505), times off the detected grid
// or gaps under policy error (22000), non-finite values (22000), timestamps
// outside PostgreSQL's range (22008) and spans over kMaxPeriods (54000).
PreparedSeries prepare_series(std::vector<std::pair<std::int64_t, double>> rows,
                              MissingPolicy missing);

}  // namespace supplyml
