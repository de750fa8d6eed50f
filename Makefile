# supplyml front door. Every target builds what it needs first.
#   make            build the extension, the CUDA module (if nvcc exists) and the tests
#   make install    install into pg_config's directories
#   make check      unit tests, then pgTAP tests (and a short fuzz run) on a throwaway cluster
#   make fuzz       randomized calls of every SQL function (FUZZ_CALLS=100000, FUZZ_SEED=)
#   make sanitize   unit tests built with AddressSanitizer and UBSan in build-sanitize/
#   make demo       build, install and run the demo (private cluster if none is configured)
#   make bench      benchmarks against peers (bench/), results in bench/RESULTS.md
#   make clean      remove the build directory

BUILD     ?= build
PG_CONFIG ?= pg_config
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
WERROR    ?= 0
CMAKE_ARGS ?=

CMAKE_CONFIG = cmake -S . -B $(BUILD) -DPG_CONFIG=$(PG_CONFIG) \
  -DSUPPLYML_WERROR=$(if $(filter 1 ON on yes,$(WERROR)),ON,OFF) $(CMAKE_ARGS)

.PHONY: all install check unit sqltest fuzz sanitize demo bench clean

all:
	@$(CMAKE_CONFIG) >/dev/null
	cmake --build $(BUILD) -j$(JOBS) -- --no-print-directory

install: all
	cmake --install $(BUILD)

unit: all
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

sqltest: all
	BUILD=$(BUILD) PG_CONFIG=$(PG_CONFIG) scripts/sql-tests.sh

check: unit sqltest

fuzz: all
	BUILD=$(BUILD) PG_CONFIG=$(PG_CONFIG) tests/fuzz/run.sh

sanitize:
	PG_CONFIG=$(PG_CONFIG) JOBS=$(JOBS) scripts/sanitize.sh

demo: install
	BUILD=$(BUILD) PG_CONFIG=$(PG_CONFIG) scripts/demo.sh

bench: install
	BUILD=$(BUILD) PG_CONFIG=$(PG_CONFIG) bench/run.sh

clean:
	rm -rf $(BUILD) build-sanitize
