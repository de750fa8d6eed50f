#include "source.hpp"

#include <algorithm>
#include <numeric>

#include <cmath>

#include "datum.hpp"
#include "spi.hpp"

extern "C" {
#include "utils/plancache.h"
}

namespace supplyml::pg {

namespace {

constexpr long kFetchRows = 10000;

bool is_int_type(Oid t) { return t == INT2OID || t == INT4OID || t == INT8OID; }
bool is_text_type(Oid t) { return t == TEXTOID || t == VARCHAROID || t == BPCHAROID || t == NAMEOID; }
bool is_number_type(Oid t) {
  return is_int_type(t) || t == FLOAT4OID || t == FLOAT8OID || t == NUMERICOID;
}
bool is_time_type(Oid t) { return t == DATEOID || t == TIMESTAMPOID || t == TIMESTAMPTZOID; }

const char* type_words(ColumnType t) {
  switch (t) {
    case ColumnType::kKey: return "an integer or text key";
    case ColumnType::kNumber: return "a number";
    case ColumnType::kTime: return "a date or timestamp";
  }
  return "";
}

std::string shape(const std::vector<ColumnSpec>& specs) {
  std::string s = "(";
  for (std::size_t i = 0; i < specs.size(); ++i) s += (i ? ", " : "") + specs[i].name;
  return s + ")";
}

[[noreturn]] void bad_shape(const std::string& what, const std::vector<ColumnSpec>& specs,
                            const std::string& detail) {
  throw Error(sqlstate::kDatatypeMismatch,
              "source query of " + what + " must return " + shape(specs), detail,
              "Write the query so that it selects exactly these columns in this order, casting "
              "where needed.");
}

double number_value(Datum d, Oid t) {
  switch (t) {
    case INT2OID: return DatumGetInt16(d);
    case INT4OID: return DatumGetInt32(d);
    case INT8OID: return static_cast<double>(DatumGetInt64(d));
    case FLOAT4OID: return DatumGetFloat4(d);
    case FLOAT8OID: return DatumGetFloat8(d);
    default: return DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
  }
}

// What a source text is, as far as read_source cares: source queries are one
// SELECT, run read only (a read-only cursor would refuse the others, but with
// a message about non-volatile functions that misleads).
enum class QueryShape { kSelect, kNoRows, kModifies, kLocks };

QueryShape query_shape(SPIPlanPtr plan) {
  ListCell* lc;
  foreach (lc, SPI_plan_get_plan_sources(plan)) {
    const auto* src = static_cast<CachedPlanSource*>(lfirst(lc));
    ListCell* qc;
    foreach (qc, src->query_list) {
      const Query* q = lfirst_node(Query, qc);
      if (q->commandType != CMD_SELECT || q->hasModifyingCTE) return QueryShape::kModifies;
      if (q->rowMarks != NIL) return QueryShape::kLocks;
    }
  }
  return QueryShape::kSelect;
}

void refuse(QueryShape shape, int statements, const std::string& what) {
  switch (shape) {
    case QueryShape::kSelect: return;
    case QueryShape::kNoRows:
      invalid_parameter("source query of " + what + " must be a single SELECT",
                        statements > 1 ? "The source text holds " + std::to_string(statements) + " statements."
                                       : "The source text is a statement that returns no rows.",
                        "Pass one query such as 'SELECT ... FROM ...'.");
    case QueryShape::kModifies:
      invalid_parameter("source query of " + what + " must not modify data",
                        "The query holds an INSERT, UPDATE, DELETE or MERGE (in a WITH clause, or as a "
                        "rule's action); source queries are run read only.",
                        "Make the change in a statement of its own, then pass a plain SELECT.");
    case QueryShape::kLocks:
      invalid_parameter("source query of " + what + " must not lock rows",
                        "The query has a FOR UPDATE or FOR SHARE clause; source queries are run read only.",
                        "Remove the locking clause.");
  }
}

}  // namespace

std::size_t Column::size() const {
  switch (type) {
    case ColumnType::kKey: return is_text ? texts.size() : ints.size();
    case ColumnType::kNumber: return nums.size();
    case ColumnType::kTime: return ints.size();
  }
  return 0;
}

std::int64_t time_from_datum(Datum d, Oid type) {
  if (type == DATEOID) {
    // Infinite dates, and finite dates past the timestamp range (which would
    // overflow), map to the infinite timestamps.
    const DateADT day = DatumGetDateADT(d);
    if (DATE_IS_NOBEGIN(day)) return DT_NOBEGIN;
    if (DATE_IS_NOEND(day) || day >= TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE) return DT_NOEND;
    return static_cast<std::int64_t>(day) * USECS_PER_DAY;
  }
  return DatumGetTimestamp(d);
}

Datum time_to_datum(std::int64_t micros, Oid type) {
  if (type == DATEOID) {
    std::int64_t days = micros / USECS_PER_DAY;
    if (micros < 0 && micros % USECS_PER_DAY != 0) --days;
    return DateADTGetDatum(static_cast<DateADT>(days));
  }
  return TimestampGetDatum(micros);
}

std::vector<Column> read_source(const std::string& query, const std::vector<ColumnSpec>& specs,
                                const std::string& what) {
  std::vector<Column> cols(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) cols[i].type = specs[i].type;

  Spi spi;
  Interrupt stop = interrupt();
  QueryShape refused = QueryShape::kSelect;
  int statements = 0;
  Portal portal = call([&] {
    SPIPlanPtr plan = SPI_prepare(query.c_str(), 0, nullptr);
    if (!plan)
      ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR), errmsg("could not prepare the source query of %s", what.c_str())));
    statements = list_length(SPI_plan_get_plan_sources(plan));
    refused = SPI_is_cursor_plan(plan) ? query_shape(plan) : QueryShape::kNoRows;
    if (refused != QueryShape::kSelect) return static_cast<Portal>(nullptr);
    return SPI_cursor_open(nullptr, plan, nullptr, nullptr, true);
  });
  refuse(refused, statements, what);

  std::uint64_t row_base = 0;
  bool checked = false;
  std::string bad_null, bad_value;
  for (;;) {
    stop.poll();
    const std::uint64_t n = call([&] {
      SPI_cursor_fetch(portal, true, kFetchRows);
      return static_cast<std::uint64_t>(SPI_processed);
    });
    if (!checked) {
      checked = true;
      TupleDesc desc = SPI_tuptable->tupdesc;
      if (desc->natts != static_cast<int>(specs.size()))
        bad_shape(what, specs, "The query returns " + std::to_string(desc->natts) + " columns, not " +
                                   std::to_string(specs.size()) + ".");
      for (std::size_t c = 0; c < specs.size(); ++c) {
        const Oid t = TupleDescAttr(desc, static_cast<int>(c))->atttypid;
        const bool ok = (specs[c].type == ColumnType::kKey && (is_int_type(t) || is_text_type(t))) ||
                        (specs[c].type == ColumnType::kNumber && is_number_type(t)) ||
                        (specs[c].type == ColumnType::kTime && is_time_type(t));
        if (!ok)
          bad_shape(what, specs,
                    "Column " + std::to_string(c + 1) + " (" + specs[c].name + ") is of type " +
                        call([&] { return std::string(format_type_be(t)); }) + ", but must be " +
                        type_words(specs[c].type) + ".");
        cols[c].oid = t;
        cols[c].is_text = specs[c].type == ColumnType::kKey && is_text_type(t);
      }
    }
    if (n == 0) break;
    call([&] {
      TupleDesc desc = SPI_tuptable->tupdesc;
      for (std::uint64_t r = 0; r < n && bad_null.empty() && bad_value.empty(); ++r) {
        HeapTuple tup = SPI_tuptable->vals[r];
        for (std::size_t c = 0; c < specs.size(); ++c) {
          bool isnull;
          Datum d = SPI_getbinval(tup, desc, static_cast<int>(c) + 1, &isnull);
          Column& col = cols[c];
          // Formatted only for an error: building it for every cell costs more than the read.
          auto where = [&] { return " in row " + std::to_string(row_base + r + 1); };
          if (isnull && !(specs[c].nullable && col.type == ColumnType::kNumber)) {
            bad_null = specs[c].name + where();
            break;
          }
          switch (col.type) {
            case ColumnType::kKey:
              if (!col.is_text) {
                col.ints.push_back(col.oid == INT2OID   ? DatumGetInt16(d)
                                   : col.oid == INT4OID ? DatumGetInt32(d)
                                                        : DatumGetInt64(d));
              } else if (col.oid == NAMEOID) {
                col.texts.emplace_back(NameStr(*DatumGetName(d)));
              } else {
                text* t = DatumGetTextPP(d);
                col.texts.emplace_back(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
              }
              break;
            case ColumnType::kNumber: {
              const double v = isnull ? std::nan("") : number_value(d, col.oid);
              if (!isnull && !std::isfinite(v)) {
                bad_value = specs[c].name + where();
                break;
              }
              col.nums.push_back(v);
              break;
            }
            case ColumnType::kTime: {
              const std::int64_t v = time_from_datum(d, col.oid);
              if (v == DT_NOBEGIN || v == DT_NOEND) bad_value = specs[c].name + where();
              col.ints.push_back(v);
              break;
            }
          }
          if (!bad_value.empty()) break;
        }
      }
      SPI_freetuptable(SPI_tuptable);
    });
    if (!bad_null.empty())
      throw Error(sqlstate::kNullValueNotAllowed, "source query of " + what + " returned a NULL " + bad_null,
                  "Every row must have a value in each column.",
                  "Filter out the NULL rows (WHERE ... IS NOT NULL) or replace them with COALESCE.");
    if (!bad_value.empty())
      throw Error(sqlstate::kDataException,
                  "source query of " + what + " returned a non-finite " + bad_value,
                  "NaN and infinite values cannot be used.", "Filter out or replace those rows.");
    row_base += n;
  }
  call([&] { SPI_cursor_close(portal); });
  return cols;
}

