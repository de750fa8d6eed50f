// Test-only view of the backend's peak memory, for tests that bound what a
// call may cost.
#include <sys/resource.h>

#include <exception>
#include <thread>

#include "guard.hpp"
#include "pg_memory.hpp"

using namespace supplyml;
using namespace supplyml::pg;

// max_rss_kb(): the backend's peak resident set size in kB (getrusage).
SML_FUNCTION(sml_test_max_rss_kb) {
  (void)fcinfo;
  struct rusage ru {};
  if (getrusage(RUSAGE_SELF, &ru) != 0)
    throw Error(sqlstate::kInternalError, "getrusage failed", "The kernel refused the request.",
                "Run the test again.");
  PG_RETURN_INT64(static_cast<std::int64_t>(ru.ru_maxrss));
}

// combine_nulls(fn): calls an aggregate's combine function with two NULL
// states, as PostgreSQL does when no partial aggregate saw a row, and says
// whether the result is SQL NULL.
SML_FUNCTION(sml_test_combine_nulls) {
  const Oid fn = PG_GETARG_OID(0);
  bool isnull = false;
  call([&] {
    FmgrInfo flinfo;
    fmgr_info(fn, &flinfo);
    LOCAL_FCINFO(fc, 2);
    InitFunctionCallInfoData(*fc, &flinfo, 2, InvalidOid, nullptr, nullptr);
    fc->args[0].value = (Datum)0;
    fc->args[0].isnull = true;
    fc->args[1].value = (Datum)0;
    fc->args[1].isnull = true;
    (void)FunctionCallInvoke(fc);
    isnull = fc->isnull;
  });
  PG_RETURN_BOOL(isnull);
}

// context_vector(bytes, off_thread): fills a pg::vector<char> of `bytes` in a
// new child of CurrentMemoryContext and returns the bytes that context
// accounts for; with off_thread, a worker thread tries the allocation instead
// (which must fail with an error, not touch the context).
SML_FUNCTION(sml_test_context_vector) {
  const auto bytes = static_cast<std::size_t>(PG_GETARG_INT64(0));
  const bool off_thread = PG_GETARG_BOOL(1);
  MemoryContext cxt = call([] {
    return AllocSetContextCreate(CurrentMemoryContext, "supplyml test vector", ALLOCSET_DEFAULT_SIZES);
  });
  std::int64_t accounted = 0;
  std::exception_ptr error;
  try {
    pg::vector<char> v{ContextAllocator<char>(cxt)};
    if (off_thread) {
      std::thread t([&] {
        try {
          v.resize(bytes);
        } catch (...) {
          error = std::current_exception();
        }
      });
      t.join();
    } else {
      v.resize(bytes, 'x');
    }
    accounted = static_cast<std::int64_t>(MemoryContextMemAllocated(cxt, true));
  } catch (...) {
    error = std::current_exception();
  }
  call([&] { MemoryContextDelete(cxt); });
  if (error) std::rethrow_exception(error);
  PG_RETURN_INT64(accounted);
}
