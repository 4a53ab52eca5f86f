// SPDX-License-Identifier: GPL-3.0-or-later
#include "i18n.h"

#include <algorithm>
#include <array>
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
        for (auto table :
             {strings_core(), strings_main(), strings_editor(), strings_safety(), strings_legal()})
            v.insert(v.end(), table.begin(), table.end());
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

std::span<const StringEntry> string_table() noexcept {
    return all_strings();
}
void set_language(Lang lang) noexcept {
    g_lang = lang;
}
Lang language() noexcept {
    return g_lang;
}

forms::Language content_language() noexcept {
    switch (g_lang.load()) {
        case Lang::uk:
            return forms::Language::uk;
        case Lang::ru:
            return forms::Language::ru;
        case Lang::en:
            break;
    }
    return forms::Language::en;
}

const char* tr(std::string_view key) noexcept {
    const auto& m = index();
    if (auto it = m.find(key); it != m.end()) {
        switch (g_lang.load()) {
            case Lang::uk:
                return it->second->uk.data();
            case Lang::ru:
                return it->second->ru.data();
            case Lang::en:
                return it->second->en.data();
        }
    }
#ifndef NDEBUG
    std::abort();
#endif
    return key.data();
}

}  // namespace svidok::app

namespace svidok::app {
namespace {

// Nominative (a month on its own) and genitive (after a day number) where the language has both.
constexpr std::array<std::array<std::string_view, 12>, 5> kMonths{{
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
    {"січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень",
     "вересень", "жовтень", "листопад", "грудень"},
    {"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня",
     "жовтня", "листопада", "грудня"},
    {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
     "ноябрь", "декабрь"},
    {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
     "октября", "ноября", "декабря"},
}};

std::string_view month_name(int month, Lang lang, bool after_day) {
    std::size_t row = lang == Lang::uk   ? (after_day ? 2 : 1)
                      : lang == Lang::ru ? (after_day ? 4 : 3)
                                         : 0;
    return kMonths[row][static_cast<std::size_t>(month - 1)];
}

bool digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string format_one(std::string_view d, Lang lang) {
    if (d.size() == 4 && digits(d)) return std::string(d);
    if (d.size() < 7 || d[4] != '-' || !digits(d.substr(0, 4)) || !digits(d.substr(5, 2))) {
        return std::string(d);
    }
    int month = (d[5] - '0') * 10 + (d[6] - '0');
    if (month < 1 || month > 12) return std::string(d);
    std::string year(d.substr(0, 4));
    if (d.size() == 7) return std::string(month_name(month, lang, false)) + " " + year;
    if (d.size() < 10 || d[7] != '-' || !digits(d.substr(8, 2))) return std::string(d);
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    // "5 March 2024", "5 березня 2024", "5 марта 2024": the same order in all three.
    std::string out = std::to_string(day);
    out += ' ';
    out += month_name(month, lang, true);
    out += ' ';
    out += year;
    if (d.size() >= 16 && d[10] == 'T' && d.back() == 'Z') {
        out += ", ";
        out += d.substr(11, 5);
        out += " UTC";
    }
    return out;
}

}  // namespace

std::string format_date(std::string_view iso, Lang lang) {
    if (auto slash = iso.find('/'); slash != std::string_view::npos) {
        return format_one(iso.substr(0, slash), lang) + " – " +
               format_one(iso.substr(slash + 1), lang);
    }
    return format_one(iso, lang);
}

}  // namespace svidok::app
