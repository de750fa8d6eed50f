// Continuous-review (r,Q): exact optimization and the classic approximations
// (Snyder & Shen, section 5.2 and 5.3).
#include <cmath>
#include <limits>
#include <string>

#include "supplyml/error.hpp"
#include "supplyml/inventory.hpp"
#include "supplyml/inventory_roots.hpp"

namespace supplyml {
namespace inv {

namespace {

constexpr double kTol = 1e-6;  // stopping rule of the iterative approximations
// Discrete (r,Q) work is linear in the units searched or summed: at most this
// many (about a second), beyond which demand should be counted in larger units.
constexpr double kMaxDiscreteUnits = 1e6;

[[noreturn]] void too_many_units(const std::string& what) {
  invalid_parameter("discrete (r,Q) " + what + " exceeds " + std::to_string(static_cast<long>(kMaxDiscreteUnits)) +
                        " units",
                    "Poisson and negative binomial (r,Q) policies are evaluated unit by unit.",
                    "Express demand in larger units (cases instead of pieces), or use the normal distribution.");
}

struct RqModel {
  double h, p, K, lambda;
  Demand ltd;  // lead-time demand
  Interrupt* interrupt = nullptr;
  // Called once per unit of a discrete loop: polls every 16 units (a unit
  // costs a few Boost evaluations, up to tens of microseconds each).
  void tick(std::size_t& n) const {
    if (interrupt && (++n & 15) == 0) interrupt->poll();
  }
  // Newsvendor cost g(y) = h E[(y-D)+] + p E[(D-y)+].
  double g(double y) const {
    const double n = ltd.loss(y);
    return h * (y - ltd.mean() + n) + p * n;
  }
  // Integral of g over [r, r+Q] (continuous) or sum over r+1..r+Q (discrete).
  double g_integral(double r, double q) const {
    if (ltd.integer()) {
      if (q > kMaxDiscreteUnits) too_many_units("order quantity");
      double s = 0.0;
      std::size_t n = 0;
      for (double y = r + 1.0; y <= r + q; y += 1.0) {
        tick(n);
        s += g(y);
      }
      return s;
    }
    const double a = r - ltd.mean(), b = r + q - ltd.mean();
    return h * 0.5 * (b * b - a * a) + (h + p) * (ltd.loss2(r) - ltd.loss2(r + q));
  }
  double cost(double r, double q) const { return (K * lambda + g_integral(r, q)) / q; }
};

RqModel make_model(double h, double p, double K, double lambda, double sd, double L, Dist dist, double Lsd,
                   Interrupt* interrupt) {
  require_positive(h, "holding cost");
  require_positive(p, "stockout cost");
  require_positive(K, "order cost");
  require_nonnegative(lambda, "demand rate");
  require_nonnegative(L, "lead time");
  require_nonnegative(Lsd, "lead time standard deviation");
  if (dist != Dist::Poisson) require_nonnegative(sd, "demand standard deviation");
  if (dist == Dist::Empirical || dist == Dist::Gamma)
    throw Error(sqlstate::kFeatureNotSupported, std::string("(r,Q) is not implemented for ") + distribution_name(dist) + " demand",
                "The (r,Q) policies support normal, poisson and negative_binomial lead-time demand.",
                "Use distribution 'normal', 'poisson' or 'negative_binomial'.");
  if (dist == Dist::Normal && !(L > 0.0))
    invalid_parameter("lead time must be positive for normal (r,Q) policies",
                      "With a zero lead time the lead-time demand has no spread and the normal model degenerates.",
                      "Pass a positive lead_time, or use the eoq function.");
  return RqModel{h, p, K, lambda, Demand::make(dist, lambda, sd).over(L, Lsd), interrupt};
}

// Exact optimum for continuous lead-time demand: at the optimum
// g(r) = g(r+Q) = C(r,Q) (Zipkin, Foundations of Inventory Management, 6.4).
void exact_continuous(const RqModel& m, double& r, double& q) {
  const double S0 = m.ltd.quantile(m.p / (m.p + m.h));
  auto r_for_q = [&](double Q) {
    // g(r+Q) - g(r) is increasing in r and changes sign on [S0 - Q, S0].
    return bisect([&](double x) { return m.h * Q + (m.h + m.p) * (m.ltd.loss(x + Q) - m.ltd.loss(x)); }, S0 - Q, S0);
  };
  auto phi = [&](double Q) {
    const double rq = r_for_q(Q);
    return m.K * m.lambda + m.g_integral(rq, Q) - Q * m.g(rq);
  };
  double hi = std::sqrt(2.0 * m.K * m.lambda / m.h) + m.ltd.sd() + 1.0;
  for (int i = 0; i < 200 && phi(hi) > 0.0; ++i) hi *= 2.0;
  q = bisect(phi, 0.0, hi);
  r = r_for_q(q);
}

// Exact optimum for integer lead-time demand: the search of Federgruen &
// Zheng (1992) as given by Snyder & Shen, algorithm 5.2 for Poisson demand.
void exact_discrete(const RqModel& m, double& r_out, double& q_out) {
  const double alpha = m.p / (m.p + m.h);
  const double S = m.ltd.quantile(alpha);  // smallest S with F(S) >= alpha
  double Q = 1.0, r = S - 1.0;
  double sum = m.g(r + 1.0);  // sum of g over r+1 .. r+Q
  double cost = (m.K * m.lambda + sum) / Q;
  std::size_t steps = 0;
  for (;;) {
    m.tick(steps);
    const double cost_prev = cost, r_prev = r;
    if (m.g(r) < m.g(r + Q + 1.0)) {
      r -= 1.0;
      sum += m.g(r + 1.0);
    } else {
      sum += m.g(r + Q + 1.0);
    }
    cost = (m.K * m.lambda + sum) / (Q + 1.0);
    if (cost > cost_prev) {
      r_out = r_prev;
      q_out = Q;
      return;
    }
    Q += 1.0;
    if (Q + (S - r) > kMaxDiscreteUnits) too_many_units("search");
  }
}

// The fixed-point iterations of the approximations: start at the EOQ with
// r = 0 and stop when r and Q both move less than kTol, as stockpyl does.
template <class Step>
void iterate_from_eoq(double eoq_q, double& r, double& q, Step step) {
  q = eoq_q;
  r = 0.0;
  double q_prev = INFINITY, r_prev = INFINITY;
  for (int it = 0; it < 10000 && (std::fabs(q - q_prev) > kTol || std::fabs(r - r_prev) > kTol); ++it) {
    q_prev = q;
    r_prev = r;
    step(q_prev, r, q);
  }
}

}  // namespace

RqMethod parse_rq_method(const std::string& name) {
  if (name == "exact") return RqMethod::Exact;
  if (name == "loss_function") return RqMethod::LossFunction;
  if (name == "eoq_ss") return RqMethod::EoqSs;
  if (name == "eil") return RqMethod::Eil;
  invalid_parameter("unknown (r,Q) method \"" + name + "\"",
                    "The method must be exact, loss_function, eoq_ss or eil.", "Pass one of the listed methods.");
}

const char* rq_method_name(RqMethod m) {
  switch (m) {
    case RqMethod::Exact: return "exact";
    case RqMethod::LossFunction: return "loss_function";
    case RqMethod::EoqSs: return "eoq_ss";
    case RqMethod::Eil: return "eil";
  }
  return "exact";
}

double rq_cost(double r, double q, double h, double p, double K, double lambda, double sd, double L, Dist dist,
               double Lsd, Interrupt* interrupt) {
  const RqModel m = make_model(h, p, K, lambda, sd, L, dist, Lsd, interrupt);
  require_positive(q, "order quantity");
  if (!std::isfinite(r))
    invalid_parameter("reorder point must be finite", "The reorder point given is not a finite number.",
                      "Pass a finite reorder point.");
  if (m.ltd.integer() && (r != std::floor(r) || q != std::floor(q)))
    invalid_parameter("reorder point and order quantity must be integers for discrete demand",
                      "Poisson and negative binomial demand count whole units.", "Round r and Q.");
  return m.cost(r, q);
}

Policy rq_policy(double h, double p, double K, double lambda, double sd, double L, RqMethod method, Dist dist,
                 double Lsd, Interrupt* interrupt) {
  const RqModel m = make_model(h, p, K, lambda, sd, L, dist, Lsd, interrupt);
  if (method != RqMethod::Exact && m.ltd.integer())
    throw Error(sqlstate::kFeatureNotSupported,
                std::string("the ") + rq_method_name(method) + " (r,Q) approximation needs normal demand",
                "The approximations are defined for normal lead-time demand; discrete demand is optimized exactly.",
                "Use method 'exact' for poisson or negative_binomial demand.");
  if (!(lambda > 0.0))
    invalid_parameter("demand rate must be positive for an (r,Q) policy",
                      "With no demand no order is ever placed.", "Pass a positive demand_rate.");
  double r = 0.0, q = 0.0;
  const double eoq_q = std::sqrt(2.0 * K * lambda / h);
  switch (method) {
    case RqMethod::Exact:
      if (m.ltd.integer())
        exact_discrete(m, r, q);
      else
        exact_continuous(m, r, q);
      break;
    case RqMethod::EoqSs:
      q = eoq_q;
      r = m.ltd.quantile(p / (p + h));
      break;
    case RqMethod::LossFunction:
      // Iterate n(r) = hQ/(h+p), Q = sqrt(2(K lambda + (h+p) n2(r)) / h) from the EOQ.
      iterate_from_eoq(eoq_q, r, q, [&](double Q, double& R, double& Qn) {
        R = m.ltd.inverse_loss(h * Q / (h + p));
        Qn = std::sqrt(2.0 * (K * lambda + (h + p) * m.ltd.loss2(R)) / h);
      });
      break;
    case RqMethod::Eil:
      // Expected-inventory-level iteration: 1 - F(r) = Qh / (p lambda).
      iterate_from_eoq(eoq_q, r, q, [&](double Q, double& R, double& Qn) {
        const double crit = 1.0 - Q * h / (p * lambda);
        if (!(crit > 0.0))
          throw Error(sqlstate::kDataException, "the eil approximation has no solution for these costs",
                      "Its iteration needs Q h < p lambda, which fails at Q = " + std::to_string(Q) + ".",
                      "Use method 'exact' or 'loss_function'.");
        R = m.ltd.quantile(crit);
        Qn = std::sqrt(2.0 * lambda * (K + p * m.ltd.loss(R)) / h);
      });
      break;
  }
  Policy pol;
  pol.policy = "rq";
  pol.method = rq_method_name(method);
  pol.distribution = distribution_name(dist);
  pol.demand_mean = lambda;
  pol.demand_sd = dist == Dist::Poisson ? std::sqrt(lambda) : sd;
  pol.reorder_point = r;
  pol.order_quantity = q;
  pol.order_up_to = r + q;
  pol.safety_stock = r - m.ltd.mean();
  pol.expected_cost = m.cost(r, q);
  // Units short per cycle are n(r) - n(r+Q) (Hadley & Whitin).
  pol.fill_rate = 1.0 - (m.ltd.loss(r) - m.ltd.loss(r + q)) / q;
  pol.cycle_service_level = m.ltd.cdf(r);
  return pol;
}

}  // namespace inv
}  // namespace supplyml
