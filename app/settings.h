// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The app's preferences: not secret and never user data, so they live in a small text file in
// the config directory (beside imgui.ini) and are readable before the vault is unlocked.

#include <filesystem>
#include <optional>

#include "i18n.h"

namespace svidok::app {

struct Settings {
    Lang language = Lang::en;
    int auto_lock_minutes = 5;  // 0: never
    float text_scale = 1.f;     // 0.8 .. 2.0

    static constexpr int kMaxAutoLockMinutes = 240;
    static constexpr float kMinTextScale = 0.8f;
    static constexpr float kMaxTextScale = 2.f;

    /// Reads `file` ("key = value" lines); a missing or unreadable file or unknown lines leave
    /// the defaults, out-of-range values are clamped.
    [[nodiscard]] static Settings load(const std::filesystem::path& file);
    /// Writes atomically; false if it could not (the app keeps running with them in memory).
    bool save(const std::filesystem::path& file) const;
};

/// $XDG_CONFIG_HOME/svidok, else ~/.config/svidok; empty when neither is set.
[[nodiscard]] std::filesystem::path config_dir();

}  // namespace svidok::app
