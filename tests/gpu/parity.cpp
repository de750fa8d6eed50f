// GPU parity harness: every kernel of the CUDA module against the CPU path on
// seeded random inputs, two sizes and the edge cases (sizes not a multiple of
// 32, empty rows, k beyond the catalogue, exact ties), fp32 and fp16 factor
// storage, the device's binary16 rounding against the emulator's, with each kernel's
// time against its floor (bytes it must move / memory bandwidth), and uploads
// from the heap and from page-locked memory against the host link. Needs no
// PostgreSQL. Built by nvcc for the GPU, or as plain C++ against the device
// emulator (--small only) as a smoke test. Prints "N passed, N failed" last.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "gpu/als_solve_train.cuh"
#include "gpu/als_train.cuh"
#include "gpu/topk_run.cuh"
#include "../emu/problems.hpp"
#include "supplyml/reco_als.hpp"
#include "supplyml/reco_gpu.hpp"
#include "supplyml/reco_csr.hpp"
#include "supplyml/reco_rank.hpp"
#include "supplyml/reco_solve.hpp"

using namespace supplyml;

namespace {

int passed = 0, failed = 0;
double bandwidth_gbs = 4800;  // H200 HBM3e; SML_GPU_BANDWIDTH_GBS overrides
double fp64_tflops = 34;      // H200 FP64 without tensor cores; SML_GPU_FP64_TFLOPS overrides
double link_gbs = 64;         // PCIe 5.0 x16, one direction; SML_GPU_LINK_GBS overrides

void check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "PASS" : "FAIL", what.c_str());
  (ok ? passed : failed)++;
}

double seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void report_time(const std::string& what, double t, double bytes) {
  const double floor = bytes / (bandwidth_gbs * 1e9);
  std::printf("TIME %s: %.3f ms, floor %.3f ms (%.1f MB at %.0f GB/s), %.1fx the floor\n", what.c_str(), t * 1e3,
              floor * 1e3, bytes / 1e6, bandwidth_gbs, t / floor);
}

// The floor of a computation that also has `flops` double-precision operations to do.
void report_time_flops(const std::string& what, double t, double bytes, double flops) {
  const double by_bytes = bytes / (bandwidth_gbs * 1e9), by_flops = flops / (fp64_tflops * 1e12);
  const double floor = std::max(by_bytes, by_flops);
  std::printf("TIME %s: %.3f ms, floor %.3f ms (%.1f MB at %.0f GB/s, %.2f GFLOP at %.0f TFLOP/s fp64), %.1fx the floor\n",
              what.c_str(), t * 1e3, floor * 1e3, bytes / 1e6, bandwidth_gbs, flops / 1e9, fp64_tflops, t / floor);
}

// Confidences 1 + 10 w (or the weights 1..9 themselves as ratings), every 7th row empty.
Csr random_confidences(int users, int items, int per_row, unsigned seed, bool ratings = false) {
  return emu_test::random_interactions(users, items, per_row, seed, 0, ratings);
}

using emu_test::random_matrix;

double rel_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0, d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    d = std::max(d, std::abs(double(a[i]) - b[i]));
    m = std::max(m, std::abs(double(b[i])));
  }
  return m > 0 ? d / m : d;
}

template <class T>
struct Dev {
  gpu::DeviceArray<T> a;
  template <class A>
  explicit Dev(const std::vector<T, A>& v) {
    if (a.upload(v.data(), v.size()) != 0) std::abort();
  }
  std::vector<T> get() const {
    std::vector<T> v(a.size());
    if (a.download(v.data(), v.size()) != 0) std::abort();
    return v;
  }
};

