#include "registry.hpp"

#include <algorithm>
#include <unordered_map>

#include "datum.hpp"
#include "spi.hpp"

namespace supplyml::pg {

namespace {

constexpr std::size_t kChunkBytes = 16u << 20;  // well under the 1 GB value limit
constexpr std::size_t kCacheEntries = 16;

struct CacheEntry {
  std::shared_ptr<const LoadedModel> model;
  std::shared_ptr<const void> state;  // a capability's decoded form
  std::uint64_t last_use = 0;
};
std::unordered_map<std::string, CacheEntry> cache;
std::uint64_t use_clock = 0;

Datum bytea_datum(const std::uint8_t* p, std::size_t n) {
  return call([&] {
    bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + n));
    SET_VARSIZE(b, VARHDRSZ + n);
    memcpy(VARDATA(b), p, n);
    return PointerGetDatum(b);
  });
}

std::string text_value(Datum d) {
  text* t = call([&] { return DatumGetTextPP(d); });
  return std::string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

[[noreturn]] void unknown_model(const std::string& name, std::int32_t version) {
  std::string what = "model \"" + name + "\"";
  if (version > 0) what += " version " + std::to_string(version);
  throw Error(sqlstate::kUndefinedObject, what + " does not exist",
              "The model registry holds no such model.",
              "List the stored models with SELECT * FROM supplyml.models, or train one first.");
}

[[noreturn]] void damaged(const LoadedModel& m, const std::string& why) {
  throw Error(sqlstate::kDataCorrupted, "model \"" + m.name + "\" is corrupted",
              "Version " + std::to_string(m.version) + ": " + why,
              "Drop the damaged version with supplyml.model_drop('" + m.name + "', " +
                  std::to_string(m.version) + ") and train the model again.");
}

void evict_if_full() {
  if (cache.size() < kCacheEntries) return;
  auto oldest = std::min_element(cache.begin(), cache.end(), [](const auto& a, const auto& b) {
    return a.second.last_use < b.second.last_use;
  });
  cache.erase(oldest);
}

// Reads the row of the wanted version and, if it is not the cached one,
// its chunks; returns the cache entry.
CacheEntry& lookup(const std::string& name, const std::string& kind, std::int32_t version,
                   bool fresh) {
  Spi spi;
  std::vector<Oid> types = {TEXTOID, INT4OID};
  std::vector<Datum> args = {text_datum(name), Int32GetDatum(version)};
  const std::uint64_t found = spi.exec(
      "SELECT model_id, version, kind, params::text, device, payload_bytes, chunks "
      "FROM supplyml.model WHERE name = $1 AND ($2 = 0 OR version = $2) "
      "ORDER BY version DESC LIMIT 1",
      types, args, true);
  if (found == 0) {
    cache.erase(name);
    unknown_model(name, version);
  }
  bool isnull;
  auto m = std::make_shared<LoadedModel>();
  m->name = name;
  m->model_id = DatumGetInt64(spi.value(0, 1, &isnull));
  m->version = DatumGetInt32(spi.value(0, 2, &isnull));
  m->kind = text_value(spi.value(0, 3, &isnull));
  m->params_json = text_value(spi.value(0, 4, &isnull));
  m->device = text_value(spi.value(0, 5, &isnull));
  const std::int64_t bytes = DatumGetInt64(spi.value(0, 6, &isnull));
  const std::int32_t chunks = DatumGetInt32(spi.value(0, 7, &isnull));

  if (!kind.empty() && m->kind != kind)
    throw Error("42809", "model \"" + name + "\" is a " + m->kind + " model, not " + kind,
                "This function reads models of kind " + kind + ".",
                "Pass the name of a model trained for this function.");

  const std::string key = name + '\x1f' + std::to_string(version);
  auto it = cache.find(key);
  if (!fresh && it != cache.end() && it->second.model->model_id == m->model_id) {
    it->second.last_use = ++use_clock;
    return it->second;
  }

  std::vector<std::uint8_t> payload;
  payload.reserve(static_cast<std::size_t>(std::max<std::int64_t>(bytes, 0)));
  for (std::int32_t seq = 0; seq < chunks; ++seq) {
    interrupt().poll();
    std::vector<Oid> ct = {INT8OID, INT4OID};
    std::vector<Datum> ca = {Int64GetDatum(m->model_id), Int32GetDatum(seq)};
    if (spi.exec("SELECT data FROM supplyml.model_chunk WHERE model_id = $1 AND seq = $2", ct, ca,
                 true) != 1)
      damaged(*m, "chunk " + std::to_string(seq) + " of " + std::to_string(chunks) + " is missing.");
    Datum d = spi.value(0, 1, &isnull);
    call([&] {
      bytea* b = DatumGetByteaPP(d);
      const auto* p = reinterpret_cast<const std::uint8_t*>(VARDATA_ANY(b));
      payload.insert(payload.end(), p, p + VARSIZE_ANY_EXHDR(b));
      SPI_freetuptable(SPI_tuptable);
    });
  }
  if (static_cast<std::int64_t>(payload.size()) != bytes)
    damaged(*m, "the chunks hold " + std::to_string(payload.size()) + " bytes, the registry row says " +
                    std::to_string(bytes) + ".");
  try {
    m->payload = std::make_shared<const Blob>(Blob::decode(payload.data(), payload.size()));
  } catch (const Error& e) {
    if (std::string(e.sqlstate()) != sqlstate::kDataCorrupted) throw;
    damaged(*m, std::string(e.what()) + ". " + e.detail());
  }

  cache.erase(key);
  evict_if_full();
  CacheEntry& entry = cache[key];
  entry.model = std::move(m);
  entry.last_use = ++use_clock;
  return entry;
}

}  // namespace

