// Readers for the routing reference files of tests/data (TSPLIB
// .tsp/.opt.tour, Solomon .txt with the CVRPLIB .sol routes), for unit tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "data_files.hpp"
#include "supplyml/routing.hpp"

namespace routing_data {

using supplyml::RouteStop;

inline const std::string kData = SML_DATA_DIR;
using test_files::open;

// TSPLIB .tsp NODE_COORD_SECTION, in node order (1-based ids in the file).
inline std::vector<RouteStop> read_tsp(const std::string& name) {
  std::ifstream in = open(kData + "/tsplib/" + name + ".tsp");
  std::string line;
  while (std::getline(in, line) && line.find("NODE_COORD_SECTION") == std::string::npos) {
  }
  std::vector<RouteStop> out;
  while (std::getline(in, line) && line.find("EOF") == std::string::npos) {
    std::istringstream ls(line);
    RouteStop s;
    long id;
    if (ls >> id >> s.x >> s.y) out.push_back(s);
  }
  return out;
}

// TSPLIB .opt.tour: 1-based node ids, ending with -1.
inline std::vector<int> read_tour(const std::string& name) {
  std::ifstream in = open(kData + "/tsplib/" + name + ".opt.tour");
  std::string line;
  while (std::getline(in, line) && line.find("TOUR_SECTION") == std::string::npos) {
  }
  std::vector<int> out;
  int v;
  while (in >> v && v != -1) out.push_back(v - 1);
  return out;
}

struct Solomon {
  double capacity = 0, vehicles = 0;
  std::vector<RouteStop> nodes;  // customer 0 is the depot
  std::vector<std::vector<int>> routes;
};

inline Solomon read_solomon(const std::string& name) {
  Solomon s;
  std::ifstream in = open(kData + "/solomon/" + name + ".txt");
  std::string line;
  while (std::getline(in, line) && line.find("CAPACITY") == std::string::npos) {
  }
  in >> s.vehicles >> s.capacity;
  while (std::getline(in, line) && line.find("CUST NO.") == std::string::npos) {
  }
  double id;
  RouteStop st;
  while (in >> id >> st.x >> st.y >> st.demand >> st.ready >> st.due >> st.service)
    s.nodes.push_back(st);
  std::ifstream sol = open(kData + "/solomon/" + name + ".sol");
  while (std::getline(sol, line)) {
    if (line.rfind("Route", 0) != 0) continue;
    std::istringstream ls(line.substr(line.find(':') + 1));
    std::vector<int> r;
    int c;
    while (ls >> c) r.push_back(c);
    s.routes.push_back(r);
  }
  return s;
}

// Stops of one Solomon route as rows: the depot first, then the customers.
inline std::vector<RouteStop> solomon_route(const Solomon& s, const std::vector<int>& r) {
  std::vector<RouteStop> out{s.nodes[0]};
  for (int c : r) out.push_back(s.nodes[static_cast<std::size_t>(c)]);
  return out;
}

}  // namespace routing_data
