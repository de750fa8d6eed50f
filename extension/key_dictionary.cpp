#include "key_dictionary.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <numeric>

#include "datum.hpp"
#include "guard.hpp"
#include "pg_memory.hpp"

namespace supplyml::pg {

namespace {
// The direct array may hold up to this many slots per key seen (and always
// 64K), never more than 2^28 slots (1 GB).
constexpr std::int64_t kDirectSlotsPerKey = 4, kDirectMin = 1 << 16, kDirectMax = std::int64_t{1} << 28;
}  // namespace

// --- integer keys -------------------------------------------------------------

std::size_t IntKeyIndex::home(std::int64_t key) const {
  // splitmix64's finaliser: consecutive keys land far apart.
  std::uint64_t z = static_cast<std::uint64_t>(key) + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return static_cast<std::size_t>(z ^ (z >> 31)) & (slots_.size() - 1);
}

std::int32_t IntKeyIndex::hash_find(std::int64_t key) const {
  if (slots_.empty()) return -1;
  for (std::size_t i = home(key);; i = (i + 1) & (slots_.size() - 1)) {
    const Slot& s = slots_[i];
    if (s.id < 0) return -1;
    if (s.key == key) return s.id;
  }
}

std::int32_t IntKeyIndex::insert_slow(std::int64_t key, std::int32_t next) {
  if (key >= 0 && key < kDirectMax &&
      key < std::max<std::int64_t>(kDirectMin, kDirectSlotsPerKey * static_cast<std::int64_t>(count_ + 1))) {
    grow_direct(key);
    return insert(key, next);
  }
  return hash_insert(key, next);
}

void IntKeyIndex::renumber(const std::vector<std::int32_t>& new_id) {
  for (auto& id : direct_)
    if (id >= 0) id = new_id[static_cast<std::size_t>(id)];
  for (auto& s : slots_)
    if (s.id >= 0) s.id = new_id[static_cast<std::size_t>(s.id)];
}

// Grows the array to cover key (and a power of two), moving the hashed keys
// that it now covers.
void IntKeyIndex::grow_direct(std::int64_t key) {
  std::size_t n = std::max<std::size_t>(direct_.size(), 1024);
  while (static_cast<std::int64_t>(n) <= key) n *= 2;
  direct_.resize(n, -1);
  if (hashed_ == 0) return;
  std::pmr::vector<Slot> old(std::move(slots_));
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
  std::pmr::vector<Slot> old(std::move(slots_));
  slots_.assign(old.empty() ? 64 : 2 * old.size(), Slot{0, -1});
  hashed_ = 0;
  for (const Slot& s : old) {
    if (s.id < 0) continue;
    hash_insert(s.key, s.id);
    --count_;  // already counted
  }
}

// --- text keys ----------------------------------------------------------------

std::uint32_t TextKeyIndex::hash(std::string_view key) {
  const std::uint64_t h = std::hash<std::string_view>()(key);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

std::int32_t TextKeyIndex::find(std::string_view k) const {
  if (slots_.empty()) return -1;
  const std::uint32_t h = hash(k);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.id < 0) return -1;
    if (s.hash == h && key(s.id) == k) return s.id;
  }
}

std::int32_t TextKeyIndex::insert(std::string_view k) {
  if (2 * (ends_.size() + 1) > slots_.size()) grow();
  const std::uint32_t h = hash(k);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.id >= 0) {
      if (s.hash == h && key(s.id) == k) return s.id;
      continue;
    }
    // Copy the bytes first: if that throws, the table is unchanged.
    bytes_.insert(bytes_.end(), k.begin(), k.end());
    try {
      ends_.push_back(bytes_.size());
    } catch (...) {
      bytes_.resize(bytes_.size() - k.size());
      throw;
    }
    s = {h, static_cast<std::int32_t>(ends_.size() - 1)};
    return s.id;
  }
}

void TextKeyIndex::reserve(std::size_t keys, std::size_t bytes) {
  bytes_.reserve(bytes);
  ends_.reserve(keys);
}

// The table keeps its size and stored hashes: a key's new id goes where its
// old one was.
void TextKeyIndex::grow() {
  std::pmr::vector<Slot> old(std::move(slots_));
  slots_.assign(old.empty() ? 64 : 2 * old.size(), Slot{0, -1});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id < 0) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].id >= 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::vector<std::int32_t> TextKeyIndex::sort() {
  const std::size_t n = size();
  std::vector<std::int32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return key(a) < key(b); });
  std::vector<std::int32_t> renumber(n);
  for (std::size_t j = 0; j < n; ++j) renumber[static_cast<std::size_t>(order[j])] = static_cast<std::int32_t>(j);
  std::pmr::vector<char> bytes(bytes_.get_allocator());
  std::pmr::vector<std::uint64_t> ends(ends_.get_allocator());
  bytes.reserve(bytes_.size());
  ends.reserve(n);
  for (std::size_t j = 0; j < n; ++j) {
    const std::string_view k = key(order[j]);
    bytes.insert(bytes.end(), k.begin(), k.end());
    ends.push_back(bytes.size());
  }
  bytes_.swap(bytes);
  ends_.swap(ends);
  // The hash of a slot is its key's, whatever the key's id.
  for (auto& s : slots_)
    if (s.id >= 0) s.id = renumber[static_cast<std::size_t>(s.id)];
  return renumber;
}

// --- the dictionary -----------------------------------------------------------

KeyDictionary::KeyDictionary() : KeyDictionary(ContextResource::in(CurrentMemoryContext)) {}

