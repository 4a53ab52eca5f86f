// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Which program is running: the version, the source commit it was built from, and the build's
// own identifier. Both binaries print it for --version, the app shows it under Settings, and a
// bundle's manifest can name it, so a report ties a bundle to a build anyone can rebuild
// (docs/RELEASE.md).

#include <string>
#include <string_view>

namespace svidok::crypto {

/// The project version ("0.1.0"), fixed at configure time.
[[nodiscard]] std::string_view build_version() noexcept;

/// The 40-hex git commit of the sources, with "-dirty" when the tree had local changes at
/// configure time (cmake/version.cmake).
[[nodiscard]] std::string_view build_commit() noexcept;

/// The GNU build-id of the running executable in lowercase hex: the linker's hash over the
/// finished binary, so two builds share it exactly when their code and data match. Empty when
/// the executable carries no build-id note (a link with --build-id=none).
[[nodiscard]] std::string build_id();

/// The --version text of `program`: "svidok-cli 0.1.0\ncommit <hex>\nbuild <hex>\n".
[[nodiscard]] std::string version_text(std::string_view program);

}  // namespace svidok::crypto