// One CG half-step, every element of X against implicit_row_cg.
void cg_case(int users, int items, int f, int per_row, unsigned seed) {
  const Csr m = random_confidences(users, items, per_row, seed);
  const auto Y = random_matrix(items, f, seed + 1, 0.1f);
  std::vector<double> g(static_cast<std::size_t>(f) * f, 0.0);
  for (int r = 0; r < items; ++r)
    for (int i = 0; i < f; ++i)
      for (int j = 0; j < f; ++j) g[i * f + j] += double(Y[r * f + i]) * Y[r * f + j];
  for (int i = 0; i < f; ++i) g[i * f + i] += 0.05;
  const std::vector<float> G(g.begin(), g.end());
  const auto X0 = random_matrix(users, f, seed + 2, 0.01f);
  auto cpu = X0;
  std::vector<float> scratch(3 * static_cast<std::size_t>(f));
  for (int u = 0; u < users; ++u)
    als::implicit_row_cg(G.data(), Y.data(), f, m.indices.data() + m.indptr[u], m.values.data() + m.indptr[u],
                         m.row_size(u), cpu.data() + u * f, 3, scratch.data());
  Dev<float> dG(G), dY(Y), dX(X0), dval(m.values);
  Dev<std::int64_t> dptr(m.indptr);
  Dev<std::int32_t> didx(m.indices);
  const std::size_t shared = gpu::cg_shared_bytes(f);
  dev::allow_shared(gpu::als_cg_kernel<float>, shared);
  const double t0 = seconds();
  int s = dev::launch(gpu::als_cg_kernel<float>, users, gpu::kRowThreads, shared,
                      static_cast<const float*>(dG.a.get()), static_cast<const float*>(dY.a.get()), f,
                      static_cast<const std::int64_t*>(dptr.a.get()), static_cast<const std::int32_t*>(didx.a.get()),
                      static_cast<const float*>(dval.a.get()), dX.a.get(), 3);
  if (s == 0) s = dev::synchronize();
  const double t = seconds() - t0;
  const std::string name = "cg half-step " + std::to_string(users) + "x" + std::to_string(items) + " f=" + std::to_string(f);
  if (s != 0) return check(false, name + ": status " + std::to_string(s));
  const double d = rel_diff(dX.get(), cpu);
  check(d <= 1e-4, name + " (max difference " + std::to_string(d) + " of the largest factor)");
  // Each of the 4 passes over a row reads its items' factors; G once per product per row from L2.
  report_time(name, t, 4.0 * m.nnz() * f * 4 + 2.0 * users * f * 4 + m.nnz() * 8.0);
}

// Every float the sweep visits rounded to binary16 by the device (CUDA's
// __float2half_rn under nvcc) against dev::half_bits, the emulator's rounding.
SML_KERNEL void to_half_kernel(const float* in, std::int64_t n, dev::half* out) {
  for (std::int64_t i = std::int64_t{dev::block_index()} * dev::block_size() + dev::thread_index(); i < n;
       i += std::int64_t{dev::grid_size()} * dev::block_size())
    out[i] = dev::from_float<dev::half>(in[i]);
}

[[maybe_unused]] void half_case() {
  std::vector<float> v;
  for (std::uint32_t x = 0; x < 0x80000000u; x += 0x1fffu) {  // every exponent, many significands, both signs
    float f;
    std::memcpy(&f, &x, sizeof f);
    if (std::isnan(f)) continue;
    v.push_back(f);
    v.push_back(-f);
  }
  for (float f : {65504.0f, 65519.0f, 65520.0f, 5.9604645e-8f, 2.9802322e-8f, 6.1035156e-5f}) v.push_back(f);
  Dev<float> din(v);
  gpu::DeviceArray<dev::half> dout;
  int s = dout.alloc(v.size());
  if (s == 0) s = dev::launch(to_half_kernel, 64, 128, 0, static_cast<const float*>(din.a.get()),
                              static_cast<std::int64_t>(v.size()), dout.get());
  std::vector<dev::half> h(v.size());
  if (s == 0) s = dout.download(h.data(), h.size());
  if (s != 0) return check(false, "binary16 rounding: status " + std::to_string(s));
  long bad = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::uint16_t bits;
    std::memcpy(&bits, &h[i], sizeof bits);
    if (bits != dev::half_bits(v[i])) ++bad;
  }
  check(bad == 0, "binary16 rounding of " + std::to_string(v.size()) + " floats on the device equals the "
                  "emulator's (" + std::to_string(bad) + " differ)");
}

