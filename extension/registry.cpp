#include "registry.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "datum.hpp"
#include "pg_memory.hpp"
#include "settings.hpp"
#include "spi.hpp"

extern "C" {
#include "mb/pg_wchar.h"
}

// Every internal query names its operators and functions with their schema
// (OPERATOR(pg_catalog.=), pg_catalog.max, pg_catalog.jsonb): the queries run
// under the caller's search_path, where a planted public.= would otherwise
// run with the rights of whoever called supplyml, a superuser perhaps.

namespace supplyml::pg {

namespace {

constexpr std::size_t kChunkBytes = 16u << 20;  // well under the 1 GB value limit

// The per-backend cache of capability states (a model's decoded form), keyed
// by model name and the version asked for (0: the current one), holding the
// model_id it decoded. Each state is built in a
// memory context of its own (ModelContext); an entry counts the bytes that
// context allocated, and entries are evicted least recently used once they
// exceed supplyml.model_cache_size. The decoded payload is not kept: a state
// holds all that its queries read.
struct CacheEntry {
  std::string name;
  std::int64_t model_id = 0;
  std::shared_ptr<const void> state;
  std::size_t bytes = 0;
  std::uint64_t last_use = 0;
};
std::unordered_map<std::string, CacheEntry> cache;
std::size_t cache_bytes = 0;
std::uint64_t use_clock = 0;

// Drops an entry. Its context is deleted once no statement holds its state.
void forget(std::unordered_map<std::string, CacheEntry>::iterator it) {
  cache_bytes -= it->second.bytes;
  cache.erase(it);
}

// Drops the cached states of a model (it no longer exists).
void forget_name(const std::string& name) {
  for (auto it = cache.begin(); it != cache.end();) {
    auto next = std::next(it);
    if (it->second.name == name) forget(it);
    it = next;
  }
}

std::string cache_key(const std::string& name, std::int32_t version) {
  return name + '\0' + std::to_string(version);
}

// Evicts least recently used entries until the cache fits its cap. An entry
// larger than the whole cap is not kept either: the caller holds its own
// reference for the statement that needed it.
void trim() {
  const std::size_t cap = model_cache_bytes_setting();
  while (cache_bytes > cap && !cache.empty()) {
    auto oldest = std::min_element(cache.begin(), cache.end(), [](const auto& a, const auto& b) {
      return a.second.last_use < b.second.last_use;
    });
    forget(oldest);
  }
}

std::string text_value(Datum d) {
  text* t = call([&] { return DatumGetTextPP(d); });
  return std::string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

std::string role_name() {
  return std::string(call([] { return GetUserNameFromId(GetUserId(), false); }));
}

std::string quoted_literal(const std::string& s) {
  return std::string(call([&] { return quote_literal_cstr(s.c_str()); }));
}

// Raises the registry's one unknown-model error (sql/20_registry.sql).
[[noreturn]] void unknown_model(Spi& spi, const std::string& name, std::int32_t version) {
  spi.exec(
      "SELECT supplyml.raise_unknown_model($1, CASE WHEN $2 OPERATOR(pg_catalog.>) 0 THEN $2 END)",
      {TEXTOID, INT4OID}, {text_datum(name), Int32GetDatum(version)}, true);
  throw Error(sqlstate::kInternalError, "supplyml.raise_unknown_model returned");
}

[[noreturn]] void damaged(const LoadedModel& m, const std::string& why) {
  throw Error(sqlstate::kDataCorrupted, "model \"" + m.name + "\" is corrupted",
              "Version " + std::to_string(m.version) + ": " + why,
              "Drop the damaged version with supplyml.model_drop(" + quoted_literal(m.name) + ", " +
                  std::to_string(m.version) + ") and train the model again.");
}

// A payload must hold nothing a reader could not return: no NaN or infinity
// (results never carry them), and only strings that are valid text in the
// server encoding, without NUL bytes (keys come back as text).
void check_payload(const std::string& name, const Blob& blob) {
  auto non_finite = [&](const std::string& section, std::size_t at, double v) {
    data_error("model \"" + name + "\" holds a non-finite number",
               "Element " + std::to_string(at + 1) + " of section " + section + " is " +
                   (std::isnan(v) ? "NaN" : "infinite") + ".",
               "Publish only values that mf_fit returned; if training produced it, train again with "
               "more regularization.");
  };
  for (const auto& [section, v] : blob.f32_sections())
    for (std::size_t j = 0; j < v.size(); ++j)
      if (!std::isfinite(v[j])) non_finite(section, j, v[j]);
  for (const auto& [section, v] : blob.f64_sections())
    for (std::size_t j = 0; j < v.size(); ++j)
      if (!std::isfinite(v[j])) non_finite(section, j, v[j]);
  const int encoding = call([] { return GetDatabaseEncoding(); });
  for (const auto& [section, v] : blob.string_sections())
    for (std::size_t j = 0; j < v.size(); ++j) {
      const std::string& s = v[j];
      const bool nul = std::memchr(s.data(), 0, s.size()) != nullptr;
      const bool valid =
          !nul && call([&] { return pg_verify_mbstr(encoding, s.data(), static_cast<int>(s.size()), true); });
      if (!valid)
        throw Error(sqlstate::kCharacterNotInRepertoire,
                    "model \"" + name + "\" holds a string that is not valid text",
                    "String " + std::to_string(j + 1) + " of section " + section +
                        (nul ? " contains a NUL byte." : " is not valid in the server encoding ") +
                        (nul ? "" : std::string(call([] { return GetDatabaseEncodingName(); })) + "."),
                    "Publish only values that mf_fit returned, from keys stored as valid text.");
    }
}

struct Probe {
  std::shared_ptr<LoadedModel> model;
  std::int64_t bytes = 0;
  std::int32_t chunks = 0;
};

// The registry row of the wanted version, read as the current role; checks
// on every call that the role may read the stored arrays too, so a model
// another role loaded into this backend is not served to one that may not.
Probe probe(Spi& spi, const std::string& name, const std::string& kind, std::int32_t version) {
  const std::uint64_t found = spi.exec(
      "SELECT m.model_id, m.version, m.kind, m.params::pg_catalog.text, m.device, m.payload_bytes, "
      "m.chunks, pg_catalog.has_table_privilege('supplyml.model_chunk', 'SELECT') "
      "FROM supplyml.model m WHERE m.name OPERATOR(pg_catalog.=) $1 AND "
      "($2 OPERATOR(pg_catalog.=) 0 OR m.version OPERATOR(pg_catalog.=) $2) "
      "ORDER BY m.live_since DESC NULLS LAST, m.version DESC LIMIT 1",
      {TEXTOID, INT4OID}, {text_datum(name), Int32GetDatum(version)}, true);
  if (found == 0) {
    forget_name(name);
    unknown_model(spi, name, version);
  }
  bool isnull;
  Probe p;
  p.model = std::make_shared<LoadedModel>();
  LoadedModel& m = *p.model;
  m.name = name;
  m.model_id = DatumGetInt64(spi.value(0, 1, &isnull));
  m.version = DatumGetInt32(spi.value(0, 2, &isnull));
  m.kind = text_value(spi.value(0, 3, &isnull));
  m.params_json = text_value(spi.value(0, 4, &isnull));
  m.device = text_value(spi.value(0, 5, &isnull));
  p.bytes = DatumGetInt64(spi.value(0, 6, &isnull));
  p.chunks = DatumGetInt32(spi.value(0, 7, &isnull));
  if (!DatumGetBool(spi.value(0, 8, &isnull))) {
    const std::string role = role_name();
    throw Error(sqlstate::kInsufficientPrivilege, "permission denied to read model \"" + name + "\"",
                "Role \"" + role + "\" may not SELECT from supplyml.model_chunk, which holds the fitted arrays.",
                "Grant it: GRANT SELECT ON supplyml.model, supplyml.model_chunk TO " + role + ";");
  }
  if (!kind.empty() && m.kind != kind)
    throw Error(sqlstate::kWrongObjectType, "model \"" + name + "\" is a " + m.kind + " model, not " + kind,
                "This function reads models of kind " + kind + ".",
                "Pass the name of a model trained for this function.");
  return p;
}

// Reads and decodes the stored payload of a probed version.
void read_payload(Spi& spi, const Probe& p) {
  LoadedModel& m = *p.model;
  // The encoded bytes live in the SPI context, where PostgreSQL accounts for
  // them, only while they are decoded.
  pg::vector<std::uint8_t> payload;
  payload.reserve(static_cast<std::size_t>(std::max<std::int64_t>(p.bytes, 0)));
  for (std::int32_t seq = 0; seq < p.chunks; ++seq) {
    interrupt().poll();
    if (spi.exec("SELECT c.data FROM supplyml.model_chunk c WHERE c.model_id OPERATOR(pg_catalog.=) $1 "
                 "AND c.seq OPERATOR(pg_catalog.=) $2",
                 {INT8OID, INT4OID}, {Int64GetDatum(m.model_id), Int32GetDatum(seq)}, true) != 1)
      damaged(m, "chunk " + std::to_string(seq) + " of " + std::to_string(p.chunks) + " is missing.");
    bool isnull;
    Datum d = spi.value(0, 1, &isnull);
    call([&] {
      // The detoasted copy is freed as soon as it is appended, so no more
      // than one chunk is held beside the payload.
      bytea* b = DatumGetByteaPP(d);
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(VARDATA_ANY(b));
      payload.insert(payload.end(), bytes, bytes + VARSIZE_ANY_EXHDR(b));
      if (reinterpret_cast<Pointer>(b) != DatumGetPointer(d)) pfree(b);
      SPI_freetuptable(SPI_tuptable);
    });
  }
  if (static_cast<std::int64_t>(payload.size()) != p.bytes)
    damaged(m, "the chunks hold " + std::to_string(payload.size()) + " bytes, the registry row says " +
                   std::to_string(p.bytes) + ".");
  try {
    m.payload = std::make_shared<const Blob>(Blob::decode(payload.data(), payload.size()));
  } catch (const Error& e) {
    if (std::string(e.sqlstate()) != sqlstate::kDataCorrupted) throw;
    damaged(m, std::string(e.what()) + ". " + e.detail());
  }
}

// A state and the context its arrays live in, released in that order.
struct StateInContext {
  std::shared_ptr<ModelContext> context;
  std::shared_ptr<const void> state;  // declared last: destroyed first
};

}  // namespace

void check_publish_rights(const std::string& name) {
  if (name.empty() || name.size() > 200)
    invalid_parameter("model name must be 1 to 200 characters long",
                      "The name given has " + std::to_string(name.size()) + " characters.",
                      "Choose a shorter, non-empty model name.");
  Spi spi;
  spi.exec(
      "SELECT pg_catalog.has_table_privilege('supplyml.model', 'INSERT'), "
      "pg_catalog.has_table_privilege('supplyml.model_chunk', 'INSERT'), "
      "pg_catalog.has_table_privilege('supplyml.model', 'SELECT'), "
      "pg_catalog.has_table_privilege('supplyml.model_chunk', 'SELECT')",
      {}, {}, true);
  const char* missing[] = {"INSERT on supplyml.model", "INSERT on supplyml.model_chunk",
                           "SELECT on supplyml.model", "SELECT on supplyml.model_chunk"};
  for (int c = 0; c < 4; ++c) {
    bool isnull;
    if (!DatumGetBool(spi.value(0, c + 1, &isnull))) {
      const std::string role = role_name();
      throw Error(sqlstate::kInsufficientPrivilege, "permission denied to publish model \"" + name + "\"",
                  "Role \"" + role + "\" lacks the privilege " + missing[c] + "; nothing was trained.",
                  "Grant the trainer privileges: GRANT SELECT, INSERT, DELETE ON supplyml.model, "
                  "supplyml.model_chunk TO " + role + ";");
    }
  }
  const std::uint64_t owned = spi.exec(
      "SELECT supplyml.is_member_of(o.owner) "
      "FROM (SELECT supplyml.model_owner($1) AS owner) o WHERE o.owner IS NOT NULL",
      {TEXTOID}, {text_datum(name)}, true);
  bool isnull;
  if (owned == 1 && !DatumGetBool(spi.value(0, 1, &isnull))) {
    spi.exec("SELECT supplyml.raise_not_model_owner($1)", {TEXTOID}, {text_datum(name)}, true);
    throw Error(sqlstate::kInternalError, "supplyml.raise_not_model_owner returned");
  }
}

PublishedModel publish_model(const ModelInfo& info, const Blob& blob) {
  check_publish_rights(info.name);
  check_payload(info.name, blob);
  // Encoded chunk by chunk straight from the arrays: the whole payload is
  // never held in one piece.
  Blob::Encoder payload(blob);
  const std::size_t nchunks = (payload.size() + kChunkBytes - 1) / kChunkBytes;

  Spi spi;
  // Concurrent publishers of one name take turns, so versions never collide.
  spi.exec("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended($1, 7707))",
           {TEXTOID}, {text_datum(info.name)}, false);
  std::vector<Oid> types = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID, INT4OID, INT8OID, INT4OID, BOOLOID};
  std::vector<Datum> args = {
      text_datum(info.name),        text_datum(info.kind),
      text_datum(info.params_json.empty() ? "{}" : info.params_json),
      text_datum(info.metrics_json.empty() ? "{}" : info.metrics_json),
      text_datum(info.device),      Int64GetDatum(info.rows_used),
      Int32GetDatum(static_cast<std::int32_t>(Blob::kFormatVersion)),
      Int64GetDatum(static_cast<std::int64_t>(payload.size())),
      Int32GetDatum(static_cast<std::int32_t>(nchunks)), BoolGetDatum(info.promote)};
  // The owner is the name's first publisher; row-level security checks that
  // the current role is a member of it.
  spi.exec(
      "INSERT INTO supplyml.model (name, version, kind, params, metrics, device, rows_used, "
      "format_version, payload_bytes, chunks, owner, live_since) "
      "SELECT $1, coalesce(pg_catalog.max(m.version), 0) OPERATOR(pg_catalog.+) 1, $2, "
      "$3::pg_catalog.jsonb, $4::pg_catalog.jsonb, $5, $6, $7, $8, $9, "
      "coalesce(supplyml.model_owner($1), CURRENT_USER), "
      "CASE WHEN $10 THEN pg_catalog.clock_timestamp() END "
      "FROM supplyml.model m WHERE m.name OPERATOR(pg_catalog.=) $1 RETURNING model_id, version",
      types, args, false);
  bool isnull;
  PublishedModel out;
  out.model_id = DatumGetInt64(spi.value(0, 1, &isnull));
  out.version = DatumGetInt32(spi.value(0, 2, &isnull));

