#include "supplyml/forecast_calendar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

std::int64_t gcd(std::int64_t a, std::int64_t b) {
  while (b != 0) {
    const std::int64_t r = a % b;
    a = b;
    b = r;
  }
  return a;
}

// The grid of sorted, distinct times: whole calendar months (monthly or
// quarterly) when every time has the same offset within its month, else the
// smallest gap; when the smallest gap does not divide every gap (dates two
// and three days apart), their greatest common divisor if it is a whole
// number of hours.
Calendar detect(const std::vector<std::int64_t>& t) {
  if (t.size() < 2) return Calendar{};
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
    if (calendar && (mstep == 1 || mstep == 3)) return Calendar::of_months(static_cast<int>(mstep));
  }
  std::int64_t g = step;
  for (std::size_t i = 1; i < t.size(); i++) g = gcd(g, t[i] - t[i - 1]);
  if (g != step && g % kHour == 0) step = g;
  return Calendar::fixed(step);
}

}  // namespace

[[noreturn]] static void beyond_range() {
  throw Error(kDatetimeOverflow, "forecast periods fall outside the timestamp range",
              "A forecast period would lie beyond the last timestamp PostgreSQL can represent.",
              "Use a shorter horizon, or shift the series to earlier timestamps.");
}

Calendar Calendar::fixed(std::int64_t step_us) {
  Calendar c;
  c.step_us = step_us;
  c.name = "fixed";
  if (step_us == kHour) {
    c.name = "hourly";
    c.default_season = 24;
  } else if (step_us == kDay) {
    c.name = "daily";
    c.default_season = 7;
  } else if (step_us == 7 * kDay) {
    c.name = "weekly";
    c.default_season = 52;
  }
  return c;
}

Calendar Calendar::of_months(int months) {
  Calendar c;
  c.months = months;
  c.name = months == 1 ? "monthly" : months == 3 ? "quarterly" : months == 12 ? "yearly"
                                                 : "every " + std::to_string(months) + " months";
  c.default_season = months == 1 ? 12 : months == 3 ? 4 : 1;
  return c;
}

std::optional<Calendar> calendar_named(const std::string& freq) {
  if (freq == "hour") return Calendar::fixed(kHour);
  if (freq == "day") return Calendar::fixed(kDay);
  if (freq == "week") return Calendar::fixed(7 * kDay);
  if (freq == "month") return Calendar::of_months(1);
  if (freq == "quarter") return Calendar::of_months(3);
  if (freq == "year") return Calendar::of_months(12);
  return std::nullopt;
}

std::int64_t Calendar::at(std::int64_t t0, std::int64_t k) const {
  if (months == 0) {
    std::int64_t dt, t;
    if (__builtin_mul_overflow(k, step_us, &dt) || __builtin_add_overflow(t0, dt, &t) ||
        t >= kTimeEnd || t < kTimeBegin)
      beyond_range();
    return t;
  }
  std::int64_t m0, off;
  month_of(t0, m0, off);
  const std::int64_t mk = m0 + k * months;
  const std::int64_t y = floor_div(mk, 12);
  const unsigned m = static_cast<unsigned>(mk - y * 12) + 1;
  if (y > 294277 || y < -4713) beyond_range();
  const std::int64_t t = (days_from_civil(y, m, 1) - kEpochShift) * kDay + off;
  if (t >= kTimeEnd || t < kTimeBegin) beyond_range();
  return t;
}

std::optional<std::int64_t> Calendar::offset(std::int64_t t0, std::int64_t t) const {
  if (months == 0) {
    if (step_us == 0) return t == t0 ? std::optional<std::int64_t>(0) : std::nullopt;
    const std::int64_t d = t - t0;
    if (d % step_us != 0) return std::nullopt;
    return d / step_us;
  }
  std::int64_t m0, o0, mt, ot;
  month_of(t0, m0, o0);
  month_of(t, mt, ot);
  if (ot != o0 || (mt - m0) % months != 0) return std::nullopt;
  return (mt - m0) / months;
}

std::string format_time(std::int64_t t, TimeKind kind) {
  const std::int64_t days = floor_div(t, kDay);
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days + kEpochShift, y, m, d);
  const bool bc = y <= 0;
  char buf[64];
  snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(bc ? 1 - y : y), m, d);
  std::string s = buf;
  if (kind != TimeKind::kDate) {
    const std::int64_t us = t - days * kDay;
    const std::int64_t sec = us / 1000000, frac = us % 1000000;
    snprintf(buf, sizeof buf, " %02lld:%02lld:%02lld", static_cast<long long>(sec / 3600),
             static_cast<long long>(sec / 60 % 60), static_cast<long long>(sec % 60));
    s += buf;
    if (frac != 0) {
      snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
      std::string f = buf;
      while (f.back() == '0') f.pop_back();
      s += f;
    }
    if (kind == TimeKind::kTimestampTz) s += "+00";
  }
  return bc ? s + " BC" : s;
}