// A whole training against als_train on the CPU: implicit with the cg
// solver (als_train entry), implicit with cholesky or explicit (als_solve),
// each with fp32 or fp16 storage.
void train_case(int users, int items, int f, int iterations, double lambda, unsigned seed,
                int precision = SML_PRECISION_FP32, Feedback feedback = Feedback::kImplicit,
                Solver solver = Solver::kCg) {
  const bool explicit_feedback = feedback == Feedback::kExplicit;
  const Csr ui = random_confidences(users, items, 6, seed, explicit_feedback);
  const Csr iu = ui.transpose();
  AlsOptions o;
  o.feedback = feedback;
  o.solver = solver;
  o.factors = f;
  o.iterations = iterations;
  o.regularization = lambda;
  o.threads = 0;
  Interrupt none;
  const auto cpu = als_train<float>(ui, o, none);
  double norm = 0;
  AlsFactors<float> start = als_start<float>(ui, o, none, &norm);
  std::vector<float> X = std::move(start.user), Y = std::move(start.item);
  std::vector<float> xb = std::move(start.user_bias), yb = std::move(start.item_bias);
  std::vector<double> loss(static_cast<std::size_t>(iterations));
  sml_als_problem p = als_problem(ui, iu, o, norm, start.global_mean);
  p.precision = precision;
  sml_als_out out{X.data(), Y.data(), loss.data(), 0, xb.data(), yb.data()};
  const bool exact = explicit_feedback || solver == Solver::kCholesky;
  int s = 0;
  auto blas = dev::make_blas(&s);
  const double t0 = seconds();
  if (s == 0) s = exact ? gpu::als_solve(p, out, *blas) : gpu::als_train(p, out, *blas);
  const double t = seconds() - t0;
  const std::string name = std::string(explicit_feedback ? "explicit" : exact ? "implicit cholesky" : "implicit") +
                           " ALS " + std::to_string(users) + "x" + std::to_string(items) + " f=" +
                           std::to_string(f) + " lambda=" + std::to_string(lambda) + " " +
                           std::to_string(iterations) + " it" + (precision == SML_PRECISION_FP16 ? " fp16" : "");
  if (s != 0) return check(false, name + ": status " + std::to_string(s));
  // fp16 storage: the tolerances stated in tests/emu/test_emu_reco.cpp and test_emu_solve_fp16.cpp.
  const double loss_tol = precision == SML_PRECISION_FP16 ? 1e-3 : 1e-4;
  const double factor_tol = precision == SML_PRECISION_FP16 ? 1e-2 : 1e-3;
  bool loss_ok = true, monotone = true;
  for (int it = 0; it < iterations; ++it) {
    loss_ok = loss_ok && std::abs(loss[it] - cpu.loss[it]) <= loss_tol * cpu.loss[it];
    if (it > 0) monotone = monotone && loss[it] <= loss[it - 1] * (1 + 1e-6);
  }
  check(loss_ok, name + ": loss of every iteration within " + std::to_string(loss_tol) + " of the CPU's");
  check(monotone, name + ": loss never rises");
  const double du = rel_diff(X, cpu.user), di = rel_diff(Y, cpu.item);
  check(du <= factor_tol && di <= factor_tol,
        name + ": factors within " + std::to_string(factor_tol) + " (" + std::to_string(du) + ", " + std::to_string(di) + ")");
  if (explicit_feedback) {
    const double db = std::max(rel_diff(xb, cpu.user_bias), rel_diff(yb, cpu.item_bias));
    const double bias_tol = precision == SML_PRECISION_FP16 ? 1e-2 : 1e-3;
    check(db <= bias_tol, name + ": biases within " + std::to_string(bias_tol) + " (" + std::to_string(db) + ")");
  }
  const double bytes = precision == SML_PRECISION_FP16 ? 2 : 4;
  if (!exact) {
    report_time(name + " (whole training)", t,
                iterations * 2.0 * (4.0 * ui.nnz() * f * bytes) + (users + items) * f * 2.0 * bytes);
    return;
  }
  const double m = f + (explicit_feedback ? 1 : 0);
  report_time_flops(name + " (whole training)", t,
                    iterations * 2.0 * (ui.nnz() * (f * bytes + 8) + (users + items) * f * bytes),
                    iterations * (2.0 * ui.nnz() * m * m + (users + items) * (m * m * m / 3 + 2 * m * m)));
}

