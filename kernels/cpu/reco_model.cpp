#include "supplyml/reco_model.hpp"

#include <algorithm>
#include <cstdint>

#include "supplyml/error.hpp"
#include "supplyml/parallel.hpp"
#include "supplyml/reco_solve.hpp"

namespace supplyml {

void check_k(int k) {
  if (k < 1)
    invalid_parameter("k must be at least 1", "k is " + std::to_string(k) + ".",
                      "Pass k => 10 or another positive number of items.");
}

namespace {

// Item indices are int32; the Blob stores int64, so two go in each word.
std::vector<std::int64_t> pack32(const std::int32_t* v, std::size_t n) {
  std::vector<std::int64_t> out((n + 1) / 2, 0);
  for (std::size_t k = 0; k < n; ++k)
    out[k / 2] |= static_cast<std::int64_t>(static_cast<std::uint64_t>(static_cast<std::uint32_t>(v[k]))
                                            << (32 * (k % 2)));
  return out;
}

void unpack32(const std::vector<std::int64_t>& w, std::size_t n, MfModel::Array<std::int32_t>* out) {
  if (w.size() != (n + 1) / 2) corrupted("model payload has a wrong-sized item list");
  out->resize(n);
  for (std::size_t k = 0; k < n; ++k)
    (*out)[k] = static_cast<std::int32_t>(static_cast<std::uint32_t>(
        static_cast<std::uint64_t>(w[k / 2]) >> (32 * (k % 2))));
}

template <class T>
std::vector<T> plain(const MfModel::Array<T>& v) {
  return std::vector<T>(v.begin(), v.end());
}

template <class T, class A>
void copy_into(MfModel::Array<T>& to, const std::vector<T, A>& from) {
  to.assign(from.begin(), from.end());
}

// The sections of a model payload, filled from a loaded model (copies) or
// straight from a fit (moves), and put into a Blob in one place.
struct Sections {
  std::vector<std::int64_t> shape;  // feedback, factors, users, items, interactions
  std::vector<float> user_factors, item_factors, user_bias, item_bias;
  double global_mean = 0;
  std::vector<std::int64_t> seen_indptr, seen_items;  // seen_items: pack32
  std::vector<double> popularity, item_mean, loss;

