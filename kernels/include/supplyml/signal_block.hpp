// Blocks every signal in the calling thread for the lifetime of the object,
// restoring the previous mask on destruction. Threads started meanwhile (the
// worker pool's, a GPU driver's) inherit the full mask, so PostgreSQL's signal
// handlers only ever run on the backend's own thread; signals that arrive
// meanwhile stay pending and are delivered when the mask is restored.
#pragma once

#include <pthread.h>
#include <signal.h>

namespace supplyml {

class SignalBlock {
 public:
  SignalBlock() noexcept {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old_);
  }
  ~SignalBlock() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;

 private:
  sigset_t old_;
};

}  // namespace supplyml
