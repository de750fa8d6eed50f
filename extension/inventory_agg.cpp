// The aggregate supplyml.reorder_policy(period, qty, options) and
// supplyml.simulate_policy: marshalling only.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "aggstate.hpp"
#include "datum.hpp"
#include "device.hpp"
#include "forecast_rules.hpp"
#include "inventory_policy_datum.hpp"
#include "options.hpp"
#include "settings.hpp"
#include "source.hpp"
#include "supplyml/inventory_history.hpp"
#include "supplyml/inventory_sim.hpp"
#include "supplyml/parallel.hpp"

namespace supplyml::pg {
// Every field of the reorder_policy options, for aggregate states.
template <class V>
void visit_fields(V& v, inv::HistoryOptions& o) {
  v(o.lead_time);
  v(o.lead_time_sd);
  v(o.review_period);
  v(o.service_level);
  v(o.service_type);
  v(o.policy);
  v(o.distribution);
  v(o.method);
  v(o.holding_cost);
  v(o.stockout_cost);
  v(o.order_cost);
  v(o.order_quantity);
  v(o.dates);
  v(o.freq_step_us);
  v(o.freq_months);
  v(o.has_as_of);
  v(o.as_of);
  v(o.negative);
  v(o.duplicates);
}
}  // namespace supplyml::pg

using namespace supplyml;
using namespace supplyml::pg;
using namespace supplyml::inv;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Transition state: the rows seen so far and the options of the group.
struct HistoryState {
  static constexpr const char* kName = "reorder_policy";
  bool has_options = false;
  HistoryOptions options;
  std::string label;  // the option "label": put in front of the group's error messages
  pg::vector<std::int64_t> periods;  // in the aggregate context (new_state)
  pg::vector<double> qty;

  template <class V>
  void fields(V& v) {
    v(has_options);
    v(options);
    v(label);
    v(periods);
    v(qty);
  }
  bool consistent() const { return periods.size() == qty.size(); }
  void merge(const HistoryState& o) {
    if (!has_options && o.has_options) {
      options = o.options;
      label = o.label;
      has_options = true;
    }
    periods.insert(periods.end(), o.periods.begin(), o.periods.end());
    qty.insert(qty.end(), o.qty.begin(), o.qty.end());
  }
};

// The calendar keys of the history form: freq and as_of (a date, or an
// integer period), negative, duplicates.
void read_calendar_options(Options& o, HistoryOptions& h) {
  if (o.has("freq")) {
    const Calendar c = freq_calendar(o.string("freq", ""));
    if (c.months == 0 && c.step_us % USECS_PER_DAY != 0)
      invalid_parameter("freq of reorder_policy must be whole days or months",
                        "The history's periods are dates, so a step shorter than a day has no meaning.",
                        "Use day, week, month, quarter, year or an interval of whole days.");
    h.freq_step_us = c.step_us;
    h.freq_months = c.months;
  }
  if (o.has("as_of")) {
    h.has_as_of = true;
    h.as_of = h.dates ? time_from_text(o.string("as_of", ""), DATEOID) / USECS_PER_DAY
                      : o.integer("as_of", 0, INT64_MIN, INT64_MAX);
  }
  h.negative = o.choice("negative", h.negative, {"error", "zero", "keep"});
  h.duplicates = o.choice("duplicates", h.duplicates, {"sum", "error"});
}

// The forecast form of reorder_policy takes no calendar keys; the history
// forms do, with periods as dates or integers.
enum class Form { kForecast, kDates, kIntegers };

// Runs body; a supplyml::Error it raises gets `label: ` in front of its
// message (nothing when the label is empty).
template <class F>
auto labelled(const std::string& label, F&& body) {
  if (label.empty()) return body();
  try {
    return body();
  } catch (const Error& e) {
    throw Error(e.sqlstate(), label + ": " + e.what(), e.detail(), e.hint());
  }
}

