// Periodic review: (s,S) by Zheng & Federgruen (1991), the power
// approximation (Ehrhardt & Mosier 1984), and base-stock (R,S).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "supplyml/error.hpp"
#include "supplyml/inventory.hpp"
#include "supplyml/inventory_roots.hpp"

namespace supplyml {
namespace inv {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMaxSpan = 20000;

void check_costs(double h, double p, double K) {
  require_positive(h, "holding cost");
  require_positive(p, "stockout cost");
  require_nonnegative(K, "order cost");
}

// Periodic models count whole periods; the bounds keep L + R in range and the
// per-period loops of a base-stock cycle short.
constexpr int kMaxLeadTime = 1000000;
constexpr int kMaxReviewPeriod = 1000;

void check_lead_time(int L) {
  if (L < 0 || L > kMaxLeadTime)
    invalid_parameter("lead time must be between 0 and " + std::to_string(kMaxLeadTime) + " periods",
                      "The lead time given is " + std::to_string(L) + " periods.",
                      "Pass a lead time of zero or more periods, in units no finer than needed.");
}

void check_review_period(int R) {
  if (R < 1 || R > kMaxReviewPeriod)
    invalid_parameter("review period must be between 1 and " + std::to_string(kMaxReviewPeriod) + " periods",
                      "The review period given is " + std::to_string(R) + ".",
                      "Pass a review period of one or more periods; count long cycles in coarser periods.");
}

// Demand over `periods` whole periods; zero periods is no demand at all.
Demand periods_of(const Demand& d, int periods) {
  if (periods == 1) return d;
  if (periods == 0) return Demand::make(Dist::Normal, 0.0, 0.0);
  return d.over(static_cast<double>(periods));
}

// The cost model of a periodic (s,S) policy: g over L+1 periods of demand and
// the renewal function m of one period's demand (Snyder & Shen, 4.6).
class SsModel {
 public:
  SsModel(double h, double p, double K, const Demand& d, int L, Interrupt* interrupt)
      : h_(h), p_(p), K_(K), one_(d), ltd_(periods_of(d, L + 1)), prev_(periods_of(d, L)), interrupt_(interrupt) {
    p0_ = pmf(0);
    if (!(p0_ < 1.0))
      invalid_parameter("demand per period must not be always zero",
                        "An (s,S) policy needs a positive probability of demand in a period.",
                        "Check the demand mean.");
  }
  double g(double y) {
    // The search visits consecutive integer levels around the first one asked
    // for: a dense window caches them (a hash lookup per term made the
    // quadratic cost sums several times slower); others go to the map.
    if (gdense_.empty()) {
      gbase_ = std::floor(y) - 2.0 * kMaxSpan - 4.0;
      gdense_.assign(4 * kMaxSpan + 8, kNaN);
    }
    const double i = y - gbase_;
    if (y == std::floor(y) && i >= 0.0 && i < static_cast<double>(gdense_.size())) {
      double& v = gdense_[static_cast<std::size_t>(i)];
      if (std::isnan(v)) v = raw_g(y);
      return v;
    }
    auto it = gcache_.find(y);
    if (it != gcache_.end()) return it->second;
    const double v = raw_g(y);
    gcache_.emplace(y, v);
    return v;
  }
  // m[j], the expected number of periods the inventory position spends at S - j.
  double m(std::size_t j) {
    // m costs O(j^2) to build; beyond this span the power approximation is the tool.
    if (j > kMaxSpan)
      invalid_parameter("(s,S) search exceeds " + std::to_string(kMaxSpan) + " units between s and S",
                        "The exact algorithm is quadratic in S - s, which is too large for this demand and cost.",
                        "Use method 'power', or express demand in larger units (cases instead of pieces).");
    while (m_.size() <= j) {
      const std::size_t k = m_.size();
      if (interrupt_ && (k & 255) == 0) interrupt_->poll();
      if (k == 0) {
        m_.push_back(1.0 / (1.0 - p0_));
      } else {
        double s = 0.0;
        for (std::size_t l = 1; l <= k; ++l) s += pmf(l) * m_[k - l];
        m_.push_back(m_[0] * s);
      }
    }
    return m_[j];
  }
  double cost(double s, double S) {
    if (interrupt_) interrupt_->poll();  // O(S - s) per call, called O(S - s) times
    const auto n = static_cast<std::size_t>(S - s);
    double c = K_, M = 0.0;
    for (std::size_t d = 0; d < n; ++d) {
      c += m(d) * g(S - static_cast<double>(d));
      M += m(d);
    }
    return c / M;
  }
  const Demand& ltd() const { return ltd_; }
  const Demand& prev() const { return prev_; }
  const Demand& one() const { return one_; }