namespace {

// Sorted rows with equal times merged (summed, or an error), NaN meaning
// missing; rows after as_of left out.
std::vector<std::pair<std::int64_t, double>> merged_rows(
    std::vector<std::pair<std::int64_t, double>> rows, const SeriesRules& r) {
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  if (rows.front().first < kTimeBegin || rows.back().first >= kTimeEnd)
    throw Error(kDatetimeOverflow, "timestamp out of range in series",
                "Timestamps must be finite and lie between 4713 BC and 294276 AD.",
                "Filter out infinite or out-of-range timestamps.");
  if (r.as_of) {
    const std::int64_t as_of = *r.as_of;
    while (!rows.empty() && rows.back().first > as_of) rows.pop_back();
    if (rows.empty())
      data_error("series has no rows up to as_of " + format_time(as_of, r.time_kind),
                 "Every row of the series lies after the as_of date, so it has no history.",
                 "Use a later as_of, or leave out series that start after it.");
  }
  std::vector<std::pair<std::int64_t, double>> out;
  out.reserve(rows.size());
  for (const auto& [t, v] : rows) {
    if (std::isinf(v))
      data_error("series contains a non-finite value at " + format_time(t, r.time_kind),
                 "NaN and infinite values cannot be forecast.",
                 "Replace or remove them before forecasting.");
    if (out.empty() || out.back().first != t) {
      out.push_back({t, v});
      continue;
    }
    if (r.duplicates == DuplicatePolicy::kError)
      throw Error(sqlstate::kUniqueViolation, "duplicate timestamp " + format_time(t, r.time_kind) + " in series",
                  "Two rows of the series have the same timestamp.",
                  "Set duplicates to sum, or aggregate the rows per period first (sum() and GROUP BY).");
    double& sum = out.back().second;
    sum = std::isnan(sum) ? v : std::isnan(v) ? sum : sum + v;
  }
  return out;
}

// The first row off the grid through `anchor`, as an error.
[[noreturn]] void off_grid(std::int64_t t, const Calendar& c, const SeriesRules& r) {
  if (c.name == "single")  // one row and as_of: no step was detected
    data_error("series has the single timestamp " + format_time(t, r.time_kind) + " and no step to reach as_of " +
                   format_time(*r.as_of, r.time_kind),
               "A step cannot be detected from one timestamp.", "Give the step with freq.");
  const std::string grid = "the " + c.name + " grid";
  data_error("timestamp " + format_time(t, r.time_kind) + " is not on " + grid +
                 (r.as_of ? " through as_of " + format_time(*r.as_of, r.time_kind) : " of the series"),
             std::string("The series' periods are ") + (r.freq ? "given by freq" : "detected from its timestamps") +
                 (r.as_of ? ", and its grid ends at as_of." : ", and its grid starts at its first row."),
             r.freq ? "Truncate the timestamps to the period start (date_trunc), or choose another freq."
                    : "Give the step with freq, or truncate the timestamps to the period start (date_trunc).");
}

void fill_gaps(PreparedSeries& out, const SeriesRules& r) {
  std::vector<std::size_t> gaps;
  for (std::size_t i = 0; i < out.y.size(); i++)
    if (std::isnan(out.y[i])) gaps.push_back(i);
  out.filled = static_cast<int>(gaps.size());
  if (gaps.empty()) return;
  if (gaps.size() == out.y.size())
    data_error("series has no values", "Every value of the series is NULL.",
               "Provide at least one non-NULL value.");
  if (r.missing == MissingPolicy::kError)
    data_error("series has missing periods, the first at " +
                   format_time(out.calendar.at(out.start, static_cast<std::int64_t>(gaps[0])), r.time_kind),
               std::to_string(gaps.size()) + " of " + std::to_string(out.y.size()) +
                   " periods have no value.",
               "Set missing to zero or interpolate, or fill the gaps.");
  if (r.missing == MissingPolicy::kZero) {
    for (std::size_t i : gaps) out.y[i] = 0;
    return;
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
}

}  // namespace

PreparedSeries prepare_series(std::vector<std::pair<std::int64_t, double>> raw,
                              const SeriesRules& r) {
  PreparedSeries out;
  if (raw.empty())
    data_error("series is empty", "No rows were given for the series.", "Provide at least one row.");
  const auto rows = merged_rows(std::move(raw), r);
  std::vector<std::int64_t> t(rows.size());
  for (std::size_t i = 0; i < rows.size(); i++) t[i] = rows[i].first;
  out.calendar = r.freq ? *r.freq : detect(t);
  const std::int64_t anchor = r.as_of ? *r.as_of : t[0];
  std::vector<std::int64_t> k(rows.size());
  for (std::size_t i = 0; i < rows.size(); i++) {
    const auto o = out.calendar.offset(anchor, t[i]);
    if (!o) off_grid(t[i], out.calendar, r);
    k[i] = *o;
  }
  const std::int64_t last = r.as_of ? 0 : k.back();
  const std::uint64_t span = static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(k.front());
  if (span >= static_cast<std::uint64_t>(kMaxPeriods))
    throw Error(sqlstate::kProgramLimitExceeded, "series spans too many periods",
                "From " + format_time(t[0], r.time_kind) + " to " +
                    format_time(r.as_of ? *r.as_of : t.back(), r.time_kind) + " the " + out.calendar.name +
                    " grid has more than " + std::to_string(kMaxPeriods) + " periods.",
                "Restrict the series to a shorter time range or aggregate it to a longer period.");
  out.start = t[0];
  out.y.assign(static_cast<std::size_t>(span) + 1, NAN);
  for (std::size_t i = 0; i < rows.size(); i++) {
    double v = rows[i].second;
    if (v < 0 && r.negative == NegativePolicy::kError)
      invalid_parameter("negative value " + number_text(v) + " at " + format_time(t[i], r.time_kind),
                        "The option negative is error, and the series has a negative value (a return?).",
                        "Set negative to zero to count such periods as no demand, or to keep.");
    if (v < 0 && r.negative == NegativePolicy::kZero) v = 0;
    out.y[static_cast<std::size_t>(k[i] - k.front())] = v;
  }
  fill_gaps(out, r);
  return out;
}

}  // namespace supplyml