KeyDictionary KeyDictionary::build(const Column& keys, std::vector<std::int32_t>* ids) {
  KeyDictionary d;
  d.is_text_ = keys.is_text;
  d.type_ = keys.is_text ? TEXTOID : keys.oid;
  const std::size_t n = keys.size();
  ids->resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (d.is_text_) {
      auto [it, added] = d.text_ids_.try_emplace(keys.texts[i], static_cast<std::int32_t>(d.texts_.size()));
      if (added) d.texts_.push_back(keys.texts[i]);
      (*ids)[i] = it->second;
    } else {
      auto [it, added] = d.int_ids_.try_emplace(keys.ints[i], static_cast<std::int32_t>(d.ints_.size()));
      if (added) d.ints_.push_back(keys.ints[i]);
      (*ids)[i] = it->second;
    }
  }
  return d;
}

KeyDictionary KeyDictionary::from_ints(std::vector<std::int64_t> keys, Oid type) {
  KeyDictionary d;
  d.type_ = type;
  d.ints_ = std::move(keys);
  for (std::size_t i = 0; i < d.ints_.size(); ++i) d.int_ids_.emplace(d.ints_[i], static_cast<std::int32_t>(i));
  return d;
}

KeyDictionary KeyDictionary::from_texts(std::vector<std::string> keys) {
  KeyDictionary d;
  d.is_text_ = true;
  d.type_ = TEXTOID;
  d.texts_ = std::move(keys);
  for (std::size_t i = 0; i < d.texts_.size(); ++i) d.text_ids_.emplace(d.texts_[i], static_cast<std::int32_t>(i));
  return d;
}

