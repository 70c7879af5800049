#!/usr/bin/env bash
# alembic-planner's one entry point for contributors and CI.
#
#   scripts/dev.sh serve [TRUNK-ARGS]  install what is missing, then serve the app on http://127.0.0.1:8080
#   scripts/dev.sh test    install what is missing, then run every test (what CI runs)
#   scripts/dev.sh bench   install what is missing, then run the benchmarks (not part of test)
#   scripts/dev.sh fuzz [MINUTES]  run every fuzz target MINUTES (default 10) each, two at a time
#   scripts/dev.sh corpus [NAME...]  real projects' migrations from PyPI: Alembic beside the planner
#   scripts/dev.sh setup   only install what is missing
#
# Every install step checks first and skips what is already present, so running it again
# is cheap. Versions are pinned here and in Cargo.toml / package.json / Trunk.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

TRUNK_VERSION=0.22.1
WASM_BINDGEN_VERSION=0.2.130   # must equal wasm-bindgen's version in Cargo.lock
ALEMBIC_VERSION=1.20.1
SQLALCHEMY_VERSION=2.1.9
MATURIN_VERSION=1.16.0
SQLMODEL_VERSION=0.0.38
SQLALCHEMY_UTILS_VERSION=0.43.0
PYDANTIC_VERSION=2.12.5
SARIF_PYDANTIC_VERSION=0.6.2   # SARIF 2.1.0 as typed models: tests/lint.rs validates the SARIF output with it
WASM_TARGET=wasm32-unknown-unknown

export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export PYTHONDONTWRITEBYTECODE=1

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

APT_UPDATED=
apt_install() {
    if [ -z "$APT_UPDATED" ]; then apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# The wasm32 standard library: rustup's target, or Debian's build-std fallback.
WASM_FALLBACK=
setup_wasm_target() {
    if rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then return; fi
    log "installing the $WASM_TARGET target"
    if rustup target add "$WASM_TARGET" 2>&1; then return; fi
    log "rustup could not add $WASM_TARGET; using Debian's rust-web-src (build-std) fallback"
    [ -x /usr/bin/wasm-ld ] && dpkg -s rust-web-src >/dev/null 2>&1 || apt_install rustc-web cargo-web rust-web-src lld
    WASM_FALLBACK=1
}

# Runs a cargo command for the wasm32 target, through the fallback when needed.
wasm_cargo() {
    if [ -n "$WASM_FALLBACK" ]; then
        PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
            CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld cargo "$@"
    else
        cargo "$@"
    fi
}

setup_rust_components() {
    for c in rustfmt clippy; do
        rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
    done
}

setup_cargo_tools() {
    if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
        log "building trunk $TRUNK_VERSION (one time, about 10 minutes)"
        CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
            cargo install trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version \
            --no-default-features --features rustls
    fi
    if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
        log "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (one time, about 5 minutes)"
        CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
            cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
    fi
}

setup_browser() {
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return; fi
    log "installing Chromium and chromedriver from Debian"
    apt_install chromium chromium-driver
}

setup_postgres() {
    # the real-database check (tests/realdb.rs) starts its own throwaway server on a socket
    if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null; then return; fi
    log "installing PostgreSQL from Debian (server binaries for tests/realdb.rs)"
    apt_install postgresql
    # the package starts a cluster of its own; the tests do not use it
    (command -v pg_ctlcluster >/dev/null && pg_lsclusters -h 2>/dev/null | while read -r v c _; do pg_ctlcluster "$v" "$c" stop || true; done) || true
}

setup_npm() {
    local stamp=node_modules/.installed-stamp
    local want; want=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
    log "installing npm dev dependencies (wasm-opt, playwright-core)"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
    echo "$want" > "$stamp"
}

setup_python() {
    if .venv/bin/alembic --version 2>/dev/null | grep -q "$ALEMBIC_VERSION" \
        && .venv/bin/python -c "import sqlalchemy, sys; sys.exit(sqlalchemy.__version__ != '$SQLALCHEMY_VERSION')" 2>/dev/null \
        && .venv/bin/maturin --version 2>/dev/null | grep -q "$MATURIN_VERSION" \
        && .venv/bin/python -c "import sqlmodel, sys; sys.exit(sqlmodel.__version__ != '$SQLMODEL_VERSION')" 2>/dev/null \
        && .venv/bin/python -c "import sqlalchemy_utils, sys; sys.exit(sqlalchemy_utils.__version__ != '$SQLALCHEMY_UTILS_VERSION')" 2>/dev/null \
        && .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('sarif-pydantic') != '$SARIF_PYDANTIC_VERSION')" 2>/dev/null; then
        return
    fi
    log "creating .venv with alembic==$ALEMBIC_VERSION sqlalchemy==$SQLALCHEMY_VERSION (the oracle), sqlmodel==$SQLMODEL_VERSION and sqlalchemy-utils==$SQLALCHEMY_UTILS_VERSION (third-party types the renderer models) and maturin==$MATURIN_VERSION (the wheel)"
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check "alembic==$ALEMBIC_VERSION" \
        "sqlalchemy==$SQLALCHEMY_VERSION" "pydantic==$PYDANTIC_VERSION" "maturin==$MATURIN_VERSION"
    # SQLModel's metadata asks for SQLAlchemy < 2.1; its types work with 2.1 (as ZenML's
    # migrations show in the corpus), so it goes in without its dependencies
    .venv/bin/pip install -q --disable-pip-version-check --no-deps "sqlmodel==$SQLMODEL_VERSION"
    .venv/bin/pip install -q --disable-pip-version-check --no-deps "sqlalchemy-utils==$SQLALCHEMY_UTILS_VERSION"
    .venv/bin/pip install -q --disable-pip-version-check "sarif-pydantic==$SARIF_PYDANTIC_VERSION"
}

