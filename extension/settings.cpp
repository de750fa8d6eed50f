#include "settings.hpp"

#include "pg.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace supplyml::pg {

namespace {

int device_guc = static_cast<int>(DeviceSetting::kAuto);
int threads_guc = 0;
double gpu_min_work_guc = 1e8;
bool gpu_fallback_guc = false;
int model_cache_kb_guc = 256 * 1024;
int progress_guc = static_cast<int>(ProgressSetting::kOff);
int progress_interval_ms_guc = 5000;

const struct config_enum_entry device_options[] = {
    {"auto", static_cast<int>(DeviceSetting::kAuto), false},
    {"cpu", static_cast<int>(DeviceSetting::kCpu), false},
    {"gpu", static_cast<int>(DeviceSetting::kGpu), false},
    {nullptr, 0, false},
};

const struct config_enum_entry progress_options[] = {
    {"off", static_cast<int>(ProgressSetting::kOff), false},
    {"notice", static_cast<int>(ProgressSetting::kNotice), false},
    {"log", static_cast<int>(ProgressSetting::kLog), false},
    {nullptr, 0, false},
};

}  // namespace

void define_settings() {
  DefineCustomEnumVariable(
      "supplyml.device", "Where supplyml computes: auto, cpu or gpu.",
      "auto uses a GPU when one is present and the work exceeds supplyml.gpu_min_work; "
      "gpu makes a missing GPU an error.",
      &device_guc, device_guc, device_options, PGC_USERSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "supplyml.threads", "Worker threads for supplyml computations (0 = every core).",
      "Values above the number of cores use every core; a computation never starts more "
      "threads than it has pieces of work.",
      &threads_guc, 0, 0, 1024, PGC_USERSET, 0, nullptr, nullptr, nullptr);
  DefineCustomRealVariable(
      "supplyml.gpu_min_work",
      "Estimated floating-point operations below which supplyml.device = auto stays on the CPU.",
      nullptr, &gpu_min_work_guc, gpu_min_work_guc, 0.0, 1e18, PGC_USERSET, 0, nullptr, nullptr,
      nullptr);
  DefineCustomBoolVariable(
      "supplyml.gpu_fallback",
      "Whether a GPU failure under supplyml.device = gpu computes on the CPU instead of raising.",
      "Under auto the CPU always takes over from a failed GPU computation, with a NOTICE.",
      &gpu_fallback_guc, gpu_fallback_guc, PGC_USERSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "supplyml.model_cache_size",
      "Memory each backend may keep for loaded models (least recently used evicted first).",
      "Counts the bytes of each cached model's memory context; 0 disables the cache.",
      &model_cache_kb_guc, model_cache_kb_guc, 0, INT_MAX, PGC_USERSET, GUC_UNIT_KB, nullptr, nullptr,
      nullptr);
  DefineCustomEnumVariable(
      "supplyml.progress", "Where long supplyml calls report their progress: off, notice or log.",
      "notice sends the lines to the client, log to the server log (for scheduled jobs).",
      &progress_guc, progress_guc, progress_options, PGC_USERSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "supplyml.progress_interval", "Least time between two progress lines of one loop.",
      "0 reports every step; lines that end a phase always show.",
      &progress_interval_ms_guc, progress_interval_ms_guc, 0, 3600 * 1000, PGC_USERSET, GUC_UNIT_MS, nullptr,
      nullptr, nullptr);
  MarkGUCPrefixReserved("supplyml");
}

// The accessors read the settings by name rather than through the variables
// above, so that any module linking this code (the test module does) sees the
// values registered by supplyml.so.
namespace {
const char* setting(const char* name) { return GetConfigOption(name, true, false); }
}  // namespace

DeviceSetting device_setting() {
  const char* v = setting("supplyml.device");
  if (v && strcmp(v, "cpu") == 0) return DeviceSetting::kCpu;
  if (v && strcmp(v, "gpu") == 0) return DeviceSetting::kGpu;
  return DeviceSetting::kAuto;
}
int threads_setting() {
  const char* v = setting("supplyml.threads");
  return v ? atoi(v) : 0;
}
std::size_t model_cache_bytes_setting() {
  const char* v = GetConfigOption("supplyml.model_cache_size", true, false);
  if (!v) return static_cast<std::size_t>(model_cache_kb_guc) * 1024;
  // Shown with its unit (e.g. "256MB"); parse_int applies the unit.
  int kb = 0;
  if (!parse_int(v, &kb, GUC_UNIT_KB, nullptr)) return static_cast<std::size_t>(model_cache_kb_guc) * 1024;
  return static_cast<std::size_t>(kb) * 1024;
}
double gpu_min_work_setting() {
  const char* v = setting("supplyml.gpu_min_work");
  return v ? strtod(v, nullptr) : gpu_min_work_guc;
}

ProgressSetting progress_setting() {
  const char* v = setting("supplyml.progress");
  if (v && strcmp(v, "notice") == 0) return ProgressSetting::kNotice;
  if (v && strcmp(v, "log") == 0) return ProgressSetting::kLog;
  return ProgressSetting::kOff;
}

double progress_interval_setting() {
  const char* v = setting("supplyml.progress_interval");
  // Shown with its unit (e.g. "5s"); parse_int applies the unit.
  int ms = progress_interval_ms_guc;
  if (v) parse_int(v, &ms, GUC_UNIT_MS, nullptr);
  return ms / 1000.0;
}

bool gpu_fallback_setting() {
  const char* v = setting("supplyml.gpu_fallback");
  return v && strcmp(v, "on") == 0;
}

}  // namespace supplyml::pg
