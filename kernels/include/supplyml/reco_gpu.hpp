// ALS training and top-k lists through the CUDA module's table
// (cuda_api.h): the same problem, starting factors and loss as als_train, the
// same lists as recommend_many, with the module's status turned into the
// project's errors. The module may be the real one or the
// emulated one; nothing here depends on which.
#pragma once

#include "supplyml/cuda_api.h"
#include "supplyml/interrupt.hpp"
#include "supplyml/reco_als.hpp"
#include "supplyml/reco_model.hpp"

namespace supplyml {

// The module's description of training ui (iu: its transpose) with options
// o, from als_start's loss divisor and global mean; no stop callback. The
// matrices are viewed, not copied: they must outlive the call.
sml_als_problem als_problem(const Csr& ui, const Csr& iu, const AlsOptions& o, double loss_norm,
                            double global_mean);

// Whether the module has a GPU path for these options: its als_train entry
// for implicit feedback with the cg solver, its als_solve entry (ABI 4) for
// the cholesky solver and for explicit feedback, with fp16 storage too from
// ABI 5 on.
bool gpu_can_train(const sml_cuda_api* api, const AlsOptions& o);

// als_train on GPU `device` into *out. Returns 0, or the module's status
// when the GPU call failed (out of memory is SML_CUDA_OUT_OF_MEMORY, a factor
// beyond fp16 storage SML_CUDA_OUT_OF_RANGE; the caller falls back to the CPU,
// which stores fp32, or raises). Throws as the CPU path does for bad options,
// no interactions, a row whose normal equations cannot be factored (22023)
// and a loss that is not finite (22003), and Cancelled on a stop request. on_iteration is called for every iteration once training returns.
int als_train_gpu(const sml_cuda_api* api, int device, const Csr& ui, const AlsOptions& o, Interrupt& interrupt,
                  AlsFactors<float>* out);

// recommend_many(m, users, k, exclude_seen = true, ...) on GPU `device`,
// the factors stored there in `precision`: the same items in the same order
// (ties to the lower item index), seen items skipped, fewer than k where the
// catalogue runs out, explicit scores as predicted ratings. Returns 0 or
// the module's status as als_train_gpu does (SML_CUDA_OUT_OF_RANGE when a
// factor does not fit fp16); throws Cancelled on a stop request.
int recommend_many_gpu(const sml_cuda_api* api, int device, const MfModel& m, const std::vector<std::int64_t>& users,
                       int k, Precision precision, Interrupt& interrupt, std::vector<std::vector<Scored>>* out);

}  // namespace supplyml
