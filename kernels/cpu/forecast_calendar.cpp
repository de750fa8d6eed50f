#include "supplyml/forecast_calendar.hpp"

#include <algorithm>
#include <cmath>

#include "supplyml/error.hpp"

namespace supplyml {
namespace {

constexpr std::int64_t kHour = 3600LL * 1000000LL;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kEpochShift = 10957;  // days from 1970-01-01 to 2000-01-01
// PostgreSQL's timestamp range: 4713-11-24 BC to 294277-01-01 (exclusive), so
// any difference of two valid times fits in 64 bits.
constexpr std::int64_t kTimeBegin = -211813488000000000LL;
constexpr std::int64_t kTimeEnd = 9223371331200000000LL;
constexpr const char* kDatetimeOverflow = "22008";

// Howard Hinnant's civil-date algorithms (days since 1970-01-01).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

// Month number and time within the month of t.
void month_of(std::int64_t t, std::int64_t& month, std::int64_t& offset) {
  const std::int64_t days = floor_div(t, kDay);
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days + kEpochShift, y, m, d);
  month = y * 12 + (m - 1);
  offset = t - (days_from_civil(y, m, 1) - kEpochShift) * kDay;
}

Calendar detect(const std::vector<std::int64_t>& t) {
  Calendar c;
  if (t.size() < 2) return c;
  std::int64_t step = t[1] - t[0];
  for (std::size_t i = 2; i < t.size(); i++) step = std::min(step, t[i] - t[i - 1]);
  if (step >= 28 * kDay && step <= 92 * kDay) {
    std::int64_t m0, o0;
    month_of(t[0], m0, o0);
    bool calendar = true;
    std::int64_t mstep = 0;
    for (std::size_t i = 1; i < t.size() && calendar; i++) {
      std::int64_t mi, oi, mp, op;
      month_of(t[i], mi, oi);
      month_of(t[i - 1], mp, op);
      calendar = oi == o0;
      const std::int64_t dm = mi - mp;
      mstep = mstep == 0 ? dm : std::min(mstep, dm);
    }
    if (calendar && (mstep == 1 || mstep == 3)) {
      c.months = static_cast<int>(mstep);
      c.name = mstep == 1 ? "monthly" : "quarterly";
      c.default_season = mstep == 1 ? 12 : 4;
      return c;
    }
  }
  c.step_us = step;
  if (step == kHour) {
    c.name = "hourly";
    c.default_season = 24;
  } else if (step == kDay) {
    c.name = "daily";
    c.default_season = 7;
  } else if (step == 7 * kDay) {
    c.name = "weekly";
    c.default_season = 52;
  } else {
    c.name = "fixed";
  }
  return c;
}

}  // namespace

[[noreturn]] static void beyond_range() {
  throw Error(kDatetimeOverflow, "forecast periods fall outside the timestamp range",
              "A forecast period would lie beyond the last timestamp PostgreSQL can represent.",
              "Use a shorter horizon, or shift the series to earlier timestamps.");
}

std::int64_t Calendar::at(std::int64_t t0, std::int64_t k) const {
  if (months == 0) {
    std::int64_t dt, t;
    if (__builtin_mul_overflow(k, step_us, &dt) || __builtin_add_overflow(t0, dt, &t) ||
        t >= kTimeEnd)
      beyond_range();
    return t;
  }
  std::int64_t m0, off;
  month_of(t0, m0, off);
  const std::int64_t mk = m0 + k * months;
  const std::int64_t y = floor_div(mk, 12);
  const unsigned m = static_cast<unsigned>(mk - y * 12) + 1;
  if (y > 294277) beyond_range();
  const std::int64_t t = (days_from_civil(y, m, 1) - kEpochShift) * kDay + off;
  if (t >= kTimeEnd) beyond_range();
  return t;
}

std::int64_t Calendar::index(std::int64_t t0, std::int64_t t) const {
  if (months == 0) {
    if (step_us == 0) return t == t0 ? 0 : -1;
    const std::int64_t d = t - t0;
    return d % step_us == 0 ? d / step_us : -1;
  }
  std::int64_t m0, o0, mt, ot;
  month_of(t0, m0, o0);
  month_of(t, mt, ot);
  if (ot != o0 || (mt - m0) % months != 0) return -1;
  return (mt - m0) / months;
}