  // One plan for every chunk, and one buffer that each chunk is encoded into
  // in turn (in SPI's context, freed when it closes).
  SPIPlanPtr insert = spi.prepare("INSERT INTO supplyml.model_chunk (model_id, seq, data) VALUES ($1, $2, $3)",
                                  {INT8OID, INT4OID, BYTEAOID});
  bytea* chunk = call([&] { return static_cast<bytea*>(palloc(VARHDRSZ + std::min(kChunkBytes, payload.size()))); });
  for (std::size_t c = 0; c < nchunks; ++c) {
    const std::size_t len = std::min(kChunkBytes, payload.size() - payload.written());
    payload.write(reinterpret_cast<std::uint8_t*>(VARDATA(chunk)), len);
    SET_VARSIZE(chunk, VARHDRSZ + len);
    spi.exec(insert, {Int64GetDatum(out.model_id), Int32GetDatum(static_cast<std::int32_t>(c)), PointerGetDatum(chunk)},
             false);
  }
  return out;
}

std::shared_ptr<const LoadedModel> load_model(const std::string& name, const std::string& kind,
                                              std::int32_t version) {
  Spi spi;
  Probe p = probe(spi, name, kind, version);
  read_payload(spi, p);
  return p.model;
}

std::shared_ptr<const void> cached_state(const std::string& name, const std::string& kind,
                                         std::int32_t version, const StateBuilder& build) {
  const std::string key = cache_key(name, version);
  std::shared_ptr<LoadedModel> model;
  {
    Spi spi;
    Probe p = probe(spi, name, kind, version);
    auto it = cache.find(key);
    if (it != cache.end() && it->second.model_id == p.model->model_id) {
      it->second.last_use = ++use_clock;
      return it->second.state;
    }
    if (it != cache.end()) forget(it);
    read_payload(spi, p);
    model = std::move(p.model);
  }
  // Built in a context of its own; an error deletes the context, and nothing
  // enters the cache.
  auto context = std::make_shared<ModelContext>(name);
  std::shared_ptr<const void> built = build(*model, context->resource());
  const std::int64_t model_id = model->model_id;
  model.reset();  // the decoded payload is freed here
  auto tied = std::make_shared<const StateInContext>(StateInContext{context, built});
  std::shared_ptr<const void> state(tied, built.get());
  CacheEntry entry;
  entry.name = name;
  entry.model_id = model_id;
  entry.state = state;
  entry.bytes = context->bytes();
  entry.last_use = ++use_clock;
  cache[key] = entry;
  cache_bytes += entry.bytes;
  trim();
  return state;
}

std::size_t model_cache_entries() { return cache.size(); }
std::size_t model_cache_bytes() { return cache_bytes; }

}  // namespace supplyml::pg

