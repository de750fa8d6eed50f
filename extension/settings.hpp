// supplyml.* configuration parameters (GUCs), registered in _PG_init.
#pragma once

#include <cstddef>

namespace supplyml::pg {

enum class DeviceSetting { kAuto = 0, kCpu = 1, kGpu = 2 };

void define_settings();

DeviceSetting device_setting();
// Worker threads for kernels: supplyml.threads, where 0 means every core.
int threads_setting();
// Estimated work (roughly floating-point operations) below which `auto`
// keeps a computation on the CPU.
double gpu_min_work_setting();
// Whether a failed GPU computation under supplyml.device = gpu falls back to
// the CPU (with a NOTICE) rather than raising; auto always falls back.
bool gpu_fallback_setting();
// Bytes of loaded models each backend may cache (supplyml.model_cache_size).
std::size_t model_cache_bytes_setting();

// Where progress lines of long calls go (supplyml.progress), and the least
// seconds between two lines of a loop (supplyml.progress_interval).
enum class ProgressSetting { kOff = 0, kNotice = 1, kLog = 2 };
ProgressSetting progress_setting();
double progress_interval_setting();

}  // namespace supplyml::pg
