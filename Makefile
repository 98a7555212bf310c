# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PORT ?= 8080
DATA ?= var

.PHONY: run test deps build-release build-dev build-asan format tidy bench clean

deps:
	scripts/install-deps.sh

build-release: deps
	cmake --preset release >/dev/null
	cmake --build --preset release

build-dev: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev

build-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan

# Builds a release binary and serves http://127.0.0.1:$(PORT) from ./$(DATA) with demo data.
run: build-release
	./build/release/meridian serve --data $(DATA) --port $(PORT) --demo

# Builds and runs every test: unit, API, browser end to end (dev preset), then the unit tests
# and the fuzz corpora again under ASan+UBSan.
test:
	scripts/test.sh

# Builds the micro benchmarks and eval tools into build/dev/bench/ (bench/README.md).
bench: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev --target benches

format:
	find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

tidy: build-dev
	find src -name '*.cc' | xargs clang-tidy -p build/dev --quiet

clean:
	rm -rf build
