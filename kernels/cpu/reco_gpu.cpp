#include "supplyml/reco_gpu.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "supplyml/error.hpp"

namespace supplyml {

namespace {

sml_csr view(const Csr& m) {
  return {m.rows, m.cols, reinterpret_cast<const long long*>(m.indptr.data()), m.indices.data(), m.values.data()};
}

// Polled by the module between half-iterations or tiles; never throws across it.
int should_stop(void* ctx) { return static_cast<Interrupt*>(ctx)->check() ? 1 : 0; }

int precision_code(Precision p) { return p == Precision::kFp16 ? SML_PRECISION_FP16 : SML_PRECISION_FP32; }

}  // namespace

sml_als_problem als_problem(const Csr& ui, const Csr& iu, const AlsOptions& o, double loss_norm,
                            double global_mean) {
  sml_als_problem p{};
  p.ui = view(ui);
  p.iu = view(iu);
  p.factors = o.factors;
  p.iterations = o.iterations;
  p.cg_steps = o.cg_steps;
  p.feedback = o.feedback == Feedback::kExplicit ? SML_FEEDBACK_EXPLICIT : SML_FEEDBACK_IMPLICIT;
  p.solver = o.solver == Solver::kCholesky ? SML_SOLVER_CHOLESKY : SML_SOLVER_CG;
  p.precision = precision_code(o.precision);
  p.regularization = o.regularization;
  p.loss_norm = loss_norm;
  p.global_mean = global_mean;
  return p;
}

bool gpu_can_train(const sml_cuda_api* api, const AlsOptions& o) {
  if (api == nullptr) return false;
  if (by_cg(o)) return api->als_train != nullptr;
  // Exact solves: fp32 storage from ABI 4 on, fp16 from ABI 5 on.
  return api->als_solve != nullptr &&
         (o.precision == Precision::kFp32 || api->abi_version >= SML_CUDA_ABI_FP16_SOLVES);
}

int als_train_gpu(const sml_cuda_api* api, int device, const Csr& ui, const AlsOptions& o, Interrupt& interrupt,
                  AlsFactors<float>* out_factors) {
  validate(o);  // option errors first, as on the CPU
  if (!gpu_can_train(api, o))
    throw Error(sqlstate::kFeatureNotSupported, "matrix factorization has no GPU path for these options",
                "The CUDA module has no GPU path for " +
                    std::string(by_cg(o) ? "the \"cg\" solver."
                                         : "exact solves (explicit feedback or the \"cholesky\" solver), or not with "
                                           "\"precision\": \"fp16\"."),
                "Set supplyml.device to 'cpu' or 'auto', or install the CUDA module of this version of supplyml.");
  double norm = 0;
  AlsFactors<float> m = als_start<float>(ui, o, interrupt, &norm);
  const Csr iu = ui.transpose(o.threads);
  sml_als_problem p = als_problem(ui, iu, o, norm, m.global_mean);
  p.should_stop = should_stop;
  p.stop_ctx = &interrupt;
  std::vector<double> loss(static_cast<std::size_t>(o.iterations), 0.0);
  sml_als_out out{m.user.data(), m.item.data(), loss.data(), 0, nullptr, nullptr};
  if (o.feedback == Feedback::kExplicit) {
    out.user_bias = m.user_bias.data();
    out.item_bias = m.item_bias.data();
  }
  const int status = by_cg(o) ? api->als_train(device, &p, &out) : api->als_solve(device, &p, &out);
  if (status == SML_CUDA_STOPPED) {
    interrupt.poll();
    throw Cancelled();
  }
  if (status == SML_CUDA_NOT_POSITIVE_DEFINITE) als_not_positive_definite();  // as the CPU would say
  if (status != 0) return status;  // SML_CUDA_OUT_OF_RANGE too: the CPU, storing fp32, may succeed
  for (int it = 0; it < out.iterations_done; ++it) {
    if (!std::isfinite(loss[static_cast<std::size_t>(it)])) als_diverged(it + 1);
    m.loss.push_back(loss[static_cast<std::size_t>(it)]);
    if (o.on_iteration) o.on_iteration(it + 1, loss[static_cast<std::size_t>(it)]);
  }
  *out_factors = std::move(m);
  return 0;
}

int recommend_many_gpu(const sml_cuda_api* api, int device, const MfModel& m, const std::vector<std::int64_t>& users,
                       int k, Precision precision, Interrupt& interrupt, std::vector<std::vector<Scored>>* out) {
  check_k(k);
  const int f = m.factors;
  const std::size_t n = users.size();
  out->assign(n, {});
  if (n == 0) return 0;
  // The module ranks users 0 .. n - 1: gather the rows of a subset.
  bool whole = static_cast<std::int64_t>(n) == m.users;
  for (std::size_t j = 0; whole && j < n; ++j) whole = users[j] == static_cast<std::int64_t>(j);
  std::vector<float> x;
  std::vector<std::int64_t> indptr;
  std::vector<std::int32_t> seen;
  if (!whole) {
    x.resize(n * static_cast<std::size_t>(f));
    indptr.assign(n + 1, 0);
    for (std::size_t j = 0; j < n; ++j) {
      const std::int64_t u = users[j];
      std::copy_n(m.user_factors.data() + u * f, f, x.data() + j * static_cast<std::size_t>(f));
      std::int64_t count = 0;
      const std::int32_t* s = m.seen(u, &count);
      seen.insert(seen.end(), s, s + count);
      indptr[j + 1] = static_cast<std::int64_t>(seen.size());
    }
  }
  const bool expl = m.feedback == Feedback::kExplicit;
  sml_topk_problem p{};
  p.users = static_cast<long long>(n);
  p.items = m.items;
  p.factors = f;
  p.k = k;
  p.user_factors = whole ? m.user_factors.data() : x.data();
  p.item_factors = m.item_factors.data();
  p.item_bias = expl ? m.item_bias.data() : nullptr;
  p.seen_indptr = reinterpret_cast<const long long*>(whole ? m.seen_indptr.data() : indptr.data());
  p.seen_indices = whole ? m.seen_indices.data() : seen.data();
  p.should_stop = should_stop;
  p.stop_ctx = &interrupt;
  p.precision = precision_code(precision);
  const std::size_t cells = n * static_cast<std::size_t>(k);
  std::vector<int> ids(cells), count(n);
  std::vector<float> scores(cells);
  sml_topk_out o{ids.data(), scores.data(), count.data()};
  const int status = api->topk(device, &p, &o);
  if (status == SML_CUDA_STOPPED) {
    interrupt.poll();
    throw Cancelled();
  }
  if (status != 0) return status;  // SML_CUDA_OUT_OF_RANGE too
  for (std::size_t j = 0; j < n; ++j) {
    const int c = count[j];
    if (c < 0 || c > k)
      throw Error(sqlstate::kInternalError, "the CUDA module returned a malformed top-k list",
                  "User " + std::to_string(j) + " has " + std::to_string(c) + " items for k = " + std::to_string(k) +
                      ".",
                  "SET supplyml.device = 'cpu', and check supplyml.gpu_selftest().");
    auto& list = (*out)[j];
    list.reserve(static_cast<std::size_t>(c));
    // Explicit scores are predicted ratings, as recommend_block reports them.
    const float base = expl ? static_cast<float>(m.global_mean) + m.user_bias[static_cast<std::size_t>(users[j])] : 0;
    for (int r = 0; r < c; ++r) {
      const std::size_t q = j * static_cast<std::size_t>(k) + static_cast<std::size_t>(r);
      if (ids[q] < 0 || ids[q] >= m.items)
        throw Error(sqlstate::kInternalError, "the CUDA module returned a malformed top-k list",
                    "Item " + std::to_string(ids[q]) + " is outside the model's " + std::to_string(m.items) +
                        " items.",
                    "SET supplyml.device = 'cpu', and check supplyml.gpu_selftest().");
      list.push_back({ids[q], expl ? scores[q] + base : scores[q]});
    }
  }
  return 0;
}

}  // namespace supplyml
