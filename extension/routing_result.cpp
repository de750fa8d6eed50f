#include "routing_result.hpp"

#include "datum.hpp"

extern "C" {
#include "utils/typcache.h"
}

namespace supplyml::pg {

void route_result_values(const RouteResult& r, const std::string& device, Datum* v) {
  v[0] = Int64GetDatum(r.stops);
  v[1] = Float8GetDatum(r.distance);
  v[2] = Float8GetDatum(r.travel_time);
  v[3] = Float8GetDatum(r.duration);
  v[4] = Float8GetDatum(r.waiting);
  v[5] = Float8GetDatum(r.lateness);
  v[6] = Int64GetDatum(r.late_stops);
  v[7] = Float8GetDatum(r.max_load);
  v[8] = Float8GetDatum(r.capacity_excess);
  v[9] = BoolGetDatum(r.feasible);
  v[10] = Float8GetDatum(r.cost);
  v[11] = text_datum(device);
}

Datum route_result_datum(const RouteResult& r, const std::string& device, Oid type) {
  Datum values[kRouteResultColumns];
  bool nulls[kRouteResultColumns] = {};
  route_result_values(r, device, values);
  return call([&] {
    TupleDesc desc = lookup_rowtype_tupdesc_copy(type, -1);
    if (desc->natts != kRouteResultColumns)
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                      errmsg("type supplyml.route_result has %d columns, not %d", desc->natts,
                             kRouteResultColumns),
                      errhint("Reinstall the extension so that its types match the library.")));
    desc = BlessTupleDesc(desc);
    return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
  });
}

Oid result_column_type(FunctionCallInfo fcinfo, int column) {
  return call([&] {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
      ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                      errmsg("function returning a record called in a context that cannot accept it")));
    return TupleDescAttr(desc, column)->atttypid;
  });
}

}  // namespace supplyml::pg
