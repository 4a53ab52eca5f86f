// SPDX-License-Identifier: GPL-3.0-or-later
// The record editor's vocabularies (with search), suggested legal tags and locations
// (form_editor.h).
#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <algorithm>
#include <array>
#include <cctype>

#include "form_editor_pass.h"
#include "forms/legal_tags.h"
#include "i18n.h"
#include "probe.h"

namespace svidok::app::editor_impl {

using forms::DatePrecision;
using forms::Field;
namespace json = forms::json;

namespace {

// Vocabularies longer than this get a search box (the oblasts have 28 entries).
constexpr std::size_t kSearchFrom = 10;
constexpr float kComboWidth = 420.f;
constexpr float kCoordinateWidth = 190.f;

// Lower case for the letters interviewers search with: Latin, Latin-1 and Cyrillic
// (including Ґ and the other paired letters of the Cyrillic supplement block).
char32_t fold(char32_t c) {
    if ((c >= U'A' && c <= U'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    if (c >= 0x490 && c <= 0x4BF && c % 2 == 0) return c + 1;
    return c;
}

std::u32string folded(std::string_view s) {
    std::u32string out;
    const char* p = s.data();
    const char* end = p + s.size();
    while (p < end) {
        unsigned int c = 0;
        const int n = ImTextCharFromUtf8(&c, p, end);
        if (n <= 0) break;
        p += n;
        out.push_back(fold(c));
    }
    return out;
}

bool chosen(const std::vector<Choice>& choices, std::string_view id) {
    return std::ranges::any_of(choices, [&](const Choice& c) { return c.value == id; });
}

json::Array array_of(const json::Value* v) {
    return v != nullptr && v->is_array() ? v->as_array() : json::Array{};
}

}  // namespace

// --- Choices ------------------------------------------------------------------------------

std::optional<Choice> read_choice(const json::Value* v) {
    if (v == nullptr || !v->is_object()) return std::nullopt;
    return Choice{text_of(v->find("value")), text_of(v->find("other"))};
}

std::vector<Choice> read_choices(const json::Value* v) {
    std::vector<Choice> out;
    for (const json::Value& e : array_of(v)) out.push_back(read_choice(&e).value_or(Choice{}));
    return out;
}

json::Value choice_value(std::string_view value, std::string_view other) {
    return json::Object{{"value", value},
                        {"other", value == "other" ? json::Value(other) : json::Value()}};
}

std::string choice_text(const forms::Vocabulary* vocab, const Choice& c, forms::Language lang) {
    if (c.value == "other") return formatted(tr("editor.choice.other_value"), c.other.c_str());
    const forms::VocabularyEntry* e = vocab != nullptr ? vocab->find(c.value) : nullptr;
    return e != nullptr ? e->label.in(lang) : c.value;
}

bool matches_search(std::string_view hay, std::string_view needle) {
    return folded(hay).find(folded(needle)) != std::u32string::npos;
}

std::optional<json::Value> Pass::choice_combo(const std::string& name, const char* label,
                                              const forms::Vocabulary* vocab, bool allow_other,
                                              const std::optional<Choice>& current) {
    const float width = std::min(field_width(), kComboWidth);
    probe_frame(name, width);  // the rect of the closed combo, even while its list is open
    ImGui::SetNextItemWidth(width);
    const std::string preview =
        current ? choice_text(vocab, *current, lang_) : tr("editor.choice.choose");
    if (!ImGui::BeginCombo(labelled(label, name).c_str(), preview.c_str(),
                           ImGuiComboFlags_HeightLarge)) {
        return std::nullopt;
    }
    std::optional<json::Value> picked;
    const bool searchable = vocab != nullptr && vocab->entries.size() > kSearchFrom;
    std::string& filter = ed_.filters_[name];
    if (searchable) search_box(name, filter, true);
    if (ImGui::Selectable(labelled(tr("editor.choice.none"), name + "=").c_str(), !current)) {
        picked = json::Value();
    }
    track(name + "=");
    static const std::vector<forms::VocabularyEntry> kNoEntries;
    for (const auto& e : vocab != nullptr ? vocab->entries : kNoEntries) {
        const std::string& text = e.label.in(lang_);
        if (searchable && !matches_search(text, filter) && !matches_search(e.id, filter)) continue;
        const std::string item = name + "=" + e.id;
        if (ImGui::Selectable(labelled(text.c_str(), item).c_str(),
                              current && current->value == e.id)) {
            picked = choice_value(e.id, "");
        }
        track(item);
        if (e.hint && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", e.hint->in(lang_).c_str());
    }
    if (allow_other) {
        const bool is_other = current && current->value == "other";
        if (ImGui::Selectable(labelled(tr("editor.choice.other"), name + "=other").c_str(),
                              is_other)) {
            picked = choice_value("other", is_other ? current->other : "");
        }
        track(name + "=other");
    }
    ImGui::EndCombo();
    return picked;
}

// In a combo's list the search starts empty and takes the keyboard; inline it persists.
void Pass::search_box(const std::string& name, std::string& filter, bool in_popup) {
    if (in_popup && ImGui::IsWindowAppearing()) {
        filter.clear();
        ImGui::SetKeyboardFocusHere();
    }
    ImGui::SetNextItemWidth(in_popup ? -FLT_MIN : std::min(field_width(), kComboWidth));
    ImGui::InputTextWithHint(("##" + name + ".filter").c_str(), tr("editor.choice.search"),
                             filter.data(), filter.capacity() + 1,
                             ImGuiInputTextFlags_CallbackResize, text_callback, &filter);
    probe::item("editor." + name + ".filter");
}

bool Pass::other_text(const std::string& name, const std::string& text) {
    ImGui::SetNextItemWidth(std::min(field_width(), kComboWidth));
    return input(name + ".other", text, tr("editor.choice.other_hint"));
}

void Pass::single_choice(const Field& f, const Site& site) {
    const forms::Vocabulary* vocab = form_.find_vocabulary(f.vocabulary);
    if (auto picked =
            choice_combo(site.path, "", vocab, f.allow_other, read_choice(value_at(root_, site)))) {
        commit(site, std::move(*picked), true);
    }
    const auto current = read_choice(value_at(root_, site));
    if (current && current->value == "other" && other_text(site.path, current->other)) {
        commit(site, choice_value("other", ed_.scratch_));
    }
}

// A checkbox per entry (the long lists filtered by a search box; chosen entries always shown).
void Pass::multi_choice(const Field& f, const Site& site) {
    const forms::Vocabulary* vocab = form_.find_vocabulary(f.vocabulary);
    if (vocab == nullptr) return;
    legal_suggestions(f, site);
    const std::vector<Choice> current = read_choices(value_at(root_, site));
    const bool searchable = vocab->entries.size() > kSearchFrom;
    std::string& filter = ed_.filters_[site.path];
    if (searchable) search_box(site.path, filter, false);
    std::optional<std::pair<std::string, bool>> toggled;
    const auto box = [&](const std::string& id, const char* text,
                         const forms::LocalizedText* hint) {
        bool on = chosen(current, id);
        ImGui::BeginDisabled(!on && current.size() >= f.max_items);
        const std::string name = site.path + "=" + id;
        if (ImGui::Checkbox(labelled(text, name).c_str(), &on)) toggled = {id, on};
        track(name);
        if (hint != nullptr && ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", hint->in(lang_).c_str());
        ImGui::EndDisabled();
    };
    for (const auto& e : vocab->entries) {
        const std::string& text = e.label.in(lang_);
        if (searchable && !chosen(current, e.id) && !matches_search(text, filter) &&
            !matches_search(e.id, filter)) {
            continue;
        }
        box(e.id, text.c_str(), e.hint ? &*e.hint : nullptr);
    }
    std::optional<std::pair<std::size_t, std::string>> other;
    if (f.allow_other) {
        box("other", tr("editor.choice.other"), nullptr);
        for (std::size_t k = 0; k < current.size(); ++k) {
            if (current[k].value == "other" && other_text(site.element(k).path, current[k].other)) {
                other = {k, ed_.scratch_};
            }
        }
    }
    if (!toggled && !other) return;
    json::Array next = array_of(value_at(root_, site));
    if (other) next[other->first] = choice_value("other", other->second);
    if (toggled && toggled->second) next.push_back(choice_value(toggled->first, ""));
    if (toggled && !toggled->second) {
        std::erase_if(next, [&](const json::Value& e) {
            const auto c = read_choice(&e);
            return c && c->value == toggled->first;
        });
    }
    commit(site, next.empty() ? json::Value() : json::Value(std::move(next)), toggled.has_value());
}

// Suggestions are not findings (docs/FORMS.md 2.5): a tag is stored only once a person
// confirms it into the form's multi_choice field on the legal vocabulary.
void Pass::legal_suggestions(const Field& f, const Site& site) {
    const forms::Vocabulary* vocab = form_.find_vocabulary(f.vocabulary);
    if (f.vocabulary != form_.legal_tag_vocabulary() || f.repeat != forms::kNoField) return;
    const std::vector<Choice> current = read_choices(value_at(root_, site));
    std::vector<std::string> pending;
    for (std::string& tag : forms::suggested_legal_tags(form_, root_)) {
        if (!chosen(current, tag)) pending.push_back(std::move(tag));
    }
    if (pending.empty()) return;
    ImGui::TextWrapped("%s", tr("editor.legal.suggested"));
    std::vector<std::string> confirm;
    for (const std::string& tag : pending) {
        const forms::VocabularyEntry* e = vocab->find(tag);
        ImGui::BulletText("%s", e != nullptr ? e->label.in(lang_).c_str() : tag.c_str());
        ImGui::SameLine();
        const std::string name = site.path + ".confirm=" + tag;
        if (ImGui::SmallButton(labelled(tr("editor.legal.confirm"), name).c_str())) confirm = {tag};
        track(name);
    }
    if (pending.size() > 1) {
        const std::string name = site.path + ".confirm_all";
        if (ImGui::SmallButton(labelled(tr("editor.legal.confirm_all"), name).c_str())) {
            confirm = pending;
        }
        track(name);
    }
    ImGui::Spacing();
    if (confirm.empty()) return;
    json::Array next = array_of(value_at(root_, site));
    for (const std::string& tag : confirm) next.push_back(choice_value(tag, ""));
    commit(site, std::move(next), true);
}

// --- Locations ----------------------------------------------------------------------------

void Pass::location(const Field& f, const Site& site) {
    location_part(site, "oblast", f.oblast_vocabulary, tr("editor.location.oblast"));
    location_part(site, "raion", f.raion_vocabulary, tr("editor.location.raion"));
    location_part(site, "settlement", f.settlement_vocabulary, tr("editor.location.settlement"));
    ImGui::SetNextItemWidth(field_width());
    if (input(site.path + ".details", text_of(member_of(value_at(root_, site), "details")), nullptr,
              0, 0.f, tr("editor.location.details"))) {
        set_location_part(site, "details", text_value(ed_.scratch_), false);
    }
    coordinates(site);
}

// A part with a vocabulary is a combo (free text through "other"); without one, free text
// stored as "other" (docs/FORMS.md 3.4).
void Pass::location_part(const Site& site, std::string_view key, const std::string& vocab_id,
                         const char* label) {
    const std::string name = site.path + "." + std::string(key);
    const auto current = read_choice(member_of(value_at(root_, site), key));
    if (vocab_id.empty()) {
        ImGui::SetNextItemWidth(std::min(field_width(), kComboWidth));
        if (input(name, current ? current->other : "", nullptr, 0, 0.f, label)) {
            const std::string& text = ed_.scratch_;
            set_location_part(site, key, text.empty() ? json::Value() : choice_value("other", text),
                              false);
        }
        return;
    }
    if (auto picked = choice_combo(name, label, form_.find_vocabulary(vocab_id), true, current)) {
        set_location_part(site, key, std::move(*picked), true);
    }
    const auto now = read_choice(member_of(value_at(root_, site), key));
    if (now && now->value == "other" && other_text(name, now->other)) {
        set_location_part(site, key, choice_value("other", ed_.scratch_), false);
    }
}

void Pass::coordinates(const Site& site) {
    const json::Value* c = member_of(value_at(root_, site), "coordinates");
    std::array<std::string, 2> values{text_of(member_of(c, "lat")), text_of(member_of(c, "lon"))};
    static constexpr std::array<const char*, 2> kKeys{"lat", "lon"};
    static constexpr std::array<const char*, 2> kHints{"editor.location.lat",
                                                       "editor.location.lon"};
    bool edited = false;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("editor.location.coordinates"));
    for (std::size_t i = 0; i < values.size(); ++i) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(kCoordinateWidth);
        if (input(site.path + ".coordinates." + kKeys[i], values[i], tr(kHints[i]),
                  ImGuiInputTextFlags_CharsDecimal)) {
            values[i] = ed_.scratch_;
            edited = true;
        }
    }
    if (!edited) return;
    json::Value next = values[0].empty() && values[1].empty()
                           ? json::Value()
                           : json::Value(json::Object{{"lat", values[0]}, {"lon", values[1]}});
    set_location_part(site, "coordinates", std::move(next), false);
}

void Pass::set_location_part(const Site& site, std::string_view key, json::Value part, bool done) {
    const json::Value* current = value_at(root_, site);
    json::Value next = current != nullptr && current->is_object()
                           ? *current
                           : json::Value(json::Object{{"oblast", nullptr},
                                                      {"raion", nullptr},
                                                      {"settlement", nullptr},
                                                      {"details", nullptr},
                                                      {"coordinates", nullptr}});
    next.set(key, std::move(part));
    commit(site, forms::is_empty_answer(&next) ? json::Value() : std::move(next), done);
}

std::string Pass::location_text(const Field& f, const json::Value& v) const {
    std::string out;
    const auto add = [&](const std::string& s) {
        if (!s.empty()) out += (out.empty() ? "" : ", ") + s;
    };
    const std::array<std::pair<const char*, const std::string*>, 3> parts{{
        {"oblast", &f.oblast_vocabulary},
        {"raion", &f.raion_vocabulary},
        {"settlement", &f.settlement_vocabulary},
    }};
    for (const auto& [key, vocab_id] : parts) {
        if (const auto c = read_choice(v.find(key))) {
            add(choice_text(form_.find_vocabulary(*vocab_id), *c, lang_));
        }
    }
    add(text_of(v.find("details")));
    const json::Value* c = v.find("coordinates");
    if (member_of(c, "lat") != nullptr) {
        add(text_of(member_of(c, "lat")) + " " + text_of(member_of(c, "lon")));
    }
    return out;
}

}  // namespace svidok::app::editor_impl
