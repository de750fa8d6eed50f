#include "into_table.hpp"

#include <chrono>
#include <cstdint>

#include "datum.hpp"
#include "settings.hpp"
#include "spi.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_proc.h"
#include "utils/plancache.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
}

namespace supplyml::pg {

namespace {

std::string ident(const std::string& name) {
  return std::string(call([&] { return quote_identifier(name.c_str()); }));
}

std::string literal(const std::string& s) {
  return std::string(call([&] { return quote_literal_cstr(s.c_str()); }));
}

std::string type_name(Oid type) { return std::string(call([&] { return format_type_be(type); })); }

struct Column {
  std::string name;
  Oid type = InvalidOid;
  int32 typmod = -1;
  std::string expr;  // the value inserted, over the rows query aliased `r`
};

// The output table and its summary table, resolved with the caller's search_path.
struct Target {
  Oid schema = InvalidOid;
  std::string schema_name, name, summary;
  Oid relid = InvalidOid, summary_relid = InvalidOid;  // InvalidOid: to be created
  std::string quoted() const { return ident(schema_name) + "." + ident(name); }
  std::string quoted_summary() const { return ident(schema_name) + "." + ident(summary); }
};

Target resolve_target(const std::string& output_table, const std::string& function) {
  Target t;
  const char* relname = nullptr;
  const char* nspname = nullptr;
  call([&] {
    // A (possibly schema-qualified) name in SQL syntax: quoted parts keep
    // their case and may hold any character; anything else is 42602.
    RangeVar* rv = makeRangeVarFromNameList(stringToQualifiedNameList(output_table.c_str()));
    t.relid = RangeVarGetRelid(rv, NoLock, true);
    t.schema = OidIsValid(t.relid) ? get_rel_namespace(t.relid) : RangeVarGetCreationNamespace(rv);
    relname = rv->relname;
    nspname = get_namespace_name(t.schema);
  });
  t.name = relname;
  t.schema_name = nspname;
  t.summary = t.name + "_summary";
  if (t.summary.size() >= NAMEDATALEN)
    throw Error(sqlstate::kNameTooLong, "output table name \"" + t.name + "\" is too long",
                "The summary table \"" + t.name + "_summary\" would exceed " + std::to_string(NAMEDATALEN - 1) +
                    " bytes, the longest name PostgreSQL keeps.",
                "Use an output table name of at most " + std::to_string(NAMEDATALEN - 9) + " bytes in " +
                    function + ".");
  call([&] { t.summary_relid = get_relname_relid(t.summary.c_str(), t.schema); });
  return t;
}

// The fields of a composite type, in order.
std::vector<Column> composite_fields(Oid type) {
  std::vector<Column> fields;
  TupleDesc desc = nullptr;
  call([&] { desc = lookup_rowtype_tupdesc_copy(type, -1); });
  for (int i = 0; i < desc->natts; ++i) {
    const Form_pg_attribute a = TupleDescAttr(desc, i);
    if (!a->attisdropped) fields.push_back({NameStr(a->attname), a->atttypid, a->atttypmod, ""});
  }
  return fields;
}

// The result columns of the internal rows query, from its plan; a composite
// column becomes one column per field, named <column>_<field>, so that BI
// tools read plain columns.
std::vector<Column> describe_rows(const IntoSpec& spec) {
  std::vector<Oid> types;
  for (const auto& p : spec.params) types.push_back(p.type);
  TupleDesc desc = nullptr;
  call([&] {
    SPIPlanPtr plan = SPI_prepare(spec.rows.c_str(), static_cast<int>(types.size()), types.data());
    if (!plan) elog(ERROR, "SPI_prepare failed for the rows of %s", spec.function.c_str());
    desc = static_cast<CachedPlanSource*>(linitial(SPI_plan_get_plan_sources(plan)))->resultDesc;
  });
  std::vector<Column> cols;
  for (int c = 0; c < desc->natts; ++c) {
    const Form_pg_attribute a = TupleDescAttr(desc, c);
    Column col{NameStr(a->attname), a->atttypid, a->atttypmod, "r." + ident(NameStr(a->attname))};
    for (const Retype& rt : spec.retype)
      if (rt.column == col.name && rt.type != col.type) {
        col.type = rt.type;
        col.typmod = rt.typmod;
        col.expr = "CAST(" + col.expr + " AS " + type_sql(rt.type, rt.typmod) + ")";
      }
    char kind = 0;
    call([&] { kind = get_typtype(col.type); });
    if (kind == TYPTYPE_COMPOSITE)
      for (const auto& f : composite_fields(col.type))
        cols.push_back({col.name + "_" + f.name, f.type, f.typmod, "(" + col.expr + ")." + ident(f.name)});
    else
      cols.push_back(col);
  }
  return cols;
}

bool has_column(const std::vector<Column>& cols, const std::string& name) {
  for (const auto& c : cols)
    if (c.name == name) return true;
  return false;
}

void exec(Spi& spi, const std::string& sql) { spi.exec(sql, {}, {}, false); }

void comment_on(Spi& spi, const std::string& what, const std::string& text) {
  exec(spi, "COMMENT ON " + what + " IS " + literal(text));
}

// Creates the table `quoted` with `cols` and their comments.
void create_table(Spi& spi, const std::string& quoted, const std::vector<Column>& cols,
                  const std::string& comment, const std::map<std::string, std::string>& comments) {
  std::string ddl = "CREATE TABLE " + quoted + " (";
  for (std::size_t i = 0; i < cols.size(); ++i)
    ddl += (i ? ", " : "") + ident(cols[i].name) + " " + cols[i].expr;
  exec(spi, ddl + ")");
  comment_on(spi, "TABLE " + quoted, comment);
  for (const auto& c : cols) {
    const auto it = comments.find(c.name);
    if (it != comments.end()) comment_on(spi, "COLUMN " + quoted + "." + ident(c.name), it->second);
  }
}

// An existing table must be a table with every column the run writes, of the
// same type (extra columns are the caller's business).
void check_table(Oid relid, const std::string& quoted, const std::vector<Column>& cols,
                 const std::string& function) {
  char kind = 0;
  call([&] { kind = get_rel_relkind(relid); });
  if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
    throw Error(sqlstate::kWrongObjectType, quoted + " is not a table",
                "The output of " + function + " goes into a table; a relation of that name exists and is of another kind.",
                "Drop or rename that relation, or pass another output_table.");
  for (const auto& c : cols) {
    Oid type = InvalidOid;
    call([&] {
      const AttrNumber att = get_attnum(relid, c.name.c_str());
      if (att != InvalidAttrNumber) type = get_atttype(relid, att);
    });
    if (type == InvalidOid)
      throw Error(sqlstate::kDuplicateTable, "table " + quoted + " exists without column \"" + c.name + "\"",
                  function + " appends to an existing table only when it has every column of its output.",
                  "Pass a new output_table, or drop the table (or add the column) first.");
    if (type != c.type)
      throw Error(sqlstate::kDatatypeMismatch,
                  "column \"" + c.name + "\" of table " + quoted + " is of type " + type_name(type) + ", not " +
                      type_name(c.type),
                  function + " appends to an existing table only when its columns have the types of this run's "
                             "output (keys and times take the source query's types).",
                  "Pass a new output_table, or cast the source query's columns to the table's types.");
  }
}

// The table's columns: run_id, the rows' columns, model_version where the
// capability has one, created_at. `expr` holds the DDL type here.
std::vector<Column> output_columns(const std::vector<Column>& rows, const IntoSpec& spec) {
  std::vector<Column> cols{{"run_id", INT8OID, -1, "bigint NOT NULL"}};
  for (const auto& c : rows) cols.push_back({c.name, c.type, c.typmod, type_sql(c.type, c.typmod)});
  if (spec.has_model_version) cols.push_back({"model_version", INT4OID, -1, "integer"});
  cols.push_back({"created_at", TIMESTAMPTZOID, -1, "timestamp with time zone NOT NULL"});
  return cols;
}

std::vector<Column> summary_columns() {
  return {{"run_id", INT8OID, -1, "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
          {"function", TEXTOID, -1, "text NOT NULL"},
          {"arguments", JSONBOID, -1, "jsonb NOT NULL"},
          {"rows_written", INT8OID, -1, "bigint NOT NULL"},
          {"keys", INT8OID, -1, "bigint NOT NULL"},
          {"method_counts", JSONBOID, -1, "jsonb"},
          {"errors", INT8OID, -1, "bigint NOT NULL"},
          {"seconds", FLOAT8OID, -1, "double precision NOT NULL"},
          {"device", TEXTOID, -1, "text"},
          {"model_version", INT4OID, -1, "integer"},
          {"started_at", TIMESTAMPTZOID, -1, "timestamp with time zone NOT NULL"},
          {"finished_at", TIMESTAMPTZOID, -1, "timestamp with time zone NOT NULL"}};
}

std::map<std::string, std::string> summary_comments(const std::string& output) {
  return {{"run_id", "Run id; the rows of the run in " + output + " carry it."},
          {"function", "The supplyml function that made the run."},
          {"arguments", "The call's arguments after output_table, by name."},
          {"rows_written", "Rows the run wrote into " + output + "."},
          {"keys", "Distinct keys (series, users, SKUs, routes) the run wrote."},
          {"method_counts", "Keys per method (or reason), as {\"method\": count}; NULL where the function reports none."},
          {"errors", "Keys whose rows carry an error or a reason instead of a result."},
          {"seconds", "Wall-clock seconds of the run."},
          {"device", "Where the rows were computed (cpu, gpu:N); NULL where the function does not report it."},
          {"model_version", "Version of the model used, for functions that read a model."},
          {"started_at", "When the run started."},
          {"finished_at", "When the run finished (before its transaction committed)."}};
}

// The device of a run whose rows do not report one: the CPU when the
// computation has no GPU path (or supplyml.device is cpu), else unknown.
std::string device_without_report(Computation what) {
  if (device_setting() == DeviceSetting::kCpu) return "cpu";
  return has_gpu_path(cuda(), what) ? "" : "cpu";
}

// What a run reports back, as plain values (the SPI memory is gone by then).
struct Outcome {
  std::int64_t run_id = 0, written = 0, keys = 0, errors = 0;
  double seconds = 0;
  std::string table, summary;
};

Datum first_value(Spi& spi, int col, bool* isnull) { return spi.value(0, col, isnull); }

Outcome run(FunctionCallInfo fcinfo, const IntoSpec& spec);

}  // namespace

std::vector<CallArgument> call_arguments(FunctionCallInfo fcinfo, int first) {
  int n = 0;
  Oid* types = nullptr;
  char** names = nullptr;
  char* modes = nullptr;
  call([&] {
    HeapTuple tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fcinfo->flinfo->fn_oid));
    if (!HeapTupleIsValid(tup)) elog(ERROR, "cache lookup failed for function %u", fcinfo->flinfo->fn_oid);
    n = get_func_arg_info(tup, &types, &names, &modes);
    ReleaseSysCache(tup);
  });
  std::vector<CallArgument> args;
  for (int i = 0, in = 0; i < n; ++i) {
    if (modes && (modes[i] == PROARGMODE_OUT || modes[i] == PROARGMODE_TABLE)) continue;
    const int argno = in++;
    if (argno < first || argno >= PG_NARGS()) continue;
    CallArgument a;
    a.name = names && names[i] ? names[i] : "";
    a.type = types[i];
    // A polymorphic parameter (forecast_batch's level) passes on the type of
    // this call's value.
    if (IsPolymorphicType(a.type)) call([&] { a.type = get_fn_expr_argtype(fcinfo->flinfo, argno); });
    a.isnull = PG_ARGISNULL(argno);
    a.value = a.isnull ? (Datum)0 : PG_GETARG_DATUM(argno);
    args.push_back(a);
  }
  return args;
}

