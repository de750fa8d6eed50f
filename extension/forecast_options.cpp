#include "forecast_options.hpp"

#include <cmath>
#include <cstdio>

#include "source.hpp"

namespace supplyml::pg {

namespace {

void write_rules(ByteWriter& w, const SeriesRules& r) {
  for (int v : {static_cast<int>(r.missing), static_cast<int>(r.negative), static_cast<int>(r.duplicates),
                static_cast<int>(r.time_kind), r.freq ? 1 : 0, r.freq ? r.freq->months : 0, r.as_of ? 1 : 0})
    w.put<std::int32_t>(v);
  w.put<std::int64_t>(r.freq ? r.freq->step_us : 0);
  w.put<std::int64_t>(r.as_of.value_or(0));
}

SeriesRules read_rules(ByteReader& b) {
  std::int32_t v[7];
  for (auto& x : v) x = b.get<std::int32_t>();
  const std::int64_t step = b.get<std::int64_t>(), as_of = b.get<std::int64_t>();
  if (v[0] > 2 || v[1] > 2 || v[2] > 1 || v[3] > 2 || v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0 ||
      (v[4] && (v[5] < 0 || step < 0 || (v[5] == 0) == (step == 0))))
    corrupted("corrupted forecast aggregate state", "The series rules are invalid.", "Re-run the query.");
  SeriesRules r;
  r.missing = static_cast<MissingPolicy>(v[0]);
  r.negative = static_cast<NegativePolicy>(v[1]);
  r.duplicates = static_cast<DuplicatePolicy>(v[2]);
  r.time_kind = static_cast<TimeKind>(v[3]);
  if (v[4]) r.freq = v[5] ? Calendar::of_months(v[5]) : Calendar::fixed(step);
  if (v[6]) r.as_of = as_of;
  return r;
}

}  // namespace

void ForecastSettings::write(ByteWriter& w) const {
  w.put_string(opt.method);
  w.put<std::int32_t>(opt.season);
  w.put<std::int32_t>(season_given ? 1 : 0);
  w.put<double>(opt.level);
  w.put<std::int32_t>(static_cast<std::uint8_t>(opt.ets.error));
  w.put<std::int32_t>(static_cast<std::uint8_t>(opt.ets.trend));
  w.put<std::int32_t>(static_cast<std::uint8_t>(opt.ets.season));
  w.put<std::int32_t>(opt.ets.damped);
  w.put_string(opt.ets.ic);
  w.put<double>(opt.fixed.alpha);
  w.put<double>(opt.fixed.beta);
  w.put<double>(opt.fixed.gamma);
  w.put<double>(opt.fixed.phi);
  w.put<double>(opt.alpha);
  w.put<double>(opt.beta);
  w.put<std::int32_t>(opt.holdout);
  for (int v : {opt.arima.p, opt.arima.d, opt.arima.q, opt.arima.P, opt.arima.D, opt.arima.Q,
                opt.arima.include_mean, opt.arima.include_drift, opt.arima.approximation})
    w.put<std::int32_t>(v);
  w.put<double>(opt.pool);
  w.put<std::uint64_t>(opt.seed);
  w.put<std::int32_t>(opt.nsim);
  write_rules(w, rules);
  w.put<std::int32_t>(opt.nonnegative ? 1 : 0);
}

ForecastSettings ForecastSettings::read(ByteReader& r) {
  ForecastSettings s;
  s.opt.method = r.get_string();
  s.opt.season = r.get<std::int32_t>();
  s.season_given = r.get<std::int32_t>() != 0;
  s.opt.level = r.get<double>();
  s.opt.ets.error = static_cast<char>(r.get<std::int32_t>());
  s.opt.ets.trend = static_cast<char>(r.get<std::int32_t>());
  s.opt.ets.season = static_cast<char>(r.get<std::int32_t>());
  s.opt.ets.damped = r.get<std::int32_t>();
  s.opt.ets.ic = r.get_string();
  s.opt.fixed.alpha = r.get<double>();
  s.opt.fixed.beta = r.get<double>();
  s.opt.fixed.gamma = r.get<double>();
  s.opt.fixed.phi = r.get<double>();
  s.opt.alpha = r.get<double>();
  s.opt.beta = r.get<double>();
  s.opt.holdout = r.get<std::int32_t>();
  for (int* v : {&s.opt.arima.p, &s.opt.arima.d, &s.opt.arima.q, &s.opt.arima.P, &s.opt.arima.D,
                 &s.opt.arima.Q, &s.opt.arima.include_mean, &s.opt.arima.include_drift,
                 &s.opt.arima.approximation})
    *v = r.get<std::int32_t>();
  s.opt.pool = r.get<double>();
  s.opt.seed = r.get<std::uint64_t>();
  s.opt.nsim = r.get<std::int32_t>();
  s.rules = read_rules(r);
  s.opt.nonnegative = r.get<std::int32_t>() != 0;
  return s;
}

// "order" [p, d, q] fixes the model (forecast::Arima); without it,
// "seasonal_order" [P, D, Q] is refused, and d or D alone cannot be fixed.
static void read_arima_options(Options& o, ArimaOptions& a) {
  auto triple = [&](const char* key, int& x, int& y, int& z, const char* example) {
    const auto v = o.numbers(key);
    if (!v) return false;
    bool ok = v->size() == 3;
    for (double e : *v) ok = ok && e >= 0 && e <= 20 && e == std::floor(e);
    if (!ok)
      invalid_parameter(std::string("option \"") + key + "\" must be three non-negative integers",
                        "ARIMA orders are given as an array of three whole numbers of at most 20.",
                        std::string("Use for example \"") + key + "\": " + example + ".");
    x = static_cast<int>((*v)[0]);
    y = static_cast<int>((*v)[1]);
    z = static_cast<int>((*v)[2]);
    return true;
  };
  const bool order = triple("order", a.p, a.d, a.q, "[0, 1, 1]");
  const bool seasonal = triple("seasonal_order", a.P, a.D, a.Q, "[0, 1, 1]");
  if (seasonal && !order)
    invalid_parameter("option \"seasonal_order\" needs \"order\"",
                      "Fixed ARIMA orders are given as \"order\" [p, d, q] and, for seasonal "
                      "models, \"seasonal_order\" [P, D, Q]; automatic selection takes neither.",
                      "Add \"order\", or remove \"seasonal_order\" to choose the orders "
                      "automatically.");
  if (o.has("include_mean")) a.include_mean = o.boolean("include_mean", true) ? 1 : 0;
  if (o.has("include_drift")) a.include_drift = o.boolean("include_drift", false) ? 1 : 0;
  if (o.has("approximation")) a.approximation = o.boolean("approximation", false) ? 1 : 0;
}

ForecastSettings read_forecast_settings(Options& o, ForecastSettings s, Oid time_type) {
  s.opt.method = o.choice("method", s.opt.method, forecast_methods());
  if (auto season = o.integer("season", 1, kMaxSeasonLength)) {
    s.opt.season = static_cast<int>(*season);
    s.season_given = true;
  }
  s.opt.level = interval_level(o.number("level", s.opt.level, 1e-6, 100));
  s.opt.nonnegative = o.boolean("nonnegative", s.opt.nonnegative);
  const std::string miss = o.choice("missing", "zero", {"zero", "interpolate", "error"});
  s.rules.missing = miss == "zero" ? MissingPolicy::kZero
                    : miss == "interpolate" ? MissingPolicy::kInterpolate : MissingPolicy::kError;
  if (o.has("freq")) s.rules.freq = freq_calendar(o.string("freq", ""));
  if (o.has("negative")) s.rules.negative = negative_policy(o.choice("negative", "keep", {"error", "zero", "keep"}));
  if (o.has("duplicates")) s.rules.duplicates = duplicate_policy(o.choice("duplicates", "sum", {"sum", "error"}));
  if (o.has("as_of")) {
    const std::string as_of = o.string("as_of", "");
    if (time_type == InvalidOid)
      s.as_of_tz = time_from_text(as_of, TIMESTAMPTZOID);
    else
      s.rules.as_of = time_from_text(as_of, time_type);
  }
  const std::string model = o.string("model", "ZZZ");
  if (model.size() != 3 || std::string("AMZ").find(model[0]) == std::string::npos ||
      std::string("NAZ").find(model[1]) == std::string::npos ||
      std::string("NAMZ").find(model[2]) == std::string::npos)
    invalid_parameter("invalid ETS model \"" + model + "\"",
                      "The model is three letters: error A, M or Z; trend N, A or Z; season N, A, "
                      "M or Z (Z chooses).",
                      "Use for example \"ZZZ\", \"MAM\" or \"ANN\" and the option \"damped\".");
  s.opt.ets.error = model[0];
  s.opt.ets.trend = model[1];
  s.opt.ets.season = model[2];
  if (o.has("damped")) s.opt.ets.damped = o.boolean("damped", false) ? 1 : 0;
  s.opt.ets.ic = o.choice("ic", "aicc", {"aicc", "aic", "bic"});
  const bool intermittent =
      s.opt.method == "croston" || s.opt.method == "sba" || s.opt.method == "tsb";
  if (intermittent) {
    s.opt.alpha = o.number("alpha", 0.1, 1e-6, 1);
    s.opt.beta = o.number("beta", 0.1, 1e-6, 1);
  } else {
    if (auto a = o.number("alpha", 1e-4, 0.9999)) s.opt.fixed.alpha = *a;
    if (auto b = o.number("beta", 1e-4, 0.9999)) s.opt.fixed.beta = *b;
  }
  if (auto g = o.number("gamma", 1e-4, 0.9999)) s.opt.fixed.gamma = *g;
  if (auto p = o.number("phi", 0.8, 0.98)) s.opt.fixed.phi = *p;
  if (auto v = o.integer("holdout", 0, kMaxHorizon)) s.opt.holdout = static_cast<int>(*v);
  read_arima_options(o, s.opt.arima);
  s.opt.pool = o.number("pool", 3.5, 0, 1e6);
  s.opt.seed = static_cast<std::uint64_t>(o.integer("seed", 42, 0, INT64_MAX));
  s.opt.nsim = static_cast<int>(o.integer("nsim", 2000, 100, 100000));
  o.finish();
  return s;
}

SeriesForecast forecast_rows_of(std::vector<std::pair<std::int64_t, double>> rows, int horizon,
                                const ForecastSettings& s, Interrupt& interrupt,
                                const std::vector<double>& levels) {
  validate_forecast_options(s.opt, horizon);
  SeriesForecast f;
  f.series = prepare_series(std::move(rows), s.rules);
  ForecastOptions opt = s.opt;
  if (!s.season_given) opt.season = f.series.calendar.default_season;
  f.season = opt.season;
  if (levels.empty()) {
    f.out = forecast_series(f.series.y, horizon, opt, interrupt);
  } else {
    f.by_level = forecast_series_levels(f.series.y, horizon, opt, levels, interrupt);
    f.out = f.by_level.front();
  }
  if (f.series.filled > 0) {
    std::string fill = std::to_string(f.series.filled) + " missing periods filled (" +
                       (s.rules.missing == MissingPolicy::kZero ? "zero" : "interpolate") + ")";
    f.out.note = f.out.note.empty() ? fill : f.out.note + "; " + fill;
  }
  return f;
}

Datum forecast_time_datum(std::int64_t micros, Oid input_type) {
  if (input_type != DATEOID && input_type != TIMESTAMPOID) return TimestampTzGetDatum(micros);
  const Datum d = time_to_datum(micros, input_type);
  return call([&] {
    return input_type == DATEOID ? DirectFunctionCall1(date_timestamptz, d)
                                 : DirectFunctionCall1(timestamp_timestamptz, d);
  });
}

namespace {

// A JSON string literal (quotes, backslashes and control characters escaped).
std::string json_string(const std::string& t) {
  std::string s = "\"";
  for (char c : t) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      s += buf;
    } else {
      s += c;
    }
  }
  return s + "\"";
}

}  // namespace

std::string params_json(const std::vector<std::pair<std::string, double>>& params,
                        const std::vector<std::pair<std::string, std::vector<std::string>>>& labels) {
  std::string s = "{";
  for (const auto& [k, v] : params) {
    char buf[64];
    if (std::isfinite(v))
      snprintf(buf, sizeof buf, "%.17g", v);
    else
      snprintf(buf, sizeof buf, "null");
    s += (s.size() > 1 ? ", " : "") + json_string(k) + ": " + buf;
  }
  for (const auto& [k, list] : labels) {
    s += (s.size() > 1 ? ", " : "") + json_string(k) + ": [";
    for (std::size_t i = 0; i < list.size(); i++) s += (i ? ", " : "") + json_string(list[i]);
    s += "]";
  }
  return s + "}";
}

}  // namespace supplyml::pg
