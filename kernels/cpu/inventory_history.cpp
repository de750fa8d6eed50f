#include "supplyml/inventory_history.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

#include "supplyml/error.hpp"
#include "supplyml/forecast_calendar.hpp"

namespace supplyml {
namespace inv {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The zero-filled series of one group holds at most this many periods (80 MB).
constexpr std::int64_t kMaxHistoryPeriods = 10000000;

bool has(double v) { return !std::isnan(v); }

void require_costs(const HistoryOptions& o, bool stockout, const char* why) {
  if (!has(o.holding_cost) || !has(o.order_cost) || (stockout && !has(o.stockout_cost)))
    invalid_parameter(std::string("policy ") + o.policy + " needs " +
                          (stockout ? "holding_cost, stockout_cost and order_cost" : "holding_cost and order_cost"),
                      std::string("The ") + why + " depends on these costs, and the options do not give them all.",
                      "Add the missing costs to the options.");
}

int whole_periods(double v, const char* name) {
  if (v != std::floor(v) || v > 1e6)
    invalid_parameter(std::string(name) + " must be a whole number of periods for this policy",
                      "Periodic-review policies count lead time in periods; " + std::to_string(v) + " was given.",
                      std::string("Round ") + name + ".");
  return static_cast<int>(v);
}

// Smallest reorder point meeting the service target for the lead-time demand.
double service_point(const Demand& ltd, const HistoryOptions& o, ServiceType type, double q) {
  if (type == ServiceType::Cycle) return ltd.quantile(o.service_level);
  // Fill rate 1 - n(r) / Q (Snyder & Shen's approximation, as reorder_point()).
  return ltd.inverse_loss((1.0 - o.service_level) * q);
}

}  // namespace

void validate(const HistoryOptions& o) {
  require_nonnegative(o.lead_time, "lead_time");
  require_nonnegative(o.lead_time_sd, "lead_time_sd");
  require_probability(o.service_level, "service_level");
  parse_service_type(o.service_type);
  if (o.review_period < 1)
    invalid_parameter("review_period must be at least one period", "The review period given is " +
                      std::to_string(o.review_period) + ".", "Pass a review_period of 1 or more.");
  if (o.policy != "rq" && o.policy != "ss" && o.policy != "base_stock")
    invalid_parameter("unknown policy \"" + o.policy + "\"", "The policy must be rq, ss or base_stock.",
                      "Pass one of the listed policies.");
  if (o.distribution != "auto") {
    if (parse_distribution(o.distribution) == Dist::Empirical)
      invalid_parameter("distribution empirical is not available for reorder_policy",
                        "The lead-time demand needs a parametric family.", "Use auto, normal, poisson, negative_binomial or gamma.");
  }
  if (o.policy == "rq") parse_rq_method(o.method);
  if (o.policy == "ss") parse_ss_method(o.method);
  if (has(o.holding_cost)) require_positive(o.holding_cost, "holding_cost");
  if (has(o.stockout_cost)) require_positive(o.stockout_cost, "stockout_cost");
  if (has(o.order_cost)) require_nonnegative(o.order_cost, "order_cost");
  if (has(o.order_quantity)) require_positive(o.order_quantity, "order_quantity");
  if (o.negative != "error" && o.negative != "zero" && o.negative != "keep")
    invalid_parameter("invalid negative \"" + o.negative + "\"", "The negative option must be error, zero or keep.",
                      "Use \"negative\": \"zero\" to count returns as no demand.");
  if (o.duplicates != "sum" && o.duplicates != "error")
    invalid_parameter("invalid duplicates \"" + o.duplicates + "\"", "The duplicates option must be sum or error.",
                      "Use \"duplicates\": \"sum\" to add up rows of the same period.");
  if (!o.dates && (o.freq_step_us != 0 || o.freq_months != 0))
    invalid_parameter("freq needs date periods", "The integer form of reorder_policy counts periods itself.",
                      "Drop freq, or pass the periods as dates.");
}

namespace {
// Variance above the mean by more than rounding: one unit sold in n periods
// has a sample variance of exactly its mean, 1/n, which floating point may
// put an ulp above it; that demand is Poisson, and the negative binomial
// (which needs variance > mean) would fail further on.
bool overdispersed(const DemandFit& f) { return f.sd * f.sd > f.mean * (1.0 + 1e-9); }
}  // namespace

DemandFit fit_demand(const std::vector<double>& x, const std::string& requested) {
  DemandFit f{};
  f.periods = static_cast<long>(x.size());
  const double n = static_cast<double>(x.size());
  f.mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double ss = 0.0;
  for (double v : x) {
    ss += (v - f.mean) * (v - f.mean);
    f.nonzero += v != 0.0 ? 1 : 0;
  }
  f.sd = x.size() > 1 ? std::sqrt(ss / (n - 1.0)) : 0.0;
  const bool negative = std::any_of(x.begin(), x.end(), [](double v) { return v < 0.0; });
  if (negative && requested != "auto" && requested != "normal")
    invalid_parameter("distribution " + requested + " needs non-negative demand",
                      "The history keeps negative demand (negative is keep).",
                      "Use distribution normal or auto, or set negative to zero.");
  if (negative) {
    f.dist = Dist::Normal;
    return f;
  }
  if (requested != "auto") {
    f.dist = parse_distribution(requested);
    if (f.dist == Dist::NegativeBinomial && !overdispersed(f)) f.dist = Dist::Poisson;
    return f;
  }
  const bool whole = std::all_of(x.begin(), x.end(), [](double v) { return v == std::floor(v); });
  const double adi = f.nonzero > 0 ? n / static_cast<double>(f.nonzero) : INFINITY;
  if (whole && adi > 1.32)
    f.dist = overdispersed(f) ? Dist::NegativeBinomial : Dist::Poisson;
  else
    f.dist = Dist::Normal;
  return f;
}

namespace {

constexpr std::int64_t kDayUs = 86400000000LL;

std::string period_text(std::int64_t p, const HistoryOptions& o) {
  return o.dates ? format_time(p * kDayUs, TimeKind::kDate) : "period " + std::to_string(p);
}

Calendar calendar_of(const HistoryOptions& o) {
  return o.freq_months ? Calendar::of_months(o.freq_months)
                       : Calendar::fixed(o.freq_step_us ? o.freq_step_us : kDayUs);
}

// The period k steps from anchor, as text.
std::string period_at(std::int64_t anchor, std::int64_t k, const HistoryOptions& o) {
  if (!o.dates) return period_text(anchor + k, o);
  return format_time(calendar_of(o).at(anchor * kDayUs, k), TimeKind::kDate);
}

// Grid positions of the periods, counted from `anchor` (negative before it).
std::vector<std::int64_t> grid_offsets(const std::vector<std::int64_t>& periods, std::int64_t anchor,
                                       const HistoryOptions& o) {
  std::vector<std::int64_t> k(periods.size());
  if (!o.dates) {
    for (std::size_t i = 0; i < periods.size(); i++)
      if (__builtin_sub_overflow(periods[i], anchor, &k[i]))
        invalid_parameter("demand history spans too many periods",
                          "The periods run from " + std::to_string(std::min(periods[i], anchor)) + " to " +
                              std::to_string(std::max(periods[i], anchor)) + ".",
                          "Aggregate the history to coarser periods.");
    return k;
  }
  const Calendar c = calendar_of(o);
  for (std::size_t i = 0; i < periods.size(); i++) {
    const auto off = c.offset(anchor * kDayUs, periods[i] * kDayUs);
    if (!off)
      data_error("date " + period_text(periods[i], o) + " is not on the " + c.name + " grid" +
                     (o.has_as_of ? " through as_of " + period_text(anchor, o) : " of the history"),
                 "The history's periods are given by freq, and every date must start one.",
                 "Truncate the dates to the period start (date_trunc), or choose another freq.");
    k[i] = *off;
  }
  return k;
}

}  // namespace

std::vector<double> demand_series(std::vector<std::int64_t> periods, std::vector<double> qty, const HistoryOptions& o) {
  if (periods.empty()) return {};
  const std::int64_t anchor = o.has_as_of ? o.as_of : *std::min_element(periods.begin(), periods.end());
  const std::vector<std::int64_t> k = grid_offsets(periods, anchor, o);
  std::int64_t first = INT64_MAX, last = o.has_as_of ? 0 : INT64_MIN;
  for (std::size_t i = 0; i < k.size(); i++)
    if (!o.has_as_of || k[i] <= 0) {
      first = std::min(first, k[i]);
      last = std::max(last, k[i]);
    }
  if (first == INT64_MAX) return {};  // every row after as_of
  // The span in unsigned arithmetic: last - first overflows a signed bigint
  // for periods near both ends of its range.
  const std::uint64_t span = static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first);
  if (span >= static_cast<std::uint64_t>(kMaxHistoryPeriods))
    invalid_parameter("demand history spans too many periods",
                      "The history has more than " + std::to_string(kMaxHistoryPeriods) + " periods in one group.",
                      "Aggregate the history to coarser periods.");
  std::vector<double> series(static_cast<std::size_t>(span) + 1, 0.0);
  std::vector<bool> seen(series.size(), false);
  for (std::size_t i = 0; i < k.size(); i++) {
    if (k[i] > last) continue;
    const double q = qty[i];
    if (!std::isfinite(q))
      invalid_parameter("demand quantities must be finite numbers",
                        "The quantity at " + period_text(periods[i], o) + " is " + number_text(q) + ".",
                        "Remove NaN and infinite quantities before computing a policy.");
    const auto j = static_cast<std::size_t>(k[i] - first);
    if (seen[j] && o.duplicates == "error")
      throw Error(sqlstate::kUniqueViolation, std::string("duplicate ") + (o.dates ? "date " : "") + period_text(periods[i], o) + " in demand history",
                  "The period appears more than once in one group, and duplicates is error.",
                  "Set duplicates to sum, or sum the quantities per period first (GROUP BY the period).");
    seen[j] = true;
    series[j] += q;
  }
  for (std::size_t j = 0; j < series.size(); j++) {
    if (series[j] >= 0.0 || o.negative == "keep") continue;
    if (o.negative == "zero") {
      series[j] = 0.0;
      continue;
    }
    invalid_parameter("negative demand " + number_text(series[j]) + " at " +
                          period_at(anchor, first + static_cast<std::int64_t>(j), o),
                      "Demand quantities must be non-negative, and the option negative is error.",
                      "Set negative to zero to count returns as no demand, or remove them before computing a policy.");
  }
  return series;
}

