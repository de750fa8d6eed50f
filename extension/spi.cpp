#include "spi.hpp"

#include <exception>

namespace supplyml::pg {

Spi::Spi() {
  call([] {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  });
  connected_ = true;
}

Spi::~Spi() {
  // While an exception unwinds, the error it becomes aborts the transaction,
  // and AtEOXact_SPI closes the connection.
  if (!connected_ || std::uncaught_exceptions() > 0) return;
  // SPI_finish fails only when no SPI connection is open (a bug in the
  // caller): a destructor must not throw, so that is reported as a warning.
  const int rc = SPI_finish();
  if (rc != SPI_OK_FINISH) {
    try {
      call([rc] { elog(WARNING, "SPI_finish failed: %s", SPI_result_code_string(rc)); });
    } catch (...) {
    }
  }
}

std::uint64_t Spi::exec(const std::string& sql, const std::vector<Oid>& types,
                        const std::vector<Datum>& args, bool read_only, long tcount) {
  return call([&] {
    int rc = SPI_execute_with_args(sql.c_str(), static_cast<int>(args.size()),
                                   const_cast<Oid*>(types.data()), const_cast<Datum*>(args.data()),
                                   nullptr, read_only, tcount);
    if (rc < 0) elog(ERROR, "SPI_execute_with_args failed (%d): %s", rc, sql.c_str());
    return static_cast<std::uint64_t>(SPI_processed);
  });
}

Datum Spi::value(std::uint64_t row, int col, bool* isnull) const {
  return call([&] { return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, isnull); });
}

}  // namespace supplyml::pg
