// Reads the rows of a user's query text (the `source` argument of batch
// functions) into typed C++ columns. The query runs through SPI with the
// caller's rights, read-only, and must be one statement returning rows; its
// tuples go straight from the executor to a DestReceiver that decodes each
// one into the columns (no tuple table, no copies). Columns, in order:
//   kKey     integer (smallint, integer, bigint) or text (text, varchar, char, name),
//            numbered as rows arrive: a dense id per row and a KeyDictionary
//   kNumber  any numeric type, read as double; must be finite
//   kTime    date, timestamp or timestamptz
// Wrong column counts or types are datatype_mismatch errors that spell out
// the expected shape; NULLs and non-finite numbers are errors naming the
// column and row, unless the column is declared nullable (NULL -> NaN).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "guard.hpp"
#include "key_dictionary.hpp"
#include "pg_memory.hpp"

namespace supplyml::pg {

enum class ColumnType { kKey, kNumber, kTime };

struct ColumnSpec {
  std::string name;        // as messages call it, e.g. "series key"
  ColumnType type;
  bool nullable = false;   // numbers only: NULL becomes NaN
};

// The storage of source columns: PostgreSQL memory (the context current when
// read_source was called), so that memory-context accounting sees it.
template <class T>
using ColumnVector = pg::vector<T>;

struct Column {
  ColumnType type;
  Oid oid = InvalidOid;               // the SQL type the query returned
  bool is_text = false;               // keys: text rather than integer
  ColumnVector<std::int32_t> ids;     // keys: the id of each row's key in `keys`
  KeyDictionary keys;                 // keys: each distinct key once, in order of arrival
  ColumnVector<std::int64_t> ints;    // times, in microseconds since 2000-01-01
  ColumnVector<double> nums;          // numbers
  std::size_t size() const;
  // A key of row `row` as text, for messages.
  std::string key_text(std::size_t row) const { return keys.display(ids[row]); }
};

// `what` names the calling function in messages, e.g. "forecast_batch".
std::vector<Column> read_source(const std::string& query, const std::vector<ColumnSpec>& specs,
                                const std::string& what);

// A column of a query's result as PostgreSQL plans it, before any row is read.
struct QueryColumn {
  std::string name;
  Oid type = InvalidOid;
  int32 typmod = -1;
};

// The columns a source query text would return, from its plan, without
// running it; refuses what read_source refuses (several statements, a
// statement returning no rows, data-modifying or locking queries).
std::vector<QueryColumn> describe_source(const std::string& query, const std::string& what);

// Converts between PostgreSQL time values and the microseconds used above.
std::int64_t time_from_datum(Datum d, Oid type);
Datum time_to_datum(std::int64_t micros, Oid type);

}  // namespace supplyml::pg