PreparedSeries prepare_series(std::vector<std::pair<std::int64_t, double>> rows,
                              MissingPolicy missing) {
  PreparedSeries out;
  if (rows.empty())
    data_error("series is empty", "No rows were given for the series.", "Provide at least one row.");
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  if (rows.front().first < kTimeBegin || rows.back().first >= kTimeEnd)
    throw Error(kDatetimeOverflow, "timestamp out of range in series",
                "Timestamps must be finite and lie between 4713 BC and 294276 AD.",
                "Filter out infinite or out-of-range timestamps.");
  std::vector<std::int64_t> t(rows.size());
  for (std::size_t i = 0; i < rows.size(); i++) {
    t[i] = rows[i].first;
    if (i > 0 && t[i] == t[i - 1])
      throw Error(sqlstate::kUniqueViolation, "duplicate timestamp in series",
                  "Two rows of the series have the same timestamp.",
                  "Aggregate the rows per period first, for example with sum() and GROUP BY.");
    if (std::isinf(rows[i].second))
      data_error("series contains a non-finite value",
                 "NaN and infinite values cannot be forecast.",
                 "Replace or remove them before forecasting.");
  }
  out.calendar = detect(t);
  out.start = t[0];
  const std::int64_t n = out.calendar.index(t[0], t.back()) + 1;
  if (n > kMaxPeriods)
    throw Error(sqlstate::kProgramLimitExceeded, "series spans too many periods",
                "From the first to the last timestamp the detected " + out.calendar.name +
                    " grid has " + std::to_string(n) + " periods; at most " +
                    std::to_string(kMaxPeriods) + " are allowed.",
                "Restrict the series to a shorter time range or aggregate it to a longer period.");
  if (n <= 0)
    data_error("timestamps do not form a regular series",
               "The timestamps could not be placed on one hourly, daily, weekly, monthly, "
               "quarterly or fixed-step grid.",
               "Make the timestamps equally spaced, or aggregate them to a regular period.");
  out.y.assign(static_cast<std::size_t>(n), NAN);
  for (const auto& [ti, v] : rows) {
    const std::int64_t k = out.calendar.index(t[0], ti);
    if (k < 0)
      data_error("timestamps do not form a regular series",
                 "A timestamp falls between the periods of the detected " + out.calendar.name +
                     " grid.",
                 "Truncate the timestamps to the period start, for example with date_trunc().");
    out.y[static_cast<std::size_t>(k)] = v;
  }
  // Missing periods: absent rows and NULL values.
  std::vector<std::size_t> gaps;
  for (std::size_t i = 0; i < out.y.size(); i++)
    if (std::isnan(out.y[i])) gaps.push_back(i);
  out.filled = static_cast<int>(gaps.size());
  if (gaps.empty()) return out;
  if (gaps.size() == out.y.size())
    data_error("series has no values", "Every value of the series is NULL.",
               "Provide at least one non-NULL value.");
  if (missing == MissingPolicy::kError)
    data_error("series has missing periods",
               std::to_string(gaps.size()) + " of " + std::to_string(out.y.size()) +
                   " periods have no value.",
               "Set the option \"missing\" to \"zero\" or \"interpolate\", or fill the gaps.");
  if (missing == MissingPolicy::kZero) {
    for (std::size_t i : gaps) out.y[i] = 0;
    return out;
  }
  // Linear interpolation; ends take the nearest observed value.
  std::vector<std::size_t> obs;
  for (std::size_t i = 0; i < out.y.size(); i++)
    if (!std::isnan(out.y[i])) obs.push_back(i);
  for (std::size_t i : gaps) {
    auto it = std::lower_bound(obs.begin(), obs.end(), i);
    if (it == obs.begin())
      out.y[i] = out.y[obs.front()];
    else if (it == obs.end())
      out.y[i] = out.y[obs.back()];
    else {
      const std::size_t b = *it, a = *(it - 1);
      out.y[i] = out.y[a] + (out.y[b] - out.y[a]) * double(i - a) / double(b - a);
    }
  }
  return out;
}

}  // namespace supplyml