setup() {
    setup_wasm_target
    setup_rust_components
    setup_cargo_tools
    setup_browser
    setup_postgres
    setup_npm
    setup_python
}

build_web_release() {
    log "release wasm build (trunk)"
    if [ -n "$WASM_FALLBACK" ]; then
        PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
            CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld trunk build --release --offline
    else
        trunk build --release --offline
    fi
}

run_tests() {
    local t0=$SECONDS
    # a clean clone builds about 7 GB (native and wasm targets, trunk's dist): say so plainly
    # rather than fail half-way with "No space left on device"
    local free_kb; free_kb=$(df -Pk "$ROOT" | awk 'NR == 2 { print $4 }')
    if [ "${free_kb:-0}" -lt $((8 * 1024 * 1024)) ]; then
        echo "dev.sh test: only $((free_kb / 1024)) MB free on $(df -P "$ROOT" | awk 'NR == 2 { print $6 }'); the tests need about 8 GB" >&2
        exit 1
    fi
    # every temporary file of the run (tests, Chromium's scoped dirs, trunk) goes in one
    # folder removed at the end, so repeated runs do not fill /tmp; open to every user as
    # /tmp is (the real-database tests run PostgreSQL's initdb as the postgres user)
    RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/alembic-planner-test.XXXXXX")
    chmod 1777 "$RUN_TMP"
    trap 'rm -rf "$RUN_TMP"' EXIT
    export TMPDIR="$RUN_TMP"
    log "cargo fmt --check"
    cargo fmt --all -- --check
    log "clippy (native, warnings denied)"
    cargo clippy --all-targets --locked -- -D warnings
    log "clippy (web app, wasm32, warnings denied)"
    wasm_cargo clippy --target "$WASM_TARGET" --no-default-features --features web --all-targets --locked -- -D warnings
    # the differential and real-database tests are #[ignore]d (a plain `cargo test` lists
    # them as ignored, never as passed); here they run, and fail if the oracle is missing
    log "native tests, including those against real Alembic and PostgreSQL"
    ALEMBIC_PLANNER_PYTHON="$ROOT/.venv/bin/python" \
        cargo test --locked -- --include-ignored --show-output
    log "wasm tests in headless Chromium"
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
        CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=600 \
        wasm_cargo test --locked --target "$WASM_TARGET" --no-default-features --test wasm
    build_web_release
    log "end-to-end tests (playwright-core + Chromium)"
    node --test tests/e2e/
    log "all tests passed in $((SECONDS - t0)) s"
}

