#include "guard.hpp"

#include <cstdio>
#include <cstring>
#include <new>

namespace supplyml::pg {

bool interrupt_pending() noexcept { return QueryCancelPending || ProcDiePending; }

Interrupt interrupt() { return Interrupt([] { return interrupt_pending(); }); }

namespace {

enum class Kind { kSupplyml, kPostgres, kCancel, kOutOfMemory, kOther };

// Plain buffers for the error raised after the catch blocks have ended.
struct Report {
  Kind kind = Kind::kOther;
  char sqlstate[6] = {0};
  char message[1024] = {0};
  char detail[2048] = {0};
  char hint[1024] = {0};
  ErrorData* edata = nullptr;
};

void copy(char* dst, std::size_t cap, const char* src) noexcept {
  std::snprintf(dst, cap, "%s", src ? src : "");
}

}  // namespace

Datum guarded(Impl impl, FunctionCallInfo fcinfo) {
  Report r;
  try {
    return impl(fcinfo);
  } catch (const PgError& e) {
    r.kind = Kind::kPostgres;
    r.edata = e.data();
  } catch (const Cancelled&) {
    r.kind = Kind::kCancel;
  } catch (const Error& e) {
    r.kind = Kind::kSupplyml;
    copy(r.sqlstate, sizeof r.sqlstate, e.sqlstate());
    copy(r.message, sizeof r.message, e.what());
    copy(r.detail, sizeof r.detail, e.detail().c_str());
    copy(r.hint, sizeof r.hint, e.hint().c_str());
  } catch (const std::bad_alloc&) {
    r.kind = Kind::kOutOfMemory;
  } catch (const std::exception& e) {
    r.kind = Kind::kOther;
    copy(r.message, sizeof r.message, e.what());
  } catch (...) {
    r.kind = Kind::kOther;
    copy(r.message, sizeof r.message, "unknown C++ exception");
  }

  // Only plain data is left on the stack from here on.
  switch (r.kind) {
    case Kind::kPostgres:
      ReThrowError(r.edata);
      break;
    case Kind::kCancel:
      // Let PostgreSQL raise the error that matches the pending interrupt.
      CHECK_FOR_INTERRUPTS();
      ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED),
                      errmsg("canceling statement due to user request")));
      break;
    case Kind::kOutOfMemory:
      ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                      errdetail("A supplyml computation could not allocate the memory it needed."),
                      errhint("Process the input in smaller groups, or raise the memory available "
                              "to the server.")));
      break;
    case Kind::kSupplyml: {
      const char* s = r.sqlstate;
      ereport(ERROR, (errcode(MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4])),
                      errmsg_internal("%s", r.message),
                      r.detail[0] ? errdetail_internal("%s", r.detail) : 0,
                      r.hint[0] ? errhint("%s", r.hint) : 0));
      break;
    }
    case Kind::kOther:
      ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                      errmsg("supplyml internal error: %s", r.message),
                      errhint("This is a bug in supplyml; please report it with the query that "
                              "caused it.")));
      break;
  }
  pg_unreachable();
}

}  // namespace supplyml::pg
