// forecast_into, recommend_all_into and route_optimize_into: the set-returning
// batch functions written into a table (into_table.hpp). Each passes its own
// arguments after output_table on to the batch function by name, so a
// parameter added to both SQL declarations needs no change here.
#include "datum.hpp"
#include "into_table.hpp"
#include "key_dictionary.hpp"
#include "source.hpp"
#include "spi.hpp"

namespace supplyml::pg {

namespace {

bool is_time_type(Oid t) { return t == DATEOID || t == TIMESTAMPOID || t == TIMESTAMPTZOID; }

// Stores result column `column` in the type of column `index` of the source
// query, when the source has such a column of a type the batch function
// accepts (otherwise the batch function reports the source's shape).
void keep_source_type(IntoSpec& spec, const std::vector<QueryColumn>& source, std::size_t index,
                      const std::string& column, bool time) {
  if (index >= source.size()) return;
  const QueryColumn& c = source[index];
  if (time ? is_time_type(c.type) : is_key_type(c.type)) spec.retype.push_back({column, c.type, c.typmod});
}

// The rows of `batch` called with every argument after output_table.
IntoSpec batch_spec(FunctionCallInfo fcinfo, const std::string& function, const std::string& batch) {
  require_arg(fcinfo, 0, "output_table");
  IntoSpec spec;
  spec.function = function;
  spec.params = call_arguments(fcinfo, 1);
  spec.rows = "SELECT * FROM " + forward_call(fcinfo, batch, spec.params);
  spec.rows_from = "supplyml." + batch;
  return spec;
}

}  // namespace
}  // namespace supplyml::pg

using namespace supplyml;
using namespace supplyml::pg;

// forecast_into(output_table, then forecast_batch's arguments)
SML_FUNCTION(sml_forecast_into) {
  IntoSpec spec = batch_spec(fcinfo, "forecast_into", "forecast_batch");
  const auto source = describe_source(text_arg(fcinfo, 1), "forecast_into");
  keep_source_type(spec, source, 0, "series_key", false);
  keep_source_type(spec, source, 1, "ts", true);
  spec.key_column = "series_key";
  spec.method_column = "method";
  spec.error_column = "error";
  spec.computation = Computation::kForecast;
  spec.table_comment = "Forecasts written by supplyml.forecast_into: one row per series, period and run.";
  spec.column_comments = {
      {"series_key", "Series key, in the type of the source query's key column."},
      {"step", "Periods ahead of the last period of history, 1 to horizon."},
      {"ts", "The forecast period, in the type of the source query's time column."},
      {"point", "Point forecast."},
      {"lower", "Lower bound of the prediction interval at level."},
      {"upper", "Upper bound of the prediction interval at level."},
      {"method", "Method fitted to the series, e.g. ETS(A,N,N), theta, sba."},
      {"level", "Level of the prediction interval, as a fraction."},
      {"error", "SQLSTATE and message of a series that failed, else NULL."}};
  return write_into(fcinfo, spec);
}

