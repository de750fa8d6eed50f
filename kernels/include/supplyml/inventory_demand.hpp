// Demand distributions for the inventory policies: the distribution of demand
// in one period, or over a lead time, with the quantities the policies need
// (cdf, quantile, first- and second-order loss). Built on Boost.Math.
#pragma once

#include <string>
#include <vector>

namespace supplyml {
namespace inv {

enum class Dist { Normal, Poisson, NegativeBinomial, Gamma, Empirical };

// Parses 'normal', 'poisson', 'negative_binomial' (or 'nbinom'), 'gamma',
// 'empirical'; anything else is a 22023 error naming the accepted values.
Dist parse_distribution(const std::string& name);
const char* distribution_name(Dist d);

class Demand {
 public:
  // Each factory validates its parameters (finite, non-negative, sd > 0
  // where the distribution needs it, variance > mean for the negative binomial).
  static Demand make(Dist kind, double mean, double sd);
  static Demand empirical(std::vector<double> observations);

  // The demand over `periods` periods (a lead time, a protection interval)
  // whose length has standard deviation `periods_sd`. With periods_sd = 0 the
  // result is exact for every family (normal, Poisson, negative binomial and
  // gamma are closed under sums of iid periods); otherwise the mean
  // periods * mu and variance periods * sigma^2 + mu^2 periods_sd^2 are matched
  // within the family (a Poisson becomes a negative binomial).
  Demand over(double periods, double periods_sd = 0.0) const;

  Dist kind() const { return kind_; }
  double mean() const { return mean_; }
  double sd() const { return sd_; }
  // Integer support (Poisson, negative binomial).
  bool integer() const { return kind_ == Dist::Poisson || kind_ == Dist::NegativeBinomial; }
  // Integer support with a probability mass function: the integer families,
  // or empirical observations that are all whole numbers.
  bool lattice() const { return integer() || (kind_ == Dist::Empirical && whole_); }
  bool degenerate() const { return sd_ == 0.0; }

  double cdf(double x) const;
  double pmf(double k) const;  // integer families only
  // Smallest x with cdf(x) >= p (integer families and empirical); the inverse cdf otherwise.
  double quantile(double p) const;
  // n(x) = E[(D - x)+] and nbar(x) = E[(x - D)+].
  double loss(double x) const;
  double loss_bar(double x) const { return x - mean_ + loss(x); }
  // Smallest x with n(x) <= target (integer x for integer families).
  double inverse_loss(double target) const;
  // Second-order loss 1/2 E[((D - x)+)^2] (continuous families only).
  double loss2(double x) const;

 private:
  // The evaluations proper; the public functions wrap them so that Boost.Math
  // errors surface as supplyml errors.
  double cdf_(double x) const;
  double pmf_(double k) const;
  double quantile_(double p) const;
  double loss_(double x) const;
  double loss2_(double x) const;

  Dist kind_ = Dist::Normal;
  double mean_ = 0.0;
  double sd_ = 0.0;
  double a_ = 0.0;  // negative binomial size r / gamma shape
  double b_ = 0.0;  // negative binomial success probability / gamma scale
  std::vector<double> values_;  // empirical: sorted distinct values
  std::vector<double> probs_;   // empirical: their probabilities
  bool whole_ = false;          // empirical: every observation is an integer
};

}  // namespace inv
}  // namespace supplyml
