// Test-only view of the backend's peak memory, for tests that bound what a
// call may cost.
#include <sys/resource.h>

#include "guard.hpp"

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
