# The two commands of this project. Everything they do is in scripts/.
.PHONY: run test build-site

## Install what is missing, start Postgres, NATS, the control plane and one enforcer.
run:
	@bash scripts/run.sh

## Format, clippy, unit, integration (real Postgres and NATS) and browser tests.
test:
	@bash scripts/test.sh

## Build the console's wasm bundle and stylesheet into target/site.
build-site:
	@bash scripts/build-site.sh