Policy policy_from_history(std::vector<std::int64_t> periods, std::vector<double> qty, const HistoryOptions& o,
                           Interrupt* interrupt) {
  validate(o);
  const std::vector<double> series = demand_series(std::move(periods), std::move(qty), o);
  if (series.empty())
    invalid_parameter("demand history is empty", "reorder_policy received no rows with a period and a quantity.",
                      "Check the filter of the query; every group needs at least one row.");
  return policy_from_fit(fit_demand(series, o.distribution), o, interrupt);
}

Policy policy_from_forecast(const std::vector<double>& point, const std::vector<double>& lower,
                            const std::vector<double>& upper, double level, const HistoryOptions& o,
                            Interrupt* interrupt) {
  validate(o);
  if (o.policy != "rq" || o.lead_time_sd > 0.0 || o.distribution != "auto")
    throw Error(sqlstate::kFeatureNotSupported, "a forecast gives only rq policies with normal lead-time demand",
                "The forecast form takes policy rq with a fixed lead time and no distribution option.",
                "Use the history form of reorder_policy for ss, base_stock or another distribution.");
  const auto L = static_cast<std::size_t>(std::ceil(o.lead_time));
  if (!(o.lead_time > 0.0) || L > point.size() || lower.size() != point.size() || upper.size() != point.size())
    invalid_parameter("the forecast must cover the lead time",
                      "The lead time is " + std::to_string(o.lead_time) + " periods and the forecast has " +
                          std::to_string(point.size()) + " periods with bounds.",
                      "Forecast a horizon of at least the lead time, with prediction intervals.");
  require_probability(level, "forecast interval level");
  // Lead-time demand: the sum of the point forecasts over the lead time (a
  // fractional last period pro rata), its variance the sum of the per-period
  // variances read off the symmetric normal intervals.
  const double zq = Demand::make(Dist::Normal, 0.0, 1.0).quantile(0.5 + level / 2.0);
  double mean = 0.0, var = 0.0;
  for (std::size_t t = 0; t < L; ++t) {
    const double w = std::min(1.0, o.lead_time - static_cast<double>(t));
    if (!std::isfinite(point[t]) || !std::isfinite(lower[t]) || !std::isfinite(upper[t]) || upper[t] < lower[t])
      invalid_parameter("forecast values must be finite with lower <= upper",
                        "Period " + std::to_string(t + 1) + " of the forecast is not.", "Check the forecast.");
    const double sd = (upper[t] - lower[t]) / (2.0 * zq);
    mean += w * std::max(point[t], 0.0);
    var += w * sd * sd;
  }
  // The equivalent stationary demand per period over the lead time.
  DemandFit fit{Dist::Normal, mean / o.lead_time, std::sqrt(var / o.lead_time), static_cast<long>(point.size()),
                static_cast<long>(point.size())};
  Policy pol = policy_from_fit(fit, o, interrupt);
  pol.distribution = "normal (forecast)";
  return pol;
}

