// A model payload with a valid checksum but inconsistent sections (as a
// hand-made value passed to mf_publish can be) is refused as corrupted
// (XX001) when it is loaded, before any array is indexed.
#include <gtest/gtest.h>

#include <memory_resource>
#include <vector>

#include "supplyml/error.hpp"
#include "supplyml/reco_als.hpp"
#include "supplyml/reco_model.hpp"

namespace {

using namespace supplyml;

AlsFactors<float> small_fit(const Csr& ui, Feedback fb, int factors) {
  AlsOptions o;
  o.feedback = fb;
  o.factors = factors;
  o.iterations = 2;
  o.threads = 1;
  Interrupt none;
  return als_train<float>(ui, o, none);
}

Blob small_model(Feedback fb) {
  const Csr ui = build_csr(3, 4, {0, 0, 1, 2, 2}, {0, 1, 2, 3, 0}, {1, 2, 3, 4, 5});
  return MfModel::from_fit(ui, small_fit(ui, fb, 2), fb).to_blob();
}

void expect_corrupted(const Blob& b) {
  // Through encode/decode, as the registry and mf_publish do.
  const auto bytes = b.encode();
  const Blob round = Blob::decode(bytes.data(), bytes.size());
  try {
    (void)MfModel::from_blob(round);
    FAIL() << "a corrupted payload was accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), sqlstate::kDataCorrupted);
  }
}

// Training publishes fit_to_blob, which moves the fit into the payload: the
// same bytes as a model built from the fit and encoded, for both feedbacks
// (so the two ways mf_train and mf_fit once took give one payload).
TEST(RecoPayload, FitToBlobIsTheModelsPayload) {
  for (Feedback fb : {Feedback::kImplicit, Feedback::kExplicit}) {
    const Csr ui = build_csr(3, 5, {0, 0, 1, 2, 2, 2}, {0, 1, 2, 3, 0, 0}, {1, 2, 3, 4, 5, 0.5});
    const auto fit = small_fit(ui, fb, 3);
    const auto via_model = MfModel::from_fit(ui, AlsFactors<float>(fit), fb).to_blob().encode();
    Csr moved = ui;
    const Blob direct = MfModel::fit_to_blob(std::move(moved), AlsFactors<float>(fit), fb);
    EXPECT_EQ(direct.encode(), via_model);
    EXPECT_EQ(moved.nnz(), 0) << "the matrix was consumed";
    // Item 4 has no interaction: popularity 0 (and mean 0 for ratings).
    EXPECT_EQ(direct.f64("mf.popularity"), (std::vector<double>{2, 1, 1, 1, 0}));
  }
}

TEST(RecoPayload, ValidModelLoads) {
  const Blob b = small_model(Feedback::kExplicit);
  const auto bytes = b.encode();
  EXPECT_EQ(MfModel::from_blob(Blob::decode(bytes.data(), bytes.size())).items, 4);
}

// Counts what is allocated through it, so a test can see where a model's
// arrays went.
class CountingResource : public std::pmr::memory_resource {
 public:
  std::size_t live = 0, total = 0;

 private:
  void* do_allocate(std::size_t n, std::size_t align) override {
    live += n;
    total += n;
    return std::pmr::new_delete_resource()->allocate(n, align);
  }
  void do_deallocate(void* p, std::size_t n, std::size_t align) override {
    live -= n;
    std::pmr::new_delete_resource()->deallocate(p, n, align);
  }
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
};

TEST(RecoPayload, ArraysComeFromTheGivenResource) {
  const Blob b = small_model(Feedback::kExplicit);
  const MfModel plain = MfModel::from_blob(b);
  CountingResource counting;
  {
    const MfModel m = MfModel::from_blob(b, &counting);
    // 3 users and 4 items of 2 float factors: at least the factor arrays, the
    // items' unit rows (4 x 2) and one zero-padded panel of 64 items (64 x 2).
    const std::size_t factors = (3 + 4) * 2 * sizeof(float);
    EXPECT_GE(counting.live, factors + 4 * 2 * sizeof(float) + 64 * 2 * sizeof(float));
    EXPECT_EQ(m.user_factors.get_allocator().resource(), &counting);
    EXPECT_EQ(m.item_panels.get_allocator().resource(), &counting);
    // The same model as one decoded on the heap.
    EXPECT_EQ(std::vector<float>(m.user_factors.begin(), m.user_factors.end()),
              std::vector<float>(plain.user_factors.begin(), plain.user_factors.end()));
    EXPECT_EQ(m.score(1, 2), plain.score(1, 2));
    const auto a = m.recommend(0, 3, false), c = plain.recommend(0, 3, false);
    ASSERT_EQ(a.size(), c.size());
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].item, c[k].item);
  }
  EXPECT_EQ(counting.live, 0u) << "every array is returned to the resource it came from";
  EXPECT_GT(counting.total, 0u);
}

TEST(RecoPayload, ExplicitModelWithoutItemMeansIsCorrupted) {
  Blob b = small_model(Feedback::kExplicit);
  b.put_f64("mf.item_mean", {});  // mf_evaluate indexes it by item
  expect_corrupted(b);
}

TEST(RecoPayload, AbsurdShapesAreCorrupted) {
  for (std::int64_t factors : {std::int64_t{1025}, std::int64_t{1} << 32, std::int64_t{-1}}) {
    Blob b = small_model(Feedback::kImplicit);
    b.put_i64("mf.shape", {0, factors, 3, 4, 5});
    expect_corrupted(b);
  }
  Blob b = small_model(Feedback::kImplicit);
  b.put_i64("mf.shape", {0, 1024, std::int64_t{1} << 54, 4, 5});  // users x factors wraps to 0
  b.put_f32("mf.user_factors", {});
  expect_corrupted(b);
}

}  // namespace
