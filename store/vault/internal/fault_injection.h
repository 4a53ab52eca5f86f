// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the store layers and their tests: the seam through which the fault-injection tests
// (tests/store/test_faults.cpp) make the store's own file writes, fsyncs and reads fail, as a
// failing disk (EIO) or a full one (ENOSPC) would. No shipped code sets the hook, no switch or
// environment variable reaches it, and unset it costs one relaxed load of a null pointer per
// system call. The tests' SQLite VFS shim calls the same hook, so one counter covers the
// database's I/O and ours.

#include <atomic>

namespace svidok::store::fault {

enum class Op { write, sync, read };

/// Called before each write, fsync or read of a file; returns 0 to let it happen, or the errno
/// it fails with. `path` names the file (for the tests' own bookkeeping).
using Hook = int (*)(Op op, const char* path) noexcept;

inline std::atomic<Hook> hook{nullptr};

/// 0, or the errno the tests want this call to fail with.
inline int injected(Op op, const char* path) noexcept {
    const Hook h = hook.load(std::memory_order_relaxed);
    return h == nullptr ? 0 : h(op, path);
}

}  // namespace svidok::store::fault
