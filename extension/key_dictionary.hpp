// Dense ids for the keys of a column (integers or text, as the user's tables
// hold them), in order of first appearance, and the way back to the user's
// key in its own type.
//
// A dictionary grows with its input, so it lives in a PostgreSQL memory
// context: every array it holds (keys, indexes, the bytes of text keys)
// comes from one std::pmr::memory_resource, given at construction, by
// default a ContextResource over CurrentMemoryContext (as palloc and
// pg::vector would). Like pg::vector, a dictionary keeps its resource when
// assigned to (the keys are copied across when the resources differ) and
// takes the other's when move-constructed; it is not copyable.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

#include "pg.hpp"

namespace supplyml::pg {

// Index from integer keys to ids. Keys in a dense range from 0 (the usual
// customer and product numbers) are looked up directly in an array, where
// frequent keys share cache lines; the array grows while it stays within a
// few slots per key. Other keys go to an open-addressing hash table.
class IntKeyIndex {
 public:
  explicit IntKeyIndex(std::pmr::memory_resource* mr) : direct_(mr), slots_(mr) {}
  std::int32_t find(std::int64_t key) const {
    return in_direct(key) ? direct_[static_cast<std::size_t>(key)] : hash_find(key);
  }
  // The id of key; when absent, inserts it with id `next`.
  std::int32_t insert(std::int64_t key, std::int32_t next) {
    if (in_direct(key)) {
      std::int32_t& id = direct_[static_cast<std::size_t>(key)];
      if (id < 0) {
        id = next;
        ++count_;
      }
      return id;
    }
    return insert_slow(key, next);
  }
  // Starts loading the cache line of key's id, for a lookup soon after.
  void prefetch(std::int64_t key) const {
    if (in_direct(key)) __builtin_prefetch(direct_.data() + key);
  }
  // Replaces every id i by new_id[i].
  void renumber(const std::vector<std::int32_t>& new_id);

 private:
  struct Slot {
    std::int64_t key;
    std::int32_t id;  // -1: empty
  };
  bool in_direct(std::int64_t key) const {
    return static_cast<std::uint64_t>(key) < static_cast<std::uint64_t>(direct_.size());
  }
  std::int32_t hash_find(std::int64_t key) const;
  std::int32_t insert_slow(std::int64_t key, std::int32_t next);
  void grow_direct(std::int64_t key);
  std::int32_t hash_insert(std::int64_t key, std::int32_t next);
  void grow_hash();
  std::size_t home(std::int64_t key) const;
  std::pmr::vector<std::int32_t> direct_;  // id of key k at [k], -1: absent
  std::pmr::vector<Slot> slots_;
  std::size_t hashed_ = 0, count_ = 0;
};

// Text keys: their bytes one after another in a single array (an arena,
// no allocation per key), and an open-addressing table of ids by hash.
class TextKeyIndex {
 public:
  explicit TextKeyIndex(std::pmr::memory_resource* mr) : bytes_(mr), ends_(mr), slots_(mr) {}
  std::size_t size() const { return ends_.size(); }
  std::string_view key(std::int32_t id) const {
    const std::size_t b = id == 0 ? 0 : ends_[static_cast<std::size_t>(id) - 1];
    return {bytes_.data() + b, ends_[static_cast<std::size_t>(id)] - b};
  }
  std::int32_t find(std::string_view key) const;
  // The id of key; when absent, stores a copy of it with the next id.
  std::int32_t insert(std::string_view key);
  void reserve(std::size_t keys, std::size_t bytes);
  // Puts the keys in ascending bytewise order; returns the new id of each old one.
  std::vector<std::int32_t> sort();

