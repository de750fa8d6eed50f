// Forecast settings as SQL passes them (the options jsonb keys, or named
// arguments of the batch functions), and the pieces the forecast functions
// share: series preparation with the series key in errors, result arrays.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "forecast_rules.hpp"
#include "options.hpp"
#include "supplyml/bytes.hpp"
#include "supplyml/forecast.hpp"
#include "supplyml/forecast_calendar.hpp"

namespace supplyml::pg {

struct ForecastSettings {
  ForecastOptions opt;
  bool season_given = false;  // else the detected step's default
  // missing, negative, duplicates, freq, and as_of in the input's own
  // representation (see resolve_as_of)
  SeriesRules rules;
  // The batch functions' as_of as a timestamptz, until the source's ts type is known.
  std::optional<std::int64_t> as_of_tz;

  void write(ByteWriter& w) const;
  static ForecastSettings read(ByteReader& r);
};

// Aggregate states carry their settings (aggstate.hpp's field visitors).
template <class V>
void visit_fields(V& v, ForecastSettings& s) {
  if constexpr (V::kReading) {
    s = ForecastSettings::read(v.bytes());
  } else {
    s.write(v.bytes());
  }
}

// Reads the option keys (method, season, level, missing, freq, as_of,
// negative, duplicates, model, damped, alpha, beta, gamma, phi, ic, seed, nsim)
// over `base`, then finish()es. The as_of text is read as `time_type` (the
// aggregate's ts type), or as a timestamptz into as_of_tz when time_type is
// InvalidOid (the batch functions, which learn the type from the source).
ForecastSettings read_forecast_settings(Options& o, ForecastSettings base, Oid time_type);

// Sets rules.as_of from as_of_tz for a source whose ts column has type
// time_type: the timestamptz's date (or wall-clock timestamp) in the session
// time zone, as the input's own cast would compare; and rules.time_kind.
void resolve_as_of(ForecastSettings& s, Oid time_type);

// One series forecast from raw rows, as every SQL entry point runs it.
// With levels (fractions), by_level holds one output per level
// (forecast_series_levels) and out is the first.
struct SeriesForecast {
  PreparedSeries series;
  ForecastOutput out;
  int season = 1;
  std::vector<ForecastOutput> by_level;
};
SeriesForecast forecast_rows_of(std::vector<std::pair<std::int64_t, double>> rows, int horizon,
                                const ForecastSettings& s, Interrupt& interrupt,
                                const std::vector<double>& levels = {});

// A forecast period as the timestamptz that the input's own type casts to:
// the detected calendar works on UTC wall-clock values (dates at midnight
// UTC); a date or timestamp input comes back as `date::timestamptz` /
// `timestamp::timestamptz` in the session time zone, so results join the
// input (f.ts = s.day) and f.ts::date is the period's date in any time zone.
Datum forecast_time_datum(std::int64_t micros, Oid input_type);

// JSON text of named parameters, e.g. {"alpha": 0.3}.
std::string params_json(const std::vector<std::pair<std::string, double>>& params,
                        const std::vector<std::pair<std::string, std::vector<std::string>>>& labels = {});

}  // namespace supplyml::pg
