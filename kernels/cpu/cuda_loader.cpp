#include "supplyml/cuda_loader.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

namespace supplyml {

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
    const sml_cuda_api* api = entry();
    if (!api || api->abi_version != SML_CUDA_ABI_VERSION) {
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
