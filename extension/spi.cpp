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
  if (!connected_) return;
  // With an exception in flight the guard is about to raise an ERROR: the
  // transaction (or subtransaction) aborts and AtEOXact_SPI closes the
  // connection, so nothing is done here.
  if (std::uncaught_exceptions() > 0) return;
  // On the normal path SPI_finish must succeed. It reports a connection that
  // is not ours by its return code, and raises only if a memory context reset
  // callback fails. A destructor cannot throw, so either is logged as a
  // WARNING rather than dropped.
  int rc = SPI_ERROR_UNCONNECTED;
  ErrorData* raised = nullptr;
  try {
    rc = call([] { return SPI_finish(); });
  } catch (const PgError& e) {
    raised = e.data();
  } catch (...) {
  }
  if (rc == SPI_OK_FINISH) return;
  const char* why = raised && raised->message ? raised->message : SPI_result_code_string(rc);
  try {
    call([&] { ereport(WARNING, (errmsg("supplyml: could not close an SPI connection: %s", why))); });
  } catch (...) {
  }
}

std::uint64_t Spi::exec(const std::string& sql, const std::vector<Oid>& types,
                        const std::vector<Datum>& args, bool read_only, long tcount) {
  return exec(sql, types, args, std::string(args.size(), ' '), read_only, tcount);
}

std::uint64_t Spi::exec(const std::string& sql, const std::vector<Oid>& types, const std::vector<Datum>& args,
                        const std::string& nulls, bool read_only, long tcount) {
  return call([&] {
    int rc = SPI_execute_with_args(sql.c_str(), static_cast<int>(args.size()),
                                   const_cast<Oid*>(types.data()), const_cast<Datum*>(args.data()),
                                   nulls.c_str(), read_only, tcount);
    if (rc < 0) elog(ERROR, "SPI_execute_with_args failed (%d): %s", rc, sql.c_str());
    return static_cast<std::uint64_t>(SPI_processed);
  });
}

SPIPlanPtr Spi::prepare(const std::string& sql, const std::vector<Oid>& types) {
  return call([&] {
    SPIPlanPtr plan = SPI_prepare_cursor(sql.c_str(), static_cast<int>(types.size()), const_cast<Oid*>(types.data()),
                                         CURSOR_OPT_GENERIC_PLAN);
    if (!plan) elog(ERROR, "SPI_prepare_cursor failed (%d): %s", SPI_result, sql.c_str());
    return plan;
  });
}

std::uint64_t Spi::exec(SPIPlanPtr plan, const std::vector<Datum>& args, bool read_only) {
  return call([&] {
    const int rc = SPI_execute_plan(plan, const_cast<Datum*>(args.data()), nullptr, read_only, 0);
    if (rc < 0) elog(ERROR, "SPI_execute_plan failed (%d)", rc);
    return static_cast<std::uint64_t>(SPI_processed);
  });
}

Datum Spi::value(std::uint64_t row, int col, bool* isnull) const {
  return call([&] { return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, isnull); });
}

}  // namespace supplyml::pg
