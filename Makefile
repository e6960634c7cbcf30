# The two commands the README opens with: `make demo` and `make test`.
GO ?= go

.PHONY: build test test-quick fuzz demo lint

build:
	$(GO) build -o bin/boxbuild ./cmd/boxbuild

# Every test, with the real tools. CI=true turns a missing tool into a failure.
test: lint
	$(GO) test -count=1 -timeout 80m ./...
	$(MAKE) fuzz

# Without CI=true, slow tests (real VM builds) skip: a quick local run.
test-quick:
	$(GO) test ./...

# A short run of the loader's fuzz target: no input may make it panic.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime 20s ./internal/config

lint:
	$(GO) vet ./...
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"

# Build a real box with QEMU, publish it, serve it and boot it with vagrant-libvirt.
demo:
	bash scripts/demo.sh
