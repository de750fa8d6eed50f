// The CPU stand-in for cuBLAS in the emulated module: device memory is host
// memory there, so Eigen maps it directly.
#include <Eigen/Dense>
#include <vector>

#include "supplyml/device/blas.hpp"

namespace supplyml {
namespace dev {

namespace {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// binary16 values as floats (exact), for the products in float.
std::vector<float> widen(const half* v, std::size_t n) {
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = to_float(v[i]);
  return out;
}

class CpuBlas final : public Blas {
 public:
  int gram(std::int64_t rows, int f, const float* Y, float* G) override {
    Eigen::Map<const RowMat> y(Y, rows, f);
    Eigen::Map<RowMat> g(G, f, f);
    g.setZero();
    g.selfadjointView<Eigen::Lower>().rankUpdate(y.transpose());
    g.triangularView<Eigen::StrictlyUpper>() = g.transpose();
    return 0;
  }
  int gemm_nt(int m, int n, int f, const float* A, const float* B, float* C) override {
    Eigen::Map<const RowMat> a(A, m, f), b(B, n, f);
    Eigen::Map<RowMat>(C, m, n).noalias() = a * b.transpose();
    return 0;
  }
  int gram(std::int64_t rows, int f, const half* Y, float* G) override {
    return gram(rows, f, widen(Y, static_cast<std::size_t>(rows) * f).data(), G);
  }
  int gemm_nt(int m, int n, int f, const half* A, const half* B, float* C) override {
    const auto a = widen(A, static_cast<std::size_t>(m) * f), b = widen(B, static_cast<std::size_t>(n) * f);
    return gemm_nt(m, n, f, a.data(), b.data(), C);
  }
  int dgemm(int m, int n, int k, const double* A, const double* B, double* C) override {
    Eigen::Map<const Eigen::MatrixXd> a(A, m, k), b(B, k, n);
    Eigen::Map<Eigen::MatrixXd>(C, m, n).noalias() = a * b;
    return 0;
  }
  const char* error() const override { return ""; }
};

}  // namespace

std::unique_ptr<Blas> make_blas(int* status) {
  *status = 0;
  return std::make_unique<CpuBlas>();
}

}  // namespace dev
}  // namespace supplyml