// Values stored as S and read back as floats.
template <class S>
std::vector<S> stored(const std::vector<float>& v) {
  std::vector<S> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = dev::from_float<S>(v[i]);
  return out;
}
template <class S>
std::vector<float> values(const std::vector<S>& v) {
  std::vector<float> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = dev::to_float(v[i]);
  return out;
}

// One exact half-step (als_solve_kernel<S>), every element of X (and the
// biases) against implicit_row_cholesky or explicit_row; shared_limit 0 puts
// the matrices in the global workspace. fp16 (S = half): the CPU solves the
// same binary16 inputs, and each stored value must be its solution rounded
// once (within 2^-11 of itself, as tests/emu/test_emu_solve_fp16.cpp states).
template <class S = float>
void solve_case(int users, int items, int f, int per_row, bool explicit_feedback, std::size_t shared_limit,
                unsigned seed) {
  constexpr bool fp16 = !std::is_same<S, float>::value;
  const Csr m = random_confidences(users, items, per_row, seed, explicit_feedback);
  const auto Y = values(stored<S>(random_matrix(items, f, seed + 1, 0.3f)));
  const auto other_bias = random_matrix(items, 1, seed + 2, 0.5f);
  const double mu = 3.1, lambda = 0.1;
  std::vector<double> g(static_cast<std::size_t>(f) * f, 0.0);
  if (!explicit_feedback) {
    for (int r = 0; r < items; ++r)
      for (int i = 0; i < f; ++i)
        for (int j = 0; j < f; ++j) g[i * f + j] += double(Y[r * f + i]) * Y[r * f + j];
    for (int i = 0; i < f; ++i) g[i * f + i] += lambda;
  }
  const std::vector<float> G(g.begin(), g.end());
  const std::vector<double> Gd(G.begin(), G.end());
  std::vector<float> cpu(static_cast<std::size_t>(users) * f, 0.0f), cpu_bias(static_cast<std::size_t>(users), 0.0f);
  std::vector<double> scratch(static_cast<std::size_t>(f + 1) * (f + 1) + f + 1);
  bool cpu_ok = true;
  for (int u = 0; u < users; ++u) {
    const auto* idx = m.indices.data() + m.indptr[u];
    const auto* val = m.values.data() + m.indptr[u];
    if (!explicit_feedback)
      cpu_ok = als::implicit_row_cholesky(Gd.data(), Y.data(), f, idx, val, m.row_size(u), cpu.data() + u * f,
                                          scratch.data()) && cpu_ok;
    else if (m.row_size(u) > 0)
      cpu_ok = als::explicit_row(Y.data(), other_bias.data(), mu, lambda, f, idx, val, m.row_size(u),
                                 cpu.data() + u * f, &cpu_bias[u], scratch.data()) && cpu_ok;
  }
  Dev<float> dG(explicit_feedback ? std::vector<float>(1) : G), dob(other_bias), dval(m.values);
  Dev<S> dY(stored<S>(Y)), dX(std::vector<S>(cpu.size()));
  Dev<float> dxb(std::vector<float>(cpu_bias.size() + 1));
  Dev<std::int64_t> dptr(m.indptr);
  Dev<std::int32_t> didx(m.indices);
  const gpu::RowSystem<S> sys{explicit_feedback ? nullptr : dG.a.get(), dY.a.get(), dob.a.get(), f,
                              explicit_feedback ? 1 : 0, mu, lambda, dptr.a.get(), didx.a.get(), dval.a.get()};
  gpu::SolveWork<S> work;
  int s = work.prepare(gpu::solve_unknowns(sys), users, shared_limit);
  const double t0 = seconds();
  if (s == 0) s = work.half_step(sys, users, dX.a.get(), dxb.a.get());
  if (s == 0) s = dev::synchronize();
  const double t = seconds() - t0;
  const std::string name = std::string(explicit_feedback ? "explicit" : "cholesky") + " half-step " +
                           std::to_string(users) + "x" + std::to_string(items) + " f=" + std::to_string(f) +
                           (work.in_shared() ? " (shared)" : " (global workspace)") + (fp16 ? " fp16" : "");
  if (!cpu_ok) return check(false, name + ": the CPU could not factor a row");
  if (s != 0) return check(false, name + ": status " + std::to_string(s));
  const auto got = values(dX.get());
  const double d = rel_diff(got, cpu);
  auto bias = dxb.get();
  bias.pop_back();
  const double db = explicit_feedback ? rel_diff(bias, cpu_bias) : 0;
  long off = 0;  // fp16: values that are not the CPU's rounded once
  for (std::size_t i = 0; fp16 && i < got.size(); ++i)
    if (!(std::abs(got[i] - cpu[i]) <= 0x1p-11f * std::abs(cpu[i]) + 0x1p-25f)) ++off;
  check((fp16 || d <= 1e-5) && off == 0 && db <= 1e-5,
        name + " (max difference " + std::to_string(d) + " of the largest factor, " + std::to_string(db) +
            " of the largest bias" + (fp16 ? ", " + std::to_string(off) + " values off by more than a rounding" : "") +
            ")");
  const double mm = f + (explicit_feedback ? 1 : 0), bytes = sizeof(S);
  report_time_flops(name, t, m.nnz() * (f * bytes + 8) + users * f * bytes,
                    2.0 * m.nnz() * mm * mm + users * (mm * mm * mm / 3 + 2 * mm * mm));
}

