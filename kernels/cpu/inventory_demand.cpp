#include "supplyml/inventory_demand.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/poisson.hpp>

#include "supplyml/error.hpp"
#include "supplyml/inventory_loss.hpp"
#include "supplyml/inventory_roots.hpp"

namespace supplyml {
namespace inv {

namespace bm = boost::math;
// Quantiles of the integer families are searched here, so Boost may round any way.
using DiscretePolicy = bm::policies::policy<bm::policies::discrete_quantile<bm::policies::integer_round_down>>;
using PoissonD = bm::poisson_distribution<double, DiscretePolicy>;
using NegBinD = bm::negative_binomial_distribution<double, DiscretePolicy>;

Dist parse_distribution(const std::string& name) {
  if (name == "normal") return Dist::Normal;
  if (name == "poisson") return Dist::Poisson;
  if (name == "negative_binomial" || name == "nbinom") return Dist::NegativeBinomial;
  if (name == "gamma") return Dist::Gamma;
  if (name == "empirical") return Dist::Empirical;
  invalid_parameter("unknown demand distribution \"" + name + "\"",
                    "The distribution must be one of normal, poisson, negative_binomial, gamma or empirical.",
                    "Pass one of the listed names.");
}

const char* distribution_name(Dist d) {
  switch (d) {
    case Dist::Normal: return "normal";
    case Dist::Poisson: return "poisson";
    case Dist::NegativeBinomial: return "negative_binomial";
    case Dist::Gamma: return "gamma";
    case Dist::Empirical: return "empirical";
  }
  return "normal";
}

namespace {

// Poisson and negative binomial demand is counted in units; beyond this mean
// (or standard deviation) per period or lead time the integer searches and
// Boost's series lose their meaning, and the normal law is the model to use.
constexpr double kMaxDiscreteDemand = 1e9;

// Runs a Boost.Math evaluation; its errors (overflow, series that do not
// converge at extreme parameters) become a numeric-range error.
template <class F>
double boost_eval(F f) {
  try {
    return f();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    std::string what = e.what();
    while (!what.empty() && what.back() == '.') what.pop_back();
    throw Error(sqlstate::kNumericOutOfRange, "demand distribution cannot be evaluated at these values",
                "Boost.Math reported: " + what + ".",
                "Check the magnitude of the demand and cost arguments, or use the normal distribution.");
  }
}

void require_finite_nonneg(double v, const char* what) {
  if (!std::isfinite(v) || v < 0.0)
    invalid_parameter(std::string(what) + " must be a non-negative finite number",
                      std::string("The ") + what + " given is " + std::to_string(v) + ".",
                      std::string("Pass a ") + what + " of zero or more.");
}

}  // namespace

Demand Demand::make(Dist kind, double mean, double sd) {
  require_finite_nonneg(mean, "demand mean");
  Demand d;
  d.kind_ = kind;
  d.mean_ = mean;
  switch (kind) {
    case Dist::Normal:
      require_finite_nonneg(sd, "demand standard deviation");
      d.sd_ = sd;
      break;
    case Dist::Poisson:
      d.sd_ = std::sqrt(mean);
      break;
    case Dist::NegativeBinomial: {
      require_finite_nonneg(sd, "demand standard deviation");
      const double var = sd * sd;
      if (!(mean > 0.0) || !(var > mean))
        invalid_parameter("negative binomial demand needs a variance above its mean",
                          "The mean is " + std::to_string(mean) + " and the variance " + std::to_string(var) + ".",
                          "Use the poisson distribution when the variance does not exceed the mean.");
      d.sd_ = sd;
      d.a_ = mean * mean / (var - mean);
      d.b_ = mean / var;
      break;
    }
    case Dist::Gamma:
      require_finite_nonneg(sd, "demand standard deviation");
      if (!(mean > 0.0) || !(sd > 0.0))
        invalid_parameter("gamma demand needs a positive mean and standard deviation",
                          "The mean is " + std::to_string(mean) + " and the standard deviation " + std::to_string(sd) + ".",
                          "Use the normal distribution for a degenerate demand.");
      d.sd_ = sd;
      d.a_ = mean * mean / (sd * sd);
      d.b_ = sd * sd / mean;
      break;
    case Dist::Empirical:
      invalid_parameter("empirical demand needs observations, not a mean",
                        "The empirical distribution is built from an array of demand observations.",
                        "Pass the observations array.");
  }
  if (d.integer() && (d.mean_ > kMaxDiscreteDemand || d.sd_ > kMaxDiscreteDemand))
    invalid_parameter(std::string(distribution_name(kind)) + " demand is too large",
                      "The mean is " + std::to_string(mean) + " and the standard deviation " + std::to_string(d.sd_) +
                          "; discrete demand is limited to 1e9 units per period or lead time.",
                      "Use the normal distribution, or express demand in larger units.");
  return d;
}

Demand Demand::empirical(std::vector<double> obs) {
  if (obs.empty())
    invalid_parameter("demand observations are empty", "The empirical distribution needs at least one observation.",
                      "Pass a non-empty array of demand observations.");
  for (double v : obs) require_finite_nonneg(v, "demand observation");
  std::sort(obs.begin(), obs.end());
  Demand d;
  d.kind_ = Dist::Empirical;
  const double w = 1.0 / static_cast<double>(obs.size());
  // Sums of v / n and of ((v - mean) / max)^2 stay finite for observations
  // up to the largest double; plain sums of v and v^2 would overflow.
  double mean = 0.0, sum2 = 0.0;
  for (double v : obs) {
    if (d.values_.empty() || d.values_.back() != v) {
      d.values_.push_back(v);
      d.probs_.push_back(0.0);
    }
    d.probs_.back() += w;
    mean += v * w;
  }
  d.mean_ = std::min(mean, obs.back());
  d.whole_ = true;
  for (double v : d.values_) d.whole_ = d.whole_ && v == std::floor(v);
  const double scale = obs.back() > 0.0 ? obs.back() : 1.0;
  for (double v : obs) sum2 += ((v - d.mean_) / scale) * ((v - d.mean_) / scale);
  d.sd_ = scale * std::sqrt(sum2 * w);
  return d;
}

Demand Demand::over(double periods, double periods_sd) const {
  if (kind_ == Dist::Empirical)
    invalid_parameter("empirical demand cannot be spread over a lead time",
                      "Only the parametric families have a closed form for the demand over several periods.",
                      "Use a parametric distribution, or observations of lead-time demand.");
  const double m = mean_ * periods;
  // The lead-time term only when there is one: 0 * inf would make the variance NaN.
  const double var = sd_ * sd_ * periods + (periods_sd > 0.0 ? mean_ * mean_ * periods_sd * periods_sd : 0.0);
  if (!std::isfinite(m) || !std::isfinite(var))
    throw Error(sqlstate::kNumericOutOfRange, "demand over " + std::to_string(periods) + " periods is out of range",
                "Its mean or variance overflows a double precision number.",
                "Express demand in larger units.");
  if (m == 0.0) return make(Dist::Normal, 0.0, std::sqrt(var));
  Dist k = kind_;
  if (k == Dist::Poisson && periods_sd > 0.0) k = Dist::NegativeBinomial;
  if (k == Dist::NegativeBinomial || k == Dist::Gamma) {
    if (!(var > (k == Dist::Gamma ? 0.0 : m))) k = k == Dist::Gamma ? Dist::Normal : Dist::Poisson;
  }
  return make(k, m, std::sqrt(var));
}

double Demand::cdf(double x) const { return boost_eval([&] { return cdf_(x); }); }
double Demand::pmf(double k) const { return boost_eval([&] { return pmf_(k); }); }
double Demand::quantile(double p) const { return boost_eval([&] { return quantile_(p); }); }
double Demand::loss(double x) const { return boost_eval([&] { return loss_(x); }); }
double Demand::loss2(double x) const { return boost_eval([&] { return loss2_(x); }); }

double Demand::cdf_(double x) const {
  switch (kind_) {
    case Dist::Normal:
      if (sd_ == 0.0) return x >= mean_ ? 1.0 : 0.0;
      return std_normal_cdf((x - mean_) / sd_);
    case Dist::Poisson:
      if (x < 0.0) return 0.0;
      if (mean_ == 0.0) return 1.0;
      return bm::cdf(PoissonD(mean_), std::floor(x));
    case Dist::NegativeBinomial:
      if (x < 0.0) return 0.0;
      return bm::cdf(NegBinD(a_, b_), std::floor(x));
    case Dist::Gamma:
      if (x <= 0.0) return 0.0;
      return bm::cdf(bm::gamma_distribution<double>(a_, b_), x);
    case Dist::Empirical: {
      double F = 0.0;
      for (std::size_t i = 0; i < values_.size() && values_[i] <= x; ++i) F += probs_[i];
      return F;
    }
  }
  return 0.0;
}

double Demand::pmf_(double k) const {
  if (k < 0.0 || k != std::floor(k)) return 0.0;
  if (kind_ == Dist::Poisson) return mean_ == 0.0 ? (k == 0.0 ? 1.0 : 0.0) : bm::pdf(PoissonD(mean_), k);
  if (kind_ == Dist::NegativeBinomial) return bm::pdf(NegBinD(a_, b_), k);
  if (kind_ == Dist::Empirical)
    for (std::size_t i = 0; i < values_.size(); ++i)
      if (values_[i] == k) return probs_[i];
  return 0.0;
}

double Demand::quantile_(double p) const {
  switch (kind_) {
    case Dist::Normal:
      if (sd_ == 0.0) return mean_;
      return bm::quantile(bm::normal_distribution<double>(mean_, sd_), p);
    case Dist::Gamma:
      return bm::quantile(bm::gamma_distribution<double>(a_, b_), p);
    case Dist::Poisson:
    case Dist::NegativeBinomial: {
      if (kind_ == Dist::Poisson && mean_ == 0.0) return 0.0;
      if (!(p < 1.0))
        invalid_parameter("probability 1 has no finite quantile for " + std::string(distribution_name(kind_)) + " demand",
                          "Its support is unbounded, so no finite level is reached with certainty.",
                          "Pass positive holding and stockout costs, or a service level below 1.");
      // The normal approximation as a start, then the exact smallest k with
      // F(k) >= p by an O(log) integer search. (Boost's own discrete quantile
      // can run for minutes on a strongly over-dispersed negative binomial.)
      const double guess = mean_ + sd_ * bm::quantile(bm::normal_distribution<double>(0.0, 1.0), p);
      return std::max(0.0, smallest_integer([&](double x) { return x >= 0.0 && cdf_(x) >= p; },
                                            std::isfinite(guess) ? std::max(0.0, guess) : mean_));
    }
    case Dist::Empirical: {
      double F = 0.0;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        F += probs_[i];
        if (F >= p) return values_[i];
      }
      return values_.back();
    }
  }
  return 0.0;
}

double Demand::loss_(double x) const {
  switch (kind_) {
    case Dist::Normal:
      if (sd_ == 0.0) return std::max(mean_ - x, 0.0);
      return sd_ * std_normal_loss((x - mean_) / sd_);
    case Dist::Poisson: {
      if (x < 0.0 || mean_ == 0.0) return std::max(mean_ - x, 0.0);
      const PoissonD d(mean_);
      return -(x - mean_) * bm::cdf(bm::complement(d, x)) + mean_ * bm::pdf(d, x);
    }
    case Dist::NegativeBinomial: {
      if (x < 0.0) return mean_ - x;
      const NegBinD d(a_, b_);
      const double beta = (1.0 - b_) / b_;
      return -(x - a_ * beta) * bm::cdf(bm::complement(d, x)) + (x + a_) * beta * bm::pdf(d, x);
    }
    case Dist::Gamma: {
      if (x <= 0.0) return mean_ - x;
      const bm::gamma_distribution<double> d(a_, b_);
      return ((a_ - x / b_) * bm::cdf(bm::complement(d, x)) + x * bm::pdf(d, x)) * b_;
    }
    case Dist::Empirical: {
      double n = 0.0;
      for (std::size_t i = 0; i < values_.size(); ++i)
        if (values_[i] >= x) n += (values_[i] - x) * probs_[i];
      return n;
    }
  }
  return 0.0;
}

double Demand::inverse_loss(double target) const {
  // n is non-increasing, n(x) = mean - x for x below the support, 0 far above it.
  if (integer()) return smallest_integer([&](double x) { return loss(x) <= target; }, std::floor(mean_));
  if (!std::isfinite(target))
    invalid_parameter("loss target must be finite", "The expected shortage to reach is not a finite number.",
                      "Check the order quantity and service level.");
  // Step down from the mean by doubling steps that are never absorbed by the
  // mean's magnitude, until the loss reaches the target.
  double step = std::max({1.0, sd_, std::fabs(mean_) * 1e-12});
  double lo = mean_ - step, hi = mean_ + 40.0 * sd_ + step;
  while (loss(lo) < target) {
    step *= 2.0;
    lo = mean_ - step;
    if (!std::isfinite(lo))
      throw Error(sqlstate::kNumericOutOfRange, "reorder point out of range",
                  "No finite level gives an expected shortage as large as the target.",
                  "Check the magnitude of the order quantity and the demand.");
  }
  return bisect([&](double x) { return loss(x) - target; }, lo, hi);
}

double Demand::loss2_(double x) const {
  switch (kind_) {
    case Dist::Normal:
      if (sd_ == 0.0) return 0.5 * std::max(mean_ - x, 0.0) * std::max(mean_ - x, 0.0);
      return sd_ * sd_ * std_normal_loss2((x - mean_) / sd_);
    case Dist::Gamma: {
      if (x <= 0.0) return 0.5 * ((x - mean_) * (x - mean_) + sd_ * sd_);
      const bm::gamma_distribution<double> d(a_, b_);
      const double u = a_ - x / b_;
      return 0.5 * ((u * u + a_) * bm::cdf(bm::complement(d, x)) + (u + 1.0) * x * bm::pdf(d, x)) * b_ * b_;
    }
    default:
      invalid_parameter("second-order loss needs a continuous distribution",
                        std::string("The ") + distribution_name(kind_) + " distribution is discrete.",
                        "Use the normal or gamma distribution.");
  }
}

}  // namespace inv
}  // namespace supplyml
