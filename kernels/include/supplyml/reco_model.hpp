// A fitted recommender as the query functions use it: float32 factors, the
// items each user interacted with (to exclude them), item popularity (the
// fallback for unknown users and the evaluation baseline), the loss history,
// and its conversion to and from a registry Blob. Keys (the user's own ids)
// are stored beside it by the extension.
//
// The arrays live in the memory resource the model is built with (the
// extension passes one over a PostgreSQL memory context, so a cached model is
// accounted there); copies of a model use the default resource.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <string>
#include <vector>

#include "supplyml/blob.hpp"
#include "supplyml/reco_als.hpp"
#include "supplyml/reco_rank.hpp"

namespace supplyml {

struct MfModel {
  template <class T>
  using Array = std::pmr::vector<T>;

  explicit MfModel(std::pmr::memory_resource* mr = std::pmr::new_delete_resource())
      : user_factors(mr), item_factors(mr), user_bias(mr), item_bias(mr), seen_indptr(mr), seen_indices(mr),
        popularity(mr), item_mean(mr), popular_order(mr), unit_items(mr), item_panels(mr) {}

  Feedback feedback = Feedback::kImplicit;
  int factors = 0;
  std::int64_t users = 0, items = 0, interactions = 0;
  Array<float> user_factors, item_factors;  // row-major
  Array<float> user_bias, item_bias;        // explicit only
  double global_mean = 0;                   // explicit only
  Array<std::int64_t> seen_indptr;          // users + 1
  Array<std::int32_t> seen_indices;         // items of each user, ascending
  Array<double> popularity;                 // distinct users per item
  Array<double> item_mean;                  // explicit: mean rating per item
  std::vector<double> loss;                 // per iteration (short: stays on the heap)

  // Derived on load, not stored.
  Array<std::int32_t> popular_order;
  Array<float> unit_items;  // item factors scaled to unit length
  // Item factors in panels of kPanel items, each panel transposed (f x kPanel,
  // contiguous; the last one zero-padded): the layout top-k scoring reads.
  static constexpr std::int64_t kPanel = 64;
  Array<float> item_panels;

  void derive();  // fills the derived members
  Blob to_blob() const;
  // Validates every size; the arrays are allocated from mr.
  static MfModel from_blob(const Blob& b, std::pmr::memory_resource* mr = std::pmr::new_delete_resource());

  // ui: the interaction matrix as trained (confidences or ratings).
  static MfModel from_fit(const Csr& ui, AlsFactors<float>&& fit, Feedback fb);
  // from_fit(ui, fit, fb).to_blob() without the model in between: the fit's
  // arrays and ui's row index move into the payload (training publishes it).
  static Blob fit_to_blob(Csr&& ui, AlsFactors<float>&& fit, Feedback fb);

  const std::int32_t* seen(std::int64_t u, std::int64_t* n) const {
    *n = seen_indptr[u + 1] - seen_indptr[u];
    return seen_indices.data() + seen_indptr[u];
  }
  // Top k items for user index u; threads > 1 scores a large catalogue in parallel.
  std::vector<Scored> recommend(std::int64_t u, int k, bool exclude_seen, int threads = 1) const;
  // The same for n users at once (out[b] for users[b]): items are scored in
  // cache-sized tiles shared by the block, each score the same float as a
  // single recommend() computes. buf: scratch, resized to n * items.
  void recommend_block(const std::int64_t* users, std::size_t n, int k, bool exclude_seen, int threads,
                       std::vector<float>& buf, std::vector<Scored>* out) const;
  // Most popular items (excluding `exclude`, sorted).
  std::vector<Scored> popular(int k, const std::int32_t* exclude, std::int64_t n_exclude) const;
  // Top k items by cosine similarity of factors to item i (i itself excluded).
  std::vector<Scored> similar(std::int64_t i, int k) const;
  // Predicted preference (implicit) or rating (explicit).
  double score(std::int64_t u, std::int64_t i) const;
};

// Checks k for the query functions.
void check_k(int k);

}  // namespace supplyml
