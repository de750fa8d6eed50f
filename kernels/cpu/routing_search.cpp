// Route improvement on the CPU: local search (2-opt, Or-opt with relocate as
// its one-stop case) and iterated local search. See routing_search.hpp.
#include "supplyml/routing_search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <string>

#include "supplyml/error.hpp"

namespace supplyml {

void validate_search_options(const RouteSearchOptions& s) {
  if (s.iterations < 0)
    invalid_parameter("iterations must not be negative",
                      "The iterations given are " + std::to_string(s.iterations) + ".",
                      "Pass 0 for local search only, or the number of perturbation rounds.");
  if (!(s.time_limit >= 0) || std::isinf(s.time_limit))
    invalid_parameter("time_limit must be a finite non-negative number of seconds",
                      "The time limit bounds the perturbation phase.",
                      "Pass 0 for no limit, or a number of seconds.");
}

namespace {

constexpr double kEps = 1e-9;
constexpr std::int32_t kEnd = -1;  // the open end of a route that does not return

struct Objective {
  double violation = 0, cost = 0;
};

bool better(const Objective& a, const Objective& b) {
  if (a.violation < b.violation - kEps) return true;
  if (a.violation > b.violation + kEps) return false;
  return a.cost < b.cost - kEps * std::max(1.0, std::fabs(b.cost));
}

using Clock = std::chrono::steady_clock;

class Search {
 public:
  Search(const RouteProblem& p, const RouteLegs& legs, Interrupt& interrupt, Clock::time_point deadline,
         bool has_deadline)
      : p_(p), legs_(legs), interrupt_(interrupt), deadline_(deadline), has_deadline_(has_deadline) {
    // Judging a move by its leg-cost change is exact when nothing depends on
    // arrival times and a reversed path costs what it did forwards.
    delta_ = !p.windows && legs.symmetric();
  }

  Objective evaluate(const std::vector<std::int32_t>& tour) const {
    const RouteResult r = evaluate_route(p_, legs_, tour);
    return {r.capacity_excess + (p_.options.hard_windows ? r.lateness : 0.0), r.cost};
  }

  // Runs 2-opt and Or-opt to a local optimum (or until the deadline).
  void descend(std::vector<std::int32_t>& tour, Objective& cur) {
    bool improved = true;
    while (improved && !expired()) {
      improved = two_opt(tour, cur);
      improved = or_opt(tour, cur) || improved;
    }
  }

  bool expired() const { return has_deadline_ && Clock::now() >= deadline_; }
  std::int64_t moves() const { return moves_; }

 private:
  double c(std::int32_t a, std::int32_t b) const {
    if (a == kEnd || b == kEnd) return 0.0;
    const RouteOptions& o = p_.options;
    return o.cost_distance * legs_.dist(a, b) + o.cost_time * legs_.time(a, b);
  }
  std::int32_t after_last() const { return p_.options.return_to_depot ? 0 : kEnd; }
  std::int32_t pred(const std::vector<std::int32_t>& t, std::size_t i) const {
    return i == 0 ? 0 : t[i - 1];
  }
  std::int32_t succ(const std::vector<std::int32_t>& t, std::size_t i) const {
    return i + 1 < t.size() ? t[i + 1] : after_last();
  }

  // Accepts cand if it beats cur; used when moves must be walked in full.
  bool try_full(std::vector<std::int32_t>& tour, Objective& cur) {
    const Objective o = evaluate(cand_);
    if (!better(o, cur)) return false;
    tour.swap(cand_);
    cur = o;
    ++moves_;
    return true;
  }

  bool two_opt(std::vector<std::int32_t>& tour, Objective& cur) {
    const std::size_t m = tour.size();
    bool any = false;
    for (std::size_t i = 0; i + 1 < m; ++i) {
      interrupt_.poll();
      if (expired()) return any;
      for (std::size_t j = i + 1; j < m; ++j) {
        if (delta_) {
          const std::int32_t a = pred(tour, i), b = tour[i], e = tour[j], f = succ(tour, j);
          const double d = two_opt_delta(c(a, b), c(e, f), c(a, e), c(b, f));
          if (d < -kEps * std::max(1.0, std::fabs(cur.cost))) {
            std::reverse(tour.begin() + i, tour.begin() + j + 1);
            cur.cost += d;
            ++moves_;
            any = true;
          }
        } else {
          // Each candidate is walked in full (O(m)): poll per candidate, or a
          // long route would run O(m^2) between polls.
          interrupt_.poll();
          cand_ = tour;
          std::reverse(cand_.begin() + i, cand_.begin() + j + 1);
          any = try_full(tour, cur) || any;
        }
      }
    }
    return any;
  }

  // Moves a segment of 1 (relocate), 2 or 3 stops, forwards or reversed, to
  // every other gap of the route.
  bool or_opt(std::vector<std::int32_t>& tour, Objective& cur) {
    const std::size_t m = tour.size();
    bool any = false;
    for (std::size_t len = 1; len <= 3 && len < m; ++len) {
      for (std::size_t i = 0; i + len <= m; ++i) {
        interrupt_.poll();
        if (expired()) return any;
        for (std::size_t g = 0; g <= m; ++g) {
          if (g >= i && g <= i + len) continue;  // inside or next to the segment
          for (int rev = 0; rev < (len > 1 ? 2 : 1); ++rev) {
            if (delta_) {
              const std::int32_t a = pred(tour, i), first = tour[i], last = tour[i + len - 1];
              const std::int32_t f = succ(tour, i + len - 1);
              const std::int32_t u = g == 0 ? 0 : tour[g - 1];
              const std::int32_t v = g == m ? after_last() : tour[g];
              const std::int32_t in_first = rev ? last : first, in_last = rev ? first : last;
              const double d = or_opt_delta(c(a, first), c(last, f), c(a, f), c(u, v),
                                            c(u, in_first), c(in_last, v));
              if (d < -kEps * std::max(1.0, std::fabs(cur.cost))) {
                move_segment(tour, i, len, g, rev);
                tour.swap(cand_);
                cur.cost += d;
                ++moves_;
                any = true;
                break;  // the route changed: restart this segment's scan
              }
            } else {
              interrupt_.poll();  // a full walk per candidate, as in two_opt
              move_segment(tour, i, len, g, rev);
              if (try_full(tour, cur)) {
                any = true;
                break;
              }
            }
          }
          if (i + len > tour.size()) break;
        }
      }
    }
    return any;
  }

