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
  double sum = 0.0, sum2 = 0.0;
  for (double v : obs) {
    if (d.values_.empty() || d.values_.back() != v) {
      d.values_.push_back(v);
      d.probs_.push_back(0.0);
    }
    d.probs_.back() += w;
    sum += v;
  }
  d.mean_ = sum / static_cast<double>(obs.size());
  d.whole_ = true;
  for (double v : d.values_) d.whole_ = d.whole_ && v == std::floor(v);
  for (double v : obs) sum2 += (v - d.mean_) * (v - d.mean_);
  d.sd_ = std::sqrt(sum2 / static_cast<double>(obs.size()));
  return d;
}

Demand Demand::over(double periods, double periods_sd) const {
  if (kind_ == Dist::Empirical)
    invalid_parameter("empirical demand cannot be spread over a lead time",
                      "Only the parametric families have a closed form for the demand over several periods.",
                      "Use a parametric distribution, or observations of lead-time demand.");
  const double m = mean_ * periods;
  const double var = sd_ * sd_ * periods + mean_ * mean_ * periods_sd * periods_sd;
  if (m == 0.0) return make(Dist::Normal, 0.0, std::sqrt(var));
  Dist k = kind_;
  if (k == Dist::Poisson && periods_sd > 0.0) k = Dist::NegativeBinomial;
  if (k == Dist::NegativeBinomial || k == Dist::Gamma) {
    if (!(var > (k == Dist::Gamma ? 0.0 : m))) k = k == Dist::Gamma ? Dist::Normal : Dist::Poisson;
  }
  return make(k, m, std::sqrt(var));
}

double Demand::cdf(double x) const {
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

double Demand::pmf(double k) const {
  if (k < 0.0 || k != std::floor(k)) return 0.0;
  if (kind_ == Dist::Poisson) return mean_ == 0.0 ? (k == 0.0 ? 1.0 : 0.0) : bm::pdf(PoissonD(mean_), k);
  if (kind_ == Dist::NegativeBinomial) return bm::pdf(NegBinD(a_, b_), k);
  if (kind_ == Dist::Empirical)
    for (std::size_t i = 0; i < values_.size(); ++i)
      if (values_[i] == k) return probs_[i];
  return 0.0;
}

double Demand::quantile(double p) const {
  switch (kind_) {
    case Dist::Normal:
      if (sd_ == 0.0) return mean_;
      return bm::quantile(bm::normal_distribution<double>(mean_, sd_), p);
    case Dist::Gamma:
      return bm::quantile(bm::gamma_distribution<double>(a_, b_), p);
    case Dist::Poisson:
    case Dist::NegativeBinomial: {
      if (kind_ == Dist::Poisson && mean_ == 0.0) return 0.0;
      double k = kind_ == Dist::Poisson ? bm::quantile(PoissonD(mean_), p) : bm::quantile(NegBinD(a_, b_), p);
      k = std::max(0.0, std::floor(k));
      while (k > 0.0 && cdf(k - 1.0) >= p) k -= 1.0;
      while (cdf(k) < p) k += 1.0;
      return k;
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

double Demand::loss(double x) const {
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
  if (integer()) {
    double x = std::floor(mean_);
    while (loss(x) > target) x += 1.0;
    while (loss(x - 1.0) <= target) x -= 1.0;
    return x;
  }
  double lo = mean_ - 1.0, hi = mean_ + 40.0 * sd_ + 1.0;
  while (loss(lo) < target) lo -= 2.0 * (mean_ - lo) + 1.0;
  return bisect([&](double x) { return loss(x) - target; }, lo, hi);
}

double Demand::loss2(double x) const {
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
