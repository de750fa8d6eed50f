// Test-only SQL functions that exercise the error boundary, cancellation and
// the registry from inside the server. Built by the test harness, loaded only
// by the throwaway test cluster, never installed with the extension.
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <memory_resource>
#include <new>
#include <stdexcept>
#include <thread>

#include "aggstate.hpp"
#include "datum.hpp"
#include "device.hpp"
#include "options.hpp"
#include "registry.hpp"
#include "settings.hpp"
#include "source.hpp"
#include "spi.hpp"
#include "supplyml/blob.hpp"
#include "supplyml/bytes.hpp"
#include "supplyml/parallel.hpp"
#include "supplyml/smoke.hpp"

extern "C" {
PG_MODULE_MAGIC;
}

using namespace supplyml;
using namespace supplyml::pg;

// Throws a C++ exception of the requested kind from inside the guard.
SML_FUNCTION(sml_test_throw) {
  const std::string kind = text_arg(fcinfo, 0);
  std::vector<double> live(1000, 1.0);  // a C++ object on the stack while throwing
  if (kind == "invalid")
    throw Error(sqlstate::kInvalidParameterValue, "test parameter is invalid",
                "The detail sentence survives the boundary.", "The hint names the fix.");
  if (kind == "corrupt") ByteReader(live.data(), 3, "test state").get<double>();
  if (kind == "bad_alloc") throw std::bad_alloc();
  if (kind == "runtime") throw std::runtime_error("plain runtime error");
  if (kind == "unknown") throw 42;
  PG_RETURN_FLOAT8(live[0]);
}

// Raises a PostgreSQL error inside pg::call (division by zero in int4div), or
// runs a statement through SPI; either way the error must come out unchanged.
SML_FUNCTION(sml_test_raise) {
  const std::string how = text_arg(fcinfo, 0);
  std::vector<double> live(1000, 1.0);
  if (how == "direct") {
    Datum d = call([] { return DirectFunctionCall2(int4div, Int32GetDatum(1), Int32GetDatum(0)); });
    PG_RETURN_INT32(DatumGetInt32(d));
  }
  Spi spi;
  spi.exec(how, {}, {}, false);
  PG_RETURN_INT32(static_cast<std::int32_t>(live.size()));
}

// Busy work for `seconds`, split into 1 ms chunks over `threads` workers,
// cancellable through the interrupt callback. Returns chunks done.
SML_FUNCTION(sml_test_spin) {
  const double seconds = PG_GETARG_FLOAT8(0);
  const int threads = PG_GETARG_INT32(1);
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  const std::size_t chunks = static_cast<std::size_t>(std::max(1.0, seconds * 1000.0)) * std::max(threads, 1);
  std::atomic<std::int64_t> done{0};
  Interrupt stop = interrupt();
  parallel_for(chunks, threads, stop, [&](std::size_t, std::size_t, int) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
    volatile double x = 0;
    while (std::chrono::steady_clock::now() < end && std::chrono::steady_clock::now() < until) x = x + 1;
    done.fetch_add(1);
  });
  PG_RETURN_INT64(done.load());
}

// Publishes a test model whose array "values" holds sin(0..n-1) * scale.
SML_FUNCTION(sml_test_publish) {
  const std::string name = text_arg(fcinfo, 0);
  const std::int32_t n = PG_GETARG_INT32(1);
  const double scale = PG_GETARG_FLOAT8(2);
  if (n < 0) invalid_parameter("n must not be negative");
  std::vector<double> v(n);
  for (std::int32_t i = 0; i < n; ++i) v[i] = std::sin(double(i)) * scale;
  Blob blob;
  blob.put_f64("values", std::move(v));
  blob.put_strings("labels", {"a", "b"});
  ModelInfo info;
  info.name = name;
  info.kind = "test";
  info.params_json = "{\"n\": " + std::to_string(n) + "}";
  info.device = "cpu";
  info.rows_used = n;
  PG_RETURN_INT32(publish_model(info, blob).version);
}

