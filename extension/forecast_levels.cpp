// The level argument of the batch forecasting functions: one level or
// several, as a number, an array or text, fractions or percents.
#include <cerrno>
#include <cstdlib>
#include <string>

#include "datum.hpp"
#include "forecast_batch.hpp"

namespace supplyml::pg {
namespace {

bool accepted(Oid t) {
  switch (t) {
    case INT2OID: case INT4OID: case INT8OID: case NUMERICOID: case FLOAT4OID: case FLOAT8OID:
    case INT2ARRAYOID: case INT4ARRAYOID: case INT8ARRAYOID: case NUMERICARRAYOID:
    case FLOAT4ARRAYOID: case FLOAT8ARRAYOID: case TEXTOID: case VARCHAROID:
      return true;
    default:
      return false;
  }
}

[[noreturn]] void bad_text(const std::string& text) {
  throw Error(sqlstate::kInvalidTextRepresentation, "invalid interval level \"" + text + "\"",
              "A level is a number, or an array of numbers such as {80,95}.",
              "Pass for example level => 95 or level => '{80,95}'.");
}

double parse_number(std::string s, const std::string& whole) {
  const auto b = s.find_first_not_of(" \t\n");
  const auto e = s.find_last_not_of(" \t\n");
  if (b == std::string::npos) bad_text(whole);
  s = s.substr(b, e - b + 1);
  if (s == "NULL" || s == "null")
    throw Error(sqlstate::kNullValueNotAllowed, "level must not contain NULL",
                "The array of interval levels " + whole + " has a NULL element.",
                "Remove the NULL from the array of levels.");
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || errno == ERANGE) bad_text(whole);
  return v;
}

}  // namespace

std::vector<double> levels_arg(FunctionCallInfo fcinfo, int argno) {
  if (PG_ARGISNULL(argno)) return {0.95};
  const Oid type = get_fn_expr_argtype(fcinfo->flinfo, argno);
  if (type == FLOAT8OID) return {interval_level(PG_GETARG_FLOAT8(argno))};
  if (!accepted(type)) {
    const std::string name(call([&] { return format_type_be(type); }));
    throw Error(sqlstate::kDatatypeMismatch, "level must be a number or an array of numbers",
                "The level given has type " + name + ".",
                "Pass for example level => 95, level => 0.95 or level => '{80,95}'.");
  }
  const Datum d = PG_GETARG_DATUM(argno);
  const std::string text(call([&] {
    Oid out;
    bool varlena;
    getTypeOutputInfo(type, &out, &varlena);
    return OidOutputFunctionCall(out, d);
  }));
  std::vector<double> levels;
  const auto b = text.find_first_not_of(" \t\n");
  if (b != std::string::npos && text[b] == '{') {
    const auto e = text.find_last_not_of(" \t\n");
    if (text[e] != '}') bad_text(text);
    const std::string inner = text.substr(b + 1, e - b - 1);
    if (inner.find_first_of("{}") != std::string::npos)
      invalid_parameter("level must be a one-dimensional array",
                        "The array of interval levels " + text + " is nested.",
                        "Pass a flat array such as '{80,95}'.");
    if (inner.find_first_not_of(" \t\n") == std::string::npos)
      invalid_parameter("level must hold at least one value", "The array of interval levels was empty.",
                        "Pass one level such as 95, or several such as '{80,95}'.");
    std::size_t start = 0;
    for (;;) {
      const auto comma = inner.find(',', start);
      levels.push_back(interval_level(parse_number(inner.substr(start, comma - start), text)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else {
    levels.push_back(interval_level(parse_number(text, text)));
  }
  return levels;
}

bool flag_arg(FunctionCallInfo fcinfo, const char* name) {
  const int argno = arg_position(fcinfo, name);
  return argno >= 0 && argno < PG_NARGS() && !PG_ARGISNULL(argno) && PG_GETARG_BOOL(argno);
}

}  // namespace supplyml::pg
