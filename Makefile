# The two commands a newcomer needs: `make run` and `make test`.
GO ?= go
ADDR ?= 127.0.0.1:8080
BIN := bin/cloudhealth-emulator

.PHONY: run build test check fmt vet bench

run: ## start the emulator on the embedded default fixtures
	$(GO) run ./cmd/cloudhealth-emulator --addr $(ADDR) $(if $(FIXTURES),--fixtures $(FIXTURES))

build: ## build bin/cloudhealth-emulator
	$(GO) build -trimpath -o $(BIN) ./cmd/cloudhealth-emulator

test: check ## every check and every test, race detector on
	$(GO) test -race -count=1 ./...

check: fmt vet

fmt: ## fail when a Go file is not gofmt-clean
	@out=$$(gofmt -l .); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# Benchmarks: figures, not pass/fail. The machine is usually shared: -count
# repeats each one, THROUGHPUT_ROUNDS measures emulator and bare ceiling back
# to back (see README.md, Performance).
BENCHCOUNT ?= 3
THROUGHPUT_ROUNDS ?= 3

bench: ## the Go benchmarks (figures, not pass/fail)
	$(GO) test -run '^$$' -bench . -skip Throughput -benchmem -count $(BENCHCOUNT) ./...
	@mkdir -p bin
	THROUGHPUT_ROUNDS=$(THROUGHPUT_ROUNDS) $(GO) test -run '^$$' -bench Throughput -benchmem -count 1 ./emulator/ > bin/throughput.txt; \
	status=$$?; cat bin/throughput.txt; exit $$status
	@echo "emulator/bare req/s per round, ratio, median ratio (targets: get, list30 >= 50 %, create+delete >= 30 %):"
	@awk -f tools/throughput-ratios.awk bin/throughput.txt
