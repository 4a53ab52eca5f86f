// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/language.h"

namespace svidok::forms {

std::string_view language_code(Language lang) noexcept {
    switch (lang) {
        case Language::en:
            return "en";
        case Language::uk:
            return "uk";
        case Language::ru:
            return "ru";
    }
    return "en";
}

std::optional<Language> language_from_code(std::string_view code) noexcept {
    for (Language lang : kLanguages) {
        if (language_code(lang) == code) return lang;
    }
    return std::nullopt;
}

}  // namespace svidok::forms
