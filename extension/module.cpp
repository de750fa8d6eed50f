// Module entry: the magic block and _PG_init. Nothing here touches CUDA: the
// CUDA module is probed lazily, on first use in a backend (device.cpp).
#include "pg.hpp"
#include "settings.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void);
void _PG_init(void) { supplyml::pg::define_settings(); }
}
