// Unit tests of the kernels' shared machinery: byte codec, model payloads,
// the thread loop, cancellation and the CUDA module loader.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "supplyml/blob.hpp"
#include "supplyml/bytes.hpp"
#include "supplyml/cuda_loader.hpp"
#include "supplyml/parallel.hpp"
#include "supplyml/smoke.hpp"

using namespace supplyml;

TEST(Bytes, RoundTrip) {
  ByteWriter w;
  w.put<std::int32_t>(-7);
  w.put_vector(std::vector<double>{1.5, -2.25, 1e300});
  w.put_string("naïve");
  ByteReader r(w.bytes().data(), w.bytes().size());
  EXPECT_EQ(r.get<std::int32_t>(), -7);
  EXPECT_EQ(r.get_vector<double>(), (std::vector<double>{1.5, -2.25, 1e300}));
  EXPECT_EQ(r.get_string(), "naïve");
  r.expect_end();
}

TEST(Bytes, TruncatedInputIsCorruptionNotACrash) {
  ByteWriter w;
  w.put_vector(std::vector<double>(100, 3.0));
  for (std::size_t cut = 0; cut < w.bytes().size(); cut += 7) {
    ByteReader r(w.bytes().data(), cut);
    try {
      r.get_vector<double>();
      FAIL() << "read past the end at cut " << cut;
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), sqlstate::kDataCorrupted);
    }
  }
}

TEST(Bytes, ImpossibleLengthIsRejected) {
  ByteWriter w;
  w.put<std::uint64_t>(~0ULL);  // claims 2^64-1 elements
  ByteReader r(w.bytes().data(), w.bytes().size());
  EXPECT_THROW(r.get_vector<float>(), Error);
}

TEST(Checksum, DetectsEverySingleBitFlip) {
  std::vector<std::uint8_t> data(257);
  std::iota(data.begin(), data.end(), 0);
  const auto base = checksum64(data.data(), data.size());
  for (std::size_t i = 0; i < data.size(); ++i)
    for (int b = 0; b < 8; ++b) {
      data[i] ^= std::uint8_t(1u << b);
      EXPECT_NE(checksum64(data.data(), data.size()), base) << i << ":" << b;
      data[i] ^= std::uint8_t(1u << b);
    }
}