// The options of a group; `label` is read first, so that an error in any
// other option already carries it.
HistoryOptions read_options(FunctionCallInfo fcinfo, int argno, Form form, std::string* label) {
  Options o(fcinfo, argno, "supplyml.reorder_policy");
  *label = o.string("label", "");
  return labelled(*label, [&] {
    HistoryOptions h;
    h.dates = form == Form::kDates;
    h.lead_time = o.number("lead_time", h.lead_time, 0.0, 1e9);
    h.lead_time_sd = o.number("lead_time_sd", h.lead_time_sd, 0.0, 1e9);
    h.review_period = static_cast<int>(o.integer("review_period", h.review_period, 1, 100000));
    h.service_level = o.number("service_level", h.service_level, 0.0, 1.0);
    h.service_type = o.choice("service_type", h.service_type, {"cycle", "fill_rate"});
    h.policy = o.choice("policy", h.policy, {"rq", "ss", "base_stock"});
    h.distribution = o.choice("distribution", h.distribution, {"auto", "normal", "poisson", "negative_binomial", "gamma"});
    h.method = o.choice("method", h.method, {"exact", "loss_function", "eoq_ss", "eil", "power"});
    h.holding_cost = o.number("holding_cost", 0.0, 1e300).value_or(kNaN);
    h.stockout_cost = o.number("stockout_cost", 0.0, 1e300).value_or(kNaN);
    h.order_cost = o.number("order_cost", 0.0, 1e300).value_or(kNaN);
    h.order_quantity = o.number("order_quantity", 0.0, 1e300).value_or(kNaN);
    if (form != Form::kForecast) read_calendar_options(o, h);
    o.finish();
    validate(h);
    return h;
  });
}

// The group's state, made (with its options) on the group's first row.
HistoryState* group_state(FunctionCallInfo fcinfo, Form form) {
  auto* st = state_arg<HistoryState>(fcinfo, 0);
  if (!st) st = new_state<HistoryState>(fcinfo, "supplyml.reorder_policy");
  if (!st->has_options) {
    st->options = read_options(fcinfo, 3, form, &st->label);
    st->has_options = true;
  }
  return st;
}

// Adds one row (period, qty) to the group.
Datum step(FunctionCallInfo fcinfo, HistoryState* st, std::int64_t period) {
  if (PG_ARGISNULL(2))
    throw Error(sqlstate::kNullValueNotAllowed, "demand quantity must not be null",
                "A row of the demand history has a NULL quantity.", "Use coalesce(qty, 0) for periods without sales.");
  st->periods.push_back(period);
  st->qty.push_back(PG_GETARG_FLOAT8(2));
  PG_RETURN_POINTER(st);
}

// A row with neither period nor quantity is the empty side of an outer join
// (a SKU without sales): it adds nothing, and a group of only such rows gives
// NULL.
bool outer_join_row(FunctionCallInfo fcinfo) { return PG_ARGISNULL(1) && PG_ARGISNULL(2); }

void require_period(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(1))
    throw Error(sqlstate::kNullValueNotAllowed, "demand period must not be null",
                "A row of the demand history has a NULL period.", "Filter out rows without a period.");
}

}  // namespace

SML_FUNCTION(sml_reorder_policy_transfn_date) {
  if (outer_join_row(fcinfo)) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    PG_RETURN_DATUM(PG_GETARG_DATUM(0));
  }
  HistoryState* st = group_state(fcinfo, Form::kDates);
  return labelled(st->label, [&] {
    require_period(fcinfo);
    const DateADT day = PG_GETARG_DATEADT(1);
    if (DATE_NOT_FINITE(day))
      invalid_parameter("demand period must be a finite date", "A row of the demand history has an infinite date.",
                        "Filter out rows with infinite dates.");
    return step(fcinfo, st, static_cast<std::int64_t>(day));
  });
}

SML_FUNCTION(sml_reorder_policy_transfn_int8) {
  if (outer_join_row(fcinfo)) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    PG_RETURN_DATUM(PG_GETARG_DATUM(0));
  }
  HistoryState* st = group_state(fcinfo, Form::kIntegers);
  return labelled(st->label, [&] {
    require_period(fcinfo);
    return step(fcinfo, st, PG_GETARG_INT64(1));
  });
}

