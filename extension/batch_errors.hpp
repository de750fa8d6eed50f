// on_error for the batch functions (forecast_batch, forecast_backtest,
// route_score_batch, route_optimize_batch): which errors belong to one group
// of the batch (a series, a route) and may be set aside, and how they come
// back. Groups run on the thread pool; each group's exception is kept, and
// after the pool has finished, on the backend's thread, keyed_errors()
// decides what stops the statement.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "datum.hpp"
#include "guard.hpp"

namespace supplyml::pg {

enum class OnError { kError, kSkip, kNull };

// error, skip or null (NULL: error); 22023 naming the value otherwise.
OnError parse_on_error(const std::string& value);

// An error of one group's data: SQLSTATE class 22 (data exceptions: too short,
// off the grid, missing or negative values, out-of-range coordinates,
// estimation failures) or 23 (duplicates). Out of memory, cancellation,
// internal errors and program limits are not.
bool group_error(const Error& e);

// errors[i] is group i's exception (null for a group that succeeded).
// label(i) names the group ("series 7"), put in front of its message. Under
// kError the first error (in group order) is rethrown, labelled; otherwise a
// group error becomes "SQLSTATE: label: message" in the result (empty for a
// group that succeeded) and any other exception is rethrown.
std::vector<std::string> keyed_errors(const std::vector<std::exception_ptr>& errors, OnError on_error,
                                      const std::function<std::string(std::size_t)>& label);

// Under kSkip, one NOTICE counts the groups left out and quotes the first
// error ("forecast_batch: 2 of 10 series skipped ..."); nothing otherwise.
void report_skipped(const char* function, const char* groups, OnError on_error,
                    const std::vector<std::string>& failed);

// on_error null: a failing group's row, NULL but for its key (the first
// column) and its error (the last column).
void put_error_row(RowWriter& out, Datum key, const std::string& error);

}  // namespace supplyml::pg
