# The two commands a newcomer needs: `make run` and `make test`.
GO ?= go
ADDR ?= 127.0.0.1:8080
BIN := bin/cloudhealth-emulator

.PHONY: run build build-static test unit contract contract-binary ui-test check fmt vet bench

run: ## start the emulator on the embedded default fixtures
	$(GO) run ./cmd/cloudhealth-emulator --addr $(ADDR) $(if $(FIXTURES),--fixtures $(FIXTURES))

build: ## build bin/cloudhealth-emulator
	$(GO) build -trimpath -o $(BIN) ./cmd/cloudhealth-emulator

# The binary the container image holds: static (no cgo, so it runs FROM
# scratch), for linux on the host's architecture unless GOARCH says otherwise.
STATIC_BIN := bin/image/cloudhealth-emulator

build-static: ## build the static linux binary of the image, bin/image/cloudhealth-emulator
	CGO_ENABLED=0 GOOS=linux $(GO) build -trimpath -ldflags="-s -w" -o $(STATIC_BIN) ./cmd/cloudhealth-emulator

test: check unit contract contract-binary ui-test ## every check and every test, race detector on

unit: ## every test except the contract suite and the browser tests, race detector on
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v -e /contracttests -e /emulator/ui)

# The web page (/__emulator/ui/) in headless Chromium, driven with chromedp;
# Debian's chromium package is installed when missing. Screenshots of each
# view go to bin/screenshots/.
CHROMIUM ?= chromium
ui-test:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }
	$(GO) test -race -count=1 ./emulator/ui/

# The contract suite (contracttests/README.md) against the emulator in-process;
# a documented status of openapi.yaml that no test exercised fails the run.
# The report is contracttests/coverage.txt.
contract:
	CLOUDHEALTH_CONTRACT_REQUIRE_FULL_COVERAGE=1 CLOUDHEALTH_CONTRACT_COVERAGE=$(CURDIR)/contracttests/coverage.txt \
		$(GO) test -race -count=1 ./contracttests/
	@tail -n 1 contracttests/coverage.txt

# The same suite against the built binary over the network, as against the
# real API: profile file, writes opted in (scripts/contract-binary.sh).
contract-binary:
	GO=$(GO) scripts/contract-binary.sh

check: fmt vet

fmt: ## fail when a Go file is not gofmt-clean
	@out=$$(gofmt -l .); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# Benchmarks: figures, not pass/fail. The machine is usually shared: -count
# repeats each one, THROUGHPUT_ROUNDS measures emulator and bare ceiling back
# to back (see docs/performance.md).
BENCHCOUNT ?= 3
THROUGHPUT_ROUNDS ?= 3

bench: ## the Go benchmarks (figures, not pass/fail)
	$(GO) test -run '^$$' -bench . -skip Throughput -benchmem -count $(BENCHCOUNT) ./...
	@mkdir -p bin
	THROUGHPUT_ROUNDS=$(THROUGHPUT_ROUNDS) $(GO) test -run '^$$' -bench Throughput -benchmem -count 1 ./emulator/ > bin/throughput.txt; \
	status=$$?; cat bin/throughput.txt; exit $$status
	@echo "emulator/bare req/s per round, ratio, median ratio (targets: get, list30 >= 50 %, create+delete >= 30 %):"
	@awk -f tools/throughput-ratios.awk bin/throughput.txt

.PHONY: fuzz docker

FUZZTIME ?= 30s
# Minimizing a new interesting input costs up to 60 s by default and stalls
# short runs; a bounded number of tries keeps the time on fuzzing.
FUZZMINIMIZETIME ?= 100x
FUZZ_TARGETS = $(shell grep -ho '^func Fuzz[A-Za-z0-9_]*' emulator/*_test.go | sed 's/^func //')

fuzz: ## run each fuzz target in turn for FUZZTIME (e.g. make fuzz FUZZTIME=30s)
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "== $$t ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) ./emulator/; \
	done

.PHONY: image image-test

IMAGE ?= cloudhealth-emulator
# podman when it is installed, else docker; podman needs the docker image
# format to keep HEALTHCHECK.
CONTAINER_ENGINE ?= $(if $(shell command -v podman 2>/dev/null),podman,docker)
IMAGE_BUILD_FLAGS = $(if $(filter podman,$(notdir $(CONTAINER_ENGINE))),--format docker)

image: build-static ## build the container image $(IMAGE) (FROM scratch; see docs/container.md)
	$(CONTAINER_ENGINE) build $(IMAGE_BUILD_FLAGS) -t $(IMAGE) .

docker: ## build the container image with docker
	$(MAKE) image CONTAINER_ENGINE=docker

image-test: ## build the image with podman, run it and check it (scripts/image-test.sh)
	GO=$(GO) scripts/image-test.sh
