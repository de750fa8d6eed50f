// The forecast aggregate: supplyml.forecast(ts, value, horizon [, options]).
// Transition collects (time, value) pairs; the final function sorts, builds
// the regular series and fits it. Parallel safe through combine (concatenate)
// and serial/deserial.
#include <cmath>

#include "aggstate.hpp"
#include "datum.hpp"
#include "device.hpp"
#include "forecast_options.hpp"
#include "source.hpp"

namespace supplyml::pg {
namespace {

struct ForecastState {
  static constexpr const char* kName = "forecast";
  bool configured = false;
  std::int32_t horizon = 0;
  Oid time_type = TIMESTAMPTZOID;  // date or timestamptz, as the call passed ts
  ForecastSettings settings;
  pg::vector<std::int64_t> t;  // in the aggregate context (new_state)
  pg::vector<double> v;

  template <class V>
  void fields(V& f) {
    f(configured);
    f(horizon);
    f(time_type);
    f(settings);
    f(t);
    f(v);
  }
  bool consistent() const { return t.size() == v.size(); }
  void merge(const ForecastState& o) {
    if (!configured && o.configured) {
      configured = true;
      horizon = o.horizon;
      time_type = o.time_type;
      settings = o.settings;
    }
    t.insert(t.end(), o.t.begin(), o.t.end());
    v.insert(v.end(), o.v.begin(), o.v.end());
  }
};

constexpr const char* kAgg = "forecast";

Datum timestamptz_array(const std::vector<std::int64_t>& t, Oid input_type) {
  std::vector<Datum> d(t.size());
  for (std::size_t i = 0; i < t.size(); i++) d[i] = forecast_time_datum(t[i], input_type);
  return call([&] {
    return PointerGetDatum(construct_array(d.data(), static_cast<int>(d.size()), TIMESTAMPTZOID,
                                           8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
  });
}

Datum jsonb_from_text(const std::string& s) {
  return call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(s.c_str())); });
}

}  // namespace
}  // namespace supplyml::pg

using namespace supplyml;
using namespace supplyml::pg;

// forecast_transfn(state, ts date|timestamptz, value float8, horizon int [, options jsonb])
SML_FUNCTION(sml_forecast_transfn) {
  auto* st = state_arg<ForecastState>(fcinfo, 0);
  if (!st) st = new_state<ForecastState>(fcinfo, kAgg);
  if (!st->configured) {
    if (PG_ARGISNULL(3))
      invalid_parameter("horizon must not be null", "The forecast aggregate was given a NULL horizon.",
                        "Pass the number of periods to forecast.");
    st->horizon = PG_GETARG_INT32(3);
    st->time_type = get_fn_expr_argtype(fcinfo->flinfo, 1);
    ForecastSettings base;
    base.rules.time_kind = time_kind_of(st->time_type);
    if (PG_NARGS() > 4) {
      Options o(fcinfo, 4, "forecast");
      st->settings = read_forecast_settings(o, base, st->time_type);
    } else {
      st->settings = base;
    }
    validate_forecast_options(st->settings.opt, st->horizon);
    st->configured = true;
  } else if (PG_ARGISNULL(3) || PG_GETARG_INT32(3) != st->horizon) {
    invalid_parameter("horizon must be the same on every row",
                      "The forecast aggregate was given horizon " + std::to_string(st->horizon) +
                          " and then " +
                          (PG_ARGISNULL(3) ? std::string("NULL") : std::to_string(PG_GETARG_INT32(3))) +
                          ".",
                      "Pass a constant horizon.");
  }
  // A row with neither time nor value is the empty side of an outer join:
  // it adds nothing, and a group of only such rows gives NULL.
  if (PG_ARGISNULL(1) && PG_ARGISNULL(2)) PG_RETURN_POINTER(st);
  if (PG_ARGISNULL(1))
    throw Error(sqlstate::kNullValueNotAllowed, "timestamp must not be null",
                "A row of the forecast aggregate has a NULL timestamp.",
                "Filter out rows without a timestamp.");
  const Oid type = get_fn_expr_argtype(fcinfo->flinfo, 1);
  st->t.push_back(time_from_datum(PG_GETARG_DATUM(1), type));
  st->v.push_back(PG_ARGISNULL(2) ? NAN : PG_GETARG_FLOAT8(2));
  if (!PG_ARGISNULL(2) && !std::isfinite(st->v.back()))
    data_error("series contains a non-finite value",
               "NaN and infinite values cannot be forecast.",
               "Replace or remove them before forecasting, or pass NULL for a missing period.");
  PG_RETURN_POINTER(st);
}

SML_AGGREGATE_SUPPORT(forecast, ForecastState)

SML_FUNCTION(sml_forecast_finalfn) {
  auto* st = state_arg<ForecastState>(fcinfo, 0);
  if (!st || st->t.empty()) PG_RETURN_NULL();
  std::vector<std::pair<std::int64_t, double>> rows(st->t.size());
  for (std::size_t i = 0; i < rows.size(); i++) rows[i] = {st->t[i], st->v[i]};
  const DeviceChoice device = choose_device(Computation::kForecast, 1000.0 * static_cast<double>(rows.size()));
  Interrupt intr = interrupt();
  SeriesForecast f = forecast_rows_of(std::move(rows), st->horizon, st->settings, intr);
  const auto& cal = f.series.calendar;
  const std::int64_t n = static_cast<std::int64_t>(f.series.y.size());
  std::vector<std::int64_t> future(st->horizon);
  for (int i = 0; i < st->horizon; i++) future[i] = cal.at(f.series.start, n + i);
  Datum values[11];
  bool nulls[11] = {false};
  values[0] = text_datum(f.out.method);
  values[1] = jsonb_from_text(params_json(f.out.params, f.out.labels));
  values[2] = Float8GetDatum(f.out.aicc);
  nulls[2] = std::isnan(f.out.aicc);
  values[3] = timestamptz_array(future, st->time_type);
  values[4] = float8_array_datum(f.out.point);
  values[5] = float8_array_datum(f.out.lower);
  values[6] = float8_array_datum(f.out.upper);
  values[7] = Float8GetDatum(st->settings.opt.level);
  values[8] = text_datum(cal.name + ", season " + std::to_string(f.season));
  values[9] = text_datum(f.out.note);
  nulls[9] = f.out.note.empty();
  values[10] = text_datum(device.label());
  return composite_result(fcinfo, values, nulls);
}