KeyDictionary KeyDictionary::of_type(Oid type) {
  KeyDictionary d;
  d.is_text_ = is_text_type(type);
  d.type_ = d.is_text_ ? TEXTOID : type;
  d.value_type_ = type;
  return d;
}

std::int32_t KeyDictionary::add(std::int64_t key) {
  if (is_text_) return add(std::to_string(key));
  auto [it, added] = int_ids_.try_emplace(key, static_cast<std::int32_t>(ints_.size()));
  if (added) ints_.push_back(key);
  return it->second;
}

std::int32_t KeyDictionary::add(const std::string& key) {
  auto [it, added] = text_ids_.try_emplace(key, static_cast<std::int32_t>(texts_.size()));
  if (added) texts_.push_back(key);
  return it->second;
}

std::int32_t KeyDictionary::add(Datum value) {
  if (!is_text_)
    return add(type_ == INT2OID   ? static_cast<std::int64_t>(DatumGetInt16(value))
               : type_ == INT4OID ? static_cast<std::int64_t>(DatumGetInt32(value))
                                  : DatumGetInt64(value));
  std::string key;
  if (value_type_ == NAMEOID) {
    key = NameStr(*DatumGetName(value));
  } else {
    call([&] {
      text* t = DatumGetTextPP(value);
      key.assign(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
    });
  }
  return add(key);
}

std::vector<std::int32_t> KeyDictionary::sort_keys() {
  std::vector<std::int32_t> order(size());
  std::iota(order.begin(), order.end(), 0);
  if (is_text_)
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return texts_[a] < texts_[b]; });
  else
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return ints_[a] < ints_[b]; });
  std::vector<std::int32_t> renumber(size());
  for (std::size_t j = 0; j < order.size(); ++j) renumber[order[j]] = static_cast<std::int32_t>(j);
  if (is_text_) {
    std::vector<std::string> keys(size());
    for (std::size_t j = 0; j < order.size(); ++j) keys[j] = std::move(texts_[order[j]]);
    texts_ = std::move(keys);
    for (std::size_t j = 0; j < texts_.size(); ++j) text_ids_[texts_[j]] = static_cast<std::int32_t>(j);
  } else {
    std::vector<std::int64_t> keys(size());
    for (std::size_t j = 0; j < order.size(); ++j) keys[j] = ints_[order[j]];
    ints_ = std::move(keys);
    for (std::size_t j = 0; j < ints_.size(); ++j) int_ids_[ints_[j]] = static_cast<std::int32_t>(j);
  }
  return renumber;
}

bool is_key_type(Oid type) { return is_int_type(type) || is_text_type(type); }

std::int32_t KeyDictionary::find(std::int64_t key) const {
  if (is_text_) return find(std::to_string(key));
  auto it = int_ids_.find(key);
  return it == int_ids_.end() ? -1 : it->second;
}

std::int32_t KeyDictionary::find(const std::string& key) const {
  if (is_text_) {
    auto it = text_ids_.find(key);
    return it == text_ids_.end() ? -1 : it->second;
  }
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(key.c_str(), &end, 10);
  if (key.empty() || errno != 0 || *end != '\0') return -1;
  return find(static_cast<std::int64_t>(v));
}

Datum KeyDictionary::datum(std::int32_t id) const {
  if (is_text_) return text_datum(texts_[id]);
  const std::int64_t v = ints_[id];
  if (type_ == INT2OID) return Int16GetDatum(static_cast<std::int16_t>(v));
  if (type_ == INT4OID) return Int32GetDatum(static_cast<std::int32_t>(v));
  return Int64GetDatum(v);
}

std::string KeyDictionary::display(std::int32_t id) const {
  return is_text_ ? texts_[id] : std::to_string(ints_[id]);
}

}  // namespace supplyml::pg
