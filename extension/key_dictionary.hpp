// Dense ids for the keys of a column (integers or text, as the user's tables
// hold them), in order of first appearance, and the way back to the user's
// key in its own type.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "pg.hpp"

namespace supplyml::pg {

// Index from integer keys to ids. Keys in a dense range from 0 (the usual
// customer and product numbers) are looked up directly in an array, where
// frequent keys share cache lines; the array grows while it stays within a
// few slots per key. Other keys go to an open-addressing hash table.
class IntKeyIndex {
 public:
  std::int32_t find(std::int64_t key) const;
  // The id of key; when absent, inserts it with id `next`.
  std::int32_t insert(std::int64_t key, std::int32_t next);
  void clear();

 private:
  struct Slot {
    std::int64_t key;
    std::int32_t id;  // -1: empty
  };
  bool in_direct(std::int64_t key) const { return key >= 0 && key < static_cast<std::int64_t>(direct_.size()); }
  void grow_direct(std::int64_t key);
  std::int32_t hash_insert(std::int64_t key, std::int32_t next);
  void grow_hash();
  std::size_t home(std::int64_t key) const;
  std::vector<std::int32_t> direct_;  // id of key k at [k], -1: absent
  std::vector<Slot> slots_;
  std::size_t hashed_ = 0, count_ = 0;
};

class KeyDictionary {
 public:
  // An empty dictionary for keys of SQL type `type` (integer or text-like,
  // see is_key_type); add() returns the id of a key, new or seen before.
  // add(Datum) reads a value of `type`.
  static KeyDictionary of_type(Oid type);
  std::int32_t add(std::int64_t key);
  std::int32_t add(const std::string& key);
  std::int32_t add(const char* bytes, std::size_t n);  // a text key, copied only when new
  std::int32_t add(Datum value);

  std::size_t size() const { return is_text_ ? texts_.size() : ints_.size(); }
  bool is_text() const { return is_text_; }
  Oid type() const { return type_; }
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
  const std::vector<std::int64_t>& int_keys() const { return ints_; }
  const std::vector<std::string>& text_keys() const { return texts_; }
  static KeyDictionary from_ints(std::vector<std::int64_t> keys, Oid type);
  static KeyDictionary from_texts(std::vector<std::string> keys);
  // Renumbers the keys in ascending order (integers by value, text bytewise),
  // so ids no longer depend on the order rows arrived in; returns the new id
  // of each old one.
  std::vector<std::int32_t> sort_keys();

 private:
  bool is_text_ = false;
  Oid type_ = INT8OID;
  Oid value_type_ = InvalidOid;  // of_type: the type add(Datum) reads
  std::vector<std::int64_t> ints_;
  std::vector<std::string> texts_;
  IntKeyIndex int_ids_;
  std::unordered_map<std::string, std::int32_t> text_ids_;
  std::string probe_;  // add(bytes, n): reused so that a lookup allocates nothing
};

// Whether a column or argument of this type can hold keys (integers or text).
bool is_key_type(Oid type);
bool is_int_key_type(Oid type);
bool is_text_key_type(Oid type);

}  // namespace supplyml::pg
