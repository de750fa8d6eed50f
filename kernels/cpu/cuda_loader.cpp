#include "supplyml/cuda_loader.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cstddef>
#include <cstring>
#include <deque>
#include <mutex>

namespace supplyml {

std::size_t cuda_table_size(int abi_version) {
  switch (abi_version) {
    case 3: return offsetof(sml_cuda_api, als_solve);
    case 4:  // the table of ABI 5, whose als_solve only learned fp16
    case 5: return offsetof(sml_cuda_api, host_alloc);
    case SML_CUDA_ABI_VERSION: return sizeof(sml_cuda_api);
    default: return 0;
  }
}

const sml_cuda_api* accept_cuda_table(const sml_cuda_api* table) {
  if (!table) return nullptr;
  const std::size_t size = cuda_table_size(table->abi_version);
  if (size == 0) return nullptr;
  if (size == sizeof(sml_cuda_api)) return table;
  // An older module's table is shorter: copy what it has, NULL after it.
  // The copy lives as long as the module, for the life of the process (a
  // deque keeps earlier copies where they are).
  static std::mutex lock;
  static std::deque<sml_cuda_api> copies;
  const std::lock_guard<std::mutex> hold(lock);
  sml_cuda_api& full = copies.emplace_back();
  std::memset(&full, 0, sizeof full);
  std::memcpy(&full, table, size);
  return &full;
}

CudaLoad load_cuda_module(const std::string& path) noexcept {
  CudaLoad out;
  try {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      out.file_missing = true;
      out.reason = "the CUDA module " + path + " is not installed";
      return out;
    }
    // RTLD_LOCAL keeps the CUDA runtime's symbols out of the server's namespace.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* err = dlerror();
      out.reason = std::string("could not load the CUDA module: ") + (err ? err : "unknown error");
      return out;
    }
    auto entry = reinterpret_cast<sml_cuda_entry_fn>(dlsym(handle, SML_CUDA_ENTRY));
    if (!entry) {
      out.reason = "the CUDA module has no entry point " SML_CUDA_ENTRY;
      dlclose(handle);
      return out;
    }
    const sml_cuda_api* api = accept_cuda_table(entry());
    if (!api) {
      out.reason = "the CUDA module was built for another version of supplyml";
      dlclose(handle);
      return out;
    }
    // The handle stays open for the life of the process.
    out.api = api;
  } catch (...) {
    out.api = nullptr;
    out.reason = "could not load the CUDA module";
  }
  return out;
}

}  // namespace supplyml
