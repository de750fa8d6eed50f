// Pieces shared by the forecasting sources (not part of the public headers).
#pragma once

#include <vector>

#include "supplyml/forecast.hpp"

namespace supplyml {

// Point forecasts, bounds, parameters and AICc of a fitted ETS model.
ForecastOutput ets_output(const EtsFit& fit, int h, const ForecastOptions& opt);

// The method of `auto` for series that are not intermittent: see
// forecast_select.cpp.
ForecastOutput holdout_combine(const std::vector<double>& y, int h, const ForecastOptions& opt,
                               Interrupt& interrupt);

// forecast_series with opt.nonnegative: see forecast_nonnegative.cpp.
ForecastOutput forecast_nonnegative(const std::vector<double>& y, int h, const ForecastOptions& opt,
                                    Interrupt& interrupt);

}  // namespace supplyml
