#include "options.hpp"

#include <cfloat>
#include <cmath>
#include <sstream>

namespace supplyml::pg {

namespace {

// Formats a number for messages without trailing zeros.
std::string fmt(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

Options::Options(FunctionCallInfo fcinfo, int argno, std::string function)
    : function_(std::move(function)) {
  if (argno < 0 || argno >= PG_NARGS() || PG_ARGISNULL(argno)) return;  // absent or NULL: {}
  bool not_object = false;
  // Converts Jsonb values into Value trees. The walk itself builds C++
  // objects, so it runs outside pg::call; only the PostgreSQL calls that may
  // raise (detoasting, iterating, numeric conversion) go through it, one each.
  struct Reader {
    static Value scalar(const JsonbValue& v) {
      Value out;
      switch (v.type) {
        case jbvNull: out.type = Value::kNull; break;
        case jbvBool: out.type = Value::kBool; out.b = v.val.boolean; break;
        case jbvNumeric:
          out.type = Value::kNumber;  // beyond float8: +-inf, refused by the range checks
          out.num = DatumGetFloat8(call([&] {
            return DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(v.val.numeric));
          }));
          break;
        case jbvString:
          out.type = Value::kString;
          out.str.assign(v.val.string.val, v.val.string.len);
          break;
        default: out.type = Value::kObject; break;
      }
      return out;
    }
    // Options are flat: a value is a scalar or an array of scalars. Containers
    // nested deeper than three levels are kept as opaque objects (a wrong type for
    // every key) instead of being walked, so the recursion stays shallow
    // whatever the nesting of the jsonb.
    static Value any(const JsonbValue& v, int depth) {
      if (v.type != jbvBinary) return scalar(v);
      if (depth >= 3) {  // options hold scalars and arrays of scalars
        Value opaque;
        opaque.type = Value::kObject;
        return opaque;
      }
      return container(v.val.binary.data, nullptr, depth + 1);
    }
    static Value container(JsonbContainer* c, std::map<std::string, Value>* top, int depth) {
      Value out;
      JsonbIterator* it = call([&] { return JsonbIteratorInit(c); });
      JsonbValue v;
      auto next = [&] { return call([&] { return JsonbIteratorNext(&it, &v, true); }); };
      JsonbIteratorToken tok = next();
      if (tok == WJB_BEGIN_ARRAY) {
        out.type = Value::kArray;
        while ((tok = next()) != WJB_DONE)
          if (tok == WJB_ELEM) out.items.push_back(any(v, depth));
      } else {
        out.type = Value::kObject;
        std::string key;
        while ((tok = next()) != WJB_DONE) {
          if (tok == WJB_KEY) key.assign(v.val.string.val, v.val.string.len);
          else if (tok == WJB_VALUE && top) (*top)[key] = any(v, depth);
        }
      }
      return out;
    }
  };
  Jsonb* j = call([&] { return PG_GETARG_JSONB_P(argno); });
  not_object = JB_ROOT_IS_SCALAR(j) || !JB_ROOT_IS_OBJECT(j);
  if (!not_object) Reader::container(&j->root, &values_, 0);
  if (not_object)
    invalid_parameter("options of " + function_ + " must be a JSON object",
                      "The options argument was a JSON array or scalar.",
                      "Pass an object such as '{\"key\": value}', or '{}' for the defaults.");
}

const Options::Value* Options::find(const std::string& key) {
  read_.insert(key);
  auto it = values_.find(key);
  if (it == values_.end() || it->second.type == Value::kNull) return nullptr;
  return &it->second;
}

bool Options::has(const std::string& key) { return find(key) != nullptr; }

void Options::wrong_type(const std::string& key, const char* expected) const {
  throw Error(sqlstate::kInvalidParameterValue,
              "option \"" + key + "\" of " + function_ + " must be " + expected,
              "The value given for \"" + key + "\" has another JSON type.",
              std::string("Write \"") + key + "\" as " + expected + ".");
}

void Options::out_of_range(const std::string& key, double v, double lo, double hi) const {
  throw Error(sqlstate::kInvalidParameterValue,
              "option \"" + key + "\" of " + function_ + " is out of range",
              "The value " + fmt(v) + " is outside [" + fmt(lo) + ", " + fmt(hi) + "].",
              "Choose a value for \"" + key + "\" between " + fmt(lo) + " and " + fmt(hi) + ".");
}

std::optional<double> Options::number(const std::string& key, double lo, double hi) {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != Value::kNumber) wrong_type(key, "a number");
  if (!(v->num >= lo && v->num <= hi)) out_of_range(key, v->num, lo, hi);
  return v->num;
}

double Options::number(const std::string& key, double fallback, double lo, double hi) {
  return number(key, lo, hi).value_or(fallback);
}

std::optional<std::int64_t> Options::integer(const std::string& key, std::int64_t lo, std::int64_t hi) {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != Value::kNumber || v->num != std::floor(v->num)) wrong_type(key, "an integer");
  // double(INT64_MAX) rounds up to 2^63, which does not fit: bound the cast itself too.
  constexpr double kTwo63 = 9223372036854775808.0;
  if (!(v->num >= double(lo) && v->num <= double(hi)) || !(v->num >= -kTwo63 && v->num < kTwo63))
    out_of_range(key, v->num, double(lo), double(hi));
  return static_cast<std::int64_t>(v->num);
}

