#include "supplyml/inventory_sim.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "supplyml/error.hpp"
#include "supplyml/parallel.hpp"

namespace supplyml {
namespace inv {

SimTable sim_bootstrap_table(const std::vector<double>& observations) {
  if (observations.empty())
    invalid_parameter("demand observations are empty", "The bootstrap needs at least one observation.",
                      "Pass a non-empty demand array.");
  SimTable t;
  t.values = observations;
  std::sort(t.values.begin(), t.values.end());
  const double n = static_cast<double>(t.values.size());
  for (std::size_t i = 0; i < t.values.size(); ++i) t.cum.push_back(static_cast<double>(i + 1) / n);
  t.cum.back() = 1.0;
  return t;
}

SimTable sim_pmf_table(const Demand& d, Interrupt* interrupt) {
  // The table runs from the 1e-15 to the 1 - 1e-15 quantile: below its first
  // value the draw returns that value, a mass of at most 1e-15.
  const double lo = d.quantile(1e-15), hi = d.quantile(1.0 - 1e-15);
  if (hi - lo >= static_cast<double>(kMaxSimTable))
    invalid_parameter(std::string(distribution_name(d.kind())) + " demand is too spread out to sample",
                      "Its 1e-15 and 1 - 1e-15 quantiles are " + std::to_string(lo) + " and " + std::to_string(hi) +
                          "; the sampler tabulates at most " + std::to_string(kMaxSimTable) + " values.",
                      "Use the normal or gamma distribution with the same mean and standard deviation.");
  SimTable t;
  for (double k = lo; k <= hi; k += 1.0) {
    if (interrupt && t.values.size() % 256 == 0) interrupt->poll();
    t.values.push_back(k);
    t.cum.push_back(d.cdf(k));
  }
  t.cum.back() = 1.0;
  return t;
}

SimResult simulate(const SimDemand& demand, const SimPolicy& policy, long periods, long warmup, int replications,
                   std::uint64_t seed, int threads, Interrupt& interrupt) {
  if (periods < 1)
    invalid_parameter("periods must be at least 1", "The simulation measures " + std::to_string(periods) + " periods.",
                      "Pass a positive number of periods.");
  if (warmup < 0)
    invalid_parameter("warmup must not be negative", "The warm-up given is " + std::to_string(warmup) + " periods.",
                      "Pass a warm-up of zero or more periods.");
  if (replications < 2 || replications > kMaxSimReplications)
    invalid_parameter("replications must be between 2 and " + std::to_string(kMaxSimReplications),
                      "A confidence interval needs two or more replications; " + std::to_string(replications) +
                          " were asked for.",
                      "Pass replications of 2 or more, and lengthen periods rather than adding replications.");
  std::vector<SimTotals> totals(static_cast<std::size_t>(replications));
  const int slots = policy.lead_time + 1;
  const double start = policy.kind == kSimRq ? policy.reorder_point + policy.order_quantity : policy.order_up_to;
  parallel_for(
      totals.size(), threads, interrupt,
      [&](std::size_t begin, std::size_t end, int worker) {
        std::vector<double> pipeline(static_cast<std::size_t>(slots));
        for (std::size_t rep = begin; rep < end; ++rep) {
          if (interrupt.stopped()) return;
          std::fill(pipeline.begin(), pipeline.end(), 0.0);
          SimState st{start, start, pipeline.data()};
          SimRng rng = sim_rng(seed, rep);
          SimTotals tot{};
          for (long t = 0; t < warmup + periods; ++t) {
            // A replication may run billions of periods: look for a cancel
            // within it (the calling thread asks PostgreSQL, the others see its flag).
            if ((t & 0xFFFF) == 0xFFFF && (worker == 0 ? interrupt.check() : interrupt.stopped())) return;
            sim_period(st, policy, t, sim_draw(demand, rng), t >= warmup, tot);
          }
          totals[rep] = tot;
        }
      },
      1);
  SimResult r{};
  r.replications = replications;
  const double np = static_cast<double>(periods), nr = static_cast<double>(replications);
  double demand_sum = 0.0, filled_sum = 0.0, cost_sum = 0.0, cost_sq = 0.0, periods_ok = 0.0;
  for (const auto& t : totals) {
    demand_sum += t.demand;
    filled_sum += t.filled;
    periods_ok += t.periods_ok;
    r.avg_on_hand += t.on_hand / np / nr;
    r.avg_backorders += t.backorders / np / nr;
    r.orders_per_period += t.orders / np / nr;
    cost_sum += t.cost / np;
  }
  r.cost_per_period = cost_sum / nr;
  for (const auto& t : totals) cost_sq += (t.cost / np - r.cost_per_period) * (t.cost / np - r.cost_per_period);
  const double half = 1.959963984540054 * std::sqrt(cost_sq / (nr - 1.0) / nr);
  r.cost_ci_low = r.cost_per_period - half;
  r.cost_ci_high = r.cost_per_period + half;
  // Probabilities from one division of whole sums, capped at 1: averaging
  // per-replication fractions can round to 1.0000000000000002.
  r.cycle_service_level = std::min(1.0, periods_ok / (np * nr));
  r.fill_rate = demand_sum > 0.0 ? std::min(1.0, filled_sum / demand_sum) : 1.0;
  return r;
}

}  // namespace inv
}  // namespace supplyml
