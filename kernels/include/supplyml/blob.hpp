// The payload format of a fitted model: named, typed arrays plus a header with
// a format version and a checksum. The registry stores the encoded bytes in
// chunks; decode() validates everything before any array is handed out, so
// corrupted bytes become a clear error rather than a crash.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace supplyml {

class Blob {
 public:
  static constexpr std::uint32_t kFormatVersion = 1;

  void put_f32(const std::string& name, std::vector<float> v) { f32_[name] = std::move(v); }
  void put_f64(const std::string& name, std::vector<double> v) { f64_[name] = std::move(v); }
  void put_i64(const std::string& name, std::vector<std::int64_t> v) { i64_[name] = std::move(v); }
  void put_strings(const std::string& name, std::vector<std::string> v) { str_[name] = std::move(v); }

  // Each getter throws a data-corrupted error if the section is missing.
  const std::vector<float>& f32(const std::string& name) const;
  const std::vector<double>& f64(const std::string& name) const;
  const std::vector<std::int64_t>& i64(const std::string& name) const;
  const std::vector<std::string>& strings(const std::string& name) const;
  bool has(const std::string& name) const;
  std::size_t sections() const { return f32_.size() + f64_.size() + i64_.size() + str_.size(); }
  // Every section of a kind, for checks that apply to all of them.
  const std::map<std::string, std::vector<float>>& f32_sections() const { return f32_; }
  const std::map<std::string, std::vector<double>>& f64_sections() const { return f64_; }
  const std::map<std::string, std::vector<std::string>>& string_sections() const { return str_; }

  std::vector<std::uint8_t> encode() const;
  static Blob decode(const std::uint8_t* data, std::size_t len);

  // The bytes encode() returns, written in consecutive pieces of any size
  // straight from the arrays, so that a large payload is never held twice
  // (the registry fills each stored chunk from it). Reads every array once
  // on construction, for the checksum; the Blob must outlive it, unchanged.
  class Encoder {
   public:
    explicit Encoder(const Blob& blob);
    std::size_t size() const { return size_; }
    std::size_t written() const { return written_; }
    // Writes the next n bytes (at most size() - written()) to out.
    void write(std::uint8_t* out, std::size_t n);

   private:
    struct Piece {
      const std::uint8_t* data;  // null: the bytes are at `at` in small_
      std::size_t at, size;
    };
    void small(const void* p, std::size_t n);
    void array(const void* p, std::size_t n);
    std::vector<std::uint8_t> small_;  // header, section names and lengths, string sections
    std::vector<Piece> pieces_;
    std::size_t size_ = 0, written_ = 0, piece_ = 0, offset_ = 0;  // offset_ into pieces_[piece_]
  };

 private:
  std::map<std::string, std::vector<float>> f32_;
  std::map<std::string, std::vector<double>> f64_;
  std::map<std::string, std::vector<std::int64_t>> i64_;
  std::map<std::string, std::vector<std::string>> str_;
};

}  // namespace supplyml
