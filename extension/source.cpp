#include "source.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>

#include "spi.hpp"

extern "C" {
#include "tcop/dest.h"
#include "utils/plancache.h"
}

namespace supplyml::pg {

namespace {

bool is_number_type(Oid t) {
  return is_int_key_type(t) || t == FLOAT4OID || t == FLOAT8OID || t == NUMERICOID;
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

// Calls PostgreSQL for numeric (which may raise): only plain data is live.
double number_value(Datum d, Oid t) {
  switch (t) {
    case INT2OID: return DatumGetInt16(d);
    case INT4OID: return DatumGetInt32(d);
    case INT8OID: return static_cast<double>(DatumGetInt64(d));
    case FLOAT4OID: return DatumGetFloat4(d);
    case FLOAT8OID: return DatumGetFloat8(d);
    // A numeric beyond float8's range becomes +-infinity, not PostgreSQL's
    // generic 22003: the caller's finiteness check then names the row.
    default: return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, d));
  }
}

// One decoded cell of a row, plain data only.
struct Cell {
  bool isnull;
  std::int64_t i;     // integer key, time
  double x;           // number
  const char* bytes;  // text key
  std::size_t n;
};

// The DestReceiver that the executor hands each tuple of the source query.
// Its callbacks run inside the executor, so no C++ exception may leave them
// and PostgreSQL may longjmp out of them: each callback first reads the slot
// with PostgreSQL calls into plain Cells, with no C++ object alive, then
// stores them inside a try block. A problem (bad shape, NULL, non-finite
// value, bad_alloc) is recorded and stops the run (receiveSlot returns
// false); read_source raises it after the executor has returned.
struct Reader {
  DestReceiver dest;  // first: the executor passes &dest as `self`
  const std::vector<ColumnSpec>* specs;
  std::vector<Column>* cols;
  std::vector<Cell> cells;
  MemoryContext row_context = nullptr;  // detoasted keys, numeric conversions; reset per row
  std::uint64_t rows = 0;
  // Integer keys of the last rows, kKeyBatch a key column, numbered together
  // in one tight loop (number_keys): the dictionary lookups of a batch then
  // overlap in memory instead of each waiting for its row's turn.
  static constexpr std::size_t kKeyBatch = 256;
  double estimate = 0;  // the planner's row estimate, to reserve the columns
  pg::vector<std::int64_t> pending;  // column c's keys at [c * kKeyBatch, ...)
  std::size_t npending = 0;
  // What went wrong, if anything.
  int bad_count = -1;          // the query's column count, when wrong
  int bad_type_column = -1;    // the first column of a wrong type
  Oid bad_type = InvalidOid;
  std::string bad_null, bad_value;  // "column in row N"
  bool too_large = false;            // bad_value is a numeric beyond float8
  std::exception_ptr failure;

