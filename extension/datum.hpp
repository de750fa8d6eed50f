// Conversions between Datums and C++ values, and result builders for
// composite and set-returning functions. Every PostgreSQL call goes through
// pg::call, so errors surface as PgError.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "guard.hpp"

namespace supplyml::pg {

// A text argument; NULL is 22004 naming the parameter (from the catalog).
std::string text_arg(FunctionCallInfo fcinfo, int argno);
Datum text_datum(const std::string& s);

// float8[] <-> std::vector<double>. A NULL array or NULL elements are an error
// naming `what`.
std::vector<double> float8_array_arg(FunctionCallInfo fcinfo, int argno, const char* what);
// The same for a float8[] Datum read from elsewhere (a composite's field).
std::vector<double> float8_array_from_datum(Datum value, const char* what);
Datum float8_array_datum(const std::vector<double>& v);
Datum int4_array_datum(const std::vector<std::int32_t>& v);
Datum int8_array_datum(const std::vector<std::int64_t>& v);
Datum text_array_datum(const std::vector<std::string>& v);

// The position of the called function's input parameter `name`, -1 if it
// has none (parameters found by name keep working when others are added
// before them).
int arg_position(FunctionCallInfo fcinfo, const char* name);

// Fails with a clear error unless argument `argno` is non-NULL.
void require_arg(FunctionCallInfo fcinfo, int argno, const char* name);

// A float8 result; NaN or an infinity is 22003 naming `what` (the function).
Datum float8_result(double v, const char* what);

// composite_result and RowWriter refuse to return a non-finite float4/float8,
// also inside float8[] fields and nested composites: 22003 naming the field.

// Builds the composite result declared for the calling function.
Datum composite_result(FunctionCallInfo fcinfo, const Datum* values, const bool* nulls);

// Writes the rows of a set-returning function in materialize mode.
class RowWriter {
 public:
  explicit RowWriter(FunctionCallInfo fcinfo);
  int columns() const { return natts_; }
  void put(const Datum* values, const bool* nulls);

 private:
  ReturnSetInfo* rsinfo_;
  int natts_;
};

}  // namespace supplyml::pg
