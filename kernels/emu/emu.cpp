// The device emulator behind emu.hpp. A launch creates one std::thread per
// thread of a block; they run the grid's blocks one after another. Every
// barrier of a block (the block barrier and one per warp) shares the block's
// mutex, which also orders memory between the threads the way the barrier
// does on a GPU, so ThreadSanitizer sees exactly the races a kernel has.
#include "supplyml/device/layer.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace supplyml {
namespace dev {
namespace emu {

namespace {

[[noreturn]] void fatal(const char* what, int block, Site s) {
  std::fprintf(stderr, "supplyml device emulator: block %d, %s:%d: %s\n", block, s.file ? s.file : "?",
               s.line, what);
  std::fflush(stderr);
  std::abort();
}

bool same(Site a, Site b) { return a.line == b.line && std::strcmp(a.file, b.file) == 0; }

// Threads that must meet at the same barrier: the block, or one warp. A
// warp's lanes publish values in slot[generation % 2]: a lane can only write
// the same half again two barriers later, after every lane has read it.
struct Group {
  int size = 0, waiting = 0, exited = 0;
  long generation = 0;
  Site site{"", 0};
  std::condition_variable cv;
  std::uint64_t slot[2][kWarp] = {};

  void reset(int n) {
    size = n;
    waiting = exited = 0;
    generation = 0;
    site = Site{"", 0};
  }
};

struct Block {
  int grid = 0, size = 0, index = 0;
  std::vector<unsigned char> shared;
  std::mutex mu;
  std::condition_variable cv;  // the end of a block
  Group block;
  std::unique_ptr<Group[]> warps;
  int n_warps = 0;
  int blocked = 0, exited = 0;  // threads waiting in any group, threads returned
  int finished = 0;             // threads done with the current block
  long round = 0;
  bool whole_warps = false;

  void start(int b) {
    index = b;
    block.reset(size);
    for (int w = 0; w < n_warps; ++w) warps[w].reset(kWarp);
    blocked = exited = 0;
    std::memset(shared.data(), 0xff, shared.size());
  }

