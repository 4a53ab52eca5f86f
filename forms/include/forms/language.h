// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The three languages of forms and interface (English, Ukrainian, Russian) and text carried in
// all three. Ukrainian and Russian are distinct languages: every text has its own translation
// in each, never one borrowed from the other.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace svidok::forms {

enum class Language { en, uk, ru };

inline constexpr std::size_t kLanguageCount = 3;
/// In the order texts are written in definitions and shown in language pickers.
inline constexpr std::array<Language, kLanguageCount> kLanguages{Language::en, Language::uk,
                                                                 Language::ru};

/// The code used in definitions and settings: "en", "uk" or "ru".
[[nodiscard]] std::string_view language_code(Language lang) noexcept;

/// Exactly "en", "uk" or "ru" (lowercase); nullopt for anything else.
[[nodiscard]] std::optional<Language> language_from_code(std::string_view code) noexcept;

/// A text in every language. Texts read from a definition are never empty in any language.
struct LocalizedText {
    std::array<std::string, kLanguageCount> text;

    [[nodiscard]] const std::string& in(Language lang) const noexcept {
        return text[static_cast<std::size_t>(lang)];
    }
    friend bool operator==(const LocalizedText&, const LocalizedText&) = default;
};

}  // namespace svidok::forms
