// Forecast combination (see forecast_combine.hpp): equal-weight mean or
// median of the members' point forecasts; interval widths from the members'
// widths and the correlation of their in-sample errors.
#include "supplyml/forecast_combine.hpp"

#include <algorithm>
#include <cmath>

#include "supplyml/error.hpp"

namespace supplyml {
namespace {

double middle(std::vector<double> v, CombineRule rule) {
  const std::size_t k = v.size();
  if (rule == CombineRule::kMean) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(k);
  }
  std::sort(v.begin(), v.end());
  return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

// sqrt(sum_ij rho_ij d_i d_j) / k
double combined_width(const std::vector<double>& d, const std::vector<double>& rho) {
  const std::size_t k = d.size();
  double s = 0;
  for (std::size_t i = 0; i < k; i++)
    for (std::size_t j = 0; j < k; j++) s += rho[i * k + j] * d[i] * d[j];
  return std::sqrt(std::max(0.0, s)) / static_cast<double>(k);
}

}  // namespace

std::vector<double> member_error_correlation(const std::vector<double>& y,
                                             const std::vector<CombineMember>& members) {
  const std::size_t k = members.size(), n = y.size();
  std::vector<double> rho(k * k, 1.0);
  auto err = [&](std::size_t i, std::size_t t) {
    const auto& f = members[i].out.fitted;
    return f.size() == n ? y[t] - f[t] : kNaN;
  };
  for (std::size_t i = 0; i < k; i++)
    for (std::size_t j = i + 1; j < k; j++) {
      double si = 0, sj = 0, sii = 0, sjj = 0, sij = 0, c = 0;
      for (std::size_t t = 0; t < n; t++) {
        const double a = err(i, t), b = err(j, t);
        if (!std::isfinite(a) || !std::isfinite(b)) continue;
        si += a;
        sj += b;
        sii += a * a;
        sjj += b * b;
        sij += a * b;
        c += 1;
      }
      if (c < 3) continue;
      const double vi = sii - si * si / c, vj = sjj - sj * sj / c, cij = sij - si * sj / c;
      double r = vi > 0 && vj > 0 ? cij / std::sqrt(vi * vj) : 1.0;
      if (!std::isfinite(r)) r = 1.0;
      rho[i * k + j] = rho[j * k + i] = std::clamp(r, 0.0, 1.0);
    }
  return rho;
}

ForecastOutput combine_forecasts(const std::vector<double>& y, const std::vector<CombineMember>& members,
                                 CombineRule rule) {
  const std::size_t k = members.size();
  if (k == 0) throw Error(sqlstate::kInternalError, "no forecasts to combine", "", "");
  const std::size_t h = members[0].out.point.size();
  for (const auto& m : members)
    if (m.out.point.size() != h || m.out.lower.size() != h || m.out.upper.size() != h)
      throw Error(sqlstate::kInternalError, "combined forecasts differ in length", "", "");
  const std::vector<double> rho = member_error_correlation(y, members);

  ForecastOutput out;
  std::vector<double> v(k), dl(k), du(k);
  for (std::size_t s = 0; s < h; s++) {
    for (std::size_t i = 0; i < k; i++) {
      const ForecastOutput& o = members[i].out;
      v[i] = o.point[s];
      dl[i] = std::max(0.0, o.point[s] - o.lower[s]);
      du[i] = std::max(0.0, o.upper[s] - o.point[s]);
    }
    const double p = middle(v, rule);
    out.point.push_back(p);
    out.lower.push_back(p - combined_width(dl, rho));
    out.upper.push_back(p + combined_width(du, rho));
  }
  const std::size_t n = y.size();
  bool fitted = true;
  for (const auto& m : members) fitted = fitted && m.out.fitted.size() == n;
  if (fitted) {
    out.fitted.assign(n, kNaN);
    for (std::size_t t = 0; t < n; t++) {
      bool ok = true;
      for (std::size_t i = 0; i < k; i++) {
        v[i] = members[i].out.fitted[t];
        ok = ok && std::isfinite(v[i]);
      }
      if (ok) out.fitted[t] = middle(v, rule);
    }
  }
  return out;
}

}  // namespace supplyml
