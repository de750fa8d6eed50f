#include "supplyml/host_memory.hpp"

#include <new>

namespace supplyml {

namespace {
// The module's blocks are page-aligned; the heap's fallback gets the
// alignment asked for.
constexpr std::size_t kPinnedAlignment = 256;
}  // namespace

std::size_t PinnedMemory::blocks() const {
  const std::lock_guard<std::mutex> hold(lock_);
  return pinned_.size() + heap_blocks_;
}

std::size_t PinnedMemory::pinned_blocks() const {
  const std::lock_guard<std::mutex> hold(lock_);
  return pinned_.size();
}

void* PinnedMemory::do_allocate(std::size_t bytes, std::size_t align) {
  const std::lock_guard<std::mutex> hold(lock_);
  if (api_ != nullptr && api_->host_alloc != nullptr && api_->host_free != nullptr && align <= kPinnedAlignment) {
    void* p = nullptr;
    if (api_->host_alloc(bytes, &p) == 0 && p != nullptr) {
      try {
        pinned_.insert(p);
      } catch (...) {
        api_->host_free(p);
        throw;
      }
      return p;
    }
  }
  void* p = ::operator new(bytes, std::align_val_t(align));
  ++heap_blocks_;
  return p;
}

void PinnedMemory::do_deallocate(void* p, std::size_t, std::size_t align) {
  const std::lock_guard<std::mutex> hold(lock_);
  if (pinned_.erase(p) != 0) {
    api_->host_free(p);
    return;
  }
  --heap_blocks_;
  ::operator delete(p, std::align_val_t(align));
}

}  // namespace supplyml
