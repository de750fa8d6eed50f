// reorder_policy_into(output_table, sales, parameters, options): a reorder
// policy per SKU from a sales query (sku, day, qty) and a parameters query
// (sku, then columns named after reorder_policy's options, e.g. lead_time,
// holding_cost), written into a table (into_table.hpp). The policies come from
// the reorder_policy aggregate, one group per SKU; a SKU with parameters but
// no sales, or sales but no parameters, gets a row with a NULL policy and a
// reason. Both query texts are checked to be one plain SELECT (describe_source)
// before they are placed, parenthesized, inside the statement that runs them.
#include <cctype>

#include "datum.hpp"
#include "into_table.hpp"
#include "key_dictionary.hpp"
#include "source.hpp"
#include "spi.hpp"

namespace supplyml::pg {

namespace {

bool is_number_type(Oid t) {
  return is_int_key_type(t) || t == FLOAT4OID || t == FLOAT8OID || t == NUMERICOID;
}

std::string type_name(Oid type) { return std::string(call([&] { return format_type_be(type); })); }

[[noreturn]] void bad_shape(const std::string& query, const std::string& shape, const std::string& detail) {
  throw Error(sqlstate::kDatatypeMismatch, query + " query of reorder_policy_into must return " + shape, detail,
              "Write the query so that it selects these columns in this order, casting where needed "
              "(day::date for a timestamp).");
}

void check_column(const std::string& query, const std::string& shape, const std::vector<QueryColumn>& cols,
                  std::size_t i, bool fits, const char* must) {
  if (!fits)
    bad_shape(query, shape,
              "Column " + std::to_string(i + 1) + " (" + cols[i].name + ") is of type " + type_name(cols[i].type) +
                  ", but must be " + must + ".");
}

// A query text without trailing blanks and semicolons, so that it can be
// parenthesized; describe_source has checked that it is one SELECT.
std::string embeddable(std::string query) {
  while (!query.empty() && (std::isspace(static_cast<unsigned char>(query.back())) || query.back() == ';'))
    query.pop_back();
  return "(\n" + query + "\n)";
}

// Refuses a parameters query that names a SKU twice, or a NULL SKU.
void check_parameter_keys(const std::string& parameters) {
  Spi spi;
  const auto found = spi.exec(
      "SELECT CAST(p0.sml_key AS pg_catalog.text) FROM " + embeddable(parameters) +
          " AS p0(sml_key) GROUP BY p0.sml_key HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1 "
          "OR p0.sml_key IS NULL LIMIT 1",
      {}, {}, true, 1);
  if (found == 0) return;
  bool isnull = false;
  const Datum key = spi.value(0, 1, &isnull);
  if (isnull)
    throw Error(sqlstate::kNullValueNotAllowed, "parameters query of reorder_policy_into returned a NULL sku",
                "Every row of the parameters query must name a SKU.", "Filter out rows without a SKU.");
  throw Error(sqlstate::kCardinalityViolation,
              "parameters query of reorder_policy_into returns sku " +
                  std::string(call([&] { return TextDatumGetCString(key); })) + " more than once",
              "The parameters query must give each SKU one row of options.",
              "Return one row per SKU, e.g. with SELECT DISTINCT ON (sku) ... ORDER BY sku, valid_from DESC.");
}

}  // namespace
}  // namespace supplyml::pg

using namespace supplyml;
using namespace supplyml::pg;

