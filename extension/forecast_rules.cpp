// The SQL spellings of a series' rules (freq, as_of, negative, duplicates)
// turned into the kernels' SeriesRules.
#include "forecast_rules.hpp"

#include "forecast_options.hpp"
#include "source.hpp"

namespace supplyml::pg {

Calendar freq_calendar(const std::string& freq) {
  if (auto c = calendar_named(freq)) return *c;
  const char* hint = "Use hour, day, week, month, quarter, year, or an interval such as '15 minutes' or '7 days'.";
  Interval span{};
  bool parsed = true;
  try {
    // A syntax error of the interval is replaced by one naming the option.
    span = *call([&] {
      return DatumGetIntervalP(DirectFunctionCall3(interval_in, CStringGetDatum(freq.c_str()),
                                                   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
    });
  } catch (const PgError& e) {
    if (ERRCODE_TO_CATEGORY(e.data()->sqlerrcode) != ERRCODE_DATA_EXCEPTION) throw;
    parsed = false;
  }
  if (!parsed) invalid_parameter("invalid freq \"" + freq + "\"", "The freq is neither a period name nor an interval.", hint);
  if (span.month != 0 && (span.day != 0 || span.time != 0))
    invalid_parameter("freq \"" + freq + "\" mixes months with days or time",
                      "A step is either whole months or a fixed length of days and time.", hint);
  if (span.month > 0) return Calendar::of_months(span.month);
  const std::int64_t step = static_cast<std::int64_t>(span.day) * USECS_PER_DAY + span.time;
  if (span.month < 0 || step <= 0)
    invalid_parameter("freq \"" + freq + "\" is not a positive step", "The step between periods must be positive.",
                      hint);
  return Calendar::fixed(step);
}

NegativePolicy negative_policy(const std::string& name) {
  if (name == "keep") return NegativePolicy::kKeep;
  if (name == "zero") return NegativePolicy::kZero;
  if (name == "error") return NegativePolicy::kError;
  invalid_parameter("invalid negative \"" + name + "\"", "The negative option must be error, zero or keep.",
                    "Use negative => 'zero' to count returns as no demand.");
}

DuplicatePolicy duplicate_policy(const std::string& name) {
  if (name == "sum") return DuplicatePolicy::kSum;
  if (name == "error") return DuplicatePolicy::kError;
  invalid_parameter("invalid duplicates \"" + name + "\"", "The duplicates option must be sum or error.",
                    "Use duplicates => 'sum' to add up rows of the same timestamp.");
}

std::int64_t time_from_text(const std::string& text, Oid type) {
  const Datum d = call([&] {
    PGFunction in = type == DATEOID ? date_in : type == TIMESTAMPOID ? timestamp_in : timestamptz_in;
    return DirectFunctionCall3(in, CStringGetDatum(text.c_str()), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
  });
  const std::int64_t t = time_from_datum(d, type);
  if (t == DT_NOBEGIN || t == DT_NOEND)
    invalid_parameter("as_of must be finite", "The as_of time \"" + text + "\" is infinite.", "Pass a date or time.");
  return t;
}

TimeKind time_kind_of(Oid type) {
  return type == DATEOID ? TimeKind::kDate : type == TIMESTAMPOID ? TimeKind::kTimestamp : TimeKind::kTimestampTz;
}

void resolve_as_of(ForecastSettings& s, Oid time_type) {
  s.rules.time_kind = time_kind_of(time_type);
  if (!s.as_of_tz) return;
  const Datum tz = TimestampTzGetDatum(*s.as_of_tz);
  if (time_type == DATEOID) {
    const Datum d = call([&] { return DirectFunctionCall1(timestamptz_date, tz); });
    s.rules.as_of = time_from_datum(d, DATEOID);
  } else if (time_type == TIMESTAMPOID) {
    s.rules.as_of = DatumGetTimestamp(call([&] { return DirectFunctionCall1(timestamptz_timestamp, tz); }));
  } else {
    s.rules.as_of = *s.as_of_tz;
  }
}

}  // namespace supplyml::pg
