// Kernel-level ALS benchmark: trains on a CSV of (user, item, weight), times
// each iteration, and optionally evaluates on a CSV of held-out (user, item).
//   als_bench TRAIN.csv [TEST.csv|-] key=value...
// keys: factors iterations regularization alpha cg_steps solver threads seed k scaling
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>

#include "supplyml/parallel.hpp"
#include "supplyml/reco_batch.hpp"

using namespace supplyml;

struct Keys {
  std::unordered_map<std::string, std::int32_t> index;
  std::int32_t get(const std::string& s, bool add) {
    auto it = index.find(s);
    if (it != index.end()) return it->second;
    if (!add) return -1;
    const auto id = static_cast<std::int32_t>(index.size());
    index.emplace(s, id);
    return id;
  }
};

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: als_bench TRAIN.csv TEST.csv|- key=value...\n");
    return 2;
  }
  std::map<std::string, std::string> kv;
  for (int a = 3; a < argc; ++a) {
    const char* eq = std::strchr(argv[a], '=');
    if (eq) kv[std::string(argv[a], static_cast<std::size_t>(eq - argv[a]))] = eq + 1;
  }
  auto num = [&](const char* k, double d) { return kv.count(k) ? std::stod(kv[k]) : d; };
  AlsOptions o;
  o.factors = static_cast<int>(num("factors", 64));
  o.iterations = static_cast<int>(num("iterations", 15));
  o.regularization = num("regularization", 0.01);
  o.alpha = num("alpha", 1);
  o.cg_steps = static_cast<int>(num("cg_steps", 3));
  o.threads = static_cast<int>(num("threads", 0));
  o.seed = static_cast<std::uint64_t>(num("seed", 42));
  o.solver = parse_solver(kv.count("solver") ? kv["solver"] : "cg");
  o.scaling = parse_scaling(kv.count("scaling") ? kv["scaling"] : "linear");
  const int k = static_cast<int>(num("k", 10));

  Keys users, items;
  std::vector<std::int32_t> r, c;
  std::vector<double> w;
  {
    std::ifstream in(argv[1]);
    std::string line, a, b, x;
    while (std::getline(in, line)) {
      std::stringstream ss(line);
      std::getline(ss, a, ',');
      std::getline(ss, b, ',');
      std::getline(ss, x, ',');
      r.push_back(users.get(a, true));
      c.push_back(items.get(b, true));
      w.push_back(std::stod(x));
    }
  }
  Csr ui = build_csr(static_cast<std::int64_t>(users.index.size()),
                     static_cast<std::int64_t>(items.index.size()), r, c, w);
  to_confidence(ui, o.alpha, o.scaling, 1.0);
  std::vector<double> times;
  auto last = std::chrono::steady_clock::now();
  o.on_iteration = [&](int, double) {
    const auto now = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double>(now - last).count());
    last = now;
  };
  Interrupt intr;
  const auto t0 = std::chrono::steady_clock::now();
  last = t0;
  auto fit = als_train<float>(ui, o, intr);
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double best = times.empty() ? 0 : times[0];
  for (double t : times) best = std::min(best, t);
  std::printf("users %zu items %zu nnz %lld factors %d threads %d: fit %.3f s, %.4f s/iteration (min %.4f), final loss %.6g\n",
              users.index.size(), items.index.size(), static_cast<long long>(ui.nnz()), o.factors,
              resolve_threads(o.threads), total, total / o.iterations, best, fit.loss.back());
  if (std::strcmp(argv[2], "-") == 0) return 0;

  const auto model = MfModel::from_fit(ui, std::move(fit), Feedback::kImplicit);
  std::vector<std::int32_t> tr, tc;
  std::vector<double> tw;
  std::int32_t unknown_items = 0;
  std::unordered_map<std::string, std::int32_t> new_items;
  {
    std::ifstream in(argv[2]);
    std::string line, a, b;
    while (std::getline(in, line)) {
      std::stringstream ss(line);
      std::getline(ss, a, ',');
      std::getline(ss, b, ',');
      const auto u = users.get(a, false);
      if (u < 0) continue;
      auto i = items.get(b, false);
      if (i < 0) {
        auto it = new_items.find(b);
        i = it != new_items.end() ? it->second : (new_items[b] = model.items + unknown_items++);
      }
      tr.push_back(u);
      tc.push_back(i);
      tw.push_back(1);
    }
  }
  const Csr test = build_csr(model.users, model.items + unknown_items, tr, tc, tw);
  const auto ev = evaluate(model, test, k, o.threads, intr);
  auto show = [&](const char* name, const RankingMetrics::Result& m) {
    std::printf("%-10s P@%d %.4f  R@%d %.4f  MAP@%d %.4f  NDCG@%d %.4f  AUC %.4f  coverage %.4f  users %lld\n",
                name, k, m.precision, k, m.recall, k, m.map, k, m.ndcg, m.auc, m.coverage,
                static_cast<long long>(m.users));
  };
  show("model", ev.model);
  show("popular", ev.popular);
  std::printf("ratio P@%d %.2f  NDCG@%d %.2f\n", k, ev.model.precision / ev.popular.precision, k,
              ev.model.ndcg / ev.popular.ndcg);
  return 0;
}