  // Waits at g; the caller holds the lock.
  void wait(std::unique_lock<std::mutex>& lock, Group& g, Site s, const char* kind) {
    if (g.exited > 0) fatal("a barrier that some threads left by returning", index, s);
    if (g.waiting == 0) {
      g.site = s;
    } else if (!same(g.site, s)) {
      char msg[512];
      std::snprintf(msg, sizeof msg, "threads of one %s wait at different barriers (the other is %s:%d)",
                    kind, g.site.file, g.site.line);
      fatal(msg, index, s);
    }
    if (++g.waiting == g.size) {
      g.waiting = 0;
      ++g.generation;
      blocked -= g.size - 1;
      g.cv.notify_all();
      return;
    }
    ++blocked;
    if (blocked + exited == size)
      fatal("every thread of the block waits at a barrier that can never complete: its threads diverged", index,
            s);
    const long gen = g.generation;
    g.cv.wait(lock, [&] { return g.generation != gen; });
  }
};

struct ThreadState {
  Block* block;
  int index;
};

thread_local ThreadState* current = nullptr;

}  // namespace

struct Thread : ThreadState {};

Thread& self() {
  if (current == nullptr) {
    std::fprintf(stderr, "supplyml device emulator: a device function was called outside a kernel\n");
    std::abort();
  }
  return *static_cast<Thread*>(current);
}
int thread_index(const Thread& t) { return t.index; }
int block_index(const Thread& t) { return t.block->index; }
int block_size(const Thread& t) { return t.block->size; }
int grid_size(const Thread& t) { return t.block->grid; }
unsigned char* shared_memory(const Thread& t) { return t.block->shared.data(); }

void block_barrier(Site s) {
  Thread& t = self();
  Block& b = *t.block;
  std::unique_lock<std::mutex> lock(b.mu);
  b.wait(lock, b.block, s, "block");
}

void warp_gather(const void* value, std::size_t bytes, void* out, Site s) {
  Thread& t = self();
  Block& b = *t.block;
  std::unique_lock<std::mutex> lock(b.mu);
  if (!b.whole_warps) fatal("a warp operation in a block that is not a whole number of warps", b.index, s);
  Group& g = b.warps[t.index / kWarp];
  const long half = g.generation % 2;
  std::memcpy(&g.slot[half][t.index % kWarp], value, bytes);
  b.wait(lock, g, s, "warp");
  auto* o = static_cast<unsigned char*>(out);
  for (int l = 0; l < kWarp; ++l) std::memcpy(o + l * bytes, &g.slot[half][l], bytes);
}

int run(int grid, int block, std::size_t shared_bytes, const std::function<void()>& body) {
  if (grid <= 0 || block <= 0 || block > 1024 || shared_bytes > (std::size_t{227} << 10))
    return kInvalidConfiguration;
  Block b;
  b.grid = grid;
  b.size = block;
  b.whole_warps = block % kWarp == 0;
  b.shared.resize(shared_bytes ? shared_bytes : 1);
  b.n_warps = (block + kWarp - 1) / kWarp;
  b.warps.reset(new Group[static_cast<std::size_t>(b.n_warps)]);
  b.start(0);
  auto thread_main = [&b, &body, grid](int index) {
    Thread me;
    me.block = &b;
    me.index = index;
    current = &me;
    for (int blk = 0; blk < grid; ++blk) {
      body();
      std::unique_lock<std::mutex> lock(b.mu);
      Group& w = b.warps[index / kWarp];
      if (b.block.waiting > 0)
        fatal("a thread returned while others of its block wait at a barrier", b.index, b.block.site);
      if (b.whole_warps && w.waiting > 0)
        fatal("a lane returned while others of its warp wait in a warp operation", b.index, w.site);
      ++b.block.exited;
      ++w.exited;
      ++b.exited;
      if (b.blocked > 0 && b.blocked + b.exited == b.size)
        fatal("every thread of the block waits at a barrier that can never complete: its threads diverged",
              b.index, b.block.site);
      // Every thread done with this block: the last one sets up the next.
      const long round = b.round;
      if (++b.finished == b.size) {
        b.finished = 0;
        ++b.round;
        if (blk + 1 < grid) b.start(blk + 1);
        b.cv.notify_all();
      } else {
        b.cv.wait(lock, [&] { return b.round != round; });
      }
    }
    current = nullptr;
  };
  // The threads start with every signal blocked, so that a host process's
  // handlers (a database server's, for one) run only on its own threads.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(block));
  for (int i = 0; i < block; ++i) threads.emplace_back(thread_main, i);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  for (auto& th : threads) th.join();
  return 0;
}

}  // namespace emu

namespace {
bool fail(const char* what) {
  const char* v = std::getenv("SML_EMU_FAIL");
  return v != nullptr && std::strcmp(v, what) == 0;
}
bool fail_allocations() { return fail("oom"); }
std::atomic<long long> host_blocks{0};
}  // namespace

long long emu::live_host_allocations() { return host_blocks.load(); }

int host_alloc(void** p, std::size_t bytes) {
  *p = nullptr;
  if (fail("host")) return kOutOfMemory;
  void* q = std::malloc(bytes ? bytes : 1);
  if (q == nullptr) return kOutOfMemory;
  std::memset(q, 0xff, bytes);
  ++host_blocks;
  *p = q;
  return 0;
}
void host_free(void* p) {
  if (p == nullptr) return;
  --host_blocks;
  std::free(p);
}

int select(int device) { return device == 0 ? 0 : 101; }  // cudaErrorInvalidDevice

int alloc(void** p, std::size_t bytes) {
  *p = nullptr;
  if (fail_allocations()) return kOutOfMemory;
  void* q = std::malloc(bytes ? bytes : 1);
  if (q == nullptr) return kOutOfMemory;
  std::memset(q, 0xff, bytes);
  *p = q;
  return 0;
}
void free(void* p) { std::free(p); }
int upload(void* dst, const void* src, std::size_t bytes) {
  if (bytes) std::memcpy(dst, src, bytes);
  return 0;
}
int download(void* dst, const void* src, std::size_t bytes) { return upload(dst, src, bytes); }
int copy(void* dst, const void* src, std::size_t bytes) { return upload(dst, src, bytes); }

const char* describe(int status) {
  switch (status) {
    case 0: return "no error";
    case kInvalidValue: return "invalid argument";
    case kOutOfMemory: return "out of memory";
    case kInvalidConfiguration: return "invalid configuration argument";
    case 101: return "invalid device ordinal";
    default: return "unknown error";
  }
}

}  // namespace dev
}  // namespace supplyml