  bool failed() const {
    return bad_count >= 0 || bad_type_column >= 0 || !bad_null.empty() || !bad_value.empty() || failure;
  }
};

bool type_fits(ColumnType want, Oid t) {
  switch (want) {
    case ColumnType::kKey: return is_key_type(t);
    case ColumnType::kNumber: return is_number_type(t);
    case ColumnType::kTime: return is_time_type(t);
  }
  return false;
}

// Room for the rows the planner expects (at most kMaxReserve), so that the
// columns are not copied as they grow; best effort, since the estimate may
// be far off: a reservation refused is no error.
void reserve_columns(Reader* r) {
  constexpr double kMaxReserve = 1 << 25;
  const auto n = static_cast<std::size_t>(std::min(std::max(r->estimate, 0.0), kMaxReserve));
  try {
    for (Column& col : *r->cols) {
      switch (col.type) {
        case ColumnType::kKey: col.ids.reserve(n); break;
        case ColumnType::kNumber: col.nums.reserve(n); break;
        case ColumnType::kTime: col.ints.reserve(n); break;
      }
    }
  } catch (const std::bad_alloc&) {
  }
}

void reader_startup(DestReceiver* self, int, TupleDesc desc) {
  Reader* r = reinterpret_cast<Reader*>(self);
  const auto& specs = *r->specs;
  if (desc->natts != static_cast<int>(specs.size())) {
    r->bad_count = desc->natts;
    return;
  }
  for (std::size_t c = 0; c < specs.size(); ++c) {
    const Oid t = TupleDescAttr(desc, static_cast<int>(c))->atttypid;
    if (!type_fits(specs[c].type, t)) {
      r->bad_type_column = static_cast<int>(c);
      r->bad_type = t;
      return;
    }
  }
  try {
    r->cells.resize(specs.size());
    r->pending.resize(specs.size() * Reader::kKeyBatch);
    for (std::size_t c = 0; c < specs.size(); ++c) {
      Column& col = (*r->cols)[c];
      col.oid = TupleDescAttr(desc, static_cast<int>(c))->atttypid;
      col.is_text = specs[c].type == ColumnType::kKey && is_text_key_type(col.oid);
      // In the dictionary's own resource (read_source's context): the
      // current one is SPI's, which dies with the connection.
      if (specs[c].type == ColumnType::kKey) col.keys = KeyDictionary::of_type(col.oid, col.keys.resource());
    }
    reserve_columns(r);
  } catch (...) {
    r->failure = std::current_exception();
  }
}

// Numbers the pending integer keys; C++ only.
void number_keys(Reader* r) {
  const std::size_t n = r->npending;
  for (std::size_t c = 0; c < r->cells.size(); ++c) {
    Column& col = (*r->cols)[c];
    if (col.type != ColumnType::kKey || col.is_text) continue;
    const std::int64_t* keys = r->pending.data() + c * Reader::kKeyBatch;
    const std::size_t at = col.ids.size();
    col.ids.resize(at + n);
    std::int32_t* ids = col.ids.data() + at;
    constexpr std::size_t kAhead = 16;
    for (std::size_t j = 0; j < n; ++j) {
      if (j + kAhead < n) col.keys.prefetch(keys[j + kAhead]);
      ids[j] = col.keys.add(keys[j]);
    }
  }
  r->npending = 0;
}

// Stores one decoded row; C++ only.
void store_row(Reader* r) {
  const auto& specs = *r->specs;
  auto where = [&](std::size_t c) { return specs[c].name + " in row " + std::to_string(r->rows + 1); };
  for (std::size_t c = 0; c < specs.size(); ++c) {
    const Cell& v = r->cells[c];
    Column& col = (*r->cols)[c];
    if (v.isnull && !(specs[c].nullable && col.type == ColumnType::kNumber)) {
      r->bad_null = where(c);
      return;
    }
    switch (col.type) {
      case ColumnType::kKey:
        if (col.is_text)
          col.ids.push_back(col.keys.add(v.bytes, v.n));
        else
          r->pending[c * Reader::kKeyBatch + r->npending] = v.i;
        break;
      case ColumnType::kNumber:
        if (!v.isnull && !std::isfinite(v.x)) {
          r->bad_value = where(c);
          r->too_large = std::isinf(v.x) && col.oid == NUMERICOID;
          return;
        }
        col.nums.push_back(v.isnull ? std::nan("") : v.x);
        break;
      case ColumnType::kTime:
        if (v.i == DT_NOBEGIN || v.i == DT_NOEND) {
          r->bad_value = where(c);
          return;
        }
        col.ints.push_back(v.i);
        break;
    }
  }
  ++r->rows;
  if (++r->npending == Reader::kKeyBatch) number_keys(r);
}

bool reader_receive(TupleTableSlot* slot, DestReceiver* self) {
  Reader* r = reinterpret_cast<Reader*>(self);
  if (r->failed()) return false;
  // PostgreSQL part: plain data only from here to store_row.
  if (!r->row_context->isReset) MemoryContextReset(r->row_context);
  MemoryContext old = MemoryContextSwitchTo(r->row_context);
  slot_getallattrs(slot);
  const std::size_t ncols = r->cells.size();
  for (std::size_t c = 0; c < ncols; ++c) {
    Cell& v = r->cells[c];
    const Column& col = (*r->cols)[c];
    v.isnull = slot->tts_isnull[c];
    if (v.isnull) continue;
    const Datum d = slot->tts_values[c];
    switch (col.type) {
      case ColumnType::kKey:
        if (!col.is_text) {
          v.i = col.oid == INT2OID ? DatumGetInt16(d) : col.oid == INT4OID ? DatumGetInt32(d) : DatumGetInt64(d);
        } else if (col.oid == NAMEOID) {
          v.bytes = NameStr(*DatumGetName(d));
          v.n = strlen(v.bytes);
        } else {
          text* t = DatumGetTextPP(d);
          v.bytes = VARDATA_ANY(t);
          v.n = VARSIZE_ANY_EXHDR(t);
        }
        break;
      case ColumnType::kNumber:
        v.x = number_value(d, col.oid);
        break;
      case ColumnType::kTime:
        v.i = time_from_datum(d, col.oid);
        break;
    }
  }
  MemoryContextSwitchTo(old);
  try {
    store_row(r);
  } catch (...) {
    r->failure = std::current_exception();
  }
  return !r->failed();
}

void reader_shutdown(DestReceiver*) {}
void reader_destroy(DestReceiver*) {}

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

std::vector<Column> read_source(const std::string& query, const std::vector<ColumnSpec>& specs,
                                const std::string& what) {
  std::vector<Column> cols(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) cols[i].type = specs[i].type;

  Reader reader;
  std::memset(&reader.dest, 0, sizeof reader.dest);
  reader.dest.receiveSlot = reader_receive;
  reader.dest.rStartup = reader_startup;
  reader.dest.rShutdown = reader_shutdown;
  reader.dest.rDestroy = reader_destroy;
  reader.dest.mydest = DestNone;
  reader.specs = &specs;
  reader.cols = &cols;

  Spi spi;
  QueryShape refused = QueryShape::kSelect;
  int statements = 0;
  call([&] {
    reader.row_context = AllocSetContextCreate(CurrentMemoryContext, "supplyml source row", ALLOCSET_SMALL_SIZES);
    SPIPlanPtr plan = SPI_prepare(query.c_str(), 0, nullptr);
    if (!plan)
      ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR), errmsg("could not prepare the source query of %s", what.c_str())));
    statements = list_length(SPI_plan_get_plan_sources(plan));
    refused = SPI_is_cursor_plan(plan) ? query_shape(plan) : QueryShape::kNoRows;
    if (refused != QueryShape::kSelect) return;
    // The generic plan, which the execution below reuses: its row estimate.
    if (CachedPlan* cplan = SPI_plan_get_cached_plan(plan)) {
      ListCell* lc;
      foreach (lc, cplan->stmt_list) {
        const PlannedStmt* ps = lfirst_node(PlannedStmt, lc);
        if (ps->commandType == CMD_SELECT && ps->planTree) reader.estimate = ps->planTree->plan_rows;
      }
      ReleaseCachedPlan(cplan, nullptr);  // the plan is not saved: no resource owner
    }
    // Read-only, with the caller's rights and snapshot; every tuple goes to
    // the reader, none into an SPI tuple table.
    SPIExecuteOptions options;
    std::memset(&options, 0, sizeof options);
    options.read_only = true;
    options.dest = &reader.dest;
    const int rc = SPI_execute_plan_extended(plan, &options);
    if (rc < 0) elog(ERROR, "SPI_execute_plan_extended failed (%d)", rc);
    MemoryContextDelete(reader.row_context);
  });
  refuse(refused, statements, what);
  if (reader.failure) std::rethrow_exception(reader.failure);
  if (reader.bad_count >= 0)
    bad_shape(what, specs, "The query returns " + std::to_string(reader.bad_count) + " columns, not " +
                               std::to_string(specs.size()) + ".");
  if (reader.bad_type_column >= 0) {
    const std::size_t c = static_cast<std::size_t>(reader.bad_type_column);
    bad_shape(what, specs,
              "Column " + std::to_string(c + 1) + " (" + specs[c].name + ") is of type " +
                  std::string(call([&] { return format_type_be(reader.bad_type); })) + ", but must be " +
                  type_words(specs[c].type) + ".");
  }
  if (!reader.bad_null.empty())
    throw Error(sqlstate::kNullValueNotAllowed, "source query of " + what + " returned a NULL " + reader.bad_null,
                "Every row must have a value in each column.",
                "Filter out the NULL rows (WHERE ... IS NOT NULL) or replace them with COALESCE.");
  if (!reader.bad_value.empty() && reader.too_large)
    throw Error(sqlstate::kNumericOutOfRange,
                "source query of " + what + " returned a " + reader.bad_value + " that is too large for float8",
                "The numeric value exceeds the range of double precision (about 1.8e308).",
                "Filter out or rescale those rows.");
  if (!reader.bad_value.empty())
    throw Error(sqlstate::kDataException, "source query of " + what + " returned a non-finite " + reader.bad_value,
                "NaN and infinite values cannot be used.", "Filter out or replace those rows.");
  number_keys(&reader);  // the last batch
  return cols;
}

std::vector<QueryColumn> describe_source(const std::string& query, const std::string& what) {
  Spi spi;
  QueryShape refused = QueryShape::kSelect;
  int statements = 0;
  TupleDesc desc = nullptr;
  call([&] {
    SPIPlanPtr plan = SPI_prepare(query.c_str(), 0, nullptr);
    if (!plan)
      ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR), errmsg("could not prepare the source query of %s", what.c_str())));
    List* sources = SPI_plan_get_plan_sources(plan);
    statements = list_length(sources);
    refused = SPI_is_cursor_plan(plan) ? query_shape(plan) : QueryShape::kNoRows;
    if (refused == QueryShape::kSelect) desc = static_cast<CachedPlanSource*>(linitial(sources))->resultDesc;
  });
  refuse(refused, statements, what);
  std::vector<QueryColumn> cols;
  for (int c = 0; desc && c < desc->natts; ++c) {
    const Form_pg_attribute a = TupleDescAttr(desc, c);
    cols.push_back({NameStr(a->attname), a->atttypid, a->atttypmod});
  }
  return cols;
}

std::size_t Column::size() const {
  switch (type) {
    case ColumnType::kKey: return ids.size();
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

}  // namespace supplyml::pg
