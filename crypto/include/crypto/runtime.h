// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one start-up path of both binaries (svidok and svidok-cli): initialise libsodium, run
// known-answer self-tests of every primitive Svidok uses, and turn off core dumps so a crash
// never writes decrypted memory to disk. A binary refuses to run if any step fails.

#include "crypto/error.h"

namespace svidok::crypto {

/// Runs sodium_init and the known-answer self-tests. Idempotent.
[[nodiscard]] Result<> init_and_self_test();

/// Sets RLIMIT_CORE to 0 and PR_SET_DUMPABLE to 0 (also blocks ptrace attach by unprivileged
/// processes of the same user and hides /proc/PID/mem from them).
[[nodiscard]] Result<> disable_core_dumps();

/// True: every C++ heap block of this process is wiped when freed (zeroing_heap.cpp replaces the
/// global operator new and delete). Called by harden_process so the replacement is linked.
[[nodiscard]] bool zeroing_heap_linked() noexcept;

/// Both of the above, in order, after setting the umask to 077: what every main() calls first.
[[nodiscard]] Result<> harden_process();

}  // namespace svidok::crypto