void topk_case(int users, int items, int f, int k, bool bias_on, bool ties, unsigned seed,
               int precision = SML_PRECISION_FP32) {
  auto X = random_matrix(users, f, seed, 1.0f), Y = random_matrix(items, f, seed + 1, 1.0f);
  auto bias = random_matrix(items, 1, seed + 2, 0.5f);
  if (ties) {
    for (auto& v : X) v = std::round(v * 2);
    for (auto& v : Y) v = std::round(v);
    for (auto& v : bias) v = 0;
  }
  if (precision == SML_PRECISION_FP16) {  // values fp16 holds exactly: the CPU's scores are the reference
    for (auto& v : X) v = dev::half_value(dev::half_bits(v));
    for (auto& v : Y) v = dev::half_value(dev::half_bits(v));
  }
  const Csr seen = random_confidences(users, items, 4, seed + 3);
  std::vector<int> ids(static_cast<std::size_t>(users) * k), count(static_cast<std::size_t>(users));
  std::vector<float> scores(ids.size());
  sml_topk_problem p{};
  p.users = users;
  p.items = items;
  p.factors = f;
  p.k = k;
  p.user_factors = X.data();
  p.item_factors = Y.data();
  p.item_bias = bias_on ? bias.data() : nullptr;
  p.seen_indptr = reinterpret_cast<const long long*>(seen.indptr.data());
  p.seen_indices = seen.indices.data();
  p.precision = precision;
  sml_topk_out out{ids.data(), scores.data(), count.data()};
  int s = 0;
  auto blas = dev::make_blas(&s);
  const double t0 = seconds();
  if (s == 0) s = gpu::topk(p, out, *blas);
  const double t = seconds() - t0;
  const std::string name = "top-" + std::to_string(k) + " " + std::to_string(users) + "x" + std::to_string(items) +
                           " f=" + std::to_string(f) + (bias_on ? " bias" : "") + (ties ? " ties" : "") +
                           (precision == SML_PRECISION_FP16 ? " fp16" : "");
  if (s != 0) return check(false, name + ": status " + std::to_string(s));
  std::vector<float> row(static_cast<std::size_t>(items));
  long bad = 0;
  for (int u = 0; u < users; ++u) {
    score_items(Y.data(), items, f, X.data() + u * f, bias_on ? bias.data() : nullptr, row.data());
    const auto want = top_k(row.data(), items, k, seen.indices.data() + seen.indptr[u], seen.row_size(u));
    if (count[u] != static_cast<int>(want.size())) ++bad;
    for (std::size_t r = 0; r < want.size() && r < static_cast<std::size_t>(count[u]); ++r)
      if (ids[u * k + r] != want[r].item ||
          std::abs(scores[u * k + r] - want[r].score) > 1e-4f * (1 + std::abs(want[r].score)))
        ++bad;
  }
  check(bad == 0, name + ": same ids, order and scores as the CPU (" + std::to_string(bad) + " mismatches)");
  // Factors once, the score tile written and read k times in the worst case is not the floor: the floor
  // is the factors in and the answers out.
  report_time(name + " (including transfers)", t,
              (double(users) + items) * f * (precision == SML_PRECISION_FP16 ? 2 : 4) + double(users) * k * 8);
}

}  // namespace

