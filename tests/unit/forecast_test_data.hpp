// Readers for the forecasting fixtures and the data files of tests/data.
#pragma once

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "data_files.hpp"
#include "supplyml/forecast.hpp"

namespace forecast_test {

// Splits one CSV line, honouring double quotes.
inline std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool q = false;
  for (char c : line) {
    if (c == '"')
      q = !q;
    else if (c == ',' && !q) {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r')
      cur += c;
  }
  out.push_back(cur);
  return out;
}

inline std::vector<std::vector<std::string>> read_csv(const std::string& path, bool header = true) {
  std::ifstream in = test_files::open(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  if (header) std::getline(in, line);
  while (std::getline(in, line))
    if (!line.empty()) rows.push_back(split_csv(line));
  return rows;
}

inline std::vector<double> numbers(const std::string& s) {
  std::vector<double> v;
  std::istringstream is(s);
  double x;
  while (is >> x) v.push_back(x);
  return v;
}

using test_files::data;
using test_files::fixture;

inline std::vector<double> air_passengers() {
  std::vector<double> y;
  for (const auto& r : read_csv(data("airpassengers/AirPassengers_monthly.csv")))
    y.push_back(std::atof(r[1].c_str()));
  return y;
}

struct M4Series {
  std::string id;
  std::vector<double> y;
};

// The first `count` series of an M4 file (all if count < 0). tests/data/m4
// holds only the series the tests use (see data/NOTICE).
inline std::vector<M4Series> m4(const std::string& file, int count = -1) {
  std::vector<M4Series> out;
  for (const auto& r : read_csv(data("m4/" + file))) {
    if (count >= 0 && static_cast<int>(out.size()) >= count) break;
    M4Series s;
    s.id = r[0];
    for (std::size_t i = 1; i < r.size(); i++)
      if (!r[i].empty()) s.y.push_back(std::atof(r[i].c_str()));
    out.push_back(std::move(s));
  }
  return out;
}

// A named parameter of a forecast (NaN when absent).
inline double param(const supplyml::ForecastOutput& f, const std::string& key) {
  for (const auto& [k, v] : f.params)
    if (k == key) return v;
  return supplyml::kNaN;
}

}  // namespace forecast_test
