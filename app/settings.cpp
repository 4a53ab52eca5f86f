// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>

#include "crypto/encoding.h"
#include "store/atomic_file.h"

namespace svidok::app {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxSettingsBytes = 4096;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string_view lang_code(Lang l) {
    switch (l) {
        case Lang::uk:
            return "uk";
        case Lang::ru:
            return "ru";
        case Lang::en:
            break;
    }
    return "en";
}

}  // namespace

Settings Settings::load(const fs::path& file) {
    Settings s;
    auto bytes = store::read_small_file(file, kMaxSettingsBytes);
    if (!bytes) return s;
    std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        auto eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        auto key = trim(line.substr(0, eq));
        auto value = trim(line.substr(eq + 1));
        if (key == "language") {
            if (value == "uk") s.language = Lang::uk;
            if (value == "ru") s.language = Lang::ru;
            if (value == "en") s.language = Lang::en;
        } else if (key == "auto_lock_minutes") {
            int m = 0;
            if (std::from_chars(value.data(), value.data() + value.size(), m).ec == std::errc{}) {
                s.auto_lock_minutes = std::clamp(m, 0, kMaxAutoLockMinutes);
            }
        } else if (key == "text_scale_percent") {
            int p = 0;
            if (std::from_chars(value.data(), value.data() + value.size(), p).ec == std::errc{}) {
                s.text_scale =
                    std::clamp(static_cast<float>(p) / 100.f, kMinTextScale, kMaxTextScale);
            }
        }
    }
    return s;
}

bool Settings::save(const fs::path& file) const {
    if (file.empty()) return false;
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    std::string text = "# Svidok preferences (no user data)\nlanguage = ";
    text += lang_code(language);
    text += "\nauto_lock_minutes = " + std::to_string(auto_lock_minutes);
    text += "\ntext_scale_percent = " + std::to_string(static_cast<int>(text_scale * 100.f + 0.5f));
    text += "\n";
    return store::write_file_atomic(file, crypto::as_bytes(text)).has_value();
}

fs::path config_dir() {
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x != nullptr && *x == '/') {
        return fs::path(x) / "svidok";
    }
    if (const char* h = std::getenv("HOME"); h != nullptr && *h == '/') {
        return fs::path(h) / ".config" / "svidok";
    }
    return {};
}

}  // namespace svidok::app
