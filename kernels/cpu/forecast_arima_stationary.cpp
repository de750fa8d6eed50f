// The stationary covariance of the ARMA part of the state, the Kalman
// filter's start (Gardner, Harvey and Phillips 1980; R's getQ0): the
// equations P0 = T P0 T' + R R' solved by Givens rotations, as R does, over
// the terms that can be nonzero only, with the solve of the last phi reused.
#include <algorithm>
#include <cstring>

#include "forecast_arima_internal.hpp"

namespace supplyml::arima {
namespace {

// The covariance equations are sparse in a known way. With the elements of
// P in R's rotated order, equation (i, j) touches its own element, the one a
// column further down the diagonal (r - j places later, a band) and the
// first column of P, which R's rotation puts last (the tail, r places). As
// Givens rotations proceed a row fills in, but only within the band reached
// so far and the tail: every other term is a zero multiplied and added. The
// inclusion and the back-substitution below skip exactly those terms, so
// every element is the same sum in the same order as R's dense loops.
struct Band {
  std::size_t np, tail;  // unknowns; the first of the tail
  std::size_t* hi;       // rbar row i: no nonzero in [hi[i], tail)
};

// Start in rbar of row i (columns i + 1 .. np - 1, packed by rows).
inline std::size_t row_start(std::size_t np, std::size_t i) { return i * (2 * np - i - 1) / 2; }

// Givens-rotation inclusion of one row into the triangular system of the
// covariance equations (algorithm AS 154), over the band and the tail. The
// row is xnext, whose nonzero terms lie at the npos positions pos; xrow is
// scratch that is all zeros on entry and is left so.
void include_row(const Band& b, const double* xnext, const std::size_t* pos, int npos,
                 double* __restrict xrow, double ynext, double* __restrict dd,
                 double* __restrict rbar, double* __restrict thetab, Rotations& rot) {
  const std::size_t np = b.np, tail = b.tail;
  std::size_t lo = np, xhi = 0;
  for (int k = 0; k < npos; k++) {
    const std::size_t at = pos[k];
    xrow[at] = xnext[at];
    lo = std::min(lo, at);
    if (at < tail) xhi = std::max(xhi, at + 1);
  }
  for (std::size_t i = lo; i < np; i++) {
    if (i >= xhi && i < tail) i = tail;  // nothing left before the tail
    if (i >= np) break;
    if (xrow[i] == 0.0) continue;
    const double xi = xrow[i], di = dd[i], dpi = di + xi * xi;
    dd[i] = dpi;
    const double cbar = di / dpi, sbar = xi / dpi;
    // Column k of row i is rb[k - i - 1].
    double* __restrict rb = rbar + row_start(np, i);
    const std::size_t be = std::min(std::max(xhi, b.hi[i]), tail);
    for (std::size_t k = i + 1; k < be; k++) {
      const double xk = xrow[k], rk = rb[k - i - 1];
      xrow[k] = xk - xi * rk;
      rb[k - i - 1] = cbar * rk + sbar * xk;
    }
    for (std::size_t k = std::max(i + 1, tail); k < np; k++) {
      const double xk = xrow[k], rk = rb[k - i - 1];
      xrow[k] = xk - xi * rk;
      rb[k - i - 1] = cbar * rk + sbar * xk;
    }
    if (be > xhi) xhi = be;
    if (be > b.hi[i]) b.hi[i] = be;
    const double xk = ynext;
    ynext = xk - xi * thetab[i];
    thetab[i] = cbar * thetab[i] + sbar * xk;
    rot.pivot.push_back(i);
    rot.x.push_back(xi);
    rot.c.push_back(cbar);
    rot.s.push_back(sbar);
    if (di == 0.0) break;
  }
  if (lo < xhi) std::fill(xrow + lo, xrow + xhi, 0.0);
  std::fill(xrow + tail, xrow + np, 0.0);
}

// Back-substitution through the packed triangle rbar (unit diagonal): row
// im is thetab[im] less its terms rbar(im, j) x[j], taken from the last j
// down, the zero terms between a row's band and the tail left out. Each row
// is one chain of dependent subtractions, so four rows run side by side over
// the columns they share, each in its own order.
void back_substitute(const Band& b, const double* rbar, const double* thetab, double* x) {
  const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(b.np), tail = static_cast<std::ptrdiff_t>(b.tail);
  // Column j of row im is rbar[off(im) + j].
  auto off = [&](std::ptrdiff_t im) {
    return static_cast<std::ptrdiff_t>(row_start(b.np, static_cast<std::size_t>(im))) - (im + 1);
  };
  auto hi = [&](std::ptrdiff_t im) { return static_cast<std::ptrdiff_t>(b.hi[im]); };
  std::ptrdiff_t im = n - 1;
  for (; im >= 3; im -= 4) {
    const std::ptrdiff_t o0 = off(im), o1 = off(im - 1), o2 = off(im - 2), o3 = off(im - 3);
    double b0 = thetab[im], b1 = thetab[im - 1], b2 = thetab[im - 2], b3 = thetab[im - 3];
    auto column = [&](std::ptrdiff_t j) {
      const double xj = x[j];
      b0 -= rbar[o0 + j] * xj;
      b1 -= rbar[o1 + j] * xj;
      b2 -= rbar[o2 + j] * xj;
      b3 -= rbar[o3 + j] * xj;
    };
    const std::ptrdiff_t tail0 = std::max(tail, im + 1);
    for (std::ptrdiff_t j = n - 1; j >= tail0; j--) column(j);
    const std::ptrdiff_t band = std::min(std::max({hi(im), hi(im - 1), hi(im - 2), hi(im - 3)}), tail0);
    for (std::ptrdiff_t j = band - 1; j > im; j--) column(j);
    x[im] = b0;
    b1 -= rbar[o1 + im] * b0;
    b2 -= rbar[o2 + im] * b0;
    b3 -= rbar[o3 + im] * b0;
    x[im - 1] = b1;
    b2 -= rbar[o2 + im - 1] * b1;
    b3 -= rbar[o3 + im - 1] * b1;
    x[im - 2] = b2;
    b3 -= rbar[o3 + im - 2] * b2;
    x[im - 3] = b3;
  }
  for (; im >= 0; im--) {
    const std::ptrdiff_t o0 = off(im);
    double v = thetab[im];
    const std::ptrdiff_t tail0 = std::max(tail, im + 1);
    for (std::ptrdiff_t j = n - 1; j >= tail0; j--) v -= rbar[o0 + j] * x[j];
    for (std::ptrdiff_t j = std::min(hi(im), tail0) - 1; j > im; j--) v -= rbar[o0 + j] * x[j];
    x[im] = v;
  }
}

// Solves S vec(P0) = vec(V) for the packed P0 (r (r + 1) / 2 unknowns in
// R's rotated order) by Givens rotations and back-substitution; dd is kept in
// P, and rbar and xrow are all zeros on entry and on return.
SML_ARIMA_CLONES void solve_equations(const double* phi, int p, int r, const double* V, double* P,
                                      double* rbar, double* thetab, double* xnext, double* xrow,
                                      std::size_t* hi, Rotations& rot) {
  const std::size_t np = static_cast<std::size_t>(r) * (r + 1) / 2;
  rot.clear();
  for (std::size_t i = 0; i < np; i++) hi[i] = i + 1;
  const std::size_t npr = np - r, npr1 = npr + 1;
  const Band band{np, npr, hi};
  std::size_t ind = 0, indj = npr, ind2 = npr - 1;
  std::ptrdiff_t ind1 = -1;
  for (int j = 0; j < r; j++) {
    const double phij = j < p ? phi[j] : 0.0;
    xnext[indj++] = 0.0;
    std::size_t indi = npr1 + j;
    for (int i = j; i < r; i++) {
      const double ynext = V[ind++];
      const double phii = i < p ? phi[i] : 0.0;
      // Where xnext can be nonzero: indj, indi, ind1, npr and ind2
      // (every other term is zeroed again after its row).
      std::size_t pos[5];
      int npos = 0;
      if (j != r - 1) {
        xnext[indj] = -phii;
        pos[npos++] = indj;
        if (i != r - 1) {
          xnext[indi] -= phij;
          xnext[++ind1] = -1.0;
          pos[npos++] = indi;
          pos[npos++] = static_cast<std::size_t>(ind1);
        }
      }
      xnext[npr] = -phii * phij;
      pos[npos++] = npr;
      if (++ind2 >= np) ind2 = 0;
      xnext[ind2] += 1.0;
      pos[npos++] = ind2;
      include_row(band, xnext, pos, npos, xrow, ynext, P, rbar, thetab, rot);
      rot.row_end.push_back(rot.pivot.size());
      xnext[ind2] = 0.0;
      if (i != r - 1) {
        xnext[indi++] = 0.0;
        xnext[ind1] = 0.0;
      }
    }
  }
  back_substitute(band, rbar, thetab, P);
}

// The same solve for another V, with rbar and the rotations of a solve with
// the same phi: the right-hand side through the recorded rotations, then the
// back-substitution (every number as the full solve computes it).
SML_ARIMA_CLONES void repeat_solve(const Rotations& rot, int r, const double* V, double* P,
                                   const double* rbar, double* thetab, std::size_t* hi) {
  const std::size_t np = static_cast<std::size_t>(r) * (r + 1) / 2;
  std::fill(thetab, thetab + np, 0.0);
  std::size_t k = 0;
  for (std::size_t row = 0; row < np; row++) {
    double ynext = V[row];
    for (; k < rot.row_end[row]; k++) {
      const std::size_t i = rot.pivot[k];
      const double xk = ynext;
      ynext = xk - rot.x[k] * thetab[i];
      thetab[i] = rot.c[k] * thetab[i] + rot.s[k] * xk;
    }
  }
  back_substitute(Band{np, np - r, hi}, rbar, thetab, P);
}

// Zeros the entries of rbar that a solve used (within each row's band and
// the tail), so that rbar is all zeros again.
void clear_rbar(std::size_t np, std::size_t npr, const std::size_t* hi, double* rbar) {
  for (std::size_t i = 0; i + 1 < np; i++) {
    double* rb = rbar + row_start(np, i);  // column k at rb[k - i - 1]
    const std::size_t band_end = std::min(hi[i], npr), tail_start = std::max(i + 1, npr);
    if (band_end > i + 1) std::fill(rb, rb + (band_end - i - 1), 0.0);
    std::fill(rb + (tail_start - i - 1), rb + (np - i - 1), 0.0);
  }
}

}  // namespace

const std::vector<double>& StationaryCov::compute(const std::vector<double>& phi,
                                                  const std::vector<double>& theta) {
  const int p = static_cast<int>(phi.size()), q = static_cast<int>(theta.size());
  const int r = std::max(p, q + 1);
  const std::size_t np = static_cast<std::size_t>(r) * (r + 1) / 2;
  const std::size_t nrbar = np * (np - 1) / 2;
  auto th = [&](int i) { return i == 0 ? 1.0 : (i - 1 < q ? theta[i - 1] : 0.0); };
  std::vector<double>& V = V_;
  V.resize(np);
  for (std::size_t ind = 0, j = 0; j < static_cast<std::size_t>(r); j++)
    for (std::size_t i = j; i < static_cast<std::size_t>(r); i++)
      V[ind++] = th(static_cast<int>(i)) * th(static_cast<int>(j));
  std::vector<double>& P = out_;
  P.assign(static_cast<std::size_t>(r) * r, 0.0);
  if (r == 1) {
    P[0] = p == 0 ? 1.0 : 1.0 / (1.0 - phi[0] * phi[0]);
    return P;
  }
  if (p > 0) {
    // Solve S vec(P0) = vec(V) row by row; the element order of P is
    // rotated to bring more leading zeros into the rows of S. S depends on
    // phi alone: with the phi of the last solve (the optimizer moved only MA
    // or regression coefficients), its triangle rbar and the rotations are
    // reused. Otherwise rbar is zeroed where the last solve used it, and
    // xrow is all zeros between rows.
    std::vector<double>&rbar = rbar_, &thetab = thetab_, &xnext = xnext_;
    const std::size_t npr = np - r;
    thetab.resize(np);
    const bool same = solved_np_ == np && solved_phi_.size() == phi.size() &&
                      std::memcmp(solved_phi_.data(), phi.data(), phi.size() * sizeof(double)) == 0;
    if (same) {
      repeat_solve(rot_, r, V.data(), P.data(), rbar.data(), thetab.data(), hi_.data());
    } else {
      if (rbar.size() != nrbar)
        rbar.assign(nrbar, 0.0);
      else if (solved_np_ == np)
        clear_rbar(np, npr, hi_.data(), rbar.data());
      solved_np_ = 0;
      if (xrow_.size() != np) xrow_.assign(np, 0.0);
      std::fill(thetab.begin(), thetab.end(), 0.0);
      xnext.assign(np, 0.0);
      hi_.resize(np);
      solve_equations(phi.data(), p, r, V.data(), P.data(), rbar.data(), thetab.data(),
                      xnext.data(), xrow_.data(), hi_.data(), rot_);
      solved_np_ = np;
      solved_phi_ = phi;
    }
    // Undo the rotation.
    double* head = xrow_.data();  // free again: r <= np
    for (int i = 0; i < r; i++) head[i] = P[npr + i];
    std::ptrdiff_t dst = static_cast<std::ptrdiff_t>(np) - 1,
                   src = static_cast<std::ptrdiff_t>(npr) - 1;
    for (std::size_t i = 0; i < npr; i++) P[dst--] = P[src--];
    for (int i = 0; i < r; i++) P[i] = head[i];
    std::fill(head, head + r, 0.0);
  } else {
    // Pure moving average: back-substitution.
    std::size_t indn = np, ind = np;
    for (int i = 0; i < r; i++)
      for (int j = 0; j <= i; j++) {
        --ind;
        P[ind] = V[ind];
        if (j != 0) P[ind] += P[--indn];
      }
  }
  // Unpack the packed upper triangle into the full matrix.
  std::size_t ind = np;
  for (int i = r - 1; i > 0; i--)
    for (int j = r - 1; j >= i; j--) P[static_cast<std::size_t>(r) * i + j] = P[--ind];
  for (int i = 0; i < r - 1; i++)
    for (int j = i + 1; j < r; j++) P[i + static_cast<std::size_t>(r) * j] = P[j + static_cast<std::size_t>(r) * i];
  return P;
}

}  // namespace supplyml::arima