 private:
  double raw_g(double y) const {
    const double n = ltd_.loss(y);
    return h_ * (y - ltd_.mean() + n) + p_ * n;
  }
  double pmf(std::size_t k) {
    while (pmf_.size() <= k) pmf_.push_back(one_.pmf(static_cast<double>(pmf_.size())));
    return pmf_[k];
  }
  double h_, p_, K_;
  Demand one_, ltd_, prev_;
  Interrupt* interrupt_;
  double p0_ = 0.0;
  std::vector<double> pmf_, m_;
  double gbase_ = 0.0;
  std::vector<double> gdense_;
  std::unordered_map<double, double> gcache_;
};

void require_discrete(const Demand& d) {
  if (!d.lattice())
    throw Error(sqlstate::kFeatureNotSupported, std::string("exact (s,S) needs integer demand, not ") + distribution_name(d.kind()),
                "The Zheng-Federgruen algorithm optimizes over integer levels with a probability mass function.",
                "Use distribution 'poisson' or 'negative_binomial', or method 'power'.");
}

}  // namespace

SsMethod parse_ss_method(const std::string& name) {
  if (name == "exact") return SsMethod::Exact;
  if (name == "power") return SsMethod::Power;
  invalid_parameter("unknown (s,S) method \"" + name + "\"", "The method must be exact or power.",
                    "Pass 'exact' or 'power'.");
}

double ss_cost(double s, double S, double h, double p, double K, const Demand& d, int L, Interrupt* interrupt) {
  check_costs(h, p, K);
  check_lead_time(L);
  require_discrete(d);
  if (s != std::floor(s) || S != std::floor(S) || !(S > s) || !std::isfinite(S) || !std::isfinite(s))
    invalid_parameter("s and S must be integers with s < S", "The levels given are s = " + std::to_string(s) +
                      " and S = " + std::to_string(S) + ".", "Pass integer levels with s below S.");
  SsModel model(h, p, K, d, L, interrupt);
  return model.cost(s, S);
}

Policy ss_policy(double h, double p, double K, const Demand& d, int L, SsMethod method, Interrupt* interrupt) {
  check_costs(h, p, K);
  check_lead_time(L);
  Policy pol;
  pol.policy = "ss";
  pol.method = method == SsMethod::Exact ? "exact" : "power";
  pol.distribution = distribution_name(d.kind());
  pol.demand_mean = d.mean();
  pol.demand_sd = d.sd();
  pol.order_quantity = kNaN;
  if (!(d.mean() > 0.0))
    invalid_parameter("demand mean must be positive for an (s,S) policy", "With no demand no order is ever placed.",
                      "Pass a positive demand mean.");
  if (method == SsMethod::Power) {
    // Ehrhardt & Mosier's revised power approximation over L+1 periods.
    const double mu = d.mean(), sd = d.sd();
    const double muL = mu * (L + 1), sdL = sd * std::sqrt(L + 1.0);
    if (!(sd > 0.0))
      invalid_parameter("the power approximation needs a positive demand standard deviation",
                        "Its formula divides by the standard deviation.", "Pass demand_sd above zero.");
    const double Q = 1.30 * std::pow(mu, 0.494) * std::pow(K / h, 0.506) * std::pow(1.0 + (sd / mu) * (sd / mu), 0.116);
    const double z = std::sqrt((Q / sdL) * (h / p));
    pol.reorder_point = 0.973 * muL + sdL * (0.183 / z + 1.063 - 2.192 * z);
    pol.order_up_to = pol.reorder_point + Q;
    pol.safety_stock = pol.reorder_point - muL;
    pol.expected_cost = pol.fill_rate = pol.cycle_service_level = kNaN;
    return pol;
  }
  require_discrete(d);
  if (!(K > 0.0))
    invalid_parameter("order cost must be positive for an exact (s,S) policy",
                      "With no order cost the optimal policy is base-stock; use base_stock_policy.",
                      "Pass a positive order_cost.");
  SsModel model(h, p, K, d, L, interrupt);
  // Zheng & Federgruen (1991), as in Snyder & Shen algorithm 4.2.
  const double y_star = model.ltd().quantile(p / (p + h));
  const double S0 = y_star;
  double s = y_star;
  for (;;) {
    s -= 1.0;
    if (model.cost(s, S0) <= model.g(s)) break;
  }
  double S_hat = S0, s_hat = s;
  double g_hat = model.cost(s_hat, S_hat);
  double S = S_hat + 1.0;
  while (model.g(S) <= g_hat) {
    if (model.cost(s_hat, S) < g_hat) {
      S_hat = S;
      while (model.cost(s, S_hat) <= model.g(s + 1.0)) s += 1.0;
      s_hat = s;
      g_hat = model.cost(s_hat, S_hat);
    }
    S += 1.0;
  }
  pol.reorder_point = s_hat;
  pol.order_up_to = S_hat;
  pol.safety_stock = s_hat - model.ltd().mean();
  pol.expected_cost = g_hat;
  // Stationary inventory position after ordering: P(y = S - j) = m(j) / M.
  double M = 0.0, short_units = 0.0, no_stockout = 0.0;
  for (std::size_t j = 0; j < static_cast<std::size_t>(S_hat - s_hat); ++j) {
    const double y = S_hat - static_cast<double>(j), w = model.m(j);
    M += w;
    short_units += w * (model.ltd().loss(y) - model.prev().loss(y));
    no_stockout += w * model.ltd().cdf(y);
  }
  pol.fill_rate = 1.0 - short_units / M / d.mean();
  pol.cycle_service_level = no_stockout / M;
  return pol;
}

double base_stock_cost(double S, double h, double p, double K, const Demand& d, int L, int R) {
  check_costs(h, p, K);
  check_lead_time(L);
  check_review_period(R);
  double c = 0.0;
  for (int t = 1; t <= R; ++t) c += newsvendor_cost(S, h, p, periods_of(d, L + t));
  return (c + K) / R;
}

Policy base_stock_policy(double h, double p, double K, const Demand& d, int L, int R, double level) {
  check_lead_time(L);
  check_review_period(R);
  const bool by_cost = !std::isnan(h) || !std::isnan(p);
  std::vector<Demand> dt;
  for (int t = 1; t <= R; ++t) dt.push_back(periods_of(d, L + t));
  const Demand& protect = dt.back();
  double S;
  if (by_cost) {
    check_costs(h, p, std::isnan(K) ? 0.0 : K);
    const double alpha = p / (p + h);
    // The average cost over the R periods of a cycle is convex in S; its
    // derivative vanishes where the average cdf reaches p / (p + h).
    auto avg_cdf = [&](double y) {
      double f = 0.0;
      for (const auto& x : dt) f += x.cdf(y);
      return f / R;
    };
    if (d.lattice()) {
      // Smallest S >= 0 with avg_cdf(S) >= alpha, between the quantiles of L+1 and L+R periods.
      S = std::max(0.0, smallest_integer([&](double y) { return y >= 0.0 && avg_cdf(y) >= alpha; },
                                         dt.front().quantile(alpha)));
    } else {
      const double lo = dt.front().quantile(alpha), hi = protect.quantile(alpha);
      S = lo == hi ? lo : bisect([&](double y) { return avg_cdf(y) - alpha; }, lo, hi);
    }
  } else {
    require_probability(level, "service level");
    S = protect.quantile(level);
  }
  Policy pol;
  pol.policy = "base_stock";
  pol.method = by_cost ? "cost" : "cycle_service";
  pol.distribution = distribution_name(d.kind());
  pol.demand_mean = d.mean();
  pol.demand_sd = d.sd();
  pol.reorder_point = kNaN;
  pol.order_quantity = kNaN;
  pol.order_up_to = S;
  pol.safety_stock = S - protect.mean();
  pol.expected_cost = by_cost ? base_stock_cost(S, h, p, std::isnan(K) ? 0.0 : K, d, L, R) : kNaN;
  const Demand before = periods_of(d, L);
  pol.fill_rate = d.mean() > 0.0 ? 1.0 - (protect.loss(S) - before.loss(S)) / (R * d.mean()) : 1.0;
  pol.cycle_service_level = protect.cdf(S);
  return pol;
}

}  // namespace inv
}  // namespace supplyml
