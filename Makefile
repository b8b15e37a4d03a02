# The two commands of the README. Both first make sure the build's prerequisites are
# there (scripts/prereqs.sh: libclang for RocksDB's bindings), then run cargo.
# One build profile (dev, with optimised dependencies; see Cargo.toml) serves run,
# clippy and the tests, so RocksDB's C++ is compiled once.

CARGO ?= cargo
ARGS ?=

.PHONY: run test prereqs lint client-test

prereqs:
	@scripts/prereqs.sh

## Serve the seed on http://127.0.0.1:8080/ (data in ./data).
run: prereqs
	$(CARGO) run --bin chariot-kg -- serve $(ARGS)

## Run every test.
test: prereqs
	$(CARGO) test --all-targets

## Real SPARQL clients (SPARQLWrapper, rdflib; pip install SPARQLWrapper rdflib) against
## the real binary.
client-test: prereqs
	$(CARGO) build --bin chariot-kg
	tests/clients/run.sh "$${CARGO_TARGET_DIR:-target}/debug/chariot-kg"

## What CI checks besides the tests.
lint: prereqs
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