using namespace supplyml;
using namespace supplyml::pg;

std::int32_t supplyml::pg::version_arg(FunctionCallInfo fcinfo, int argno) {
  if (PG_NARGS() <= argno || PG_ARGISNULL(argno)) return 0;
  const std::int32_t version = PG_GETARG_INT32(argno);
  if (version <= 0)
    invalid_parameter("version must be positive", "Version numbers start at 1; version is " +
                                                      std::to_string(version) + ".",
                      "Pass NULL (or leave version out) for the current version.");
  return version;
}

// supplyml.model_verify(model, version): decode a stored version completely.
SML_FUNCTION(sml_model_verify) {
  require_arg(fcinfo, 0, "model");
  const std::string name = text_arg(fcinfo, 0);
  const std::int32_t version = version_arg(fcinfo, 1);
  auto m = load_model(name, "", version);
  RowWriter out(fcinfo);
  Datum v[4] = {text_datum(m->name), Int32GetDatum(m->version), Int64GetDatum(0),
                Int32GetDatum(static_cast<std::int32_t>(m->payload->sections()))};
  v[2] = Int64GetDatum(static_cast<std::int64_t>(Blob::Encoder(*m->payload).size()));
  bool nulls[4] = {false, false, false, false};
  out.put(v, nulls);
  return (Datum)0;
}