// An interaction matrix's arrays (`bytes`) to the device from the heap and
// from page-locked memory (dev::host_alloc, as PinnedMemory gets it), each
// against the host link's floor; pinning is timed too, since a matrix that
// goes up once pays for it: pinned pays when pin + copy beats the heap's copy.
void upload_case(std::size_t bytes) {
  const std::size_t n = bytes / sizeof(float);
  std::vector<float> heap(n);
  for (std::size_t i = 0; i < n; ++i) heap[i] = static_cast<float>(i % 1009) * 0.5f;
  gpu::DeviceArray<float> d;
  check(d.alloc(n) == 0, "upload: device allocation of " + std::to_string(bytes >> 20) + " MB");
  double t0 = seconds();
  const int s1 = dev::upload(d.get(), heap.data(), n * sizeof(float));
  dev::synchronize();
  const double t_heap = seconds() - t0;
  std::vector<float> back(n);
  check(s1 == 0 && d.download(back.data(), n) == 0 && back == heap, "upload from the heap arrives intact");
  void* p = nullptr;
  t0 = seconds();
  const int s2 = dev::host_alloc(&p, n * sizeof(float));
  const double t_pin = seconds() - t0;
  check(s2 == 0 && p != nullptr, "page-locked host allocation");
  if (s2 != 0 || p == nullptr) return;
  float* pinned = static_cast<float*>(p);
  std::memcpy(pinned, heap.data(), n * sizeof(float));
  t0 = seconds();
  const int s3 = dev::upload(d.get(), pinned, n * sizeof(float));
  dev::synchronize();
  const double t_locked = seconds() - t0;
  std::fill(back.begin(), back.end(), 0.0f);
  check(s3 == 0 && d.download(back.data(), n) == 0 && back == heap, "upload from page-locked memory arrives intact");
  t0 = seconds();
  dev::host_free(p);
  const double t_unpin = seconds() - t0;
  const double floor = static_cast<double>(bytes) / (link_gbs * 1e9);
  std::printf("TIME upload %zu MB: heap %.3f ms, page-locked %.3f ms (pinning %.3f ms, freeing %.3f ms), "
              "link floor %.3f ms at %.0f GB/s: heap %.1fx, page-locked %.1fx the floor\n",
              bytes >> 20, t_heap * 1e3, t_locked * 1e3, t_pin * 1e3, t_unpin * 1e3, floor * 1e3, link_gbs,
              t_heap / floor, t_locked / floor);
}