  // cand_ = tour with tour[i..i+len) moved to gap g (before tour[g]).
  void move_segment(const std::vector<std::int32_t>& tour, std::size_t i, std::size_t len,
                    std::size_t g, int rev) {
    cand_.clear();
    const std::size_t m = tour.size();
    for (std::size_t k = 0; k <= m; ++k) {
      if (k == g) {
        if (rev)
          for (std::size_t s = i + len; s-- > i;) cand_.push_back(tour[s]);
        else
          for (std::size_t s = i; s < i + len; ++s) cand_.push_back(tour[s]);
      }
      if (k < m && (k < i || k >= i + len)) cand_.push_back(tour[k]);
    }
  }

  const RouteProblem& p_;
  const RouteLegs& legs_;
  Interrupt& interrupt_;
  Clock::time_point deadline_;
  bool has_deadline_;
  bool delta_ = false;
  std::int64_t moves_ = 0;
  std::vector<std::int32_t> cand_;
};

// Nearest unvisited customer next, starting from the depot.
std::vector<std::int32_t> nearest_neighbor(const RouteProblem& p, const RouteLegs& legs,
                                           Interrupt& interrupt) {
  const std::size_t m = p.nodes.size() - 1;
  std::vector<std::int32_t> tour;
  std::vector<char> used(m + 1, 0);
  std::int32_t at = 0;
  for (std::size_t step = 0; step < m; ++step) {
    if (step % 256 == 0) interrupt.poll();
    std::int32_t best = -1;
    double best_d = 0;
    for (std::size_t k = 1; k <= m; ++k) {
      if (used[k]) continue;
      const double d = legs.dist(at, k);
      if (best < 0 || d < best_d) {
        best = static_cast<std::int32_t>(k);
        best_d = d;
      }
    }
    used[best] = 1;
    tour.push_back(best);
    at = best;
  }
  return tour;
}

// Double bridge: A B C D -> A C B D with three seeded cut points; routes too
// short for it get a seeded segment reversal instead.
void perturb(std::vector<std::int32_t>& tour, std::mt19937_64& rng) {
  const std::size_t m = tour.size();
  if (m < 8) {
    std::size_t i = rng() % m, j = rng() % m;
    if (i > j) std::swap(i, j);
    std::reverse(tour.begin() + i, tour.begin() + j + 1);
    return;
  }
  std::size_t cut[3];
  do {
    for (auto& c : cut) c = 1 + rng() % (m - 1);
    std::sort(cut, cut + 3);
  } while (cut[0] == cut[1] || cut[1] == cut[2]);
  std::vector<std::int32_t> out(tour.begin(), tour.begin() + cut[0]);
  out.insert(out.end(), tour.begin() + cut[1], tour.begin() + cut[2]);
  out.insert(out.end(), tour.begin() + cut[0], tour.begin() + cut[1]);
  out.insert(out.end(), tour.begin() + cut[2], tour.end());
  tour.swap(out);
}

}  // namespace

RouteImprovement optimize_route(const RouteProblem& p, const RouteLegs& legs,
                                const RouteSearchOptions& s, Interrupt& interrupt) {
  validate_search_options(s);
  const std::size_t m = p.nodes.size() - 1;
  std::vector<std::int32_t> given(m);
  for (std::size_t k = 0; k < m; ++k) given[k] = static_cast<std::int32_t>(k + 1);

  const auto start = Clock::now();
  const bool has_deadline = s.time_limit > 0;
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s.time_limit));
  Search search(p, legs, interrupt, deadline, has_deadline);

  RouteImprovement out;
  const Objective given_obj = search.evaluate(given);
  std::vector<std::int32_t> best = m > 0 && s.nearest_neighbor ? nearest_neighbor(p, legs, interrupt) : given;
  Objective best_obj = search.evaluate(best);
  if (m >= 2) {
    search.descend(best, best_obj);
    best_obj = search.evaluate(best);  // drop accumulated rounding of the deltas
    std::mt19937_64 rng(s.seed);
    const bool rounds = s.iterations > 0 || has_deadline;
    while (rounds && m >= 3 && (s.iterations == 0 || out.iterations < s.iterations) &&
           !search.expired()) {
      interrupt.poll();
      std::vector<std::int32_t> cand = best;
      perturb(cand, rng);
      Objective obj = search.evaluate(cand);
      search.descend(cand, obj);
      obj = search.evaluate(cand);
      if (better(obj, best_obj)) {
        best.swap(cand);
        best_obj = obj;
      }
      ++out.iterations;
    }
  }
  // A construction can end worse than the order it replaced: never return that.
  if (better(given_obj, best_obj)) best = given;
  out.moves = search.moves();
  out.before = evaluate_route(p, legs, given);
  out.after = evaluate_route(p, legs, best);
  if (p.position[0] >= 0) out.order.push_back(p.position[0]);
  for (std::int32_t k : best) out.order.push_back(p.position[static_cast<std::size_t>(k)]);
  return out;
}

}  // namespace supplyml
