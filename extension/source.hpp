// Reads the rows of a user's query text (the `source` argument of batch
// functions) into typed C++ columns. The query runs through SPI with the
// caller's rights, is fetched in batches through a cursor (polling for
// cancellation), and must return the declared columns in order:
//   kKey     integer (smallint, integer, bigint) or text (text, varchar, char, name)
//   kNumber  any numeric type, read as double; must be finite
//   kTime    date, timestamp or timestamptz
// Wrong column counts or types are datatype_mismatch errors that spell out
// the expected shape; NULLs and non-finite numbers are errors naming the
// column and row, unless the column is declared nullable (NULL -> NaN).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "guard.hpp"

namespace supplyml::pg {

enum class ColumnType { kKey, kNumber, kTime };

struct ColumnSpec {
  std::string name;        // as messages call it, e.g. "series key"
  ColumnType type;
  bool nullable = false;   // numbers only: NULL becomes NaN
};

struct Column {
  ColumnType type;
  Oid oid = InvalidOid;           // the SQL type the query returned
  bool is_text = false;           // keys: text rather than integer
  std::vector<std::int64_t> ints; // integer keys; times in microseconds since 2000-01-01
  std::vector<std::string> texts; // text keys
  std::vector<double> nums;       // numbers
  std::size_t size() const;
};

// `what` names the calling function in messages, e.g. "forecast_batch".
std::vector<Column> read_source(const std::string& query, const std::vector<ColumnSpec>& specs,
                                const std::string& what);

// Dense ids for a key column, in order of first appearance, and the way back
// to the user's key in its own type.
class KeyDictionary {
 public:
  // Fills ids[i] with the dense id of row i.
  static KeyDictionary build(const Column& keys, std::vector<std::int32_t>* ids);

  std::size_t size() const { return is_text_ ? texts_.size() : ints_.size(); }
  bool is_text() const { return is_text_; }
  Oid type() const { return type_; }
  // The id of a key given as text (integer keys are parsed); -1 if unknown.
  std::int32_t find(const std::string& key) const;
  std::int32_t find(std::int64_t key) const;
  // The key of id as a Datum of its original type (integer types keep their
  // width; text-like types come back as text), and as text for messages.
  Datum datum(std::int32_t id) const;
  std::string display(std::int32_t id) const;
  // For storing in a model payload and reading back.
  const std::vector<std::int64_t>& int_keys() const { return ints_; }
  const std::vector<std::string>& text_keys() const { return texts_; }
  static KeyDictionary from_ints(std::vector<std::int64_t> keys, Oid type);
  static KeyDictionary from_texts(std::vector<std::string> keys);
  // Built one key at a time (aggregates): an empty dictionary for keys of SQL
  // type `type` (integer or text-like, see is_key_type), then add() returns
  // the id of a key, new or seen before. add(Datum) reads a value of `type`.
  static KeyDictionary of_type(Oid type);
  std::int32_t add(std::int64_t key);
  std::int32_t add(const std::string& key);
  std::int32_t add(Datum value);
  // Renumbers the keys in ascending order (integers by value, text bytewise),
  // so ids no longer depend on the order rows arrived in; returns the new id
  // of each old one.
  std::vector<std::int32_t> sort_keys();

 private:
  bool is_text_ = false;
  Oid type_ = INT8OID;
  Oid value_type_ = InvalidOid;  // of_type: the type add(Datum) reads
  std::vector<std::int64_t> ints_;
  std::vector<std::string> texts_;
  std::unordered_map<std::int64_t, std::int32_t> int_ids_;
  std::unordered_map<std::string, std::int32_t> text_ids_;
};

// Whether a column or argument of this type can hold keys (integers or text).
bool is_key_type(Oid type);

// Converts between PostgreSQL time values and the microseconds used above.
std::int64_t time_from_datum(Datum d, Oid type);
Datum time_to_datum(std::int64_t micros, Oid type);

}  // namespace supplyml::pg