std::int64_t Options::integer(const std::string& key, std::int64_t fallback, std::int64_t lo,
                              std::int64_t hi) {
  return integer(key, lo, hi).value_or(fallback);
}

bool Options::boolean(const std::string& key, bool fallback) {
  const Value* v = find(key);
  if (!v) return fallback;
  if (v->type != Value::kBool) wrong_type(key, "true or false");
  return v->b;
}

std::string Options::string(const std::string& key, const std::string& fallback) {
  const Value* v = find(key);
  if (!v) return fallback;
  if (v->type != Value::kString) wrong_type(key, "a string");
  return v->str;
}

std::string Options::choice(const std::string& key, const std::string& fallback,
                            const std::vector<std::string>& allowed) {
  std::string s = string(key, fallback);
  for (const auto& a : allowed)
    if (a == s) return s;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw Error(sqlstate::kInvalidParameterValue,
              "unknown " + key + " \"" + s + "\" in options of " + function_,
              "\"" + key + "\" must be one of: " + list + ".",
              "Choose one of the listed values.");
}

std::optional<std::vector<double>> Options::numbers(const std::string& key) {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  std::vector<const Value*> items;
  if (v->type == Value::kNumber) {
    items.push_back(v);
  } else {
    if (v->type != Value::kArray) wrong_type(key, "an array of numbers");
    for (const auto& item : v->items) items.push_back(&item);
  }
  std::vector<double> out;
  for (const Value* item : items) {
    if (item->type != Value::kNumber) wrong_type(key, "an array of numbers");
    // JSON has no NaN or infinity; a number beyond float8 reads as +-inf.
    if (!std::isfinite(item->num)) out_of_range(key, item->num, -DBL_MAX, DBL_MAX);
    out.push_back(item->num);
  }
  return out;
}

void Options::finish() {
  std::string unknown;
  for (const auto& [key, value] : values_)
    if (!read_.count(key)) unknown += (unknown.empty() ? "\"" : ", \"") + key + "\"";
  if (unknown.empty()) return;
  std::string known;
  for (const auto& key : read_) known += (known.empty() ? "" : ", ") + key;
  throw Error(sqlstate::kInvalidParameterValue,
              "unknown option " + unknown + " for " + function_,
              "The options this function reads are: " + known + ".",
              "Remove the option or correct its spelling.");
}

}  // namespace supplyml::pg