// The checksum as stored payloads define it: FNV offset basis mixed with the
// length, each little-endian 64-bit word xor-ed in, multiplied by the golden
// ratio constant and folded (>> 29); the last 0-7 bytes as one word, folded
// (>> 32). Payloads published by earlier versions must still verify.
std::uint64_t reference_checksum(const std::vector<std::uint8_t>& d) {
  const std::uint64_t mul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = 0xCBF29CE484222325ULL ^ (d.size() * mul);
  std::size_t i = 0;
  for (; i + 8 <= d.size(); i += 8) {
    std::uint64_t w = 0;
    for (int k = 0; k < 8; ++k) w |= std::uint64_t(d[i + k]) << (8 * k);
    h = (h ^ w) * mul;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  for (int k = 0; i + k < d.size(); ++k) tail |= std::uint64_t(d[i + k]) << (8 * k);
  h = (h ^ tail) * mul;
  return h ^ (h >> 32);
}

TEST(Checksum, PiecesOfAnySizeGiveTheWholeChecksum) {
  for (std::size_t len : {0, 1, 7, 8, 9, 63, 64, 1001}) {
    std::vector<std::uint8_t> data(len);
    for (std::size_t i = 0; i < len; ++i) data[i] = std::uint8_t(i * 131 + 7);
    const std::uint64_t want = reference_checksum(data);
    EXPECT_EQ(checksum64(data.data(), len), want) << len;
    for (std::size_t piece : {1, 3, 5, 8, 13, 64}) {
      Checksum64 c(len);
      for (std::size_t at = 0; at < len; at += piece) c.update(data.data() + at, std::min(piece, len - at));
      EXPECT_EQ(c.finish(), want) << len << " in pieces of " << piece;
    }
  }
}

// The payload layout (docs/architecture.md, Model registry): magic, format
// version, body length, body checksum; then per section a tag, its name, its
// count and its values (strings each with their length); f32, f64, i64 and
// string sections in that order, each kind sorted by name.
std::vector<std::uint8_t> reference_encoding() {
  ByteWriter body;
  auto name = [&](std::uint8_t tag, const std::string& n) {
    body.put(tag);
    body.put_string(n);
  };
  name(1, "u");
  body.put_vector(std::vector<float>{1.f, 2.f, 3.f});
  name(2, "mu");
  body.put_vector(std::vector<double>{3.25});
  name(3, "ids");
  body.put_vector(std::vector<std::int64_t>{10, -20});
  name(3, "z");
  body.put_vector(std::vector<std::int64_t>{});
  name(4, "keys");
  body.put<std::uint64_t>(2);
  body.put_string("85123A");
  body.put_string("");
  ByteWriter out;
  out.append("SMLMODEL", 8);
  out.put<std::uint32_t>(1);
  out.put<std::uint64_t>(body.bytes().size());
  out.put<std::uint64_t>(reference_checksum(body.bytes()));
  out.append(body.bytes().data(), body.bytes().size());
  return out.bytes();
}

TEST(Blob, EncoderWritesTheLayoutInPiecesOfAnySize) {
  Blob b;
  b.put_strings("keys", {"85123A", ""});
  b.put_i64("z", {});
  b.put_i64("ids", {10, -20});
  b.put_f64("mu", {3.25});
  b.put_f32("u", {1.f, 2.f, 3.f});
  const auto want = reference_encoding();
  EXPECT_EQ(b.encode(), want);
  for (std::size_t piece : {1, 2, 7, 29, 4096}) {
    Blob::Encoder e(b);
    ASSERT_EQ(e.size(), want.size());
    std::vector<std::uint8_t> got(e.size());
    for (std::size_t at = 0; at < got.size(); at += piece) e.write(got.data() + at, std::min(piece, got.size() - at));
    EXPECT_EQ(e.written(), want.size());
    EXPECT_EQ(got, want) << "pieces of " << piece;
    EXPECT_THROW(e.write(got.data(), 1), Error);  // nothing is left to write
  }
}

TEST(Blob, EncodeDecode) {
  Blob b;
  b.put_f32("u", {1.f, 2.f});
  b.put_f64("mu", {3.25});
  b.put_i64("ids", {10, -20});
  b.put_strings("keys", {"85123A", ""});
  const auto bytes = b.encode();
  Blob d = Blob::decode(bytes.data(), bytes.size());
  EXPECT_EQ(d.f32("u"), (std::vector<float>{1.f, 2.f}));
  EXPECT_EQ(d.f64("mu")[0], 3.25);
  EXPECT_EQ(d.i64("ids")[1], -20);
  EXPECT_EQ(d.strings("keys")[0], "85123A");
  EXPECT_EQ(d.sections(), 4u);
  try {
    d.f32("missing");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), sqlstate::kDataCorrupted);
  }
}

TEST(Blob, CorruptedBytesGiveDataCorrupted) {
  Blob b;
  b.put_f64("x", std::vector<double>(64, 1.0));
  const auto good = b.encode();
  for (std::size_t i = 0; i < good.size(); i += 5) {
    auto bad = good;
    bad[i] ^= 0x40;
    try {
      Blob::decode(bad.data(), bad.size());
      FAIL() << "flip at byte " << i << " was not detected";
    } catch (const Error& e) {
      EXPECT_TRUE(std::string(e.sqlstate()) == sqlstate::kDataCorrupted ||
                  std::string(e.sqlstate()) == sqlstate::kFeatureNotSupported)
          << e.sqlstate();
    }
  }
  EXPECT_THROW(Blob::decode(good.data(), good.size() - 1), Error);
  EXPECT_THROW(Blob::decode(good.data(), 0), Error);
}

TEST(Parallel, CoversEveryItemOnce) {
  for (int threads : {1, 2, 4, 0}) {
    std::vector<std::atomic<int>> hits(10007);
    Interrupt in;
    parallel_for(hits.size(), threads, in,
                 [&](std::size_t b, std::size_t e, int) {
                   for (std::size_t i = b; i < e; ++i) hits[i]++;
                 },
                 13);
    for (auto& h : hits) ASSERT_EQ(h.load(), 1);
  }
}

TEST(Parallel, ExceptionFromAWorkerReachesTheCaller) {
  Interrupt in;
  EXPECT_THROW(parallel_for(1000, 4, in,
                            [&](std::size_t b, std::size_t, int) {
                              if (b == 500) invalid_parameter("bad item");
                            }),
               Error);
}

TEST(Parallel, StopCallbackCancelsAndWorkersNeverCallIt) {
  std::atomic<int> polls{0};
  const auto main_id = std::this_thread::get_id();
  std::atomic<bool> called_off_main{false};
  Interrupt in([&] {
    if (std::this_thread::get_id() != main_id) called_off_main = true;
    return ++polls > 20;
  });
  std::atomic<std::size_t> done{0};
  EXPECT_THROW(parallel_for(1000000, 4, in,
                            [&](std::size_t, std::size_t, int) {
                              done++;
                              std::this_thread::sleep_for(std::chrono::microseconds(50));
                            }),
               Cancelled);
  EXPECT_LT(done.load(), 1000000u);
  EXPECT_FALSE(called_off_main.load());
}

