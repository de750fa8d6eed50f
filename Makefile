# supplyml front door. Every target builds what it needs first.
#   make            build the extension, the CUDA module (if nvcc exists) and the tests
#   make install    install into pg_config's directories
#   make check      unit tests, then pgTAP tests (and a short fuzz run) on a throwaway cluster
#   make installcheck  pgTAP tests against the running server libpq points at
#                   (PGHOST, PGPORT, ...), supplyml installed by make install
#   make fuzz       randomized calls of every SQL function (FUZZ_CALLS=100000, FUZZ_SEED=)
#   make sanitize   unit tests built with AddressSanitizer and UBSan in build-sanitize/
#   make demo       build, install and run the demo (private cluster if none is configured)
#   make bench      benchmarks against peers (bench/), results in bench/RESULTS.md
#   make gpu-emu    emulated GPU kernels and the emulator under TSan and ASan
#   make clean      remove the build directory
# The first build installs missing Debian packages (scripts/install-deps.sh),
# or says how to when not run as root.

BUILD     ?= build
PG_CONFIG ?= pg_config
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
WERROR    ?= 0
CMAKE_ARGS ?=

CMAKE_CONFIG = cmake -S . -B $(BUILD) -DPG_CONFIG=$(PG_CONFIG) \
  -DSUPPLYML_WERROR=$(if $(filter 1 ON on yes,$(WERROR)),ON,OFF) $(CMAKE_ARGS)

.PHONY: all deps install check unit sqltest installcheck fuzz sanitize demo bench clean

all: deps
	@$(CMAKE_CONFIG) >/dev/null
	cmake --build $(BUILD) -j$(JOBS) -- --no-print-directory

deps:
	@scripts/install-deps.sh --if-missing

install: all
	cmake --install $(BUILD)

unit: all
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

sqltest: all
	BUILD=$(BUILD) PG_CONFIG=$(PG_CONFIG) scripts/sql-tests.sh

check: unit sqltest

installcheck:
	BUILD=$(BUILD) PG_CONFIG=$(PG_CONFIG) scripts/sql-tests.sh installcheck

fuzz: all
	BUILD=$(BUILD) PG_CONFIG=$(PG_CONFIG) FUZZ_CALLS=$(FUZZ_CALLS) FUZZ_SEED=$(FUZZ_SEED) tests/fuzz/run.sh

sanitize:
	PG_CONFIG=$(PG_CONFIG) JOBS=$(JOBS) scripts/sanitize.sh

demo: install
	BUILD=$(BUILD) PG_CONFIG=$(PG_CONFIG) scripts/demo.sh

bench: install
	BUILD=$(BUILD) PG_CONFIG=$(PG_CONFIG) bench/run.sh

clean:
	rm -rf $(BUILD) build-sanitize

# The device emulator's tests and the emulated kernels under ThreadSanitizer
# and AddressSanitizer, each in its own build directory; under TSan a kernel
# with a deliberate race must be reported.
.PHONY: gpu-emu
gpu-emu:
	@for san in thread address; do \
	  dir=$(BUILD)-$$san; racy=$$( [ $$san = thread ] && echo ON || echo OFF ); \
	  cmake -S . -B $$dir -DPG_CONFIG=$(PG_CONFIG) -DSUPPLYML_CUDA=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DCMAKE_CXX_FLAGS="-fsanitize=$$san -fno-omit-frame-pointer" -DSUPPLYML_EMU_RACY_TEST=$$racy >/dev/null && \
	  cmake --build $$dir -j$(JOBS) --target emu_tests $$( [ $$san = thread ] && echo emu_racy ) -- --no-print-directory && \
	  (cd $$dir && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -L emu -j$(JOBS)) || exit 1; \
	done