int main(int argc, char** argv) {
  bool small = false;
  for (int i = 1; i < argc; ++i) small = small || std::strcmp(argv[i], "--small") == 0;
  if (const char* bw = std::getenv("SML_GPU_BANDWIDTH_GBS")) bandwidth_gbs = std::atof(bw);
  if (const char* fl = std::getenv("SML_GPU_FP64_TFLOPS")) fp64_tflops = std::atof(fl);
  if (const char* ln = std::getenv("SML_GPU_LINK_GBS")) link_gbs = std::atof(ln);
#if defined(__CUDACC__)
  half_case();  // on the emulator both sides would be half_bits itself
#endif
  cg_case(37, 53, 20, 5, 1);
  cg_case(29, 41, 70, 4, 2);
  train_case(30, 23, 12, 1, 0.1, 3);
  train_case(30, 23, 12, 3, 10.0, 4);
  for (int f : {1, 7, 64}) {
    solve_case(37, 53, f, 5, false, gpu::kSolveSharedLimit, 20u + f);
    solve_case(37, 53, f, 5, true, gpu::kSolveSharedLimit, 30u + f);
  }
  solve_case(29, 41, 64, 4, false, 0, 40);
  solve_case(29, 41, 64, 4, true, 0, 41);
  train_case(30, 23, 7, 3, 0.1, 42, SML_PRECISION_FP32, Feedback::kImplicit, Solver::kCholesky);
  train_case(30, 23, 7, 3, 0.05, 43, SML_PRECISION_FP32, Feedback::kExplicit);
  topk_case(37, 301, 13, 10, false, false, 5);
  topk_case(20, 77, 9, 7, true, false, 6);
  topk_case(25, 150, 3, 25, false, true, 7);
  topk_case(9, 20, 5, 30, true, false, 8);
  train_case(30, 23, 12, 4, 10.0, 4, SML_PRECISION_FP16);
  for (int f : {1, 7, 64}) {
    solve_case<dev::half>(37, 53, f, 5, false, gpu::kSolveSharedLimit, 60u + f);
    solve_case<dev::half>(37, 53, f, 5, true, gpu::kSolveSharedLimit, 70u + f);
  }
  solve_case<dev::half>(29, 41, 64, 4, true, 0, 80);
  train_case(30, 23, 7, 3, 0.1, 42, SML_PRECISION_FP16, Feedback::kImplicit, Solver::kCholesky);
  train_case(30, 23, 7, 3, 0.05, 43, SML_PRECISION_FP16, Feedback::kExplicit);
  topk_case(37, 301, 13, 10, true, false, 5, SML_PRECISION_FP16);
  topk_case(25, 150, 3, 25, false, true, 7, SML_PRECISION_FP16);
  upload_case(std::size_t{1} << 20);
  if (!small) {
    // A last.fm-sized matrix and its transpose: 2 x 17.5M (index, value) pairs.
    upload_case(std::size_t{280} << 20);
    cg_case(50000, 20000, 64, 30, 11);
    cg_case(20000, 8000, 128, 50, 12);
    train_case(20000, 5000, 64, 1, 0.1, 13);
    train_case(20000, 5000, 64, 5, 10.0, 14);
    solve_case(50000, 20000, 64, 30, false, gpu::kSolveSharedLimit, 50);
    solve_case(50000, 20000, 64, 30, true, gpu::kSolveSharedLimit, 51);
    solve_case(20000, 8000, 200, 50, false, gpu::kSolveSharedLimit, 52);  // global workspace
    train_case(20000, 5000, 64, 5, 0.1, 53, SML_PRECISION_FP32, Feedback::kImplicit, Solver::kCholesky);
    train_case(20000, 5000, 64, 5, 0.05, 54, SML_PRECISION_FP32, Feedback::kExplicit);
    topk_case(20000, 30000, 64, 10, false, false, 15);
    topk_case(5000, 4001, 32, 100, true, false, 16);
    topk_case(3000, 3000, 4, 50, false, true, 17);
    train_case(20000, 5000, 64, 5, 10.0, 14, SML_PRECISION_FP16);
    solve_case<dev::half>(50000, 20000, 64, 30, false, gpu::kSolveSharedLimit, 50);
    solve_case<dev::half>(50000, 20000, 64, 30, true, gpu::kSolveSharedLimit, 51);
    train_case(20000, 5000, 64, 5, 0.1, 53, SML_PRECISION_FP16, Feedback::kImplicit, Solver::kCholesky);
    train_case(20000, 5000, 64, 5, 0.05, 54, SML_PRECISION_FP16, Feedback::kExplicit);
    topk_case(20000, 30000, 64, 10, false, false, 15, SML_PRECISION_FP16);
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
