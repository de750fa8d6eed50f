#include "batch_errors.hpp"

#include <memory>

namespace supplyml::pg {

OnError parse_on_error(const std::string& v) {
  if (v == "error") return OnError::kError;
  if (v == "skip") return OnError::kSkip;
  if (v == "null") return OnError::kNull;
  invalid_parameter("invalid on_error \"" + v + "\"", "The on_error option must be error, skip or null.",
                    "Use on_error null to get a row with the error for each failing group, or skip to leave it out.");
}

bool group_error(const Error& e) {
  const std::string code = e.sqlstate();
  return code.compare(0, 2, "22") == 0 || code.compare(0, 2, "23") == 0;
}

std::vector<std::string> keyed_errors(const std::vector<std::exception_ptr>& errors, OnError on_error,
                                      const std::function<std::string(std::size_t)>& label) {
  std::vector<std::string> failed(errors.size());
  for (std::size_t i = 0; i < errors.size(); i++) {
    if (!errors[i]) continue;
    try {
      std::rethrow_exception(errors[i]);
    } catch (const Error& e) {
      const Error keyed(e.sqlstate(), label(i) + ": " + e.what(), e.detail(), e.hint());
      if (on_error == OnError::kError || !group_error(e)) throw keyed;
      failed[i] = std::string(e.sqlstate()) + ": " + keyed.what();
    }
  }
  return failed;
}

void report_skipped(const char* function, const char* groups, OnError on_error,
                    const std::vector<std::string>& failed) {
  if (on_error != OnError::kSkip) return;
  std::size_t count = 0;
  const std::string* first = nullptr;
  for (const auto& f : failed)
    if (!f.empty()) {
      count++;
      if (!first) first = &f;
    }
  if (count == 0) return;
  const std::string msg = std::string(function) + ": " + std::to_string(count) + " of " +
                          std::to_string(failed.size()) + " " + groups + " skipped (on_error skip); the first: " +
                          *first;
  call([&] { ereport(NOTICE, (errmsg("%s", msg.c_str()))); });
}

void put_error_row(RowWriter& out, Datum key, const std::string& error) {
  const std::size_t n = static_cast<std::size_t>(out.columns());
  std::vector<Datum> values(n, (Datum)0);
  std::unique_ptr<bool[]> nulls(new bool[n]);
  for (std::size_t i = 0; i < n; i++) nulls[i] = i != 0 && i != n - 1;
  values[0] = key;
  values[n - 1] = text_datum(error);
  out.put(values.data(), nulls.get());
}

}  // namespace supplyml::pg
