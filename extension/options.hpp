// Reads an `options jsonb` argument: a flat JSON object whose keys a function
// declares by reading them. finish() rejects any key that was not read, so a
// misspelt option is an error rather than silently ignored. Wrong types and
// out-of-range values are errors naming the key.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "guard.hpp"

namespace supplyml::pg {

class Options {
 public:
  // Parses argument `argno` of fcinfo (NULL, or an argno the call lacks, counts
  // as {}). `function` names
  // the SQL function in messages.
  Options(FunctionCallInfo fcinfo, int argno, std::string function);

  bool has(const std::string& key);
  double number(const std::string& key, double fallback, double lo, double hi);
  std::optional<double> number(const std::string& key, double lo, double hi);
  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t lo, std::int64_t hi);
  std::optional<std::int64_t> integer(const std::string& key, std::int64_t lo, std::int64_t hi);
  bool boolean(const std::string& key, bool fallback);
  std::string string(const std::string& key, const std::string& fallback);
  // A string that must be one of `allowed`.
  std::string choice(const std::string& key, const std::string& fallback,
                     const std::vector<std::string>& allowed);
  // An array of numbers (a scalar number is accepted as a one-element array).
  std::optional<std::vector<double>> numbers(const std::string& key);

  // Throws if a key was present that no reader asked for.
  void finish();

 private:
  struct Value {
    enum Type { kNull, kBool, kNumber, kString, kArray, kObject } type = kNull;
    bool b = false;
    double num = 0;
    std::string str;
    std::vector<Value> items;
  };
  const Value* find(const std::string& key);
  [[noreturn]] void wrong_type(const std::string& key, const char* expected) const;
  [[noreturn]] void out_of_range(const std::string& key, double v, double lo, double hi) const;

  std::string function_;
  std::map<std::string, Value> values_;
  std::set<std::string> read_;
};

}  // namespace supplyml::pg