namespace {
int builds = 0;  // how often this backend decoded a test model
struct TestState {
  std::int32_t version;
  double sum;
  std::pmr::vector<double> values;  // in the model's context, as a real state's arrays
};
}  // namespace

// Loads the current version through the registry cache: (version, sum of
// values, number of decodes so far in this backend).
SML_FUNCTION(sml_test_load) {
  const std::string name = text_arg(fcinfo, 0);
  auto state = model_state<TestState>(name, "test", 0, [](const LoadedModel& m, std::pmr::memory_resource* mr) {
    ++builds;
    const auto& values = m.payload->f64("values");
    TestState t{m.version, 0.0, std::pmr::vector<double>(values.begin(), values.end(), mr)};
    for (double x : t.values) t.sum += x;
    return t;
  });
  Datum v[3] = {Int32GetDatum(state->version), Float8GetDatum(state->sum), Int32GetDatum(builds)};
  bool nulls[3] = {false, false, false};
  return composite_result(fcinfo, v, nulls);
}

// Reads the options {alpha: number in [0,1], k: integer >= 1, method:
// "a"|"b", flag: bool, xs: number array} and echoes what it read.
SML_FUNCTION(sml_test_options) {
  Options o(fcinfo, 0, "supplyml_test.options");
  const double alpha = o.number("alpha", 0.5, 0.0, 1.0);
  const std::int64_t k = o.integer("k", 10, 1, 1000);
  const std::string method = o.choice("method", "a", {"a", "b"});
  const bool flag = o.boolean("flag", false);
  const auto xs = o.numbers("xs");
  o.finish();
  std::string out = "alpha=" + std::to_string(alpha) + " k=" + std::to_string(k) + " method=" + method +
                    " flag=" + (flag ? "true" : "false") + " xs=" + std::to_string(xs ? xs->size() : 0);
  return text_datum(out);
}

namespace {
Computation computation_arg(const std::string& kind) {
  if (kind == "als") return Computation::kAlsTraining;
  if (kind == "topk") return Computation::kTopK;
  if (kind == "score") return Computation::kScoring;
  if (kind == "forecast") return Computation::kForecast;
  if (kind == "inventory") return Computation::kInventory;
  if (kind == "routing") return Computation::kRouting;
  if (kind == "selftest") return Computation::kSelfTest;
  throw Error(sqlstate::kInvalidParameterValue, "unknown computation \"" + kind + "\"");
}
}  // namespace

// The device a computation of `work` operations of a kind would run on.
SML_FUNCTION(sml_test_device) {
  return text_datum(choose_device(computation_arg(text_arg(fcinfo, 1)), PG_GETARG_FLOAT8(0)).label());
}

// Whether the loaded CUDA module has a GPU path for a kind of computation.
SML_FUNCTION(sml_test_gpu_path) {
  PG_RETURN_BOOL(has_gpu_path(cuda(), computation_arg(text_arg(fcinfo, 0))));
}

// Sets an environment variable of this backend (the stand-in CUDA module
// reads its failure mode from one); an empty value unsets it.
SML_FUNCTION(sml_test_setenv) {
  const std::string name = text_arg(fcinfo, 0), value = text_arg(fcinfo, 1);
  if (value.empty()) unsetenv(name.c_str());
  else setenv(name.c_str(), value.c_str(), 1);
  PG_RETURN_VOID();
}

// A computation with a GPU path and a CPU path, as capabilities have them:
// sum over i of a * x[i] + y[i] for n elements, by the smoke kernel on the
// device choose_device picks, from the start on the CPU when the GPU call
// fails and gpu_failed allows it. Returns the sum and the device that
// computed it.
SML_FUNCTION(sml_test_axpy) {
  const std::int64_t n = PG_GETARG_INT64(0);
  if (n < 1 || n > (1 << 24)) throw Error(sqlstate::kInvalidParameterValue, "n must be between 1 and 2^24");
  const float a = 2.0f;
  std::vector<float> x(static_cast<std::size_t>(n)), y(x.size()), out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<float>(i % 7);
    y[i] = 1.0f;
  }
  DeviceChoice device = choose_device(Computation::kSelfTest, 2.0 * static_cast<double>(n));
  if (device.gpu) {
    if (const int rc = device.api->axpy_f32(device.index, x.size(), a, x.data(), y.data(), out.data()))
      gpu_failed(device, rc, Computation::kSelfTest);
  }
  if (!device.gpu)
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = axpy_element(a, x[i], y[i]);
  double sum = 0;
  for (float v : out) sum += v;
  Datum v[2] = {Float8GetDatum(sum), text_datum(device.label())};
  bool nulls[2] = {false, false};
  return composite_result(fcinfo, v, nulls);
}

