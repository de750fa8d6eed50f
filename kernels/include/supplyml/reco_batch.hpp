// Whole-population work on a fitted model, threaded over users: top-k lists
// for many users at once, and the evaluation against held-out interactions
// (model and popularity baseline side by side).
#pragma once

#include <atomic>

#include <cstdint>
#include <vector>

#include "supplyml/interrupt.hpp"
#include "supplyml/reco_model.hpp"

namespace supplyml {

// Top k for each user index in `users` (every user with exclude_seen rules as
// MfModel::recommend). done, when given, counts the users scored so far (for
// progress lines: the interrupt's callback may read it).
std::vector<std::vector<Scored>> recommend_many(const MfModel& m, const std::vector<std::int64_t>& users,
                                                int k, bool exclude_seen, int threads,
                                                Interrupt& interrupt, std::atomic<std::int64_t>* done = nullptr);

struct MfEvaluation {
  RankingMetrics::Result model{}, popular{};
  // Explicit models: errors of the predicted rating and of the item-mean
  // baseline over the test pairs whose user and item are both known.
  double rmse = 0, mae = 0, rmse_popular = 0, mae_popular = 0;
  std::int64_t rated_pairs = 0;
};

// test: rows are the model's users; columns >= m.items stand for test items
// the model never saw (they count as relevant, and can never be hit).
// Values are the held-out ratings (explicit) and are otherwise ignored.
MfEvaluation evaluate(const MfModel& m, const Csr& test, int k, int threads, Interrupt& interrupt);

// evaluate() in two parts, for lists computed elsewhere (a GPU): the users it
// ranks (those with a test interaction), then the metrics from recs[j], the
// top-k list (exclude_seen) of users[j].
std::vector<std::int64_t> evaluation_users(const Csr& test);
MfEvaluation evaluate_lists(const MfModel& m, const Csr& test, int k, const std::vector<std::int64_t>& users,
                            const std::vector<std::vector<Scored>>& recs);

}  // namespace supplyml
