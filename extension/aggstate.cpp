#include "aggstate.hpp"

namespace supplyml::pg {

MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* function) {
  MemoryContext cxt = nullptr;
  if (!AggCheckCallContext(fcinfo, &cxt))
    throw Error(sqlstate::kFeatureNotSupported,
                std::string(function) + " called in a non-aggregate context",
                "This function is a support function of an aggregate.",
                "Call the aggregate instead.");
  return cxt;
}

Datum bytes_to_bytea(const ByteWriter& w) {
  const auto& b = w.bytes();
  return call([&] {
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + b.size()));
    SET_VARSIZE(out, VARHDRSZ + b.size());
    if (!b.empty()) memcpy(VARDATA(out), b.data(), b.size());
    return PointerGetDatum(out);
  });
}

ByteReader bytea_reader(FunctionCallInfo fcinfo, int argno, const char* what) {
  bytea* b = call([&] { return PG_GETARG_BYTEA_PP(argno); });
  return ByteReader(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), what);
}

}  // namespace supplyml::pg