SML_AGGREGATE_SUPPORT(reorder_policy, HistoryState)

SML_FUNCTION(sml_reorder_policy_finalfn) {
  // No rows, only outer-join rows, or no row up to as_of: no history, NULL
  // (as the forecast aggregate over no rows).
  const auto* st = state_arg<HistoryState>(fcinfo, 0);
  if (!st || st->periods.empty()) PG_RETURN_NULL();
  choose_device(Computation::kInventory, static_cast<double>(st->periods.size()));
  Interrupt intr = interrupt();
  const std::vector<double> series = labelled(st->label, [&] {
    return demand_series({st->periods.begin(), st->periods.end()}, {st->qty.begin(), st->qty.end()}, st->options);
  });
  if (series.empty()) PG_RETURN_NULL();
  const inv::Policy policy =
      labelled(st->label, [&] { return policy_from_fit(fit_demand(series, st->options.distribution), st->options, &intr); });
  return policy_datum(fcinfo, policy);
}

// reorder_policy(forecast supplyml.forecast_result, options jsonb)
SML_FUNCTION(sml_reorder_policy_forecast) {
  require_arg(fcinfo, 0, "forecast");
  HeapTupleHeader row = call([&] { return PG_GETARG_HEAPTUPLEHEADER(0); });
  auto field = [&](const char* name) {
    bool isnull = false;
    Datum d = call([&] { return GetAttributeByName(row, name, &isnull); });
    if (isnull)
      throw Error(sqlstate::kNullValueNotAllowed, std::string("forecast ") + name + " must not be null",
                  std::string("The forecast has no ") + name + ".",
                  "Pass a forecast with point forecasts, prediction intervals and their level.");
    return d;
  };
  const auto point = float8_array_from_datum(field("point"), "forecast point");
  const auto lower = float8_array_from_datum(field("lower"), "forecast lower");
  const auto upper = float8_array_from_datum(field("upper"), "forecast upper");
  const double level = DatumGetFloat8(field("level"));
  std::string label;
  const HistoryOptions o = read_options(fcinfo, 1, Form::kForecast, &label);
  choose_device(Computation::kInventory, static_cast<double>(point.size()));
  Interrupt intr = interrupt();
  const inv::Policy policy =
      labelled(label, [&] { return policy_from_forecast(point, lower, upper, level, o, &intr); });
  return policy_datum(fcinfo, policy);
}

