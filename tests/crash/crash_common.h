// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the crash driver and the SIGKILL harness agree on: the scratch vaults' passphrases and
// the markers the driver prints around the one operation it performs.

#include <string_view>

namespace svidok::test::crash {

inline constexpr std::string_view kPassphrase = "correct horse battery";
/// What `passwd` changes the passphrase to.
inline constexpr std::string_view kNewPassphrase = "a new correct horse battery";
/// Printed (and flushed) once the vault is open, just before the operation starts.
inline constexpr std::string_view kStarted = "started";
/// Printed (and flushed) once the operation returned success.
inline constexpr std::string_view kDone = "done";

}  // namespace svidok::test::crash
