// What the recommender's SQL functions share: reading the training options,
// fitting a model into a registry payload (keys, factors and the registry
// row's params and metrics, all in one Blob), and publishing such a payload.
// mf_train (reco.cpp) and the mf_fit aggregate with mf_publish (reco_fit.cpp)
// both go through fit_payload() and publish_payload(), so a model trained
// either way is the same bytes for the same data and seed.
#pragma once

#include <chrono>
#include <string>

#include "options.hpp"
#include "source.hpp"
#include "supplyml/blob.hpp"
#include "supplyml/reco_als.hpp"

namespace supplyml::pg {

// The registry kind of recommender models.
inline constexpr const char* kMfKind = "mf";

// Reads the options both training paths know (solver, cg_steps, scaling,
// epsilon, verbose) into o; the caller reads its own keys and calls finish().
void read_solver_options(Options& opt, AlsOptions& o, bool* verbose);

// The users x items matrix of (user id, item id, weight) rows given as dense
// ids of the dictionaries. Both dictionaries are first renumbered in key
// order, so the model (whose starting factors depend on the row number) is
// the same whatever order the rows came in, serial or parallel. Renumbers the
// n entries of u and i in place.
// The matrix's arrays come from mr (matrix_memory).
Csr interaction_matrix(KeyDictionary& users, KeyDictionary& items, std::int32_t* u, std::int32_t* i,
                       const double* w, std::size_t n, std::pmr::memory_resource* mr);

// Where the interaction matrix of `rows` source rows goes: page-locked host
// memory when the GPU will probably train on it (its work estimated with
// every row a distinct pair, an upper bound), so that it reaches the device
// with no staging copy; the heap otherwise. fit_payload makes the choice
// itself, on the matrix; a matrix in page-locked memory that the CPU trains
// on after all trains as fast.
std::pmr::memory_resource* matrix_memory(const AlsOptions& o, const KeyDictionary& users,
                                         const KeyDictionary& items, std::size_t rows);

// Trains on ui (raw weights, users x items in the dictionaries' order; moved
// in and freed as soon as the model is built) and returns the payload to
// publish. rows: source rows read; started: when the caller's work began
// (for the seconds reported); function: the SQL name for messages.
Blob fit_payload(const KeyDictionary& users, const KeyDictionary& items, Csr&& ui, AlsOptions o,
                 bool verbose, std::int64_t rows, std::chrono::steady_clock::time_point started,
                 const char* function);

// Checks every section of a payload that did not come from fit_payload in this
// statement (a model value passed to mf_publish) as a model load would.
void validate_payload(const Blob& payload);

// Publishes a payload made by fit_payload as the next version of `name`
// (current unless promote is false), and
// returns mf_train's summary row (model, version, users, items, interactions,
// final_loss, seconds, device).
Datum publish_payload(FunctionCallInfo fcinfo, const std::string& name, const Blob& payload,
                      bool promote = true);

}  // namespace supplyml::pg