// simulate_policy(demand, policy, reorder_point, order_quantity, lead_time, periods,
//   replications, seed, holding_cost, stockout_cost, order_cost, order_up_to,
//   review_period, warmup, distribution, demand_mean, demand_sd)
SML_FUNCTION(sml_simulate_policy) {
  for (int a : {1, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14})
    require_arg(fcinfo, a, a == 1 ? "policy" : a == 4 ? "lead_time" : a == 5 ? "periods" : "simulation setting");
  const std::string policy = text_arg(fcinfo, 1);
  SimPolicy p{};
  p.lead_time = PG_GETARG_INT32(4);
  p.review_period = PG_GETARG_INT32(12);
  p.holding_cost = PG_GETARG_FLOAT8(8);
  p.stockout_cost = PG_GETARG_FLOAT8(9);
  p.order_cost = PG_GETARG_FLOAT8(10);
  require_nonnegative(p.holding_cost, "holding cost");
  require_nonnegative(p.stockout_cost, "stockout cost");
  require_nonnegative(p.order_cost, "order cost");
  if (p.lead_time < 0 || p.lead_time > 100000)
    invalid_parameter("lead_time must be between 0 and 100000 periods", "The lead time given is " +
                      std::to_string(p.lead_time) + ".", "Pass a lead time in whole periods.");
  if (p.review_period < 1)
    invalid_parameter("review_period must be at least 1", "The review period given is " +
                      std::to_string(p.review_period) + ".", "Pass a review period of 1 or more.");
  if (policy == "rq") {
    require_arg(fcinfo, 2, "reorder_point");
    require_arg(fcinfo, 3, "order_quantity");
    p.kind = kSimRq;
    p.reorder_point = PG_GETARG_FLOAT8(2);
    p.order_quantity = PG_GETARG_FLOAT8(3);
    require_positive(p.order_quantity, "order quantity");
  } else if (policy == "ss") {
    require_arg(fcinfo, 2, "reorder_point");
    require_arg(fcinfo, 11, "order_up_to");
    p.kind = kSimSs;
    p.reorder_point = PG_GETARG_FLOAT8(2);
    p.order_up_to = PG_GETARG_FLOAT8(11);
    if (!(p.order_up_to > p.reorder_point))
      invalid_parameter("order_up_to must exceed reorder_point", "An (s,S) policy needs s < S.", "Pass S above s.");
  } else if (policy == "base_stock") {
    require_arg(fcinfo, 11, "order_up_to");
    p.kind = kSimBaseStock;
    p.order_up_to = PG_GETARG_FLOAT8(11);
  } else {
    invalid_parameter("unknown policy \"" + policy + "\"", "simulate_policy knows rq, ss and base_stock.",
                      "Pass one of the listed policies.");
  }
  for (double v : {p.reorder_point, p.order_quantity, p.order_up_to})
    if (!std::isfinite(v))
      invalid_parameter("policy levels must be finite", "A reorder point, order quantity or level is NaN or infinite.",
                        "Pass finite levels.");
  const long periods = PG_GETARG_INT32(5), warmup = PG_GETARG_INT32(13);
  const int reps = PG_GETARG_INT32(6);
  const DeviceChoice device =
      choose_device(Computation::kInventory, 20.0 * static_cast<double>(reps) * static_cast<double>(periods + warmup));
  Interrupt intr = interrupt();
  // Demand: bootstrap of observations, or a parametric law.
  const Dist dist = parse_distribution(text_arg(fcinfo, 14));
  SimTable table;
  SimDemand dem{kSampleTable, nullptr, nullptr, 0, 0.0, 0.0};
  if (dist == Dist::Empirical) {
    require_arg(fcinfo, 0, "demand");
    const auto obs = float8_array_arg(fcinfo, 0, "demand");
    Demand::empirical(obs);  // validates: non-empty, finite, non-negative
    table = sim_bootstrap_table(obs);
  } else {
    require_arg(fcinfo, 15, "demand_mean");
    if (dist != Dist::Poisson) require_arg(fcinfo, 16, "demand_sd");
    const Demand d = Demand::make(dist, PG_GETARG_FLOAT8(15), PG_ARGISNULL(16) ? kNaN : PG_GETARG_FLOAT8(16));
    if (d.integer()) {
      table = sim_pmf_table(d, &intr);
    } else if (dist == Dist::Normal) {
      dem = SimDemand{kSampleNormal, nullptr, nullptr, 0, d.mean(), d.sd()};
    } else {
      const double shape = d.mean() * d.mean() / (d.sd() * d.sd());
      dem = SimDemand{kSampleGamma, nullptr, nullptr, 0, shape, d.sd() * d.sd() / d.mean()};
    }
  }
  if (!table.values.empty())
    dem = SimDemand{kSampleTable, table.values.data(), table.cum.data(), static_cast<int>(table.values.size()), 0, 0};
  const SimResult r = simulate(dem, p, periods, warmup, reps, static_cast<std::uint64_t>(PG_GETARG_INT64(7)),
                               resolve_threads(threads_setting()), intr);
  Datum v[10] = {Float8GetDatum(r.fill_rate),        Float8GetDatum(r.cycle_service_level),
                 Float8GetDatum(r.avg_on_hand),      Float8GetDatum(r.avg_backorders),
                 Float8GetDatum(r.orders_per_period), Float8GetDatum(r.cost_per_period),
                 Float8GetDatum(r.cost_ci_low),      Float8GetDatum(r.cost_ci_high),
                 Int32GetDatum(r.replications),      text_datum(device.label())};
  bool n[10] = {};
  return composite_result(fcinfo, v, n);
}