PublishedModel publish_model(const ModelInfo& info, const Blob& blob) {
  if (info.name.empty() || info.name.size() > 200)
    invalid_parameter("model name must be 1 to 200 characters long",
                      "The name given has " + std::to_string(info.name.size()) + " characters.",
                      "Choose a shorter, non-empty model name.");
  const std::vector<std::uint8_t> payload = blob.encode();
  const std::size_t nchunks = (payload.size() + kChunkBytes - 1) / kChunkBytes;

  Spi spi;
  // Concurrent publishers of one name take turns, so versions never collide.
  spi.exec("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended($1, 7707))",
           {TEXTOID}, {text_datum(info.name)}, false);
  std::vector<Oid> types = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID, INT4OID, INT8OID, INT4OID};
  std::vector<Datum> args = {
      text_datum(info.name),        text_datum(info.kind),
      text_datum(info.params_json.empty() ? "{}" : info.params_json),
      text_datum(info.metrics_json.empty() ? "{}" : info.metrics_json),
      text_datum(info.device),      Int64GetDatum(info.rows_used),
      Int32GetDatum(static_cast<std::int32_t>(Blob::kFormatVersion)),
      Int64GetDatum(static_cast<std::int64_t>(payload.size())),
      Int32GetDatum(static_cast<std::int32_t>(nchunks))};
  spi.exec(
      "INSERT INTO supplyml.model (name, version, kind, params, metrics, device, rows_used, "
      "format_version, payload_bytes, chunks) "
      "SELECT $1, coalesce(max(version), 0) + 1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9 "
      "FROM supplyml.model WHERE name = $1 RETURNING model_id, version",
      types, args, false);
  bool isnull;
  PublishedModel out;
  out.model_id = DatumGetInt64(spi.value(0, 1, &isnull));
  out.version = DatumGetInt32(spi.value(0, 2, &isnull));

  for (std::size_t c = 0; c < nchunks; ++c) {
    const std::size_t begin = c * kChunkBytes;
    const std::size_t len = std::min(kChunkBytes, payload.size() - begin);
    Datum data = bytea_datum(payload.data() + begin, len);
    spi.exec("INSERT INTO supplyml.model_chunk (model_id, seq, data) VALUES ($1, $2, $3)",
             {INT8OID, INT4OID, BYTEAOID},
             {Int64GetDatum(out.model_id), Int32GetDatum(static_cast<std::int32_t>(c)), data}, false);
    call([&] { pfree(DatumGetPointer(data)); });
  }
  return out;
}

std::shared_ptr<const LoadedModel> load_model(const std::string& name, const std::string& kind,
                                              std::int32_t version, bool fresh) {
  return lookup(name, kind, version, fresh).model;
}

std::shared_ptr<const void> cached_state(
    const std::string& name, const std::string& kind,
    const std::function<std::shared_ptr<const void>(const LoadedModel&)>& build) {
  CacheEntry& entry = lookup(name, kind, 0, false);
  if (!entry.state) entry.state = build(*entry.model);
  return entry.state;
}

}  // namespace supplyml::pg

using namespace supplyml;
using namespace supplyml::pg;

// supplyml.model_verify(model, version): decode a stored version completely.
SML_FUNCTION(sml_model_verify) {
  require_arg(fcinfo, 0, "model");
  const std::string name = text_arg(fcinfo, 0);
  const std::int32_t version = PG_ARGISNULL(1) ? 0 : PG_GETARG_INT32(1);
  if (!PG_ARGISNULL(1) && version <= 0)
    invalid_parameter("version must be positive", "Version numbers start at 1.",
                      "Pass NULL for the current version.");
  auto m = load_model(name, "", version, /*fresh=*/true);
  RowWriter out(fcinfo);
  Datum v[4] = {text_datum(m->name), Int32GetDatum(m->version), Int64GetDatum(0),
                Int32GetDatum(static_cast<std::int32_t>(m->payload->sections()))};
  v[2] = Int64GetDatum(static_cast<std::int64_t>(m->payload->encode().size()));
  bool nulls[4] = {false, false, false, false};
  out.put(v, nulls);
  return (Datum)0;
}