std::string type_sql(Oid type, int32 typmod) {
  return std::string(call([&] {
    return format_type_extended(type, typmod, FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_FORCE_QUALIFY);
  }));
}

std::string own_schema(FunctionCallInfo fcinfo) {
  const char* schema = nullptr;
  call([&] { schema = get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)); });
  return ident(schema);
}

std::string forward_call(FunctionCallInfo fcinfo, const std::string& function,
                         const std::vector<CallArgument>& args) {
  std::string sql = own_schema(fcinfo) + "." + ident(function) + "(";
  for (std::size_t i = 0; i < args.size(); ++i)
    sql += (i ? ", " : "") + ident(args[i].name) + " => $" + std::to_string(i + 1);
  return sql + ")";
}

Datum write_into(FunctionCallInfo fcinfo, const IntoSpec& spec) {
  const Outcome o = run(fcinfo, spec);
  Datum result[7] = {Int64GetDatum(o.run_id), text_datum(o.table), text_datum(o.summary), Int64GetDatum(o.written),
                     Int64GetDatum(o.keys), Int64GetDatum(o.errors), Float8GetDatum(o.seconds)};
  bool nulls[7] = {};
  return composite_result(fcinfo, result, nulls);
}

namespace {

Outcome run(FunctionCallInfo fcinfo, const IntoSpec& spec) {
  const std::string output_table = text_arg(fcinfo, 0);
  const auto clock_start = std::chrono::steady_clock::now();
  const TimestampTz started = GetCurrentTimestamp();
  Spi spi;
  const Target t = resolve_target(output_table, spec.function);
  const std::string out = t.quoted(), sum = t.quoted_summary();
  const std::string function = "supplyml." + spec.function;

  const std::vector<Column> rows = describe_rows(spec);
  const std::vector<Column> table = output_columns(rows, spec);
  if (OidIsValid(t.relid)) {
    check_table(t.relid, out, table, function);
  } else {
    auto comments = spec.column_comments;
    comments["run_id"] = "Run of " + function + " that wrote the row; one row per run in " + sum + ".";
    comments["created_at"] = "When the run that wrote the row started.";
    if (spec.has_model_version) comments["model_version"] = "Version of the model the row was computed with.";
    for (const auto& c : rows) comments.emplace(c.name, "As in the result of " + spec.rows_from + ".");
    create_table(spi, out, table, spec.table_comment + " One row per run in " + sum + ".", comments);
    exec(spi, "CREATE INDEX ON " + out + " (run_id)");
  }
  const std::vector<Column> summary = summary_columns();
  if (OidIsValid(t.summary_relid))
    check_table(t.summary_relid, sum, summary, function);
  else
    create_table(spi, sum, summary, "Runs of " + function + " into " + out + ": one row per call.",
                 summary_comments(out));

  // The run id comes from the summary table's identity sequence.
  bool isnull = false;
  spi.exec("SELECT pg_catalog.nextval(pg_catalog.pg_get_serial_sequence($1, 'run_id'))", {TEXTOID},
           {text_datum(sum)}, false);
  const Datum run_id = first_value(spi, 1, &isnull);
  if (isnull)
    throw Error(sqlstate::kDuplicateTable, "table " + sum + " has no run_id sequence",
                "The summary table's run_id column must be an identity or serial column.",
                "Drop the summary table so that " + function + " creates it, or pass another output_table.");

  // One statement writes the rows and counts them.
  const std::size_t n = spec.params.size();
  std::vector<Oid> types;
  std::vector<Datum> values;
  std::string nulls;
  for (const auto& p : spec.params) {
    types.push_back(p.type);
    values.push_back(p.value);
    nulls += p.isnull ? 'n' : ' ';
  }
  types.insert(types.end(), {INT8OID, TIMESTAMPTZOID, INT4OID});
  values.insert(values.end(), {run_id, TimestampTzGetDatum(started), Int32GetDatum(spec.model_version)});
  nulls += spec.has_model_version ? "  " : "  n";
  const std::string p_run = "$" + std::to_string(n + 1), p_at = "$" + std::to_string(n + 2),
                    p_version = "$" + std::to_string(n + 3);
  std::string names = "run_id", select = p_run;
  for (const auto& c : rows) {
    names += ", " + ident(c.name);
    select += ", " + c.expr;
  }
  if (spec.has_model_version) {
    names += ", model_version";
    select += ", " + p_version;
  }
  names += ", created_at";
  select += ", " + p_at;
  auto returned = [&](const std::string& col, const std::string& fallback) {
    return has_column(rows, col) ? "CAST(" + ident(col) + " AS pg_catalog.text)" : fallback;
  };
  const std::string sql =
      "WITH ins AS (INSERT INTO " + out + " (" + names + ") SELECT " + select + " FROM (\n" + spec.rows +
      "\n) AS r RETURNING " + ident(spec.key_column) + " AS k, " + returned(spec.method_column, "NULL::pg_catalog.text") +
      " AS m, " + returned(spec.error_column, "NULL::pg_catalog.text") + " AS e, " +
      returned(spec.device_column, "NULL::pg_catalog.text") + " AS d), "
      // One hashed pass over the rows per key (a key's rows share one method).
      "per_key AS (SELECT ins.k, pg_catalog.count(*) AS n, pg_catalog.min(ins.m) AS m, "
      "pg_catalog.bool_or(ins.e IS NOT NULL) AS failed, pg_catalog.min(ins.d) AS d FROM ins GROUP BY ins.k) "
      "SELECT CAST(COALESCE(pg_catalog.sum(per_key.n), 0) AS pg_catalog.int8), pg_catalog.count(per_key.k), "
      "(SELECT pg_catalog.jsonb_object_agg(c.m, c.n) FROM (SELECT per_key.m, pg_catalog.count(*) AS n "
      "FROM per_key WHERE per_key.m IS NOT NULL GROUP BY per_key.m) AS c), "
      "pg_catalog.count(*) FILTER (WHERE per_key.failed), pg_catalog.string_agg(DISTINCT per_key.d, ', '), "
      "CAST(COALESCE(pg_catalog.sum(per_key.n) FILTER (WHERE per_key.k IS NULL), 0) AS pg_catalog.int8) FROM per_key";
  spi.exec(sql, types, values, nulls, false);
  bool null_counts = false, null_device = false;
  const Datum written = first_value(spi, 1, &isnull);
  const Datum keys = first_value(spi, 2, &isnull);
  const Datum counts = first_value(spi, 3, &null_counts);
  const Datum errors = first_value(spi, 4, &isnull);
  Datum device = first_value(spi, 5, &null_device);
  const std::int64_t null_keys = DatumGetInt64(first_value(spi, 6, &isnull));
  if (null_keys > 0)
    throw Error(sqlstate::kNullValueNotAllowed,
                "rows of " + function + " have a NULL " + spec.key_column,
                std::to_string(null_keys) + " rows have no " + spec.key_column + ".",
                "Filter out the rows without a key (WHERE ... IS NOT NULL) in the query texts.");
  if (null_device) {
    const std::string d = device_without_report(spec.computation);
    null_device = d.empty();
    if (!null_device) device = text_datum(d);
  }

  // The call's arguments after output_table, as {"name": value}.
  std::vector<CallArgument> args = call_arguments(fcinfo, 1);
  std::vector<Oid> arg_types;
  std::vector<Datum> arg_values;
  std::string arg_nulls, build;
  for (std::size_t i = 0; i < args.size(); ++i) {
    arg_types.insert(arg_types.end(), {TEXTOID, args[i].type});
    arg_values.insert(arg_values.end(), {text_datum(args[i].name), args[i].value});
    arg_nulls += args[i].isnull ? " n" : "  ";
    build += (i ? ", $" : "$") + std::to_string(2 * i + 1) + ", $" + std::to_string(2 * i + 2);
  }
  spi.exec("SELECT pg_catalog.jsonb_build_object(" + build + ")", arg_types, arg_values, arg_nulls, false);
  const Datum arguments = first_value(spi, 1, &isnull);

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  const TimestampTz finished = GetCurrentTimestamp();
  spi.exec("INSERT INTO " + sum +
               " (run_id, function, arguments, rows_written, keys, method_counts, errors, seconds, device, "
               "model_version, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
           {INT8OID, TEXTOID, JSONBOID, INT8OID, INT8OID, JSONBOID, INT8OID, FLOAT8OID, TEXTOID, INT4OID,
            TIMESTAMPTZOID, TIMESTAMPTZOID},
           {run_id, text_datum(function), arguments, written, keys, counts, errors, Float8GetDatum(seconds), device,
            Int32GetDatum(spec.model_version), TimestampTzGetDatum(started), TimestampTzGetDatum(finished)},
           std::string("     ") + (null_counts ? 'n' : ' ') + "  " + (null_device ? 'n' : ' ') +
               (spec.has_model_version ? ' ' : 'n') + "  ",
           false);

  return {DatumGetInt64(run_id), DatumGetInt64(written), DatumGetInt64(keys), DatumGetInt64(errors), seconds, out, sum};
}

}  // namespace

}  // namespace supplyml::pg
