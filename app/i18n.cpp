// SPDX-License-Identifier: GPL-3.0-or-later
#include "i18n.h"

#include <atomic>
#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "string_tables.h"

namespace svidok::app {
namespace {

std::atomic<Lang> g_lang{Lang::en};

const std::vector<StringEntry>& all_strings() {
    static const std::vector<StringEntry> all = [] {
        std::vector<StringEntry> v;
        for (auto table : {strings_core()}) v.insert(v.end(), table.begin(), table.end());
        return v;
    }();
    return all;
}

// tr() runs for every label of every frame: a hash lookup, built once.
const std::unordered_map<std::string_view, const StringEntry*>& index() {
    static const auto map = [] {
        std::unordered_map<std::string_view, const StringEntry*> m;
        for (const auto& e : all_strings()) m.emplace(e.key, &e);
        return m;
    }();
    return map;
}

}  // namespace

std::span<const StringEntry> string_table() noexcept { return all_strings(); }
void set_language(Lang lang) noexcept { g_lang = lang; }
Lang language() noexcept { return g_lang; }

const char* tr(std::string_view key) noexcept {
    const auto& m = index();
    if (auto it = m.find(key); it != m.end()) {
        switch (g_lang.load()) {
            case Lang::uk: return it->second->uk.data();
            case Lang::ru: return it->second->ru.data();
            case Lang::en: return it->second->en.data();
        }
    }
#ifndef NDEBUG
    std::abort();
#endif
    return key.data();
}

}  // namespace svidok::app
