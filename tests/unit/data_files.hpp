// Where the unit tests find their data (tests/data, tests/fixtures) and how
// they open it: a missing or unreadable file throws, naming the file, so the
// test that needs it fails with that message instead of reading nothing.
#pragma once

#include <fstream>
#include <stdexcept>
#include <string>

namespace test_files {

inline std::string data(const std::string& rel) { return std::string(SML_DATA_DIR) + "/" + rel; }
inline std::string fixture(const std::string& rel) {
  return std::string(SML_SOURCE_DIR) + "/tests/fixtures/" + rel;
}

inline std::ifstream open(const std::string& path) {
  std::ifstream in(path);
  if (!in.good()) throw std::runtime_error("cannot read test data file " + path);
  return in;
}

}  // namespace test_files
