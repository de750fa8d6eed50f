#include "supplyml/blob.hpp"

#include <algorithm>
#include <cstring>

#include "supplyml/bytes.hpp"
#include "supplyml/error.hpp"

namespace supplyml {

namespace {

constexpr char kMagic[8] = {'S', 'M', 'L', 'M', 'O', 'D', 'E', 'L'};
enum Tag : std::uint8_t { kF32 = 1, kF64 = 2, kI64 = 3, kStr = 4 };

[[noreturn]] void missing(const std::string& name) {
  throw Error(sqlstate::kDataCorrupted, "model payload has no section \"" + name + "\"",
              "The stored model lacks an array this version of supplyml needs.",
              "Train the model again to store it in the current format.");
}

template <class M>
const typename M::mapped_type& find(const M& m, const std::string& name) {
  auto it = m.find(name);
  if (it == m.end()) missing(name);
  return it->second;
}

}  // namespace

const std::vector<float>& Blob::f32(const std::string& n) const { return find(f32_, n); }
const std::vector<double>& Blob::f64(const std::string& n) const { return find(f64_, n); }
const std::vector<std::int64_t>& Blob::i64(const std::string& n) const { return find(i64_, n); }
const std::vector<std::string>& Blob::strings(const std::string& n) const { return find(str_, n); }
bool Blob::has(const std::string& n) const {
  return f32_.count(n) || f64_.count(n) || i64_.count(n) || str_.count(n);
}

void Blob::Encoder::small(const void* p, std::size_t n) {
  const auto* b = static_cast<const std::uint8_t*>(p);
  if (!pieces_.empty() && !pieces_.back().data && pieces_.back().at + pieces_.back().size == small_.size())
    pieces_.back().size += n;  // contiguous with the previous small piece
  else
    pieces_.push_back({nullptr, small_.size(), n});
  small_.insert(small_.end(), b, b + n);
}

void Blob::Encoder::array(const void* p, std::size_t n) {
  if (n > 0) pieces_.push_back({static_cast<const std::uint8_t*>(p), 0, n});
}

Blob::Encoder::Encoder(const Blob& blob) {
  // Header first (its body length and checksum are filled in below), then
  // each section: tag, name, count and values, in the order decode reads.
  constexpr std::size_t kHeader = sizeof kMagic + 4 + 8 + 8;
  small(kMagic, sizeof kMagic);
  const std::uint32_t version = kFormatVersion;
  small(&version, sizeof version);
  small_.resize(kHeader);
  pieces_.back().size = kHeader;
  auto name_of = [&](Tag tag, const std::string& name) {
    small(&tag, 1);
    const std::uint64_t n = name.size();
    small(&n, 8);
    small(name.data(), name.size());
  };
  auto numbers = [&](Tag tag, const std::string& name, const void* data, std::size_t count, std::size_t width) {
    name_of(tag, name);
    const std::uint64_t n = count;
    small(&n, 8);
    array(data, count * width);
  };
  for (const auto& [name, v] : blob.f32_) numbers(kF32, name, v.data(), v.size(), sizeof(float));
  for (const auto& [name, v] : blob.f64_) numbers(kF64, name, v.data(), v.size(), sizeof(double));
  for (const auto& [name, v] : blob.i64_) numbers(kI64, name, v.data(), v.size(), sizeof(std::int64_t));
  for (const auto& [name, v] : blob.str_) {
    name_of(kStr, name);
    std::uint64_t n = v.size();
    small(&n, 8);
    for (const auto& str : v) {
      n = str.size();
      small(&n, 8);
      small(str.data(), str.size());
    }
  }
  for (const Piece& p : pieces_) size_ += p.size;
  const std::uint64_t body = size_ - kHeader;
  Checksum64 sum(static_cast<std::size_t>(body));
  for (std::size_t k = 0; k < pieces_.size(); ++k) {
    const Piece& p = pieces_[k];
    const std::uint8_t* bytes = p.data ? p.data : small_.data() + p.at;
    if (k == 0)
      sum.update(bytes + kHeader, p.size - kHeader);  // the header itself is not summed
    else
      sum.update(bytes, p.size);
  }
  const std::uint64_t check = sum.finish();
  std::memcpy(small_.data() + sizeof kMagic + 4, &body, 8);
  std::memcpy(small_.data() + sizeof kMagic + 12, &check, 8);
}

void Blob::Encoder::write(std::uint8_t* out, std::size_t n) {
  if (n > size_ - written_) throw Error(sqlstate::kInternalError, "model payload encoder overrun");
  written_ += n;
  while (n > 0) {
    const Piece& p = pieces_[piece_];
    const std::uint8_t* bytes = (p.data ? p.data : small_.data() + p.at) + offset_;
    const std::size_t take = std::min(n, p.size - offset_);
    std::memcpy(out, bytes, take);
    out += take;
    n -= take;
    offset_ += take;
    if (offset_ == p.size) {
      ++piece_;
      offset_ = 0;
    }
  }
}

std::vector<std::uint8_t> Blob::encode() const {
  Encoder e(*this);
  std::vector<std::uint8_t> out(e.size());
  e.write(out.data(), out.size());
  return out;
}

Blob Blob::decode(const std::uint8_t* data, std::size_t len) {
  ByteReader r(data, len, "model payload");
  char magic[8];
  r.take(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof magic) != 0)
    throw Error(sqlstate::kDataCorrupted, "model payload is corrupted",
                "The stored bytes do not start with the supplyml model header.",
                "Drop the model version with supplyml.model_drop() and train it again.");
  const auto version = r.get<std::uint32_t>();
  if (version != kFormatVersion)
    throw Error(sqlstate::kFeatureNotSupported,
                "model payload format " + std::to_string(version) + " is not supported",
                "This version of supplyml reads format " + std::to_string(kFormatVersion) + ".",
                "Train the model again with this version of supplyml.");
  const auto body_len = r.get<std::uint64_t>();
  const auto sum = r.get<std::uint64_t>();
  if (body_len != r.remaining()) r.fail();
  const std::uint8_t* body = data + (len - r.remaining());
  if (checksum64(body, body_len) != sum)
    throw Error(sqlstate::kDataCorrupted, "model payload checksum mismatch",
                "The stored arrays do not match the checksum written when the model was published.",
                "Drop the model version with supplyml.model_drop() and train it again.");

  Blob blob;
  ByteReader b(body, body_len, "model payload");
  while (b.remaining() > 0) {
    const auto tag = b.get<std::uint8_t>();
    std::string name = b.get_string();
    switch (tag) {
      case kF32: blob.f32_[name] = b.get_vector<float>(); break;
      case kF64: blob.f64_[name] = b.get_vector<double>(); break;
      case kI64: blob.i64_[name] = b.get_vector<std::int64_t>(); break;
      case kStr: {
        const auto n = b.get<std::uint64_t>();
        if (n > b.remaining() / 8) b.fail();
        std::vector<std::string> v;
        v.reserve(static_cast<std::size_t>(n));
        for (std::uint64_t i = 0; i < n; ++i) v.push_back(b.get_string());
        blob.str_[name] = std::move(v);
        break;
      }
      default: b.fail();
    }
  }
  return blob;
}

}  // namespace supplyml
