// SPDX-License-Identifier: GPL-3.0-or-later
// The record editor (app/form_editor.h) on the built-in forms, driven as a person would: clicks
// on the probed widgets, typed UTF-8, Tab and Backspace through ImGuiIO.
#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "form_editor.h"
#include "forms/answers.h"
#include "forms/condition.h"
#include "forms/registry.h"
#include "forms/validate.h"
#include "headless.h"
#include "i18n.h"

using namespace svidok;
using namespace svidok::test;
namespace json = forms::json;

template <>
struct doctest::StringMaker<json::Value> {
    static String convert(const json::Value& v) { return json::pretty(v, 0).c_str(); }
};

namespace {

// Tall enough for a whole form, so every field is on screen and can be clicked.
constexpr float kTallDisplay = 16000.f;

enum class Start { blank, example };

// The editor alone in a window, re-validating after every edit as the record window does.
struct EditorTest {
    Headless h;
    forms::FormRegistry registry = *forms::load_builtin();
    const forms::FormDefinition* form = nullptr;
    json::Value answers;
    std::vector<forms::FieldIssue> issues;
    app::FormEditor editor;
    forms::Language lang;
    int changes = 0;
    int completions = 0;
    Headless::Draw draw = [this] {
        ImGui::SetNextWindowPos(ImVec2(0.f, 0.f));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("###editor", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
        const auto events = editor.draw(*form, answers, issues, lang);
        ImGui::End();
        if (events.changed) {
            ++changes;
            issues = forms::validate(*form, answers);
        }
        if (events.field_deactivated) ++completions;
    };

    EditorTest(std::string_view form_id, Start start, forms::Language l = forms::Language::en)
        : lang(l) {
        form = registry.find(form_id);
        REQUIRE(form != nullptr);
        answers = start == Start::blank ? forms::template_for(*form) : forms::example_for(*form);
        issues = forms::validate(*form, answers);
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(1100.f, kTallDisplay);
        // A whole form in one window has more than 64k vertices; let ImGui split its lists.
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
        h.frames(draw, 2);
    }

    void click(std::string_view name) { h.click(draw, name); }
    void type(std::string_view utf8) { h.type(draw, utf8); }
    void press(int key) { h.press(draw, key); }
    void frames(int n) { h.frames(draw, n); }
    static bool shown(std::string_view name) { return Headless::shown(name); }
    static app::probe::Rect rect(std::string_view name) {
        return app::probe::rects().at(std::string(name));
    }

    /// The answer at a validation-style path ("victims[1].age_at_time"), or nullptr.
    [[nodiscard]] const json::Value* get(std::string_view path) const {
        const json::Value* cur = &answers;
        while (!path.empty() && cur != nullptr) {
            if (path.front() == '[') {
                const std::size_t close = path.find(']');
                const std::size_t i = std::stoul(std::string(path.substr(1, close - 1)));
                cur = cur->is_array() && i < cur->as_array().size() ? &cur->as_array()[i] : nullptr;
                path.remove_prefix(close + 1);
            } else {
                if (path.front() == '.') path.remove_prefix(1);
                const std::size_t end = path.find_first_of(".[");
                const std::string key(path.substr(0, end));
                cur = cur->is_object() ? cur->find(key) : nullptr;
                path.remove_prefix(end == std::string_view::npos ? path.size() : end);
            }
        }
        return cur;
    }
    [[nodiscard]] bool has_issue(std::string_view path, forms::IssueCode code) const {
        return std::ranges::any_of(issues,
                                   [&](const auto& i) { return i.path == path && i.code == code; });
    }
    [[nodiscard]] bool any_issue(forms::IssueCode code) const {
        return std::ranges::any_of(issues, [&](const auto& i) { return i.code == code; });
    }
    [[nodiscard]] std::size_t count_shown(std::string_view prefix) const {
        return static_cast<std::size_t>(std::ranges::count_if(
            app::probe::rects(), [&](const auto& e) { return e.first.starts_with(prefix); }));
    }
};

json::Value choice(std::string_view value, std::optional<std::string_view> other = std::nullopt) {
    return json::Object{{"value", value}, {"other", other ? json::Value(*other) : json::Value()}};
}

bool has_choice(const json::Value* v, std::string_view id) {
    return v != nullptr && v->is_array() &&
           std::ranges::any_of(v->as_array(),
                               [&](const json::Value& c) { return c == choice(id); });
}

}  // namespace

TEST_CASE("filling the child-recruitment form by clicking and typing, in Ukrainian") {
    app::set_language(app::Lang::uk);
    EditorTest t("child-recruitment", Start::blank, forms::Language::uk);

    // Everything after consent is hidden until the witness consents to the interview.
    CHECK_FALSE(t.shown("editor.witness.pseudonym"));
    t.click("editor.consent.consent_interview.given=yes");
    REQUIRE(t.get("consent.consent_interview.given") != nullptr);
    CHECK(*t.get("consent.consent_interview.given") == json::Value(true));
    CHECK(t.get("consent.consent_interview.time")->is_string());
    CHECK_FALSE(t.any_issue(forms::IssueCode::bad_datetime));
    REQUIRE(t.shown("editor.witness.pseudonym"));

    SUBCASE("text, Tab to the next field, a narrative with every Cyrillic letter that matters") {
        t.click("editor.witness.pseudonym");
        t.type("Свідок-7");
        CHECK(*t.get("witness.pseudonym") == json::Value("Свідок-7"));
        const int before = t.completions;
        t.press(kTab);  // leaving a field after an edit asks the caller to save
        CHECK(t.completions > before);
        t.type("Олена");
        CHECK(*t.get("witness.real_name") == json::Value("Олена"));

        const std::string story =
            "Їх було п’ятеро; є свідки, ґанок школи.\nЕщё «ёлка» и \"ы\" — 'цитата'.";
        t.click("editor.incident.narrative");
        t.type(story);
        CHECK(*t.get("incident.narrative") == json::Value(story));
        CHECK_FALSE(t.has_issue("incident.narrative", forms::IssueCode::required));
    }

    SUBCASE("a vocabulary entry found with the search box, and \"other\" with its text") {
        t.click("editor.incident.incident_place.oblast");
        REQUIRE(t.shown("editor.incident.incident_place.oblast.filter"));
        CHECK(t.shown("editor.incident.incident_place.oblast=kyivska"));
        t.type("ЛУГАН");  // upper case finds "Луганська область"
        CHECK(t.shown("editor.incident.incident_place.oblast=luhanska"));
        CHECK_FALSE(t.shown("editor.incident.incident_place.oblast=kyivska"));
        // The found entry, "no answer" and "other".
        CHECK(t.count_shown("editor.incident.incident_place.oblast=") == 3);
        t.click("editor.incident.incident_place.oblast=luhanska");
        CHECK(*t.get("incident.incident_place.oblast") == choice("luhanska"));
        // Raion and settlement are free text, stored as "other".
        t.click("editor.incident.incident_place.settlement");
        t.type("Лутугине");
        CHECK(*t.get("incident.incident_place.settlement") == choice("other", "Лутугине"));

        t.click("editor.witness.relation_to_victim");
        t.click("editor.witness.relation_to_victim=other");
        CHECK(t.has_issue("witness.relation_to_victim.other", forms::IssueCode::other_missing));
        REQUIRE(t.shown("editor.witness.relation_to_victim.other"));
        t.click("editor.witness.relation_to_victim.other");
        t.type("сусідка по під’їзду");
        CHECK(*t.get("witness.relation_to_victim") == choice("other", "сусідка по під’їзду"));
        CHECK_FALSE(
            t.has_issue("witness.relation_to_victim.other", forms::IssueCode::other_missing));

        // A long multi_choice list is filtered inline; chosen entries stay visible.
        t.click("editor.incident.what_happened=draft_summons");
        t.click("editor.incident.what_happened.filter");
        t.type("юнарм");
        CHECK(t.shown("editor.incident.what_happened=yunarmiya"));
        CHECK(t.shown("editor.incident.what_happened=draft_summons"));
        CHECK_FALSE(t.shown("editor.incident.what_happened=camp"));
        t.click("editor.incident.what_happened=yunarmiya");
        CHECK(has_choice(t.get("incident.what_happened"), "draft_summons"));
        CHECK(has_choice(t.get("incident.what_happened"), "yunarmiya"));
        t.click("editor.incident.what_happened=draft_summons");
        CHECK_FALSE(has_choice(t.get("incident.what_happened"), "draft_summons"));
    }

    SUBCASE("an approximate date: month precision, then year and month") {
        t.click("editor.incident.incident_date.precision=month");
        CHECK(json::Value() == *t.get("incident.incident_date"));  // nothing entered yet
        CHECK_FALSE(t.shown("editor.incident.incident_date.value.day"));
        t.click("editor.incident.incident_date.value.year");
        t.type("2023");
        t.click("editor.incident.incident_date.value.month");
        t.click("editor.incident.incident_date.value.month=4");
        t.click("editor.incident.incident_date.approximate");
        CHECK(*t.get("incident.incident_date") ==
              *json::parse(R"({"precision":"month","value":"2023-04","approximate":true})"));
        CHECK_FALSE(t.any_issue(forms::IssueCode::bad_date));

        // Spring 2023 as a period.
        t.click("editor.incident.incident_date.precision=range");
        t.click("editor.incident.incident_date.to.month");
        t.click("editor.incident.incident_date.to.month=5");
        CHECK(*t.get("incident.incident_date") ==
              *json::parse(
                  R"({"precision":"range","from":"2023-04","to":"2023-05","approximate":true})"));
        CHECK_FALSE(t.any_issue(forms::IssueCode::bad_date));
    }

    SUBCASE("repeat items: add, type, remove, but never below min_items") {
        REQUIRE(t.get("victims")->as_array().size() == 1);
        t.click("editor.victims.add");
        REQUIRE(t.get("victims")->as_array().size() == 2);
        CHECK(*t.get("victims[1]") == *t.get("victims[0]"));  // the template's shape, all null
        REQUIRE(t.shown("editor.victims[1].victim_ref"));
        t.click("editor.victims[1].victim_ref");
        t.type("Д. К.");
        t.click("editor.victims[0].remove");
        REQUIRE(t.get("victims")->as_array().size() == 1);
        CHECK(*t.get("victims[0].victim_ref") == json::Value("Д. К."));
        CHECK_FALSE(t.shown("editor.victims[1].victim_ref"));
        t.click("editor.victims[0].remove");  // disabled: the form needs one victim
        CHECK(t.get("victims")->as_array().size() == 1);
    }

    SUBCASE("a boolean reveals a field; hiding it again clears its answer") {
        CHECK_FALSE(t.shown("editor.interview.interpreter"));
        t.click("editor.interview.interpreter_present=yes");
        REQUIRE(t.shown("editor.interview.interpreter"));
        CHECK(t.has_issue("interview.interpreter", forms::IssueCode::required));
        t.click("editor.interview.interpreter");
        t.type("Ірина, перекладачка");
        CHECK(*t.get("interview.interpreter") == json::Value("Ірина, перекладачка"));
        t.click("editor.interview.interpreter_present=no");
        CHECK(*t.get("interview.interpreter_present") == json::Value(false));
        CHECK_FALSE(t.shown("editor.interview.interpreter"));
        CHECK(forms::is_empty_answer(t.get("interview.interpreter")));
        CHECK_FALSE(t.any_issue(forms::IssueCode::hidden_answered));
    }

    SUBCASE("a bad integer gets a message under the field; legal tags are suggested") {
        t.click("editor.victims[0].age_at_time");
        t.type("200");
        CHECK(*t.get("victims[0].age_at_time") == json::Value(200));
        CHECK(t.has_issue("victims[0].age_at_time", forms::IssueCode::out_of_range));
        REQUIRE(t.shown("editor.victims[0].age_at_time.issue"));
        CHECK(t.rect("editor.victims[0].age_at_time.issue").min.y >=
              t.rect("editor.victims[0].age_at_time").max.y);
        CHECK(t.shown("editor.victims[0].age_approximate=yes"));  // visible once age is answered
        for (int i = 0; i < 3; ++i) t.press(kBackspace);
        t.type("15");
        CHECK(*t.get("victims[0].age_at_time") == json::Value(15));
        CHECK_FALSE(t.shown("editor.victims[0].age_at_time.issue"));

        t.type("x");  // not even typed; but '.' is, and a non-number is kept and reported
        t.type(".5");
        CHECK(t.has_issue("victims[0].age_at_time", forms::IssueCode::wrong_type));
        CHECK(t.shown("editor.victims[0].age_at_time.issue"));
        CHECK(*t.get("victims[0].age_at_time") == json::Value("15.5"));
        for (int i = 0; i < 2; ++i) t.press(kBackspace);
        CHECK(*t.get("victims[0].age_at_time") == json::Value(15));

        // A 15-year-old and a summons: the rules suggest tags; nothing is stored until confirmed.
        t.click("editor.incident.what_happened=draft_summons");
        t.click("editor.incident.what_happened=yunarmiya");
        CHECK(forms::is_empty_answer(t.get("legal.legal_tags_confirmed")));
        REQUIRE(t.shown("editor.legal.legal_tags_confirmed.confirm=gc4_50"));
        CHECK(t.shown("editor.legal.legal_tags_confirmed.confirm=api_77_2"));
        CHECK_FALSE(t.shown("editor.legal.legal_tags_confirmed.confirm=rome_8_2_b_xxvi"));
        t.click("editor.legal.legal_tags_confirmed.confirm=gc4_50");
        CHECK(has_choice(t.get("legal.legal_tags_confirmed"), "gc4_50"));
        CHECK_FALSE(t.shown("editor.legal.legal_tags_confirmed.confirm=gc4_50"));
        t.click("editor.legal.legal_tags_confirmed.confirm_all");
        for (auto tag : {"gc4_50", "gc4_51", "api_77_2", "crc_38_opac"}) {
            CHECK_MESSAGE(has_choice(t.get("legal.legal_tags_confirmed"), tag), tag);
        }
        CHECK(t.count_shown("editor.legal.legal_tags_confirmed.confirm") == 0);
    }

    SUBCASE("refusing consent hides every later block and clears what was entered there") {
        t.click("editor.witness.pseudonym");
        t.type("Свідок-7");
        t.click("editor.victims[0].age_at_time");
        t.type("15");
        t.click("editor.consent.consent_interview.given=no");
        CHECK(*t.get("consent.consent_interview.given") == json::Value(false));
        CHECK_FALSE(t.shown("editor.witness.pseudonym"));
        CHECK(forms::is_empty_answer(t.get("witness")));
        CHECK(forms::is_empty_answer(t.get("victims")));
        CHECK(t.get("victims")->as_array().size() == 1);  // shapes stay, values go
        CHECK_FALSE(t.any_issue(forms::IssueCode::hidden_answered));
    }

    CHECK(t.changes > 0);
    CHECK(t.completions > 0);
    app::set_language(app::Lang::en);
}

TEST_CASE("Tab moves through the text fields in document order") {
    EditorTest t("forced-mobilization", Start::blank);
    t.click("editor.interview.interviewer_key_id");
    t.type("E3A1C07B52D9F461");
    t.press(kTab);
    t.type("2024-06-03T14:00:00+03:00");
    t.press(kTab);  // past the "now" button and the oblast combo to the free-text raion
    t.type("Запорізький район");
    CHECK(*t.get("interview.interviewer_key_id") == json::Value("E3A1C07B52D9F461"));
    CHECK(*t.get("interview.interview_started_at") == json::Value("2024-06-03T14:00:00+03:00"));
    CHECK(*t.get("interview.interview_place.raion") == choice("other", "Запорізький район"));
    CHECK_FALSE(t.any_issue(forms::IssueCode::bad_datetime));
}

TEST_CASE(
    "the built-in examples round-trip unchanged and valid, edited and viewed, in every language") {
    for (auto id : {"child-recruitment", "forced-mobilization"}) {
        for (auto lang : forms::kLanguages) {
            CAPTURE(id);
            CAPTURE(forms::language_code(lang));
            EditorTest t(id, Start::example, lang);
            t.frames(5);
            CHECK(t.answers == forms::example_for(*t.form));
            CHECK(forms::validate(*t.form, t.answers).empty());
            CHECK(t.changes == 0);
            CHECK(t.count_shown("editor.") > 100);
            // Nothing below the last field is cut off by the window.
            CHECK(t.rect("editor.legal.legal_notes").max.y < kTallDisplay);

            // The read-only view draws no input at all.
            const json::Value sealed = forms::example_for(*t.form);
            t.h.frames(
                [&] {
                    ImGui::SetNextWindowPos(ImVec2(0.f, 0.f));
                    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
                    ImGui::Begin("###view", nullptr, ImGuiWindowFlags_NoDecoration);
                    app::FormEditor::view(*t.form, sealed, lang);
                    ImGui::End();
                },
                2);
            CHECK(app::probe::rects().empty());
        }
    }
}

TEST_CASE("every glyph of the forms' texts and the editor's strings is in the loaded font") {
    EditorTest t("child-recruitment", Start::example);
    REQUIRE(t.h.fonts_loaded);  // fonts-dejavu-core
    const ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
    for (auto lang : forms::kLanguages) {
        std::vector<std::string_view> texts;
        const auto add = [&](const forms::LocalizedText& text) { texts.push_back(text.in(lang)); };
        for (const forms::FormDefinition* form : t.registry.all()) {
            add(form->title());
            if (form->description()) add(*form->description());
            for (const auto& f : form->fields()) {
                add(f.label);
                if (f.hint) add(*f.hint);
            }
            for (const auto& v : form->vocabularies()) {
                for (const auto& e : v.entries) {
                    add(e.label);
                    if (e.hint) add(*e.hint);
                }
            }
        }
        for (const auto& e : app::string_table()) {
            if (!e.key.starts_with("editor.")) continue;
            texts.push_back(lang == forms::Language::uk   ? e.uk
                            : lang == forms::Language::ru ? e.ru
                                                          : e.en);
        }
        std::set<unsigned> missing;
        for (std::string_view s : texts) {
            for (const char* p = s.data(); p < s.data() + s.size();) {
                unsigned c = 0;
                p += ImTextCharFromUtf8(&c, p, s.data() + s.size());
                if (c >= 0x20 && font->FindGlyphNoFallback(static_cast<ImWchar>(c)) == nullptr) {
                    missing.insert(c);
                }
            }
        }
        CAPTURE(forms::language_code(lang));
        CHECK_MESSAGE(missing.empty(),
                      "first missing code point: " << (missing.empty() ? 0u : *missing.begin()));

        // And each form draws in that language.
        t.lang = lang;
        for (const forms::FormDefinition* form : t.registry.all()) {
            t.form = form;
            t.answers = forms::example_for(*form);
            t.issues.clear();
            t.frames(2);
            CHECK(t.answers == forms::example_for(*form));
        }
    }
}
