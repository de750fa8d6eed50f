// route_plan_optimize: improves a plan of several routes by moving stops
// between them (kernels/cpu/routing_plan.cpp). Marshalling and errors only.
#include <string>
#include <vector>

#include "datum.hpp"
#include "device.hpp"
#include "progress.hpp"
#include "routing_options.hpp"
#include "routing_source.hpp"
#include "supplyml/routing_plan.hpp"

using namespace supplyml;
using namespace supplyml::pg;

SML_FUNCTION(sml_route_plan_optimize) {
  const char* fn = "route_plan_optimize";
  require_arg(fcinfo, 0, "source");
  const std::string source = text_arg(fcinfo, 0);
  Options opts(fcinfo, 1, fn);
  const RoutingSettings settings = read_routing_options(opts, RoutingKeys::kOptimize);
  const bool with_windows = opts.boolean("with_windows", false);
  opts.finish();

  const RouteSource src = read_route_source(source, false, with_windows, fn);
  std::vector<PlanRoute> plan(src.size());
  for (std::size_t r = 0; r < src.size(); ++r)
    for (std::size_t i : src.rows[r]) {
      plan[r].stops.push_back(src.stop(i));
      plan[r].ids.push_back(static_cast<std::int64_t>(i));
    }
  std::vector<std::int32_t> route_of(src.cols[0].size());
  for (std::size_t r = 0; r < src.size(); ++r)
    for (std::size_t i : src.rows[r]) route_of[i] = static_cast<std::int32_t>(r);

  const double n = static_cast<double>(src.cols[0].size());
  choose_device(Computation::kRouting, n * n * (1.0 + static_cast<double>(settings.search.iterations)));
  Interrupt interrupt = pg::interrupt();
  Progress progress("route_plan_optimize");
  const PlanImprovement imp =
      optimize_plan(plan, settings.route, settings.search, interrupt, [&progress](int round, std::int64_t moved) {
        if (progress.due())
          progress.line("round %d moved %lld stops between routes", round, static_cast<long long>(moved));
      });
  progress.line("moved %lld stops between routes in %d round%s", static_cast<long long>(imp.moves), imp.rounds,
                imp.rounds == 1 ? "" : "s");

  RowWriter out(fcinfo);
  for (std::size_t r = 0; r < imp.routes.size(); ++r) {
    const std::string new_route = src.routes.display(static_cast<std::int32_t>(r));
    for (std::size_t k = 0; k < imp.routes[r].size(); ++k) {
      const auto i = static_cast<std::size_t>(imp.routes[r][k]);
      Datum values[4];
      bool nulls[4] = {};
      values[0] = text_datum(src.routes.display(route_of[i]));
      values[1] = Float8GetDatum(src.seq(i));
      values[2] = text_datum(new_route);
      values[3] = Int32GetDatum(static_cast<std::int32_t>(k + 1));
      out.put(values, nulls);
    }
  }
  return (Datum)0;
}