// Reads (key, ts, value) rows from a query with the source reader and
// returns one row per distinct key: key in its own type (as text here),
// rows, first ts, sum of values.
SML_FUNCTION(sml_test_source) {
  const std::string query = text_arg(fcinfo, 0);
  auto cols = read_source(query,
                          {{"key", ColumnType::kKey}, {"ts", ColumnType::kTime}, {"value", ColumnType::kNumber}},
                          "supplyml_test.source");
  const auto& ids = cols[0].ids;
  const KeyDictionary& keys = cols[0].keys;
  std::vector<std::int64_t> rows(keys.size()), first(keys.size(), INT64_MAX);
  std::vector<double> sums(keys.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    rows[ids[i]]++;
    first[ids[i]] = std::min(first[ids[i]], cols[1].ints[i]);
    sums[ids[i]] += cols[2].nums[i];
  }
  RowWriter out(fcinfo);
  for (std::size_t k = 0; k < keys.size(); ++k) {
    Datum v[5] = {text_datum(keys.display(static_cast<std::int32_t>(k))),
                  call([&] { return DirectFunctionCall1(regtypeout, ObjectIdGetDatum(keys.type())); }),
                  Int64GetDatum(rows[k]), time_to_datum(first[k], cols[1].oid), Float8GetDatum(sums[k])};
    v[1] = text_datum(DatumGetCString(v[1]));
    bool nulls[5] = {false, false, false, false, false};
    if (cols[1].oid != TIMESTAMPTZOID)  // report every time as timestamptz
      v[3] = call([&] {
        return cols[1].oid == DATEOID ? DirectFunctionCall1(date_timestamptz, v[3])
                                      : DirectFunctionCall1(timestamp_timestamptz, v[3]);
      });
    out.put(v, nulls);
  }
  return (Datum)0;
}

// Re-encodes a model value (an mf_fit result) with one section altered, the
// checksum made valid again: what a crafted value could hold. how: 'nan' or
// 'inf' (first user factor), 'utf8' (first item key becomes the invalid UTF-8
// bytes C3 28), 'nul' (first item key becomes "a", NUL, "b").
SML_FUNCTION(sml_test_tamper) {
  bytea* b = call([&] { return PG_GETARG_BYTEA_PP(0); });
  const std::string how = text_arg(fcinfo, 1);
  Blob blob = Blob::decode(reinterpret_cast<const std::uint8_t*>(VARDATA_ANY(b)), VARSIZE_ANY_EXHDR(b));
  if (how == "nan" || how == "inf") {
    auto f = blob.f32("mf.user_factors");
    f.at(0) = how == "nan" ? std::nanf("") : INFINITY;
    blob.put_f32("mf.user_factors", std::move(f));
  } else if (how == "utf8" || how == "nul") {
    auto keys = blob.strings("mf.item_keys");
    keys.at(0) = how == "utf8" ? std::string("\xC3\x28") : std::string("a\0b", 3);
    blob.put_strings("mf.item_keys", std::move(keys));
  } else {
    invalid_parameter("unknown tampering \"" + how + "\"");
  }
  ByteWriter w;
  w.bytes() = blob.encode();
  return bytes_to_bytea(w);
}

// What this backend's model cache holds: entries and bytes counted.
SML_FUNCTION(sml_test_cache) {
  Datum v[2] = {Int64GetDatum(static_cast<std::int64_t>(model_cache_entries())),
                Int64GetDatum(static_cast<std::int64_t>(model_cache_bytes()))};
  bool nulls[2] = {false, false};
  return composite_result(fcinfo, v, nulls);
}