 private:
  struct Slot {
    std::uint32_t hash;
    std::int32_t id;  // -1: empty
  };
  static std::uint32_t hash(std::string_view key);
  void grow();
  std::pmr::vector<char> bytes_;
  std::pmr::vector<std::uint64_t> ends_;  // key j is bytes_[ends_[j - 1], ends_[j])
  std::pmr::vector<Slot> slots_;
};

class KeyDictionary {
 public:
  // An empty dictionary of bigint keys in CurrentMemoryContext, or in mr.
  KeyDictionary();
  explicit KeyDictionary(std::pmr::memory_resource* mr);
  KeyDictionary(KeyDictionary&&) = default;
  KeyDictionary& operator=(KeyDictionary&&) = default;
  KeyDictionary(const KeyDictionary&) = delete;
  KeyDictionary& operator=(const KeyDictionary&) = delete;

  // An empty dictionary for keys of SQL type `type` (integer or text-like,
  // see is_key_type), in mr (nullptr: CurrentMemoryContext); add() returns
  // the id of a key, new or seen before. add(Datum) reads a value of `type`.
  static KeyDictionary of_type(Oid type, std::pmr::memory_resource* mr = nullptr);
  std::int32_t add(std::int64_t key) {
    if (is_text_) return add_text_number(key);
    const auto next = static_cast<std::int32_t>(ints_.size());
    const std::int32_t id = int_ids_.insert(key, next);
    if (id == next) ints_.push_back(key);
    return id;
  }
  // Integer keys: starts loading what add(key) will read (see IntKeyIndex).
  void prefetch(std::int64_t key) const {
    if (!is_text_) int_ids_.prefetch(key);
  }
  std::int32_t add(const std::string& key) { return texts_.insert(key); }
  std::int32_t add(const char* bytes, std::size_t n) { return texts_.insert({bytes, n}); }
  std::int32_t add(Datum value);

  std::size_t size() const { return is_text_ ? texts_.size() : ints_.size(); }
  bool is_text() const { return is_text_; }
  Oid type() const { return type_; }
  std::pmr::memory_resource* resource() const { return ints_.get_allocator().resource(); }
  // The id of a key given as text (integer keys are parsed); -1 if unknown.
  std::int32_t find(const std::string& key) const;
  std::int32_t find(std::int64_t key) const;
  // The id in `other` of each key of this dictionary, -1 where other lacks it.
  std::vector<std::int32_t> ids_in(const KeyDictionary& other) const;
  // Adds every key of `from`; returns the id here of each id of `from`.
  std::vector<std::int32_t> merge(const KeyDictionary& from);
  // The key of id as a Datum of its original type (integer types keep their
  // width; text-like types come back as text), and as text for messages.
  Datum datum(std::int32_t id) const;
  std::string display(std::int32_t id) const;
  // For storing in a model payload and reading back.
  const std::pmr::vector<std::int64_t>& int_keys() const { return ints_; }
  std::string_view text_key(std::int32_t id) const { return texts_.key(id); }
  // A dictionary of the given keys, ids in their order; a repeated key is
  // kept once, so size() tells whether they were distinct.
  static KeyDictionary from_ints(const std::vector<std::int64_t>& keys, Oid type,
                                 std::pmr::memory_resource* mr = nullptr);
  static KeyDictionary from_texts(const std::vector<std::string>& keys, std::pmr::memory_resource* mr = nullptr);
  // Renumbers the keys in ascending order (integers by value, text bytewise),
  // so ids no longer depend on the order rows arrived in; returns the new id
  // of each old one.
  std::vector<std::int32_t> sort_keys();

 private:
  std::int32_t add_text_number(std::int64_t key);
  bool is_text_ = false;
  Oid type_ = INT8OID;
  Oid value_type_ = InvalidOid;  // of_type: the type add(Datum) reads
  std::pmr::vector<std::int64_t> ints_;
  IntKeyIndex int_ids_;
  TextKeyIndex texts_;
};

// Whether a column or argument of this type can hold keys (integers or text).
bool is_key_type(Oid type);
bool is_int_key_type(Oid type);
bool is_text_key_type(Oid type);

}  // namespace supplyml::pg
