#include "key_dictionary.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <numeric>

#include "datum.hpp"
#include "guard.hpp"

namespace supplyml::pg {

std::size_t IntKeyIndex::home(std::int64_t key) const {
  // splitmix64's finaliser: consecutive keys land far apart.
  std::uint64_t z = static_cast<std::uint64_t>(key) + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return static_cast<std::size_t>(z ^ (z >> 31)) & (slots_.size() - 1);
}

namespace {
// The direct array may hold up to this many slots per key seen (and always
// 64K), never more than 2^28 slots (1 GB).
constexpr std::int64_t kDirectSlotsPerKey = 4, kDirectMin = 1 << 16, kDirectMax = std::int64_t{1} << 28;
}  // namespace

std::int32_t IntKeyIndex::find(std::int64_t key) const {
  if (in_direct(key)) return direct_[static_cast<std::size_t>(key)];
  if (slots_.empty()) return -1;
  for (std::size_t i = home(key);; i = (i + 1) & (slots_.size() - 1)) {
    const Slot& s = slots_[i];
    if (s.id < 0) return -1;
    if (s.key == key) return s.id;
  }
}

std::int32_t IntKeyIndex::insert(std::int64_t key, std::int32_t next) {
  if (key >= 0 && !in_direct(key) && key < kDirectMax &&
      key < std::max<std::int64_t>(kDirectMin, kDirectSlotsPerKey * static_cast<std::int64_t>(count_ + 1)))
    grow_direct(key);
  if (in_direct(key)) {
    std::int32_t& id = direct_[static_cast<std::size_t>(key)];
    if (id < 0) {
      id = next;
      ++count_;
    }
    return id;
  }
  return hash_insert(key, next);
}

void IntKeyIndex::clear() {
  direct_.clear();
  slots_.clear();
  hashed_ = count_ = 0;
}

// Grows the array to cover key (and a power of two), moving the hashed keys
// that it now covers.
void IntKeyIndex::grow_direct(std::int64_t key) {
  std::size_t n = std::max<std::size_t>(direct_.size(), 1024);
  while (static_cast<std::int64_t>(n) <= key) n *= 2;
  direct_.resize(n, -1);
  if (hashed_ == 0) return;
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size(), Slot{0, -1});
  hashed_ = 0;
  for (const Slot& s : old) {
    if (s.id < 0) continue;
    if (in_direct(s.key)) {
      direct_[static_cast<std::size_t>(s.key)] = s.id;
    } else {
      hash_insert(s.key, s.id);
      --count_;  // already counted
    }
  }
}

std::int32_t IntKeyIndex::hash_insert(std::int64_t key, std::int32_t next) {
  if (2 * (hashed_ + 1) > slots_.size()) grow_hash();
  for (std::size_t i = home(key);; i = (i + 1) & (slots_.size() - 1)) {
    Slot& s = slots_[i];
    if (s.id < 0) {
      s = {key, next};
      ++hashed_;
      ++count_;
      return next;
    }
    if (s.key == key) return s.id;
  }
}

void IntKeyIndex::grow_hash() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : 2 * old.size(), Slot{0, -1});
  hashed_ = 0;
  for (const Slot& s : old) {
    if (s.id < 0) continue;
    hash_insert(s.key, s.id);
    --count_;  // already counted
  }
}

KeyDictionary KeyDictionary::from_ints(std::vector<std::int64_t> keys, Oid type) {
  KeyDictionary d;
  d.type_ = type;
  d.ints_ = std::move(keys);
  for (std::size_t i = 0; i < d.ints_.size(); ++i) d.int_ids_.insert(d.ints_[i], static_cast<std::int32_t>(i));
  return d;
}

KeyDictionary KeyDictionary::from_texts(std::vector<std::string> keys) {
  KeyDictionary d;
  d.is_text_ = true;
  d.type_ = TEXTOID;
  d.texts_ = std::move(keys);
  for (std::size_t i = 0; i < d.texts_.size(); ++i) d.text_ids_.emplace(d.texts_[i], static_cast<std::int32_t>(i));
  return d;
}

KeyDictionary KeyDictionary::of_type(Oid type) {
  KeyDictionary d;
  d.is_text_ = is_text_key_type(type);
  d.type_ = d.is_text_ ? TEXTOID : type;
  d.value_type_ = type;
  return d;
}

std::int32_t KeyDictionary::add(std::int64_t key) {
  if (is_text_) return add(std::to_string(key));
  const auto next = static_cast<std::int32_t>(ints_.size());
  const std::int32_t id = int_ids_.insert(key, next);
  if (id == next) ints_.push_back(key);
  return id;
}