KeyDictionary::KeyDictionary(std::pmr::memory_resource* mr) : ints_(mr), int_ids_(mr), texts_(mr) {}

KeyDictionary KeyDictionary::of_type(Oid type, std::pmr::memory_resource* mr) {
  KeyDictionary d = mr ? KeyDictionary(mr) : KeyDictionary();
  d.is_text_ = is_text_key_type(type);
  d.type_ = d.is_text_ ? TEXTOID : type;
  d.value_type_ = type;
  return d;
}

KeyDictionary KeyDictionary::from_ints(const std::vector<std::int64_t>& keys, Oid type,
                                       std::pmr::memory_resource* mr) {
  KeyDictionary d = of_type(type, mr);
  d.ints_.reserve(keys.size());
  for (const std::int64_t k : keys) d.add(k);
  return d;
}

KeyDictionary KeyDictionary::from_texts(const std::vector<std::string>& keys, std::pmr::memory_resource* mr) {
  KeyDictionary d = of_type(TEXTOID, mr);
  std::size_t bytes = 0;
  for (const auto& k : keys) bytes += k.size();
  d.texts_.reserve(keys.size(), bytes);
  for (const auto& k : keys) d.add(k);
  return d;
}

std::int32_t KeyDictionary::add_text_number(std::int64_t key) { return add(std::to_string(key)); }

std::int32_t KeyDictionary::add(Datum value) {
  if (!is_text_)
    return add(type_ == INT2OID   ? static_cast<std::int64_t>(DatumGetInt16(value))
               : type_ == INT4OID ? static_cast<std::int64_t>(DatumGetInt32(value))
                                  : DatumGetInt64(value));
  if (value_type_ == NAMEOID) {
    const char* s = NameStr(*DatumGetName(value));
    return add(s, std::strlen(s));
  }
  // Detoasting may raise (and allocates in the current context, freed with it).
  const char* bytes = nullptr;
  std::size_t n = 0;
  call([&] {
    text* t = DatumGetTextPP(value);
    bytes = VARDATA_ANY(t);
    n = VARSIZE_ANY_EXHDR(t);
  });
  return add(bytes, n);
}

std::vector<std::int32_t> KeyDictionary::ids_in(const KeyDictionary& other) const {
  std::vector<std::int32_t> out(size());
  for (std::size_t j = 0; j < out.size(); ++j) {
    const auto id = static_cast<std::int32_t>(j);
    if (!is_text_)
      out[j] = other.find(ints_[j]);
    else if (other.is_text_)
      out[j] = other.texts_.find(texts_.key(id));
    else
      out[j] = other.find(display(id));
  }
  return out;
}

std::vector<std::int32_t> KeyDictionary::merge(const KeyDictionary& from) {
  if (from.is_text_ != is_text_)
    throw Error(sqlstate::kInternalError, "key dictionaries of integer and text keys cannot be merged");
  std::vector<std::int32_t> out(from.size());
  for (std::size_t j = 0; j < out.size(); ++j)
    out[j] = is_text_ ? texts_.insert(from.texts_.key(static_cast<std::int32_t>(j))) : add(from.ints_[j]);
  return out;
}

std::vector<std::int32_t> KeyDictionary::sort_keys() {
  if (is_text_) return texts_.sort();
  std::vector<std::int32_t> order(size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return ints_[a] < ints_[b]; });
  std::vector<std::int32_t> renumber(size());
  for (std::size_t j = 0; j < order.size(); ++j) renumber[static_cast<std::size_t>(order[j])] = static_cast<std::int32_t>(j);
  std::pmr::vector<std::int64_t> keys(ints_.get_allocator());
  keys.reserve(order.size());
  for (const std::int32_t j : order) keys.push_back(ints_[static_cast<std::size_t>(j)]);
  ints_.swap(keys);
  int_ids_.renumber(renumber);
  return renumber;
}

bool is_int_key_type(Oid t) { return t == INT2OID || t == INT4OID || t == INT8OID; }
bool is_text_key_type(Oid t) { return t == TEXTOID || t == VARCHAROID || t == BPCHAROID || t == NAMEOID; }
bool is_key_type(Oid type) { return is_int_key_type(type) || is_text_key_type(type); }

std::int32_t KeyDictionary::find(std::int64_t key) const {
  if (is_text_) return texts_.find(std::to_string(key));
  return int_ids_.find(key);
}

std::int32_t KeyDictionary::find(const std::string& key) const {
  if (is_text_) return texts_.find(key);
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(key.c_str(), &end, 10);
  if (key.empty() || errno != 0 || *end != '\0') return -1;
  return find(static_cast<std::int64_t>(v));
}

Datum KeyDictionary::datum(std::int32_t id) const {
  if (is_text_) {
    const std::string_view k = texts_.key(id);
    return call([&] { return PointerGetDatum(cstring_to_text_with_len(k.data(), static_cast<int>(k.size()))); });
  }
  const std::int64_t v = ints_[static_cast<std::size_t>(id)];
  if (type_ == INT2OID) return Int16GetDatum(static_cast<std::int16_t>(v));
  if (type_ == INT4OID) return Int32GetDatum(static_cast<std::int32_t>(v));
  return Int64GetDatum(v);
}

std::string KeyDictionary::display(std::int32_t id) const {
  return is_text_ ? std::string(texts_.key(id)) : std::to_string(ints_[static_cast<std::size_t>(id)]);
}

}  // namespace supplyml::pg
