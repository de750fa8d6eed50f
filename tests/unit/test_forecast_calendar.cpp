// Series preparation: step detection, explicit steps, as_of, duplicates,
// negative values, and errors that name the time concerned.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "supplyml/error.hpp"
#include "supplyml/forecast_calendar.hpp"

using namespace supplyml;

namespace {

constexpr std::int64_t kDay = 86400000000LL;

// Days since 2000-01-01 (a Saturday) as the prepared series' time.
std::pair<std::int64_t, double> day(std::int64_t d, double v) { return {d * kDay, v}; }

std::string message_of(const std::vector<std::pair<std::int64_t, double>>& rows, const SeriesRules& r,
                       std::string* code = nullptr) {
  try {
    prepare_series(rows, r);
  } catch (const Error& e) {
    if (code) *code = e.sqlstate();
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(ForecastCalendar, FormatsTimesAsTheirType) {
  EXPECT_EQ(format_time(0, TimeKind::kDate), "2000-01-01");
  EXPECT_EQ(format_time(59 * kDay, TimeKind::kDate), "2000-02-29");
  EXPECT_EQ(format_time(-kDay, TimeKind::kDate), "1999-12-31");
  EXPECT_EQ(format_time(13 * 3600000000LL + 1500000, TimeKind::kTimestamp), "2000-01-01 13:00:01.5");
  EXPECT_EQ(format_time(kDay + 60000000, TimeKind::kTimestampTz), "2000-01-02 00:01:00+00");
}

TEST(ForecastCalendar, DatesTwoAndThreeDaysApartAreDaily) {
  // Smallest gap 2 days, one gap of 3: the common divisor, one day, is the step.
  SeriesRules r;
  r.time_kind = TimeKind::kDate;
  const auto s = prepare_series({day(0, 1), day(2, 2), day(5, 3)}, r);
  EXPECT_EQ(s.calendar.name, "daily");
  EXPECT_EQ(s.y, (std::vector<double>{1, 0, 2, 0, 0, 3}));
  EXPECT_EQ(s.filled, 3);
}

TEST(ForecastCalendar, ExplicitWeeklyStepNamesAnOffGridDate) {
  SeriesRules r;
  r.time_kind = TimeKind::kDate;
  r.freq = calendar_named("week");
  // Mondays 2000-01-03, 2000-01-17: one gap week.
  const auto s = prepare_series({day(2, 4), day(16, 6)}, r);
  EXPECT_EQ(s.calendar.name, "weekly");
  EXPECT_EQ(s.calendar.default_season, 52);
  EXPECT_EQ(s.y, (std::vector<double>{4, 0, 6}));
  std::string code;
  EXPECT_EQ(message_of({day(2, 4), day(10, 1), day(16, 6)}, r, &code),
            "timestamp 2000-01-11 is not on the weekly grid of the series");
  EXPECT_EQ(code, "22000");
}

TEST(ForecastCalendar, AsOfPadsAndDropsSoEverySeriesEndsThere) {
  SeriesRules r;
  r.time_kind = TimeKind::kDate;
  r.freq = calendar_named("day");
  r.as_of = 6 * kDay;  // 2000-01-07
  // Rows on days 3, 4 and 9: day 9 lies after as_of; days 5 and 6 are padded.
  const auto s = prepare_series({day(3, 2), day(4, 5), day(9, 7)}, r);
  EXPECT_EQ(s.y, (std::vector<double>{2, 5, 0, 0}));
  EXPECT_EQ(s.start, 3 * kDay);
  EXPECT_EQ(s.calendar.at(s.start, static_cast<std::int64_t>(s.y.size())), 7 * kDay);
  // Interpolation carries the last value to as_of.
  r.missing = MissingPolicy::kInterpolate;
  EXPECT_EQ(prepare_series({day(3, 2), day(4, 5)}, r).y, (std::vector<double>{2, 5, 5, 5}));
  r.missing = MissingPolicy::kError;
  EXPECT_EQ(message_of({day(3, 2), day(4, 5)}, r), "series has missing periods, the first at 2000-01-06");
  EXPECT_EQ(message_of({day(8, 2)}, r), "series has no rows up to as_of 2000-01-07");
  r.freq.reset();
  EXPECT_EQ(message_of({day(3, 2)}, r), "series has the single timestamp 2000-01-04 and no step to reach as_of 2000-01-07");
}

TEST(ForecastCalendar, MonthlyGridRunsBackFromAsOf) {
  SeriesRules r;
  r.time_kind = TimeKind::kDate;
  r.freq = calendar_named("month");
  r.as_of = 91 * kDay;  // 2000-04-01
  const auto s = prepare_series({day(0, 1), day(31, 2)}, r);  // January and February
  EXPECT_EQ(s.y, (std::vector<double>{1, 2, 0, 0}));
  EXPECT_EQ(s.calendar.at(s.start, 4), 121 * kDay);  // 2000-05-01
  EXPECT_EQ(message_of({day(0, 1), day(32, 2)}, r),
            "timestamp 2000-02-02 is not on the monthly grid through as_of 2000-04-01");
}

TEST(ForecastCalendar, DuplicatesSumOrNameTheirTime) {
  SeriesRules r;
  r.time_kind = TimeKind::kTimestamp;
  EXPECT_EQ(prepare_series({day(0, 1), day(0, 2), day(1, NAN), day(1, 4), day(2, 1)}, r).y,
            (std::vector<double>{3, 4, 1}));
  r.duplicates = DuplicatePolicy::kError;
  std::string code;
  EXPECT_EQ(message_of({day(0, 1), day(1, 2), day(1, 3)}, r, &code),
            "duplicate timestamp 2000-01-02 00:00:00 in series");
  EXPECT_EQ(code, "23505");
}

TEST(ForecastCalendar, NegativeValuesKeptClippedOrRefused) {
  SeriesRules r;
  r.time_kind = TimeKind::kDate;
  const std::vector<std::pair<std::int64_t, double>> rows = {day(0, 3), day(1, -2), day(2, 1)};
  EXPECT_EQ(prepare_series(rows, r).y, (std::vector<double>{3, -2, 1}));
  r.negative = NegativePolicy::kZero;
  EXPECT_EQ(prepare_series(rows, r).y, (std::vector<double>{3, 0, 1}));
  r.negative = NegativePolicy::kError;
  std::string code;
  EXPECT_EQ(message_of(rows, r, &code), "negative value -2 at 2000-01-02");
  EXPECT_EQ(code, "22023");
}

TEST(ForecastCalendar, OffsetsBeforeTheAnchorAreNegative) {
  const Calendar q = Calendar::of_months(3);
  EXPECT_EQ(q.name, "quarterly");
  EXPECT_EQ(q.offset(91 * kDay, 0), -1);      // 2000-01-01 is a quarter before 2000-04-01
  EXPECT_EQ(q.at(91 * kDay, -1), 0);
  EXPECT_FALSE(q.offset(91 * kDay, 31 * kDay).has_value());
  const Calendar w = Calendar::fixed(7 * kDay);
  EXPECT_EQ(w.offset(14 * kDay, 0), -2);
  EXPECT_FALSE(calendar_named("fortnight").has_value());
}
