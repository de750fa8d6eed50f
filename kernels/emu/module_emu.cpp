// supplyml_cuda_emu.so: the CUDA module's own source compiled as plain C++,
// its kernels running on the device emulator and its linear algebra on the
// CPU stand-in. Installed as supplyml_cuda.so, it lets the SQL tests take the
// GPU path end to end on a machine without a GPU.
#include "../cuda/module.cu"
