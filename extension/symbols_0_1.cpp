// C entry points under their 0.1.0 names. The 0.1.0 install script binds
// the aggregate support functions to these symbols; keeping them lets a
// 0.1.0 catalog run on this library until ALTER EXTENSION supplyml UPDATE
// (sql/upgrade/supplyml--0.1.0--0.2.0.sql) renames the functions and points
// them at the current names. Each one only forwards.
#include "pg.hpp"

#define SML_0_1_SYMBOL(old_name, current)               \
  extern "C" {                                          \
  Datum current(PG_FUNCTION_ARGS);                      \
  PG_FUNCTION_INFO_V1(old_name);                        \
  Datum old_name(PG_FUNCTION_ARGS) { return current(fcinfo); } \
  }

SML_0_1_SYMBOL(sml_forecast_sfunc, sml_forecast_transfn)
SML_0_1_SYMBOL(sml_forecast_combine, sml_forecast_combinefn)
SML_0_1_SYMBOL(sml_forecast_serial, sml_forecast_serialfn)
SML_0_1_SYMBOL(sml_forecast_deserial, sml_forecast_deserialfn)
SML_0_1_SYMBOL(sml_forecast_final, sml_forecast_finalfn)
SML_0_1_SYMBOL(sml_reorder_policy_step_date, sml_reorder_policy_transfn_date)
SML_0_1_SYMBOL(sml_reorder_policy_step_int8, sml_reorder_policy_transfn_int8)
SML_0_1_SYMBOL(sml_reorder_policy_combine, sml_reorder_policy_combinefn)
SML_0_1_SYMBOL(sml_reorder_policy_serial, sml_reorder_policy_serialfn)
SML_0_1_SYMBOL(sml_reorder_policy_deserial, sml_reorder_policy_deserialfn)
SML_0_1_SYMBOL(sml_reorder_policy_final, sml_reorder_policy_finalfn)
SML_0_1_SYMBOL(sml_route_score_trans_xy, sml_route_score_transfn_xy)
SML_0_1_SYMBOL(sml_route_score_trans, sml_route_score_transfn)
SML_0_1_SYMBOL(sml_route_optimize_trans_xy, sml_route_optimize_transfn_xy)
SML_0_1_SYMBOL(sml_route_optimize_trans, sml_route_optimize_transfn)
SML_0_1_SYMBOL(sml_route_combine, sml_route_combinefn)
SML_0_1_SYMBOL(sml_route_serial, sml_route_serialfn)
SML_0_1_SYMBOL(sml_route_deserial, sml_route_deserialfn)
SML_0_1_SYMBOL(sml_route_score_final, sml_route_score_finalfn)
SML_0_1_SYMBOL(sml_route_optimize_final, sml_route_optimize_finalfn)
SML_0_1_SYMBOL(sml_mf_fit_trans, sml_mf_fit_transfn)
SML_0_1_SYMBOL(sml_mf_fit_combine, sml_mf_fit_combinefn)
SML_0_1_SYMBOL(sml_mf_fit_serial, sml_mf_fit_serialfn)
SML_0_1_SYMBOL(sml_mf_fit_deserial, sml_mf_fit_deserialfn)
SML_0_1_SYMBOL(sml_mf_fit_final, sml_mf_fit_finalfn)
