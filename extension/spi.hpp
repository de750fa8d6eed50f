// SPI from C++: a connection that is always closed, and statement helpers
// whose errors surface as PgError. Queries run with the caller's rights.
#pragma once

#include <string>
#include <vector>

#include "guard.hpp"

namespace supplyml::pg {

// One SPI connection for the lifetime of the object. When an exception is
// unwinding, SPI_finish is left to the transaction abort that follows.
class Spi {
 public:
  Spi();
  ~Spi();
  Spi(const Spi&) = delete;
  Spi& operator=(const Spi&) = delete;

  // Runs sql with parameters $1..$n; returns SPI_processed. tcount 0 = all rows.
  std::uint64_t exec(const std::string& sql, const std::vector<Oid>& types,
                     const std::vector<Datum>& args, bool read_only, long tcount = 0);
  // The same with NULL parameters: nulls[i] is 'n' where args[i] is NULL, else ' '.
  std::uint64_t exec(const std::string& sql, const std::vector<Oid>& types, const std::vector<Datum>& args,
                     const std::string& nulls, bool read_only, long tcount = 0);
  // A statement to run many times (one plan, valid until this connection
  // ends). Its plan is generic: parameters are read where they lie, never
  // copied into the plan as constants, which matters for large values.
  SPIPlanPtr prepare(const std::string& sql, const std::vector<Oid>& types);
  // Runs a prepared statement (no NULL parameters); returns SPI_processed.
  std::uint64_t exec(SPIPlanPtr plan, const std::vector<Datum>& args, bool read_only);
  // After exec: the value of column `col` (1-based) of row `row`.
  Datum value(std::uint64_t row, int col, bool* isnull) const;

 private:
  bool connected_ = false;
};

}  // namespace supplyml::pg