std::int32_t KeyDictionary::add(const std::string& key) {
  auto [it, added] = text_ids_.try_emplace(key, static_cast<std::int32_t>(texts_.size()));
  if (added) texts_.push_back(key);
  return it->second;
}

std::int32_t KeyDictionary::add(const char* bytes, std::size_t n) {
  probe_.assign(bytes, n);
  auto it = text_ids_.find(probe_);
  if (it != text_ids_.end()) return it->second;
  return add(probe_);
}

std::vector<std::int32_t> KeyDictionary::ids_in(const KeyDictionary& other) const {
  std::vector<std::int32_t> out(size());
  for (std::size_t j = 0; j < out.size(); ++j) out[j] = is_text_ ? other.find(texts_[j]) : other.find(ints_[j]);
  return out;
}

std::vector<std::int32_t> KeyDictionary::merge(const KeyDictionary& from) {
  std::vector<std::int32_t> out(from.size());
  for (std::size_t j = 0; j < out.size(); ++j) out[j] = from.is_text_ ? add(from.texts_[j]) : add(from.ints_[j]);
  return out;
}

std::int32_t KeyDictionary::add(Datum value) {
  if (!is_text_)
    return add(type_ == INT2OID   ? static_cast<std::int64_t>(DatumGetInt16(value))
               : type_ == INT4OID ? static_cast<std::int64_t>(DatumGetInt32(value))
                                  : DatumGetInt64(value));
  std::string key;
  if (value_type_ == NAMEOID) {
    key = NameStr(*DatumGetName(value));
  } else {
    call([&] {
      text* t = DatumGetTextPP(value);
      key.assign(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
    });
  }
  return add(key);
}

std::vector<std::int32_t> KeyDictionary::sort_keys() {
  std::vector<std::int32_t> order(size());
  std::iota(order.begin(), order.end(), 0);
  if (is_text_)
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return texts_[a] < texts_[b]; });
  else
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return ints_[a] < ints_[b]; });
  std::vector<std::int32_t> renumber(size());
  for (std::size_t j = 0; j < order.size(); ++j) renumber[order[j]] = static_cast<std::int32_t>(j);
  if (is_text_) {
    std::vector<std::string> keys(size());
    for (std::size_t j = 0; j < order.size(); ++j) keys[j] = std::move(texts_[order[j]]);
    texts_ = std::move(keys);
    for (std::size_t j = 0; j < texts_.size(); ++j) text_ids_[texts_[j]] = static_cast<std::int32_t>(j);
  } else {
    std::vector<std::int64_t> keys(size());
    for (std::size_t j = 0; j < order.size(); ++j) keys[j] = ints_[order[j]];
    ints_ = std::move(keys);
    int_ids_.clear();
    for (std::size_t j = 0; j < ints_.size(); ++j) int_ids_.insert(ints_[j], static_cast<std::int32_t>(j));
  }
  return renumber;
}

bool is_int_key_type(Oid t) { return t == INT2OID || t == INT4OID || t == INT8OID; }
bool is_text_key_type(Oid t) { return t == TEXTOID || t == VARCHAROID || t == BPCHAROID || t == NAMEOID; }
bool is_key_type(Oid type) { return is_int_key_type(type) || is_text_key_type(type); }

std::int32_t KeyDictionary::find(std::int64_t key) const {
  if (is_text_) return find(std::to_string(key));
  return int_ids_.find(key);
}

std::int32_t KeyDictionary::find(const std::string& key) const {
  if (is_text_) {
    auto it = text_ids_.find(key);
    return it == text_ids_.end() ? -1 : it->second;
  }
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(key.c_str(), &end, 10);
  if (key.empty() || errno != 0 || *end != '\0') return -1;
  return find(static_cast<std::int64_t>(v));
}

Datum KeyDictionary::datum(std::int32_t id) const {
  if (is_text_) return text_datum(texts_[id]);
  const std::int64_t v = ints_[id];
  if (type_ == INT2OID) return Int16GetDatum(static_cast<std::int16_t>(v));
  if (type_ == INT4OID) return Int32GetDatum(static_cast<std::int32_t>(v));
  return Int64GetDatum(v);
}

std::string KeyDictionary::display(std::int32_t id) const {
  return is_text_ ? texts_[id] : std::to_string(ints_[id]);
}

}  // namespace supplyml::pg
