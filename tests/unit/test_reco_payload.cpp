// A model payload with a valid checksum but inconsistent sections (as a
// hand-made value passed to mf_publish can be) is refused as corrupted
// (XX001) when it is loaded, before any array is indexed.
#include <gtest/gtest.h>

#include "supplyml/error.hpp"
#include "supplyml/reco_als.hpp"
#include "supplyml/reco_model.hpp"

namespace {

using namespace supplyml;

Blob small_model(Feedback fb) {
  const Csr ui = build_csr(3, 4, {0, 0, 1, 2, 2}, {0, 1, 2, 3, 0}, {1, 2, 3, 4, 5});
  AlsOptions o;
  o.feedback = fb;
  o.factors = 2;
  o.iterations = 2;
  o.threads = 1;
  Interrupt none;
  auto fit = als_train<float>(ui, o, none);
  return MfModel::from_fit(ui, std::move(fit), fb).to_blob();
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

TEST(RecoPayload, ValidModelLoads) {
  const Blob b = small_model(Feedback::kExplicit);
  const auto bytes = b.encode();
  EXPECT_EQ(MfModel::from_blob(Blob::decode(bytes.data(), bytes.size())).items, 4);
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