// recommend_all_into(output_table, model, k, users, version)
SML_FUNCTION(sml_recommend_all_into) {
  IntoSpec spec = batch_spec(fcinfo, "recommend_all_into", "recommend_all");
  const std::string model = text_arg(fcinfo, 1);
  // The version the run reads (`version`, else the current one) and its key
  // types; recommend_all reports an unknown model or version itself.
  Oid user_type = InvalidOid, item_type = InvalidOid;
  {
    Spi spi;
    const auto found = spi.exec(
        "SELECT m.version, pg_catalog.to_regtype(m.params OPERATOR(pg_catalog.->>) 'user_key_type'), "
        "pg_catalog.to_regtype(m.params OPERATOR(pg_catalog.->>) 'item_key_type') FROM " +
            own_schema(fcinfo) + ".model_versions m WHERE m.name OPERATOR(pg_catalog.=) $1 "
            "AND ($2 IS NULL AND m.is_current OR m.version OPERATOR(pg_catalog.=) $2)",
        {TEXTOID, INT4OID}, {text_datum(model), PG_ARGISNULL(4) ? (Datum)0 : PG_GETARG_DATUM(4)},
        std::string(" ") + (PG_ARGISNULL(4) ? 'n' : ' '), true, 1);
    if (found == 1) {
      bool isnull = false;
      spec.model_version = DatumGetInt32(spi.value(0, 1, &isnull));
      const Datum u = spi.value(0, 2, &isnull);
      if (!isnull) user_type = DatumGetObjectId(u);
      const Datum i = spi.value(0, 3, &isnull);
      if (!isnull) item_type = DatumGetObjectId(i);
    }
  }
  spec.has_model_version = true;
  if (is_key_type(item_type)) spec.retype.push_back({"item_id", item_type, -1});
  if (PG_ARGISNULL(3)) {
    if (is_key_type(user_type)) spec.retype.push_back({"user_id", user_type, -1});
  } else {
    // Users named by a query keep that query's key type (unknown users too).
    keep_source_type(spec, describe_source(text_arg(fcinfo, 3), "recommend_all_into"), 0, "user_id", false);
  }
  spec.key_column = "user_id";
  spec.method_column = "reason";
  spec.computation = Computation::kTopK;
  spec.table_comment = "Recommendations written by supplyml.recommend_all_into: one row per user, rank and run.";
  spec.column_comments = {
      {"user_id", "User id, in the type of the model's user keys (or of the users query's column)."},
      {"item_id", "Recommended item, in the type of the model's item keys."},
      {"score", "The model's score of the item for the user."},
      {"rank", "1 for the best item."},
      {"reason", "personal, or popular for a user the model does not know."}};
  return write_into(fcinfo, spec);
}

// route_optimize_into(output_table, source, options)
SML_FUNCTION(sml_route_optimize_into) {
  IntoSpec spec = batch_spec(fcinfo, "route_optimize_into", "route_optimize_batch");
  const auto source = describe_source(text_arg(fcinfo, 1), "route_optimize_into");
  keep_source_type(spec, source, 0, "route", false);
  spec.key_column = "route";
  spec.error_column = "error";
  spec.device_column = "after_device";
  spec.computation = Computation::kRouting;
  spec.table_comment =
      "Improved routes written by supplyml.route_optimize_into: one row per route and run, with the "
      "route's score before (before_*) and after (after_*) the improvement.";
  spec.column_comments = {
      {"route", "Route key, in the type of the source query's route column."},
      {"visit_order", "1-based positions of the stops (in seq order) in the improved visiting order."},
      {"iterations", "Perturbation rounds done."},
      {"moves", "Improving moves applied."},
      {"error", "SQLSTATE and message of a route that failed (option on_error), else NULL."}};
  for (const char* side : {"before", "after"}) {
    const std::string s = side;
    const std::string when = s == "before" ? " of the route in its given order." : " of the improved route.";
    spec.column_comments[s + "_stops"] = "Stops" + when;
    spec.column_comments[s + "_distance"] = "Distance" + when;
    spec.column_comments[s + "_travel_time"] = "Travel time" + when;
    spec.column_comments[s + "_duration"] = "Duration from leaving the depot to returning" + when;
    spec.column_comments[s + "_waiting"] = "Time spent before windows opened" + when;
    spec.column_comments[s + "_lateness"] = "Sum of late arrivals' lateness" + when;
    spec.column_comments[s + "_late_stops"] = "Late arrivals" + when;
    spec.column_comments[s + "_max_load"] = "Load on leaving the depot" + when;
    spec.column_comments[s + "_capacity_excess"] = "Load above capacity" + when;
    spec.column_comments[s + "_feasible"] = "No capacity excess and, with hard windows, no late stop" + when;
    spec.column_comments[s + "_cost"] = "Cost (docs/routing.md)" + when;
    spec.column_comments[s + "_device"] = "Where the score" + when.substr(0, when.size() - 1) + " was computed.";
  }
  return write_into(fcinfo, spec);
}
