// SPDX-License-Identifier: GPL-3.0-or-later
// The record editor's widgets for texts, integers, booleans, times, consent and attachments, and
// the text the read-only view shows for every kind (form_editor.h).
#include <imgui.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "form_editor_pass.h"
#include "i18n.h"

namespace svidok::app::editor_impl {

using forms::Field;
using forms::FieldKind;
namespace json = forms::json;

namespace {

constexpr float kShortWidth = 300.f;
constexpr float kNarrativeLines = 7.f;

// Digits typed into an integer field. Text that is not a safe integer is kept as typed (a
// string), so nothing typed is lost and validation reports it as wrong_type.
json::Value integer_value(std::string_view text) {
    if (text.empty()) return {};
    const std::string_view digits = text.starts_with('+') ? text.substr(1) : text;
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && end == digits.data() + digits.size() && n >= -json::kMaxSafeInteger &&
        n <= json::kMaxSafeInteger) {
        return n;
    }
    return std::string(text);
}

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(std::ranges::count_if(
        s, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The local time with its UTC offset, as a datetime answer (docs/FORMS.md 3.2).
std::string now_datetime() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char local[32];
    std::strftime(local, sizeof local, "%Y-%m-%dT%H:%M:%S", &tm);
    const long minutes = tm.tm_gmtoff / 60;
    if (minutes == 0) return std::string(local) + "Z";
    const long a = minutes < 0 ? -minutes : minutes;
    return formatted("%s%c%02ld:%02ld", local, minutes < 0 ? '-' : '+', a / 60, a % 60);
}

json::Value consent_value(bool given, const std::string& time) {
    return json::Object{{"given", given}, {"time", text_value(time)}};
}

std::optional<bool> bool_of(const json::Value* v) {
    return v != nullptr && v->is_bool() ? std::optional(v->as_bool()) : std::nullopt;
}
}  // namespace

void Pass::text_field(const Field& f, const Site& site) {
    const bool narrative = f.kind == FieldKind::long_text;
    const float height = narrative ? ImGui::GetTextLineHeight() * kNarrativeLines +
                                         ImGui::GetStyle().FramePadding.y * 2.f
                                   : 0.f;
    if (!narrative) ImGui::SetNextItemWidth(field_width());
    if (input(site.path, text_of(value_at(root_, site)), nullptr, 0, height)) {
        commit(site, text_value(ed_.scratch_));
    }
    // Near the limit, show how much is left; validation reports going over it.
    const std::size_t n = code_points(text_of(value_at(root_, site)));
    if (n * 10 >= f.max_length * 9) {
        ImGui::TextDisabled(tr("editor.text.count"), static_cast<int>(n),
                            static_cast<int>(f.max_length));
    }
}

void Pass::integer_field(const Field& f, const Site& site) {
    const json::Value* v = value_at(root_, site);
    const std::string text = v != nullptr && v->is_int() ? std::to_string(v->as_int()) : text_of(v);
    const std::string hint = formatted(tr("editor.integer.range"), std::to_string(f.min).c_str(),
                                       std::to_string(f.max).c_str());
    ImGui::SetNextItemWidth(std::min(field_width(), kShortWidth));
    if (input(site.path, text, hint.c_str(), ImGuiInputTextFlags_CharsDecimal)) {
        commit(site, integer_value(ed_.scratch_));
    }
}

// Two buttons rather than a checkbox: "not answered yet" must stay distinct from "no".
void Pass::boolean_field(const Site& site) {
    const std::optional<bool> current = bool_of(value_at(root_, site));
    std::optional<bool> picked;
    for (bool b : {true, false}) {
        if (!b) ImGui::SameLine();
        const std::string name = site.path + (b ? "=yes" : "=no");
        if (ImGui::RadioButton(labelled(tr(b ? "editor.yes" : "editor.no"), name).c_str(),
                               current == b)) {
            picked = b;
        }
        track(name);
    }
    if (picked && picked != current) commit(site, *picked, true);
}

void Pass::datetime_field(const Site& site) {
    ImGui::SetNextItemWidth(std::min(field_width(), kShortWidth));
    if (input(site.path, text_of(value_at(root_, site)), tr("editor.datetime.hint"))) {
        commit(site, text_value(ed_.scratch_));
    }
    ImGui::SameLine();
    const std::string now = site.path + ".now";
    if (ImGui::SmallButton(labelled(tr("editor.now"), now).c_str()))
        commit(site, now_datetime(), true);
    track(now);
}

// Whether yes or no, the answer records when it was given (docs/FORMS.md 3.5).
void Pass::consent_field(const Site& site) {
    const json::Value* v = value_at(root_, site);
    const std::optional<bool> given = bool_of(member_of(v, "given"));
    const std::string time = text_of(member_of(v, "time"));
    std::optional<json::Value> next;
    bool done = true;
    for (bool b : {true, false}) {
        if (!b) ImGui::SameLine();
        const std::string name = site.path + (b ? ".given=yes" : ".given=no");
        const char* label = tr(b ? "editor.consent.yes" : "editor.consent.no");
        if (ImGui::RadioButton(labelled(label, name).c_str(), given == b) && given != b) {
            next = consent_value(b, time.empty() ? now_datetime() : time);
        }
        track(name);
    }
    if (given) {
        ImGui::SetNextItemWidth(std::min(field_width(), kShortWidth));
        if (input(site.path + ".time", time, tr("editor.datetime.hint"), 0, 0.f,
                  tr("editor.consent.time"))) {
            next = consent_value(*given, ed_.scratch_);
            done = false;
        }
        ImGui::SameLine();
        const std::string now = site.path + ".now";
        if (ImGui::SmallButton(labelled(tr("editor.now"), now).c_str())) {
            next = consent_value(*given, now_datetime());
        }
        track(now);
    }
    if (next) commit(site, std::move(*next), done);
}

// References only: files are attached in the attachments panel (forms::add_attachment_reference).
void Pass::attachments_list(const json::Value* v) {
    constexpr int kHashDigits = 12;
    std::size_t listed = 0;
    for (std::size_t k = 0; k < items_of(v); ++k) {
        const json::Value& a = v->as_array()[k];
        ImGui::BulletText("%s   %.*s…", text_of(member_of(&a, "name")).c_str(), kHashDigits,
                          text_of(member_of(&a, "sha256")).c_str());
        ++listed;
    }
    if (listed == 0) ImGui::TextDisabled("%s", tr("editor.attachments.none"));
}

std::string Pass::describe(const Field& f, const json::Value& v) const {
    const forms::Vocabulary* vocab = form_.find_vocabulary(f.vocabulary);
    switch (f.kind) {
        case FieldKind::integer:
            return v.is_int() ? std::to_string(v.as_int()) : text_of(&v);
        case FieldKind::boolean:
            return v.is_bool() ? tr(v.as_bool() ? "editor.yes" : "editor.no") : "";
        case FieldKind::date:
            return date_text(v, lang_);
        case FieldKind::single_choice: {
            const auto c = read_choice(&v);
            return c ? choice_text(vocab, *c, lang_) : "";
        }
        case FieldKind::multi_choice: {
            std::string out;
            for (const Choice& c : read_choices(&v)) {
                out += (out.empty() ? "" : "; ") + choice_text(vocab, c, lang_);
            }
            return out;
        }
        case FieldKind::location:
            return location_text(f, v);
        case FieldKind::consent: {
            const auto given = bool_of(member_of(&v, "given"));
            if (!given) return text_of(member_of(&v, "time"));
            return std::string(tr(*given ? "editor.consent.yes" : "editor.consent.no")) + ", " +
                   text_of(member_of(&v, "time"));
        }
        default:
            return text_of(&v);
    }
}

}  // namespace svidok::app::editor_impl
