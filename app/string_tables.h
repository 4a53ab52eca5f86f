// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The per-area string tables that i18n.cpp joins. Each area (a group of windows) keeps its own
// table in strings_<area>.cpp (not "strings.h": that name is a C library header); keys are unique
// across all tables (tested).

#include <span>

#include "i18n.h"

namespace svidok::app {

[[nodiscard]] std::span<const StringEntry> strings_core() noexcept;
[[nodiscard]] std::span<const StringEntry> strings_main() noexcept;
[[nodiscard]] std::span<const StringEntry> strings_editor() noexcept;
[[nodiscard]] std::span<const StringEntry> strings_safety() noexcept;
[[nodiscard]] std::span<const StringEntry> strings_legal() noexcept;

}  // namespace svidok::app