Policy policy_from_fit(const DemandFit& fit, const HistoryOptions& o, Interrupt* interrupt) {
  Policy pol;
  pol.policy = o.policy;
  pol.distribution = distribution_name(fit.dist);
  pol.demand_mean = fit.mean;
  pol.demand_sd = fit.sd;
  if (fit.mean == 0.0) {
    // No demand in the whole history: hold nothing, and say why.
    pol.method = "zero_demand";
    pol.reorder_point = pol.safety_stock = pol.expected_cost = 0.0;
    pol.order_up_to = 0.0;
    pol.order_quantity = o.policy == "rq" ? 0.0 : kNaN;
    pol.fill_rate = pol.cycle_service_level = 1.0;
    return pol;
  }
  const Demand one = Demand::make(fit.dist, fit.mean, fit.sd);
  const ServiceType type = parse_service_type(o.service_type);
  if (o.policy == "ss") {
    require_costs(o, true, "(s,S) optimization");
    if (o.lead_time_sd > 0.0)
      throw Error(sqlstate::kFeatureNotSupported, "policy ss does not take a lead_time_sd",
                  "The (s,S) model assumes a fixed lead time in periods.", "Drop lead_time_sd or use policy rq.");
    const SsMethod m = one.lattice() ? parse_ss_method(o.method) : SsMethod::Power;
    Policy p = ss_policy(o.holding_cost, o.stockout_cost, o.order_cost, one,
                         whole_periods(o.lead_time, "lead_time"), m, interrupt);
    return p;
  }
  if (o.policy == "base_stock") {
    if (o.lead_time_sd > 0.0)
      throw Error(sqlstate::kFeatureNotSupported, "policy base_stock does not take a lead_time_sd",
                  "The (R,S) model assumes a fixed lead time in periods.", "Drop lead_time_sd or use policy rq.");
    const bool by_cost = has(o.holding_cost) && has(o.stockout_cost);
    return base_stock_policy(by_cost ? o.holding_cost : kNaN, by_cost ? o.stockout_cost : kNaN,
                             has(o.order_cost) ? o.order_cost : 0.0, one, whole_periods(o.lead_time, "lead_time"),
                             o.review_period, o.service_level);
  }
  // (r,Q): cost-optimal with all three costs, otherwise a service target.
  if (has(o.holding_cost) && has(o.stockout_cost) && has(o.order_cost) && !has(o.order_quantity)) {
    Policy p = rq_policy(o.holding_cost, o.stockout_cost, o.order_cost, fit.mean, fit.sd, o.lead_time,
                         parse_rq_method(o.method), fit.dist, o.lead_time_sd, interrupt);
    return p;
  }
  double q = o.order_quantity;
  if (!has(q)) {
    require_costs(o, false, "order quantity (EOQ)");
    q = std::sqrt(2.0 * o.order_cost * fit.mean / o.holding_cost);
  }
  if (one.integer()) q = std::max(1.0, std::round(q));
  if (!(q > 0.0))
    invalid_parameter("order quantity is zero", "The EOQ is zero because the order cost is zero.",
                      "Pass a positive order_cost or an order_quantity.");
  const Demand ltd = one.over(o.lead_time, o.lead_time_sd);
  const double r = service_point(ltd, o, type, q);
  pol.method = type == ServiceType::Cycle ? "cycle_service" : "fill_rate";
  pol.reorder_point = r;
  pol.order_quantity = q;
  pol.order_up_to = r + q;
  pol.safety_stock = r - ltd.mean();
  pol.expected_cost = has(o.holding_cost) && has(o.stockout_cost) && has(o.order_cost) && o.lead_time > 0.0
                          ? rq_cost(r, q, o.holding_cost, o.stockout_cost, std::max(o.order_cost, 1e-300), fit.mean,
                                    fit.sd, o.lead_time, fit.dist, o.lead_time_sd, interrupt)
                          : kNaN;
  pol.fill_rate = 1.0 - (ltd.loss(r) - ltd.loss(r + q)) / q;
  pol.cycle_service_level = ltd.cdf(r);
  return pol;
}

}  // namespace inv
}  // namespace supplyml
