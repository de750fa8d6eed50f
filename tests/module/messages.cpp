// supplyml_test.messages(sql): runs a statement and returns the supplyml
// messages (those starting "supplyml.") it raised below ERROR, with their
// level, in order, for the tests of progress lines. An emit_log_hook sees
// every message that goes to the server log, so the caller sets
// log_min_messages low enough for the levels it wants to see; the captured
// lines are kept out of the log.
#include <cstring>

#include "datum.hpp"
#include "spi.hpp"

extern "C" {
#include "utils/elog.h"
}

using namespace supplyml::pg;

namespace {

emit_log_hook_type previous_hook = nullptr;
MemoryContext capture_context = nullptr;
List* captured = NIL;  // pairs: level name, message (palloc'd in capture_context)

void capture(ErrorData* e) {
  if (e->elevel < ERROR && e->message && strncmp(e->message, "supplyml.", 9) == 0) {
    MemoryContext old = MemoryContextSwitchTo(capture_context);
    captured = lappend(captured, pstrdup(e->elevel == LOG ? "LOG" : e->elevel == NOTICE ? "NOTICE" : "OTHER"));
    captured = lappend(captured, pstrdup(e->message));
    MemoryContextSwitchTo(old);
    e->output_to_server = false;
  }
  if (previous_hook) previous_hook(e);
}

}  // namespace

SML_FUNCTION(sml_test_messages) {
  const std::string sql = text_arg(fcinfo, 0);
  capture_context = CurrentMemoryContext;
  captured = NIL;
  previous_hook = emit_log_hook;
  emit_log_hook = capture;
  try {
    Spi spi;
    spi.exec(sql, {}, {}, false);
  } catch (...) {
    emit_log_hook = previous_hook;
    throw;
  }
  emit_log_hook = previous_hook;
  RowWriter out(fcinfo);
  for (int i = 0; i + 1 < list_length(captured); i += 2) {
    Datum v[2] = {CStringGetTextDatum(static_cast<char*>(list_nth(captured, i))),
                  CStringGetTextDatum(static_cast<char*>(list_nth(captured, i + 1)))};
    bool nulls[2] = {false, false};
    out.put(v, nulls);
  }
  return (Datum)0;
}
