// The `_into` forms of the batch capabilities (forecast_into, recommend_all_into,
// reorder_policy_into, route_optimize_into): one mechanism that writes the rows
// of a query into a table the caller names, creating it on the first run and
// appending on later ones, with a run id per call and one row per run in
// <table>_summary. Key and time columns, which batch functions return as text
// and timestamptz, are stored in the types of the caller's source query.
// Everything happens in the caller's transaction and with the caller's rights;
// internal statements name every object with its schema. See docs/bi.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "device.hpp"
#include "guard.hpp"

namespace supplyml::pg {

// An argument of the called function, with its declared name and type.
struct CallArgument {
  std::string name;
  Oid type = InvalidOid;
  Datum value = 0;
  bool isnull = true;
};

// The called function's arguments from position `first` on.
std::vector<CallArgument> call_arguments(FunctionCallInfo fcinfo, int first);

// A type as DDL spells it, schema-qualified unless it is a built-in SQL name.
std::string type_sql(Oid type, int32 typmod);

// The schema of the called function, quoted: where the extension lives.
std::string own_schema(FunctionCallInfo fcinfo);

// "schema.function(name => $1, ...)": a call of `function`, in the schema of the
// called function, that passes `args` on by name as parameters $1..$n.
std::string forward_call(FunctionCallInfo fcinfo, const std::string& function,
                         const std::vector<CallArgument>& args);

// A column of the rows stored with another type than the query gives it (a
// key the batch function returns as text, a time it returns as timestamptz):
// converted with a cast, which for times uses the session's TimeZone, as the
// batch function did when it made the timestamptz.
struct Retype {
  std::string column;
  Oid type = InvalidOid;
  int32 typmod = -1;
};

struct IntoSpec {
  std::string function;              // the SQL function, e.g. "forecast_into"
  std::string rows;                  // a query returning the rows; parameters $1..$n are `params`
  std::string rows_from;             // what the rows are, for columns without a comment of their own
  std::vector<CallArgument> params;
  std::vector<Retype> retype;
  std::string key_column;            // counted in the summary (keys, errors, methods per key)
  std::string method_column;         // summary method counts; "" or a column the rows lack: none
  std::string error_column;          // non-NULL means the key failed; "" or absent: none
  std::string device_column;         // where the rows say which device computed them
  Computation computation = Computation::kForecast;  // for the device when rows do not report it
  bool has_model_version = false;
  int model_version = 0;
  std::string table_comment;
  std::map<std::string, std::string> column_comments;
};

// Runs the whole call of an `_into` function whose argument 0 is output_table,
// and returns its result row (run_id, output_table, summary_table,
// rows_written, keys, errors, seconds).
Datum write_into(FunctionCallInfo fcinfo, const IntoSpec& spec);

}  // namespace supplyml::pg
