#!/usr/bin/env bash
# Brings in what building chariot-kg needs beyond a Rust toolchain and gcc.
#
# Oxigraph's RocksDB backend (oxrocksdb-sys) runs bindgen at build time, and bindgen
# needs libclang (Debian: libclang-dev). A machine without it fails only after ~15 minutes
# of C++ compilation, so `make run`, `make test` and CI call this first. It installs
# libclang-dev when it can (root, or passwordless sudo, on Debian/Ubuntu) and otherwise
# prints the exact command and stops.
set -euo pipefail

have_libclang() {
    if [ -n "${LIBCLANG_PATH:-}" ] && ls "$LIBCLANG_PATH"/libclang*.so* >/dev/null 2>&1; then
        return 0
    fi
    if command -v dpkg-query >/dev/null 2>&1; then
        dpkg-query -W -f='${Status}' libclang-dev 2>/dev/null | grep -q "install ok installed"
        return
    fi
    # Not Debian: look where distributions put it.
    ls /usr/lib/libclang.so* /usr/lib64/libclang.so* /usr/lib/llvm*/lib/libclang.so* \
        /usr/lib/x86_64-linux-gnu/libclang-*.so* >/dev/null 2>&1
}

if have_libclang; then
    exit 0
fi

echo "prereqs: libclang is missing (bindgen needs it to build Oxigraph's RocksDB bindings)" >&2
if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo"
    else
        echo "prereqs: run this, then try again:  sudo apt-get update && sudo apt-get install -y libclang-dev" >&2
        exit 1
    fi
    echo "prereqs: installing libclang-dev with apt-get" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libclang-dev >/dev/null
    have_libclang && exit 0
    echo "prereqs: libclang-dev was installed but libclang is still not found" >&2
    exit 1
fi
echo "prereqs: install libclang (the clang development library) with your package manager, or set LIBCLANG_PATH" >&2
exit 1
