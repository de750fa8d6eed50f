#include "supplyml/blob.hpp"

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

std::vector<std::uint8_t> Blob::encode() const {
  // Sized first, so the encoded bytes are written once, without regrowth.
  std::size_t size = 0;
  auto head = [](const std::string& name) { return 1 + 8 + name.size() + 8; };
  for (const auto& [name, v] : f32_) size += head(name) + v.size() * sizeof(float);
  for (const auto& [name, v] : f64_) size += head(name) + v.size() * sizeof(double);
  for (const auto& [name, v] : i64_) size += head(name) + v.size() * sizeof(std::int64_t);
  for (const auto& [name, v] : str_) {
    size += head(name);
    for (const auto& s : v) size += 8 + s.size();
  }
  ByteWriter body;
  body.bytes().reserve(size);
  for (const auto& [name, v] : f32_) { body.put<std::uint8_t>(kF32); body.put_string(name); body.put_vector(v); }
  for (const auto& [name, v] : f64_) { body.put<std::uint8_t>(kF64); body.put_string(name); body.put_vector(v); }
  for (const auto& [name, v] : i64_) { body.put<std::uint8_t>(kI64); body.put_string(name); body.put_vector(v); }
  for (const auto& [name, v] : str_) {
    body.put<std::uint8_t>(kStr);
    body.put_string(name);
    body.put<std::uint64_t>(v.size());
    for (const auto& s : v) body.put_string(s);
  }
  const auto& b = body.bytes();
  ByteWriter out;
  out.bytes().reserve(sizeof kMagic + 4 + 8 + 8 + b.size());
  out.append(kMagic, sizeof kMagic);
  out.put<std::uint32_t>(kFormatVersion);
  out.put<std::uint64_t>(b.size());
  out.put<std::uint64_t>(checksum64(b.data(), b.size()));
  out.append(b.data(), b.size());
  return std::move(out.bytes());
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
