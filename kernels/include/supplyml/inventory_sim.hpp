// Monte Carlo simulation of an inventory policy. One replication is a loop of
// sim_period() calls on a SimState; everything in a period is SML_HD, so a
// CUDA kernel can run one replication per thread with the same arithmetic.
//
// A period: (1) the order due this period arrives; (2) the inventory position
// is reviewed and an order placed (it arrives lead_time periods later, at the
// start of that period; lead_time 0 = before this period's demand); (3) demand
// is served from stock, the rest backordered; (4) holding and backorder costs
// are charged on the end-of-period net inventory, plus the order cost.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "supplyml/hostdev.hpp"
#include "supplyml/interrupt.hpp"
#include "supplyml/inventory_demand.hpp"

namespace supplyml {
namespace inv {

// Counter-free splitmix64 stream: deterministic per (seed, replication).
struct SimRng {
  std::uint64_t s;
  SML_HD std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform on (0, 1).
  SML_HD double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
};

SML_HD inline SimRng sim_rng(std::uint64_t seed, std::uint64_t replication) {
  SimRng r{seed * 0xD1B54A32D192ED03ULL ^ (replication + 1) * 0x9E3779B97F4A7C15ULL};
  r.next();
  return r;
}

// How demand is drawn: from a table of values with cumulative probabilities
// (bootstrap of observations, or an integer pmf), or a normal / gamma law.
enum SimSampler : int { kSampleTable = 0, kSampleNormal = 1, kSampleGamma = 2 };

struct SimDemand {
  int sampler;
  const double* values;  // table: values, ascending cumulative probabilities in cum
  const double* cum;
  int n;
  double a, b;  // normal: mean, sd; gamma: shape, scale
};

SML_HD inline double sim_std_normal(SimRng& rng) {
  const double u1 = rng.uniform(), u2 = rng.uniform();
  return ::sqrt(-2.0 * ::log(u1)) * ::cos(6.283185307179586477 * u2);
}

SML_HD inline double sim_draw(const SimDemand& d, SimRng& rng) {
  if (d.sampler == kSampleTable) {
    const double u = rng.uniform();
    int lo = 0, hi = d.n - 1;  // first index with cum >= u
    while (lo < hi) {
      const int mid = (lo + hi) / 2;
      if (d.cum[mid] >= u)
        hi = mid;
      else
        lo = mid + 1;
    }
    return d.values[lo];
  }
  if (d.sampler == kSampleNormal) {
    const double x = d.a + d.b * sim_std_normal(rng);
    return x > 0.0 ? x : 0.0;  // sales demand is never negative
  }
  // Gamma: Marsaglia & Tsang (2000); shape < 1 boosted by U^(1/shape).
  const double shape = d.a < 1.0 ? d.a + 1.0 : d.a;
  const double c3 = shape - 1.0 / 3.0, c = 1.0 / ::sqrt(9.0 * c3);
  double x;
  for (;;) {
    double z, v;
    do {
      z = sim_std_normal(rng);
      v = 1.0 + c * z;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.uniform();
    if (::log(u) < 0.5 * z * z + c3 - c3 * v + c3 * ::log(v)) {
      x = c3 * v;
      break;
    }
  }
  if (d.a < 1.0) x *= ::pow(rng.uniform(), 1.0 / d.a);
  return x * d.b;
}

enum SimPolicyKind : int { kSimRq = 0, kSimSs = 1, kSimBaseStock = 2 };

struct SimPolicy {
  int kind;
  double reorder_point;   // rq, ss
  double order_quantity;  // rq: batch size (orders n Q to lift the position above r)
  double order_up_to;     // ss, base_stock
  int review_period;      // base_stock: order every review_period periods
  int lead_time;          // periods
  double holding_cost, stockout_cost, order_cost;
};

// Sums over the measured periods of one replication.
struct SimTotals {
  double demand, filled, on_hand, backorders, orders, cost, periods_ok;
};

struct SimState {
  double net;       // on hand minus backorders
  double position;  // net plus on order
  double* pipeline;  // lead_time + 1 slots, indexed by period mod (lead_time + 1)
};

SML_HD inline double sim_order_quantity(const SimPolicy& p, double position, long period) {
  if (p.kind == kSimRq) {
    if (position > p.reorder_point) return 0.0;
    const double n = ::floor((p.reorder_point - position) / p.order_quantity) + 1.0;
    return n * p.order_quantity;
  }
  if (p.kind == kSimSs) return position <= p.reorder_point ? p.order_up_to - position : 0.0;
  return (period % p.review_period == 0 && position < p.order_up_to) ? p.order_up_to - position : 0.0;
}

SML_HD inline void sim_period(SimState& st, const SimPolicy& p, long t, double demand, bool measure, SimTotals& tot) {
  const int slots = p.lead_time + 1;
  const int now = static_cast<int>(t % slots);
  st.net += st.pipeline[now];
  st.pipeline[now] = 0.0;
  const double q = sim_order_quantity(p, st.position, t);
  if (q > 0.0) {
    st.position += q;
    if (p.lead_time == 0)
      st.net += q;
    else
      st.pipeline[(t + p.lead_time) % slots] += q;
  }
  const double available = st.net > 0.0 ? st.net : 0.0;
  const double filled = demand < available ? demand : available;
  st.net -= demand;
  st.position -= demand;
  if (!measure) return;
  const double on_hand = st.net > 0.0 ? st.net : 0.0, back = st.net < 0.0 ? -st.net : 0.0;
  tot.demand += demand;
  tot.filled += filled;
  tot.on_hand += on_hand;
  tot.backorders += back;
  tot.orders += q > 0.0 ? 1.0 : 0.0;
  tot.cost += p.holding_cost * on_hand + p.stockout_cost * back + (q > 0.0 ? p.order_cost : 0.0);
  tot.periods_ok += st.net >= 0.0 ? 1.0 : 0.0;
}

struct SimResult {
  double fill_rate, cycle_service_level, avg_on_hand, avg_backorders, orders_per_period;
  double cost_per_period, cost_ci_low, cost_ci_high;
  int replications;
};

// Runs `replications` independent runs of warmup + periods periods, each
// starting with the inventory position at its upper level and nothing on
// order. Statistics are averaged over replications; the confidence interval
// (95 %, normal) is that of the mean cost per period across replications.
// Bounds: replications (the per-replication totals are kept) and the size of a
// discrete demand table.
inline constexpr int kMaxSimReplications = 1000000;
inline constexpr long kMaxSimTable = 1000000;

SimResult simulate(const SimDemand& demand, const SimPolicy& policy, long periods, long warmup, int replications,
                   std::uint64_t seed, int threads, Interrupt& interrupt);

// Builds the sampler tables for a Demand-free bootstrap of observations.
struct SimTable {
  std::vector<double> values, cum;
};
SimTable sim_bootstrap_table(const std::vector<double>& observations);
// The cdf table of an integer distribution between its 1e-15 and 1 - 1e-15 quantiles.
SimTable sim_pmf_table(const Demand& d, Interrupt* interrupt = nullptr);

}  // namespace inv
}  // namespace supplyml