  Blob blob() && {
    Blob b;
    b.put_i64("mf.shape", std::move(shape));
    b.put_f32("mf.user_factors", std::move(user_factors));
    b.put_f32("mf.item_factors", std::move(item_factors));
    b.put_f32("mf.user_bias", std::move(user_bias));
    b.put_f32("mf.item_bias", std::move(item_bias));
    b.put_f64("mf.global_mean", {global_mean});
    b.put_i64("mf.seen_indptr", std::move(seen_indptr));
    b.put_i64("mf.seen_items", std::move(seen_items));
    b.put_f64("mf.popularity", std::move(popularity));
    b.put_f64("mf.item_mean", std::move(item_mean));
    b.put_f64("mf.loss", std::move(loss));
    return b;
  }
};

// Distinct users per item and, for ratings, each item's mean rating, from
// the interactions as trained.
void item_counts(const Csr& ui, std::int64_t items, Feedback fb, std::vector<double>* popularity,
                 std::vector<double>* item_mean) {
  popularity->assign(static_cast<std::size_t>(items), 0.0);
  for (auto i : ui.indices) (*popularity)[i] += 1;
  item_mean->clear();
  if (fb != Feedback::kExplicit) return;
  item_mean->assign(static_cast<std::size_t>(items), 0.0);
  for (std::size_t p = 0; p < ui.indices.size(); ++p) (*item_mean)[ui.indices[p]] += ui.values[p];
  for (std::int64_t i = 0; i < items; ++i)
    if ((*popularity)[i] > 0) (*item_mean)[i] /= (*popularity)[i];
}

void expect_size(std::size_t got, std::size_t want, const char* what) {
  if (got != want)
    corrupted(std::string("model payload section \"") + what + "\" has the wrong size",
              "It holds " + std::to_string(got) + " values where " + std::to_string(want) +
                  " were expected.",
              "Train the model again.");
}

}  // namespace

void MfModel::derive() {
  popular_order.resize(popularity.size());
  popularity_order(popularity.data(), popularity.size(), popular_order.data());
  unit_items.assign(item_factors.begin(), item_factors.end());
  normalize_rows(unit_items.data(), items, factors);
  const std::int64_t panels = (items + kPanel - 1) / kPanel, f = factors;
  item_panels.assign(static_cast<std::size_t>(panels * f * kPanel), 0.0f);
  for (std::int64_t i = 0; i < items; ++i) {
    float* panel = item_panels.data() + (i / kPanel) * f * kPanel + i % kPanel;
    for (std::int64_t j = 0; j < f; ++j) panel[j * kPanel] = item_factors[static_cast<std::size_t>(i * f + j)];
  }
}

Blob MfModel::to_blob() const {
  Sections s;
  s.shape = {feedback == Feedback::kImplicit ? 0 : 1, factors, users, items, interactions};
  s.user_factors = plain(user_factors);
  s.item_factors = plain(item_factors);
  s.user_bias = plain(user_bias);
  s.item_bias = plain(item_bias);
  s.global_mean = global_mean;
  s.seen_indptr = plain(seen_indptr);
  s.seen_items = pack32(seen_indices.data(), seen_indices.size());
  s.popularity = plain(popularity);
  s.item_mean = plain(item_mean);
  s.loss = loss;
  return std::move(s).blob();
}

Blob MfModel::fit_to_blob(Csr&& ui, AlsFactors<float>&& fit, Feedback fb) {
  Sections s;
  s.shape = {fb == Feedback::kImplicit ? 0 : 1, fit.factors, fit.users, fit.items, ui.nnz()};
  s.user_factors = std::move(fit.user);
  s.item_factors = std::move(fit.item);
  s.user_bias = std::move(fit.user_bias);
  s.item_bias = std::move(fit.item_bias);
  s.global_mean = fit.global_mean;
  s.loss = std::move(fit.loss);
  item_counts(ui, fit.items, fb, &s.popularity, &s.item_mean);
  s.seen_items = pack32(ui.indices.data(), ui.indices.size());
  s.seen_indptr.assign(ui.indptr.begin(), ui.indptr.end());  // ui's memory may be page-locked: copied
  ui = Csr();
  return std::move(s).blob();
}

MfModel MfModel::from_blob(const Blob& b, std::pmr::memory_resource* mr) {
  MfModel m(mr);
  const auto& shape = b.i64("mf.shape");
  expect_size(shape.size(), 5, "mf.shape");
  constexpr std::int64_t kMaxIndex = INT32_MAX;  // users and items are int32 indices
  if ((shape[0] != 0 && shape[0] != 1) || shape[1] < 1 || shape[1] > 1024 || shape[2] < 0 ||
      shape[2] > kMaxIndex || shape[3] < 0 || shape[3] > kMaxIndex || shape[4] < 0)
    corrupted("model payload has an impossible shape");
  m.feedback = shape[0] == 0 ? Feedback::kImplicit : Feedback::kExplicit;
  m.factors = static_cast<int>(shape[1]);
  m.users = shape[2];
  m.items = shape[3];
  m.interactions = shape[4];
  const auto uf = static_cast<std::size_t>(m.users) * m.factors;
  const auto itf = static_cast<std::size_t>(m.items) * m.factors;
  copy_into(m.user_factors, b.f32("mf.user_factors"));
  expect_size(m.user_factors.size(), uf, "mf.user_factors");
  copy_into(m.item_factors, b.f32("mf.item_factors"));
  expect_size(m.item_factors.size(), itf, "mf.item_factors");
  copy_into(m.user_bias, b.f32("mf.user_bias"));
  copy_into(m.item_bias, b.f32("mf.item_bias"));
  if (m.feedback == Feedback::kExplicit) {
    expect_size(m.user_bias.size(), static_cast<std::size_t>(m.users), "mf.user_bias");
    expect_size(m.item_bias.size(), static_cast<std::size_t>(m.items), "mf.item_bias");
  }
  const auto& mean = b.f64("mf.global_mean");
  expect_size(mean.size(), 1, "mf.global_mean");
  m.global_mean = mean[0];
  copy_into(m.seen_indptr, b.i64("mf.seen_indptr"));
  expect_size(m.seen_indptr.size(), static_cast<std::size_t>(m.users) + 1, "mf.seen_indptr");
  if (m.seen_indptr.front() != 0 || m.seen_indptr.back() != m.interactions ||
      !std::is_sorted(m.seen_indptr.begin(), m.seen_indptr.end()))
    corrupted("model payload has an inconsistent interaction index");
  unpack32(b.i64("mf.seen_items"), static_cast<std::size_t>(m.interactions), &m.seen_indices);
  for (auto i : m.seen_indices)
    if (i < 0 || i >= m.items) corrupted("model payload refers to an item out of range");
  copy_into(m.popularity, b.f64("mf.popularity"));
  expect_size(m.popularity.size(), static_cast<std::size_t>(m.items), "mf.popularity");
  copy_into(m.item_mean, b.f64("mf.item_mean"));
  if (m.feedback == Feedback::kExplicit)
    expect_size(m.item_mean.size(), static_cast<std::size_t>(m.items), "mf.item_mean");
  m.loss = b.f64("mf.loss");
  m.derive();
  return m;
}

MfModel MfModel::from_fit(const Csr& ui, AlsFactors<float>&& fit, Feedback fb) {
  MfModel m;
  m.feedback = fb;
  m.factors = fit.factors;
  m.users = fit.users;
  m.items = fit.items;
  m.interactions = ui.nnz();
  copy_into(m.user_factors, fit.user);
  copy_into(m.item_factors, fit.item);
  copy_into(m.user_bias, fit.user_bias);
  copy_into(m.item_bias, fit.item_bias);
  m.global_mean = fit.global_mean;
  m.loss = std::move(fit.loss);
  copy_into(m.seen_indptr, ui.indptr);
  copy_into(m.seen_indices, ui.indices);
  std::vector<double> popularity, item_mean;
  item_counts(ui, m.items, fb, &popularity, &item_mean);
  copy_into(m.popularity, popularity);
  copy_into(m.item_mean, item_mean);
  m.derive();
  return m;
}

namespace {

constexpr std::int64_t kTile = 1024;               // items per cache tile: 256 KB of factors at f = 64
constexpr std::int64_t kParallelItems = 1 << 15;   // one user's catalogue worth threads
constexpr int kLanes = static_cast<int>(MfModel::kPanel);
static_assert(kTile % kLanes == 0, "tiles hold whole panels");

// Scores of U users (x[0..U)) for the m items of the panels from `panels` on,
// into out[u] + t: each score a plain running sum over the factors, a panel's
// kLanes items at once in registers, every panel row loaded once for U users.
template <int U>
__attribute__((always_inline)) inline void score_users(const float* panels, int f, const float* const* x,
                                                        std::int64_t m, float* const* out) {
  for (std::int64_t t = 0; t < m; t += kLanes) {
    const float* panel = panels + t * f;
    float acc[U][kLanes] = {};
    for (int j = 0; j < f; ++j) {
      const float* row = panel + j * kLanes;
      for (int u = 0; u < U; ++u) {
        const float xj = x[u][j];
        for (int l = 0; l < kLanes; ++l) acc[u][l] += xj * row[l];
      }
    }
    const std::int64_t len = std::min<std::int64_t>(kLanes, m - t);  // padding is scored, not stored
    for (int u = 0; u < U; ++u)
      for (std::int64_t l = 0; l < len; ++l) out[u][t + l] = acc[u][l];
  }
}

// scores[b * stride + i] = x_b . y_i (+ bias_i) for the n users of a block and
// the m items from i0 on (one cache tile): the tile stays in cache while the
// users of the block pass over it, two at a time.
SML_ISA_CLONES void score_tile(const float* panels, const float* bias, int f, const float* const* x, std::size_t n,
                               std::int64_t i0, std::int64_t m, float* scores, std::int64_t stride) {
  for (std::size_t b = 0; b < n; b += 2) {
    float* out[2] = {scores + static_cast<std::int64_t>(b) * stride + i0,
                     scores + static_cast<std::int64_t>(b + 1) * stride + i0};
    if (b + 1 < n)
      score_users<2>(panels, f, x + b, m, out);
    else
      score_users<1>(panels, f, x + b, m, out);
    for (std::size_t u = b; u < std::min(n, b + 2); ++u)
      if (bias)
        for (std::int64_t i = 0; i < m; ++i) out[u - b][i] += bias[i0 + i];
  }
}

}  // namespace

void MfModel::recommend_block(const std::int64_t* users, std::size_t n, int k, bool exclude_seen, int threads,
                              std::vector<float>& buf, std::vector<Scored>* out) const {
  check_k(k);
  buf.resize(n * static_cast<std::size_t>(items));
  std::vector<const float*> x(n);
  for (std::size_t b = 0; b < n; ++b) x[b] = user_factors.data() + users[b] * factors;
  const float* bias = feedback == Feedback::kExplicit ? item_bias.data() : nullptr;
  const auto tiles = static_cast<std::size_t>((items + kTile - 1) / kTile);
  const bool split = threads > 1 && n == 1 && items >= kParallelItems;
  auto run = [&](std::size_t t0, std::size_t t1, int) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::int64_t i0 = static_cast<std::int64_t>(t) * kTile;
      score_tile(item_panels.data() + i0 * factors, bias, factors, x.data(), n, i0, std::min(kTile, items - i0),
                 buf.data(), items);
    }
  };
  if (split) {
    Interrupt none;  // a few milliseconds of work: not worth polling
    parallel_for(tiles, threads, none, run, 8);
  } else {
    run(0, tiles, 0);
  }
  for (std::size_t b = 0; b < n; ++b) {
    const std::int64_t u = users[b];
    std::int64_t n_seen = 0;
    const std::int32_t* ex = exclude_seen ? seen(u, &n_seen) : nullptr;
    out[b] = top_k(buf.data() + b * static_cast<std::size_t>(items), items, k, ex, exclude_seen ? n_seen : 0);
    if (feedback == Feedback::kExplicit) {  // report the predicted rating
      const float base = static_cast<float>(global_mean) + user_bias[u];
      for (auto& s : out[b]) s.score += base;
    }
  }
}

std::vector<Scored> MfModel::recommend(std::int64_t u, int k, bool exclude_seen, int threads) const {
  std::vector<float> buf;
  std::vector<Scored> out;
  recommend_block(&u, 1, k, exclude_seen, threads, buf, &out);
  return out;
}

std::vector<Scored> MfModel::popular(int k, const std::int32_t* exclude, std::int64_t n_exclude) const {
  check_k(k);
  return top_popular(popular_order.data(), popular_order.size(), popularity.data(), k, exclude, n_exclude);
}

std::vector<Scored> MfModel::similar(std::int64_t i, int k) const {
  check_k(k);
  std::vector<float> scores(static_cast<std::size_t>(items));
  score_items(unit_items.data(), items, factors, unit_items.data() + i * factors, nullptr, scores.data());
  const std::int32_t self = static_cast<std::int32_t>(i);
  return top_k(scores.data(), items, k, &self, 1);
}

double MfModel::score(std::int64_t u, std::int64_t i) const {
  double s = als::dot_rows(user_factors.data() + u * factors, item_factors.data() + i * factors, factors);
  if (feedback == Feedback::kExplicit) s += global_mean + user_bias[u] + item_bias[i];
  return s;
}

}  // namespace supplyml
