// The model registry from C++: publish a fitted model as a new version, and
// read a version back, or a capability's decoded form of the current version
// through a per-backend cache.
//
// Publishing runs in the caller's transaction (a rolled-back training leaves
// the previous version current). model_state asks the registry for the
// current version's id on every call, a single index probe, and decodes the
// payload only when that id differs from the cached one, so a version
// published and committed by another session is picked up by the next
// statement. The probe runs as the current role on every call, and checks
// that it may read the stored arrays, so a cached model is never served to a
// role that may not.
//
// A cached state lives in a PostgreSQL memory context of its own ("supplyml
// model" under "supplyml model cache"): build it from the memory resource
// passed to the builder, and supplyml.model_cache_size caps the bytes those
// contexts allocate.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <memory_resource>
#include <string>

#include "pg.hpp"
#include "supplyml/blob.hpp"

namespace supplyml::pg {

struct ModelInfo {
  std::string name;
  std::string kind;         // e.g. "als_implicit"; readers check it
  std::string params_json;  // jsonb text
  std::string metrics_json;
  std::string device;       // DeviceChoice::label() of the run that trained it
  std::int64_t rows_used = 0;
  bool promote = true;      // make the new version current (else model_promote does, later)
};

struct PublishedModel {
  std::int64_t model_id;
  std::int32_t version;
};

// Raises the error a publish of `name` would meet (a bad name, a missing
// privilege on the registry tables, a name owned by a role the current one
// is not a member of), so that training can check before it does any work.
void check_publish_rights(const std::string& name);

// Checks the rights and the payload (no NaN or infinity, strings valid in the
// server encoding), then stores it as the next version of info.name.
PublishedModel publish_model(const ModelInfo& info, const Blob& payload);

struct LoadedModel {
  std::int64_t model_id = 0;
  std::int32_t version = 0;
  std::string name, kind, params_json, device;
  std::shared_ptr<const Blob> payload;
};

// A version of `name`, read and decoded from the stored bytes (not cached).
// Throws undefined_object if there is none and wrong_object_type if its kind
// is not `kind` (pass "" to accept any kind). version 0 means the current one.
std::shared_ptr<const LoadedModel> load_model(const std::string& name, const std::string& kind,
                                              std::int32_t version = 0);

// A capability's decoded form of a version (e.g. factor matrices): the
// current one when version is 0, built once per version with `build` and cached. build(model, mr) must
// allocate what the state holds from mr (the cached model's context), so that
// the cache counts it.
template <class T>
std::shared_ptr<const T> model_state(
    const std::string& name, const std::string& kind, std::int32_t version,
    const std::function<T(const LoadedModel&, std::pmr::memory_resource*)>& build);

// The version argument of a serving call (argument argno, NULL or absent:
// 0, the current version); a version below 1 is an error.
std::int32_t version_arg(FunctionCallInfo fcinfo, int argno);

// What the per-backend cache holds now (supplyml.model_cache_size caps the bytes).
std::size_t model_cache_entries();
std::size_t model_cache_bytes();

// --- implementation detail of model_state --------------------------------
using StateBuilder = std::function<std::shared_ptr<const void>(const LoadedModel&, std::pmr::memory_resource*)>;
std::shared_ptr<const void> cached_state(const std::string& name, const std::string& kind,
                                         std::int32_t version, const StateBuilder& build);

template <class T>
std::shared_ptr<const T> model_state(
    const std::string& name, const std::string& kind, std::int32_t version,
    const std::function<T(const LoadedModel&, std::pmr::memory_resource*)>& build) {
  auto p = cached_state(name, kind, version,
                        [&](const LoadedModel& m, std::pmr::memory_resource* mr) -> std::shared_ptr<const void> {
                          return std::make_shared<const T>(build(m, mr));
                        });
  return std::static_pointer_cast<const T>(p);
}

}  // namespace supplyml::pg
