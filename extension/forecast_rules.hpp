// How rows become a series, as SQL spells it: freq (a period name or an
// interval), as_of (a time as text, or a timestamptz), negative and
// duplicates policies. Used by the forecast functions and reorder_policy.
#pragma once

#include <cstdint>
#include <string>

#include "guard.hpp"
#include "supplyml/forecast_calendar.hpp"

namespace supplyml::pg {

// The calendar of a freq: hour, day, week, month, quarter, year, or an
// interval ('15 minutes', '7 days', '2 months'); 22023 for anything else.
Calendar freq_calendar(const std::string& freq);
// The SQL names of the series rules' policies, parsed (22023 naming the option).
NegativePolicy negative_policy(const std::string& name);
DuplicatePolicy duplicate_policy(const std::string& name);
// A time typed as text (an option value), read with type's input function.
std::int64_t time_from_text(const std::string& text, Oid type);
TimeKind time_kind_of(Oid type);

}  // namespace supplyml::pg