SML_FUNCTION(sml_reorder_policy_into) {
  require_arg(fcinfo, 0, "output_table");
  const std::string sales = text_arg(fcinfo, 1);
  const bool with_parameters = !PG_ARGISNULL(2);
  const auto s = describe_source(sales, "reorder_policy_into");
  const std::string sales_shape = "(sku, day, qty)";
  if (s.size() != 3)
    bad_shape("sales", sales_shape, "The query returns " + std::to_string(s.size()) + " columns, not 3.");
  check_column("sales", sales_shape, s, 0, is_key_type(s[0].type), "an integer or text key");
  check_column("sales", sales_shape, s, 1, s[1].type == DATEOID || is_int_key_type(s[1].type),
               "a date or an integer period");
  check_column("sales", sales_shape, s, 2, is_number_type(s[2].type), "a number");
  QueryColumn key = s[0];
  std::string parameters;
  if (with_parameters) {
    parameters = text_arg(fcinfo, 2);
    const auto p = describe_source(parameters, "reorder_policy_into");
    const std::string shape = "(sku, option columns ...)";
    if (p.empty()) bad_shape("parameters", shape, "The query returns no columns.");
    check_column("parameters", shape, p, 0,
                 is_int_key_type(p[0].type) ? is_int_key_type(key.type) : is_text_key_type(p[0].type) && is_text_key_type(key.type),
                 ("a key of the same kind as the sales query's sku (" + type_name(key.type) + ")").c_str());
    key = p[0];
    check_parameter_keys(parameters);
  }

  IntoSpec spec;
  spec.function = "reorder_policy_into";
  spec.params = {call_arguments(fcinfo, 3).at(0)};
  const std::string schema = own_schema(fcinfo);
  const std::string key_type = type_sql(key.type, key.typmod);
  const std::string options = "COALESCE($1, '{}'::pg_catalog.jsonb)";
  // The aggregate's option "label": an error in one SKU's policy names it.
  const std::string label =
      "OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('label', 'sku ' OPERATOR(pg_catalog.||) "
      "CAST(s.sku AS pg_catalog.text))";
  // Sales are summed per SKU and day (several order lines a day are usual).
  std::string sql =
      "WITH s AS MATERIALIZED (SELECT CAST(s0.sml_key AS " + key_type + ") AS sku, CAST(s0.sml_day AS " +
      (s[1].type == DATEOID ? "pg_catalog.date" : "pg_catalog.int8") +
      ") AS day, pg_catalog.sum(CAST(s0.sml_qty AS pg_catalog.float8)) AS qty FROM " + embeddable(sales) +
      " AS s0(sml_key, sml_day, sml_qty) GROUP BY 1, 2)";
  if (with_parameters) {
    sql += ", p AS MATERIALIZED (SELECT p0.sml_key AS sku, " + options +
           " OPERATOR(pg_catalog.||) pg_catalog.jsonb_strip_nulls(pg_catalog.to_jsonb(p0) "
           "OPERATOR(pg_catalog.-) 'sml_key'::pg_catalog.text) AS options FROM " +
           embeddable(parameters) + " AS p0(sml_key))"
           ", pol AS MATERIALIZED (SELECT s.sku, " + schema + ".reorder_policy(s.day, s.qty, p.options " + label +
           ") AS r, "
           "pg_catalog.min(s.day) AS history_from, pg_catalog.max(s.day) AS history_to "
           "FROM s JOIN p ON s.sku OPERATOR(pg_catalog.=) p.sku GROUP BY s.sku, p.options) "
           "SELECT k.sku, (pol.r).*, pol.history_from, pol.history_to, p.options, "
           "CASE WHEN p.sku IS NULL THEN 'no parameters' WHEN pol.sku IS NULL THEN 'no sales' END AS reason "
           "FROM (SELECT p.sku FROM p UNION SELECT s.sku FROM s) AS k "
           "LEFT JOIN p ON p.sku OPERATOR(pg_catalog.=) k.sku "
           "LEFT JOIN pol ON pol.sku OPERATOR(pg_catalog.=) k.sku ORDER BY k.sku";
  } else {
    sql += ", pol AS MATERIALIZED (SELECT s.sku, " + schema + ".reorder_policy(s.day, s.qty, " + options + " " +
           label + ") AS r, pg_catalog.min(s.day) AS history_from, pg_catalog.max(s.day) AS history_to FROM s GROUP BY s.sku) "
           "SELECT pol.sku, (pol.r).*, pol.history_from, pol.history_to, " + options +
           " AS options, NULL::pg_catalog.text AS reason FROM pol ORDER BY pol.sku";
  }
  spec.rows = sql;
  spec.rows_from = "supplyml.reorder_policy";
  spec.key_column = "sku";
  spec.method_column = "method";
  spec.error_column = "reason";
  spec.computation = Computation::kInventory;
  spec.table_comment =
      "Reorder policies written by supplyml.reorder_policy_into: one row per SKU and run; the policy "
      "columns are those of supplyml.inventory_policy (docs/inventory.md).";
  spec.column_comments = {
      {"sku", "SKU, in the type of the parameters query's key column (of the sales query without one)."},
      {"policy", "rq, ss or base_stock; NULL when reason says why there is no policy."},
      {"reorder_point", "Reorder point r (or s); NULL for base_stock."},
      {"order_quantity", "Order quantity Q; NULL where the quantity varies (ss, base_stock)."},
      {"order_up_to", "Order-up-to level: r + Q, or S."},
      {"safety_stock", "Reorder point (or S) minus the mean demand over its protection interval."},
      {"expected_cost", "Expected cost per period; NULL where the method gives none."},
      {"fill_rate", "Fraction of demand served from stock."},
      {"cycle_service_level", "Probability of no stockout in a cycle."},
      {"method", "Method of the policy, e.g. exact, or zero_demand for an all-zero history."},
      {"distribution", "Demand distribution fitted to the history."},
      {"demand_mean", "Mean demand per period."},
      {"demand_sd", "Standard deviation of demand per period."},
      {"history_from", "First period of the SKU's sales history, in the sales query's day type."},
      {"history_to", "Last period of the SKU's sales history, in the sales query's day type."},
      {"options", "The reorder_policy options used: options overridden by the SKU's parameters."},
      {"reason", "Why the SKU has no policy: no sales, or no parameters; NULL when it has one."}};
  return write_into(fcinfo, spec);
}