TEST(CudaLoader, MissingModuleIsReportedNotThrown) {
  CudaLoad l = load_cuda_module("/nonexistent/supplyml_cuda.so");
  EXPECT_EQ(l.api, nullptr);
  EXPECT_TRUE(l.file_missing);
  EXPECT_FALSE(l.reason.empty());
}

namespace {
int fake_als(int, const sml_als_problem*, sml_als_out*) { return 0; }
int fake_host_alloc(size_t, void**) { return SML_CUDA_OUT_OF_MEMORY; }
void fake_host_free(void*) {}
}  // namespace

TEST(CudaLoader, OlderModuleLoadsWithoutTheEntriesItLacks) {
  // An ABI 3 table ends before als_solve: whatever follows it in memory must
  // read as NULL, so that has_gpu_path says no for ALS by exact solves.
  sml_cuda_api table{};
  table.abi_version = SML_CUDA_ABI_MIN_VERSION;
  table.als_train = fake_als;
  table.als_solve = fake_als;  // past the end of a real ABI 3 table
  const sml_cuda_api* accepted = accept_cuda_table(&table);
  ASSERT_NE(accepted, nullptr);
  EXPECT_NE(accepted, &table);
  EXPECT_EQ(accepted->abi_version, SML_CUDA_ABI_MIN_VERSION);
  EXPECT_EQ(accepted->als_train, fake_als);
  EXPECT_EQ(accepted->als_solve, nullptr);
  table.abi_version = SML_CUDA_ABI_VERSION;
  EXPECT_EQ(accept_cuda_table(&table), &table);
  EXPECT_EQ(cuda_table_size(SML_CUDA_ABI_VERSION), sizeof(sml_cuda_api));
  // ABI 5 added no entry (only fp16 to als_solve): an ABI 4 table ends where
  // an ABI 5 one does, its version telling gpu_can_train what als_solve
  // takes. Both end before ABI 6's page-locked memory entries.
  table.host_alloc = fake_host_alloc;
  table.host_free = fake_host_free;
  for (int v : {SML_CUDA_ABI_FP16_SOLVES - 1, SML_CUDA_ABI_FP16_SOLVES}) {
    table.abi_version = v;
    const sml_cuda_api* t = accept_cuda_table(&table);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->als_solve, fake_als);
    EXPECT_EQ(t->host_alloc, nullptr);
    EXPECT_EQ(t->host_free, nullptr);
  }
  table.abi_version = SML_CUDA_ABI_VERSION;
  EXPECT_EQ(accept_cuda_table(&table)->host_alloc, fake_host_alloc);
  for (int v : {0, 1, SML_CUDA_ABI_MIN_VERSION - 1, SML_CUDA_ABI_VERSION + 1}) {
    table.abi_version = v;
    EXPECT_EQ(accept_cuda_table(&table), nullptr) << "version " << v;
  }
  EXPECT_EQ(accept_cuda_table(nullptr), nullptr);
}

TEST(Smoke, AxpyArithmetic) {
  EXPECT_FLOAT_EQ(axpy_element(2.f, 3.f, 4.f), 10.f);
  EXPECT_FLOAT_EQ(axpy_element(-0.5f, 8.f, 1.f), -3.f);
}

TEST(Parallel, StopReachesAWorkerBusyWithALongChunk) {
  // The worker's chunk runs until it sees the stop flag; the caller's chunks
  // are short, so the caller ends up waiting for the worker, and only its
  // polling while it waits can raise the flag.
  std::atomic<bool> stop_requested{false};
  Interrupt in([&] { return stop_requested.load(); });
  std::atomic<bool> worker_saw_stop{false};
  const auto t0 = std::chrono::steady_clock::now();
  std::thread trigger([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop_requested = true;
  });
  EXPECT_THROW(parallel_for(100, 2, in,
                            [&](std::size_t, std::size_t, int worker) {
                              if (worker == 0) {
                                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                                return;
                              }
                              while (!in.stopped()) {
                                if (std::chrono::steady_clock::now() - t0 > std::chrono::seconds(5)) return;
                                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                              }
                              worker_saw_stop = true;
                            }),
               Cancelled);
  trigger.join();
  EXPECT_TRUE(worker_saw_stop.load());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}
