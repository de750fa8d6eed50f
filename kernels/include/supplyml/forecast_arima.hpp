// Seasonal ARIMA(p,d,q)(P,D,Q)[m]: fixed orders as R's forecast::Arima and
// automatic order selection as forecast::auto.arima (version 8.x defaults):
// KPSS tests for d, the seasonal-strength rule for D, stepwise search by AICc,
// CSS-ML estimation through the exact Gaussian likelihood of the state-space
// form (stats::arima), and analytic prediction intervals (predict.Arima).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "supplyml/forecast.hpp"
#include "supplyml/interrupt.hpp"

namespace supplyml {

struct ArimaOrder {
  int p = 0, d = 0, q = 0;
  int P = 0, D = 0, Q = 0;
  int m = 1;  // season length; 1 = non-seasonal (P = D = Q = 0)
};

// One fitted model.
struct ArimaFit {
  ArimaOrder order;
  bool mean = false, drift = false;  // intercept / drift term included
  std::vector<double> coef;          // ar, ma, sar, sma, then intercept or drift
  std::vector<std::string> names;    // R's names: ar1, ma1, sar1, sma1, intercept, drift
  double sigma2 = kNaN;
  double loglik = kNaN;
  double aic = kNaN, aicc = kNaN, bic = kNaN;
  int nobs = 0;          // observations used by the likelihood (n - d - D m)
  std::vector<double> resid;
  bool css_only = false;  // ML failed: CSS estimates kept
  bool converged = true;  // the optimizer stopped before its iteration limit
  std::string note;       // fallbacks taken
  std::string name() const;  // "ARIMA(0,1,1)(0,1,1)[12]", "ARIMA(2,1,0) with drift"
};

// Fixed orders (opt.p >= 0), as forecast::Arima(y, order, seasonal, include.mean,
// include.drift). Throws Error on orders out of range or a series too short.
ArimaFit arima_fit_fixed(const std::vector<double>& y, int m, const ArimaOptions& opt,
                         Interrupt& interrupt);

// Automatic selection, as forecast::auto.arima(y) with its defaults; orders
// given in opt (d, D, or all) are held fixed.
ArimaFit arima_fit_auto(const std::vector<double>& y, int m, const ArimaOptions& opt,
                        Interrupt& interrupt);

// Point forecasts and prediction intervals at level, as predict.Arima.
void arima_forecast(const ArimaFit& fit, const std::vector<double>& y, int h, double level,
                    std::vector<double>& mean, std::vector<double>& lower,
                    std::vector<double>& upper);

// Forecast, parameters (R's coefficient names, sigma2, loglik, aicc), fitted
// values and note of a fitted model; Error 22003 when it overflows.
ForecastOutput arima_output(const ArimaFit& fit, const std::vector<double>& y, int h, double level);

// The callable units of method "arima": fit, forecast, parameters (R's
// coefficient names, sigma2, loglik, aicc), AICc and a note on fallbacks.
ForecastOutput arima_auto(const std::vector<double>& y, int m, int h, double level,
                          const ArimaOptions& opt, Interrupt& interrupt);
ForecastOutput arima_fixed(const std::vector<double>& y, int m, int h, double level,
                           const ArimaOptions& opt, Interrupt& interrupt);

}  // namespace supplyml