# Coverage-guided fuzzing (cargo-fuzz, libFuzzer; not part of test). cargo-fuzz wants a
# nightly compiler for its flags: RUSTC_BOOTSTRAP lets the stable one take them. Crashes are
# copied into tests/fixtures/fuzz/<target>/, which tests/fuzz.rs replays on every test run.
fuzz() {
    local minutes="${1:-10}"
    have cargo-fuzz || cargo install cargo-fuzz --version 0.13.2 --locked
    cd "$ROOT/fuzz"
    export RUSTC_BOOTSTRAP=1
    log "building the fuzz targets"
    cargo fuzz build -O
    # the seed corpus: every revision file of the fixtures and the sample
    mkdir -p corpus/read_script corpus/sql
    find "$ROOT/tests/fixtures" "$ROOT/migrations-sample" -name '*.py' | while read -r f; do
        cp "$f" "corpus/read_script/seed_$(sha1sum "$f" | cut -c1-12).py"
    done
    find "$ROOT/tests/fixtures" -name 'expected.txt' -path '*render*' | while read -r f; do
        cp "$f" "corpus/sql/seed_$(sha1sum "$f" | cut -c1-12).sql"
    done
    local targets; targets=$(cargo fuzz list)
    run_one() {
        local t=$1
        mkdir -p "corpus/$t" "artifacts/$t"
        cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time=$((minutes * 60)) -rss_limit_mb=4096 \
            -timeout=60 -print_final_stats=1 > "artifacts/$t.log" 2>&1 || true
        local done_line execs; done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "artifacts/$t.log" | tail -1)
        execs=$(grep -E '^stat::number_of_executed_units' "artifacts/$t.log" | awk '{print $2}')
        printf '%-12s %s executions; %s\n' "$t" "${execs:-?}" "${done_line:-no DONE line (see fuzz/artifacts/$t.log)}"
    }
    log "fuzzing each target $minutes minutes, two at a time"
    echo "$targets" | xargs -P 2 -I{} bash -c "$(declare -f run_one); minutes=$minutes; run_one {}"
    local found=0
    for t in $targets; do
        for a in artifacts/"$t"/crash-* artifacts/"$t"/oom-* artifacts/"$t"/timeout-* artifacts/"$t"/slow-unit-*; do
            [ -e "$a" ] || continue
            mkdir -p "$ROOT/tests/fixtures/fuzz/$t"
            cp "$a" "$ROOT/tests/fixtures/fuzz/$t/"
            found=$((found + 1))
        done
    done
    log "fuzzing done: $found new findings copied to tests/fixtures/fuzz/ (tests/fuzz.rs replays them)"
}

case "${1:-}" in
    setup) setup ;;
    serve)
        setup
        log "serving on http://127.0.0.1:8080 (Ctrl-C stops)"
        if [ -n "$WASM_FALLBACK" ]; then
            PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
                CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld exec trunk serve --offline "${@:2}"
        else
            exec trunk serve --offline "${@:2}"
        fi
        ;;
    test) setup; run_tests ;;
    bench)
        setup
        shift
        log "native benchmarks (cargo bench)"
        cargo bench --bench parse -- "$@"
        log "extreme and hostile inputs through the release CLI (time and peak memory)"
        cargo bench --bench extreme
        build_web_release
        log "browser benchmarks (headless Chromium)"
        node tests/e2e/bench-browser.mjs
        ;;
    fuzz) shift; fuzz "$@" ;;
    corpus)
        shift
        setup
        log "building the release CLI"
        cargo build --release --locked --bin alembic-planner
        log "the real-world corpus (downloads into .corpus-cache/, never committed)"
        "$ROOT/.venv/bin/python" "$ROOT/scripts/corpus.py" "$@"
        ;;
    *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
