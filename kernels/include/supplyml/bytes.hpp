// Bounds-checked binary encoding used for aggregate states (serial/deserial)
// and model payloads. Readers never trust their input: any overrun or bad
// length raises a data-corrupted error instead of reading out of bounds.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "supplyml/error.hpp"

namespace supplyml {

// 64-bit checksum over a byte range (word-wise multiply-xorshift mix).
std::uint64_t checksum64(const void* data, std::size_t len);

// The same checksum over bytes that arrive in pieces of any size (a payload
// encoded straight from its arrays): update() with consecutive pieces that
// total `len` bytes, then finish() gives checksum64 of their concatenation.
class Checksum64 {
 public:
  explicit Checksum64(std::size_t len);
  void update(const void* data, std::size_t n);
  std::uint64_t finish() const;

 private:
  std::uint64_t h_;
  std::uint8_t carry_[8] = {};  // the bytes of a word not yet complete
  std::size_t ncarry_ = 0;
};

class ByteWriter {
 public:
  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>, "put() takes plain values");
    append(&v, sizeof(T));
  }
  template <class T, class A>
  void put_vector(const std::vector<T, A>& v) {
    static_assert(std::is_trivially_copyable_v<T>, "put_vector() takes plain values");
    put<std::uint64_t>(v.size());
    if (!v.empty()) append(v.data(), v.size() * sizeof(T));
  }
  void put_string(const std::string& s) {
    put<std::uint64_t>(s.size());
    append(s.data(), s.size());
  }
  void append(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    buf_.insert(buf_.end(), b, b + n);
  }
  const std::vector<std::uint8_t>& bytes() const { return buf_; }
  std::vector<std::uint8_t>& bytes() { return buf_; }

 private:
  std::vector<std::uint8_t> buf_;
};

class ByteReader {
 public:
  ByteReader(const void* data, std::size_t len, const char* what = "serialized state")
      : p_(static_cast<const std::uint8_t*>(data)), left_(len), what_(what) {}

  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>, "get() returns plain values");
    T v;
    take(&v, sizeof(T));
    return v;
  }
  template <class T>
  std::vector<T> get_vector() {
    std::vector<T> v;
    get_vector_into(v);
    return v;
  }
  // Reads into v, keeping v's allocator (for containers in another heap).
  template <class T, class A>
  void get_vector_into(std::vector<T, A>& v) {
    static_assert(std::is_trivially_copyable_v<T>, "get_vector_into() reads plain values");
    const auto n = get<std::uint64_t>();
    if (n > left_ / (sizeof(T) ? sizeof(T) : 1)) fail();
    v.resize(static_cast<std::size_t>(n));
    if (n) take(v.data(), v.size() * sizeof(T));
  }
  std::string get_string() {
    const auto n = get<std::uint64_t>();
    if (n > left_) fail();
    std::string s(reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n));
    p_ += n;
    left_ -= n;
    return s;
  }
  void take(void* out, std::size_t n) {
    if (n > left_) fail();
    std::memcpy(out, p_, n);
    p_ += n;
    left_ -= n;
  }
  std::size_t remaining() const { return left_; }
  // Call when the reader should be exhausted.
  void expect_end() const {
    if (left_ != 0) fail();
  }
  [[noreturn]] void fail() const {
    throw Error(sqlstate::kDataCorrupted, std::string(what_) + " is corrupted",
                "The bytes end early or hold an impossible length.",
                "Recompute the value; it was not produced by this version of supplyml.");
  }

 private:
  const std::uint8_t* p_;
  std::size_t left_;
  const char* what_;
};

}  // namespace supplyml
