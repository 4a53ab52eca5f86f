// SPDX-License-Identifier: GPL-3.0-or-later
// Form definitions: the built-in forms load and are complete in three languages; malformed
// definitions are rejected with file, JSON path and reason; the registry keeps versions apart.
#include <algorithm>
#include <set>
#include <string>

#include "crypto/hash.h"
#include "forms/builtin.h"
#include "forms/form.h"
#include "forms/registry.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::forms;

namespace {

const FormRegistry& builtin() {
    static const FormRegistry registry = [] {
        auto r = load_builtin();
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        return std::move(*r);
    }();
    return registry;
}

std::string_view builtin_bytes(std::string_view file_name) {
    for (const EmbeddedDefinition& d : builtin_definitions()) {
        if (d.file_name == file_name) return d.bytes;
    }
    FAIL("no built-in definition " << file_name);
    return {};
}

// A small definition in which "@L" stands for a complete label.
std::string expand(std::string text) {
    static constexpr std::string_view kLabel = R"({"en":"Label","uk":"Мітка","ru":"Метка"})";
    for (std::size_t p = text.find("@L"); p != std::string::npos; p = text.find("@L", p)) {
        text.replace(p, 2, kLabel);
    }
    return text;
}

constexpr std::string_view kVocabs =
    R"({"colours":[{"id":"red","label":@L},{"id":"blue","label":@L}],
        "oblasts":[{"id":"luhanska","label":@L}], "legal":[{"id":"tag_a","label":@L}]})";

std::string definition(std::string_view fields, std::string_view example = "{}",
                       std::string_view extra = "", std::string_view vocabs = kVocabs) {
    return expand(R"({"schema":"svidok-form/1","id":"t","version":1,"title":@L,"vocabularies":)" +
                  std::string(vocabs) + R"(,"fields":)" + std::string(fields) + R"(,"example":)" +
                  std::string(example) + std::string(extra) + "}");
}

// Parses a definition that must fail, and returns the message after checking the code.
std::string rejection(const std::string& bytes, Errc expected = Errc::invalid) {
    auto r = parse_definition("t.json", bytes);
    REQUIRE_MESSAGE(!r.has_value(), "accepted: " << bytes);
    CHECK_MESSAGE(r.error().code == expected, r.error().message);
    return r.error().message;
}

// Lowercase Cyrillic and ASCII words of a UTF-8 text (other characters separate words).
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out(1);
    for (std::size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char32_t cp = len == 1 ? b : b & (0x7F >> len);
        for (std::size_t k = 1; k < len && i + k < text.size(); ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        }
        i += len;
        if (cp >= U'А' && cp <= U'Я')
            cp += 0x20;
        else if (cp >= U'Ѐ' && cp <= U'Џ')
            cp += 0x50;
        else if (cp == U'Ґ')
            cp = U'ґ';
        const bool letter = (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z') ||
                            (cp >= 0x400 && cp <= 0x4FF);
        if (!letter) {
            if (!out.back().empty()) out.emplace_back();
            continue;
        }
        if (cp < 0x80) {
            out.back() += static_cast<char>(cp | 0x20);
        } else {
            out.back() += static_cast<char>(0xC0 | (cp >> 6));
            out.back() += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    if (out.back().empty()) out.pop_back();
    return out;
}

bool has_word(std::string_view text, std::initializer_list<std::string_view> list) {
    const auto w = words(text);
    return std::ranges::any_of(
        list, [&](std::string_view x) { return std::ranges::find(w, x) != w.end(); });
}

bool has_letter(std::string_view text, std::initializer_list<std::string_view> list) {
    return std::ranges::any_of(list, [&](std::string_view x) { return text.find(x) != text.npos; });
}

void for_each_text(const FormDefinition& form, const auto& fn) {
    fn(form.title(), "title");
    if (form.description()) fn(*form.description(), "description");
    for (const Field& f : form.fields()) {
        fn(f.label, f.id + ".label");
        if (f.hint) fn(*f.hint, f.id + ".hint");
    }
    for (const Vocabulary& v : form.vocabularies()) {
        for (const VocabularyEntry& e : v.entries) {
            fn(e.label, v.id + "." + e.id + ".label");
            if (e.hint) fn(*e.hint, v.id + "." + e.id + ".hint");
        }
    }
}

}  // namespace

TEST_CASE("both built-in forms load with id, version and the hash of their exact bytes") {
    REQUIRE(builtin_definitions().size() == 2);
    for (const auto& [file, id] : {std::pair{"forced-mobilization.json", "forced-mobilization"},
                                   std::pair{"child-recruitment.json", "child-recruitment"}}) {
        const FormDefinition* form = builtin().find(id);
        REQUIRE(form != nullptr);
        CHECK(form->file_name() == file);
        CHECK(form->version() == 1);
        CHECK(form->sha256() == crypto::sha256(crypto::as_bytes(builtin_bytes(file))));
        CHECK(form->sha256_hex().size() == 64);
        CHECK(builtin().find(form->sha256()) == form);
        CHECK(builtin().find(id, 1) == form);
        CHECK(builtin().find(id, 2) == nullptr);
    }
    CHECK(builtin().find("no-such-form") == nullptr);
    CHECK(builtin().all().size() == 2);
}

TEST_CASE(
    "every title, label, hint and vocabulary entry exists in English, Ukrainian and Russian") {
    // Catch a text pasted into the wrong language: letters and common words that belong to only
    // one of the two, Cyrillic in English, or one text used for both (fine only for one word).
    std::size_t texts = 0;
    for (const FormDefinition* form : builtin().all()) {
        for_each_text(*form, [&](const LocalizedText& t, const std::string& where) {
            ++texts;
            CAPTURE(form->id());
            CAPTURE(where);
            for (Language lang : kLanguages) CHECK(!t.in(lang).empty());
            const std::string& en = t.in(Language::en);
            const std::string& uk = t.in(Language::uk);
            const std::string& ru = t.in(Language::ru);
            CHECK_MESSAGE(std::ranges::none_of(
                              en,
                              [](char c) {
                                  const auto b = static_cast<unsigned char>(c);
                                  return b >= 0xD0 && b <= 0xD4;  // lead bytes of U+0400..U+052F
                              }),
                          "Cyrillic in English: " << en);
            CHECK_MESSAGE(!has_letter(uk, {"ы", "э", "ъ", "ё", "Ы", "Э", "Ё"}),
                          "Russian letters in Ukrainian: " << uk);
            CHECK_MESSAGE(!has_letter(ru, {"і", "ї", "є", "ґ", "І", "Ї", "Є", "Ґ", "’"}),
                          "Ukrainian letters in Russian: " << ru);
            CHECK_MESSAGE(
                !has_word(uk, {"или", "что", "это", "как", "который", "которая", "если", "только",
                               "также", "после", "его", "она", "они", "был", "была"}),
                "Russian words in Ukrainian: " << uk);
            CHECK_MESSAGE(!has_word(ru, {"або",    "та",    "чи",    "що",   "це",   "як",  "який",
                                         "яка",    "які",   "його",  "вона", "вони", "був", "якщо",
                                         "тільки", "також", "після", "з",    "із",   "зі",  "й"}),
                          "Ukrainian words in Russian: " << ru);
            CHECK_MESSAGE((uk != ru || words(uk).size() == 1),
                          "the same text in Ukrainian and Russian: " << uk);
        });
    }
    CHECK(texts > 400);
}

TEST_CASE("the language checks themselves tell the languages apart") {
    CHECK(words("«Юнармія», Інтерв’ю — 2023 р.") ==
          std::vector<std::string>{"юнармія", "інтерв", "ю", "р"});
    CHECK(has_word("Вербування або примус", {"або"}));
    CHECK(!has_word("Вербовка или принуждение", {"або"}));
    CHECK(has_word("Или так", {"или"}));  // capitalised at the start of a sentence
    CHECK(has_word("Навчання з автоматом", {"з"}));
    CHECK(!has_word("Учения с автоматом", {"з"}));
}

TEST_CASE("labels are looked up by language code") {
    const FormDefinition& form = *builtin().find("child-recruitment");
    CHECK(language_from_code("uk") == Language::uk);
    CHECK(language_from_code("UK") == std::nullopt);
    CHECK(language_from_code("de") == std::nullopt);
    CHECK(language_from_code("") == std::nullopt);
    const Field& witness = *form.find_field("witness");
    CHECK(witness.label.in(*language_from_code("en")) == "The witness");
    CHECK(witness.label.in(*language_from_code("uk")) == "Свідок");
    CHECK(witness.label.in(*language_from_code("ru")) == "Свидетель");
    const Vocabulary& oblasts = *form.find_vocabulary("oblasts");
    CHECK(oblasts.find("luhanska")->label.in(Language::uk) == "Луганська область");
    CHECK(oblasts.find("other") == nullptr);
}

TEST_CASE("built-in forms have the blocks, sensitive fields and vocabularies the domain needs") {
    for (const FormDefinition* form : builtin().all()) {
        CAPTURE(form->id());
        std::vector<std::string> blocks;
        for (std::size_t i : form->top_level()) blocks.push_back(form->field(i).id);
        CHECK(blocks == std::vector<std::string>{"interview", "consent", "witness", "victims",
                                                 "incident", "evidence", "reliability", "legal"});
        for (const char* id : {"real_name", "contact", "address", "victim_name"}) {
            REQUIRE(form->find_field(id) != nullptr);
            CHECK_MESSAGE(form->find_field(id)->sensitive, id);
        }
        for (const char* id : {"pseudonym", "narrative", "incident_place", "victim_ref"}) {
            CHECK_MESSAGE(!form->find_field(id)->sensitive, id);
        }
        for (const char* id : {"consent_interview", "consent_recording", "consent_share_legal_team",
                               "consent_court", "consent_disclose_name"}) {
            CHECK(form->find_field(id)->kind == FieldKind::consent);
            CHECK(form->find_field(id)->required);
        }
        const Field& victims = *form->find_field("victims");
        CHECK(victims.kind == FieldKind::repeat);
        CHECK(victims.min_items == 1);
        CHECK(form->find_field("age_at_time")->repeat == form->index_of("victims"));
        const Field& confirmed = *form->find_field("legal_tags_confirmed");
        CHECK(confirmed.kind == FieldKind::multi_choice);
        CHECK(confirmed.vocabulary == form->legal_tag_vocabulary());
        CHECK(!form->legal_rules().empty());

        const Vocabulary& oblasts = *form->find_vocabulary("oblasts");
        CHECK(oblasts.entries.size() == 24 + 4);  // 24 oblasts, Kyiv, Crimea, Sevastopol, Russia
        for (const char* id : {"luhanska", "donetska", "zaporizka", "khersonska", "crimea",
                               "sevastopol", "kyiv_city", "russia_transferred"}) {
            CHECK_MESSAGE(oblasts.find(id) != nullptr, id);
        }
        const Vocabulary& legal = *form->find_vocabulary(form->legal_tag_vocabulary());
        for (const VocabularyEntry& e : legal.entries) CHECK_MESSAGE(e.hint.has_value(), e.id);
        CHECK(form->find_vocabulary("perpetrators")->find("yunarmiya") != nullptr);
    }
    CHECK(builtin()
              .find("child-recruitment")
              ->find_vocabulary("child_categories")
              ->find("yunarmiya"));
    CHECK(builtin()
              .find("forced-mobilization")
              ->find_vocabulary("mobilization_categories")
              ->find("pow_coerced"));
}

TEST_CASE("a minimal definition parses into the model") {
    const std::string bytes = definition(
        R"([{"id":"g","kind":"group","label":@L,"sensitive":true,"fields":[
              {"id":"a","kind":"integer","label":@L,"min":0,"max":9,"required":true},
              {"id":"b","kind":"short_text","label":@L,"hint":@L,
               "visible_when":{"field":"a","between":[1,5]}}]},
            {"id":"r","kind":"repeat","label":@L,"max_items":3,"fields":[
              {"id":"c","kind":"single_choice","label":@L,"vocabulary":"colours","allow_other":true}]},
            {"id":"p","kind":"location","label":@L,"oblast_vocabulary":"oblasts",
             "raion_vocabulary":"colours"}])",
        R"({"g":{"a":2,"b":"x"},"r":[]})",
        R"(,"legal_tags":{"vocabulary":"legal","rules":[
              {"id":"r1","when":{"field":"c","equals":"red"},"tags":["tag_a"]}]})");
    auto parsed = parse_definition("t.json", bytes);
    REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
    const FormDefinition& form = *parsed;
    CHECK(form.id() == "t");
    CHECK(form.fields().size() == 6);
    CHECK(form.top_level().size() == 3);
    const Field& b = *form.find_field("b");
    CHECK(b.parent == form.index_of("g"));
    CHECK(b.sensitive);  // inherited from the group
    CHECK(b.max_length == kDefaultShortTextLength);
    REQUIRE(b.visible_when.has_value());
    CHECK(b.visible_when->op == Condition::Op::between);
    CHECK(b.visible_when->field == form.index_of("a"));
    CHECK(form.find_field("c")->repeat == form.index_of("r"));
    CHECK(form.find_field("r")->max_items == 3);
    CHECK(form.find_field("p")->raion_vocabulary == "colours");
    CHECK(form.find_field("p")->settlement_vocabulary.empty());
    REQUIRE(form.legal_rules().size() == 1);
    CHECK(form.legal_rules()[0].repeat == form.index_of("r"));
    CHECK(form.example() == *json::parse(R"({"g":{"a":2,"b":"x"},"r":[]})"));
}

TEST_CASE("malformed definitions are rejected with file, JSON path and reason") {
    const std::string text = R"({"id":"a","kind":"short_text","label":@L})";
    struct Case {
        std::string bytes;
        std::string message;
    };
    const std::vector<Case> cases = {
        {definition(R"([{"id":"a","kind":"textarea","label":@L}])"),
         R"(t.json: $.fields[0].kind: unknown kind "textarea")"},
        {definition(R"([)" + text + R"(,{"id":"g","kind":"group","label":@L,"fields":[)" + text +
                    "]}]"),
         R"(t.json: $.fields[1].fields[0].id: duplicate field id "a")"},
        {definition(R"([{"id":"a","kind":"short_text","label":{"en":"A","uk":"А"}}])"),
         R"(t.json: $.fields[0].label: missing language "ru")"},
        {definition(
             R"([{"id":"a","kind":"short_text","label":{"en":"A","uk":"А","ru":"А","de":"A"}}])"),
         R"(t.json: $.fields[0].label: unknown language "de")"},
        {definition(R"([{"id":"a","kind":"short_text","label":{"en":"A","uk":" ","ru":"А"}}])"),
         R"(t.json: $.fields[0].label.uk: must not be empty)"},
        {definition(R"([)" + text +
                    R"(,{"id":"b","kind":"single_choice","label":@L,"vocabulary":"oblasts2"}])"),
         R"(t.json: $.fields[1].vocabulary: unknown vocabulary "oblasts2")"},
        {definition(
             R"([{"id":"a","kind":"short_text","label":@L,"visible_when":{"field":"nope","equals":true}}])"),
         R"(t.json: $.fields[0].visible_when.field: unknown field "nope")"},
        {definition(
             R"([{"id":"a","kind":"short_text","label":@L,"visible_when":{"field":"b","equals":true}},
                        {"id":"b","kind":"boolean","label":@L}])"),
         R"(t.json: $.fields[0].visible_when.field: "b" does not come before this field in document order)"},
        {definition(
             R"([{"id":"a","kind":"boolean","label":@L,"visible_when":{"field":"a","equals":true}}])"),
         R"(t.json: $.fields[0].visible_when.field: "a" does not come before this field in document order)"},
        {definition(R"([{"id":"a","kind":"integer","label":@L,"min":10,"max":5}])"),
         R"(t.json: $.fields[0].min: min 10 is greater than max 5)"},
        {definition(R"([{"id":"a","kind":"integer","label":@L,"min":0}])"),
         R"(t.json: $.fields[0]: missing member "max")"},
        {definition(
             R"([{"id":"r","kind":"repeat","label":@L,"min_items":4,"max_items":2,"fields":[)" +
             text + "]}]"),
         R"(t.json: $.fields[0].min_items: min_items 4 is greater than max_items 2)"},
        {definition(R"([{"id":"r","kind":"repeat","label":@L,"fields":[)" + text + "]}]"),
         R"(t.json: $.fields[0]: missing member "max_items")"},
        {definition(R"([{"id":"r","kind":"repeat","label":@L,"max_items":2,"fields":[
                          {"id":"g","kind":"group","label":@L,"fields":[
                            {"id":"s","kind":"repeat","label":@L,"max_items":2,"fields":[)" +
                    text + "]}]}]}]"),
         R"(t.json: $.fields[0].fields[0].fields[0]: a repeat cannot be inside another repeat)"},
        {definition(R"([{"id":"a","kind":"short_text","label":@L,"requried":true}])"),
         R"(t.json: $.fields[0]: unknown member "requried")"},
        {definition(R"([{"id":"a","kind":"short_text","label":@L,"min":1}])"),
         R"(t.json: $.fields[0]: "min" is not an option of kind "short_text")"},
        {definition(R"([{"id":"g","kind":"group","label":@L,"required":true,"fields":[)" + text +
                    "]}]"),
         R"(t.json: $.fields[0]: "required" is not an option of kind "group")"},
        {definition(R"([{"id":"A1","kind":"short_text","label":@L}])"),
         R"(t.json: $.fields[0].id: must match [a-z][a-z0-9_]* (at most 64 characters))"},
        {definition(R"([{"id":"g","kind":"group","label":@L,"fields":[]}])"),
         R"(t.json: $.fields[0].fields: must be a non-empty array of fields)"},
        {definition(R"([{"id":"b","kind":"boolean","label":@L},
                        {"id":"a","kind":"short_text","label":@L,"visible_when":{"field":"b","equals":true,"in":[true]}}])"),
         R"(t.json: $.fields[1].visible_when: has two operators, "equals" and "in")"},
        {definition(R"([{"id":"b","kind":"boolean","label":@L},
                        {"id":"a","kind":"short_text","label":@L,"visible_when":{"field":"b","between":[1,2]}}])"),
         R"(t.json: $.fields[1].visible_when.between: needs an integer field; "b" is "boolean")"},
        {definition(R"([{"id":"c","kind":"single_choice","label":@L,"vocabulary":"colours"},
                        {"id":"a","kind":"short_text","label":@L,"visible_when":{"any":[{"field":"c","in":["red","green"]}]}}])"),
         R"(t.json: $.fields[1].visible_when.any[0].in[1]: unknown entry "green" of vocabulary "colours")"},
        {definition(R"([{"id":"c","kind":"single_choice","label":@L,"vocabulary":"colours"},
                        {"id":"a","kind":"short_text","label":@L,"visible_when":{"field":"c","equals":"other"}}])"),
         R"(t.json: $.fields[1].visible_when.equals: unknown entry "other" of vocabulary "colours")"},
        {definition(
             R"([)" + text +
             R"(,{"id":"b","kind":"short_text","label":@L,"visible_when":{"field":"a","equals":"x"}}])"),
         R"(t.json: $.fields[1].visible_when.equals: "equals" cannot test a field of kind "short_text"; use not_empty)"},
        {definition(R"([{"id":"g","kind":"group","label":@L,"fields":[)" + text + R"(]},
                        {"id":"b","kind":"short_text","label":@L,"visible_when":{"field":"g","not_empty":true}}])"),
         R"(t.json: $.fields[1].visible_when.field: "g" is a group; conditions name value fields only)"},
        {definition(
             R"([{"id":"r","kind":"repeat","label":@L,"max_items":2,"fields":[{"id":"n","kind":"integer","label":@L,"min":0,"max":9}]},
                        {"id":"b","kind":"short_text","label":@L,"visible_when":{"field":"n","equals":1}}])"),
         R"(t.json: $.fields[1].visible_when.field: "n" is inside repeat "r" and this field is not)"},
        {definition(R"([)" + text + R"(])", "{}", "",
                    R"({"colours":[{"id":"red","label":@L},{"id":"red","label":@L}]})"),
         R"(t.json: $.vocabularies.colours[1].id: duplicate entry "red")"},
        {definition(R"([)" + text + R"(])", "{}", "", R"({"colours":[{"id":"other","label":@L}]})"),
         R"(t.json: $.vocabularies.colours[0].id: "other" is reserved for free text)"},
        {definition(R"([)" + text + R"(])", "{}", "", R"({"colours":[]})"),
         R"(t.json: $.vocabularies.colours: must be an array of 1 to 1000 entries)"},
        {definition(
             R"([)" + text + R"(])", "{}",
             R"(,"legal_tags":{"vocabulary":"legal","rules":[{"id":"r1","when":{"field":"a","not_empty":true},"tags":["tag_b"]}]})"),
         R"(t.json: $.legal_tags.rules[0].tags[0]: unknown entry "tag_b" of vocabulary "legal")"},
        {definition(
             R"([{"id":"r","kind":"repeat","label":@L,"max_items":2,"fields":[{"id":"x","kind":"boolean","label":@L}]},
                        {"id":"s","kind":"repeat","label":@L,"max_items":2,"fields":[{"id":"y","kind":"boolean","label":@L}]}])",
             "{}",
             R"(,"legal_tags":{"vocabulary":"legal","rules":[{"id":"r1","when":{"all":[{"field":"x","equals":true},{"field":"y","equals":true}]},"tags":["tag_a"]}]})"),
         R"(t.json: $.legal_tags.rules[0].when.all[1].field: a rule may name fields of one repeat only)"},
        {definition(R"([{"id":"a","kind":"integer","label":@L,"min":0,"max":9,"required":true}])",
                    R"({"a":12})"),
         R"(t.json: $.example.a: must be an integer between 0 and 9 (example does not validate: 1 issue))"},
        {definition(R"([)" + text + R"(])", R"({"a":"x","zz":1})"),
         R"(t.json: $.example.zz: is not a field here (example does not validate: 1 issue))"},
        {definition(
             R"([{"id":"g1","kind":"group","label":@L,"fields":[{"id":"g2","kind":"group","label":@L,"fields":[
                          {"id":"g3","kind":"group","label":@L,"fields":[{"id":"g4","kind":"group","label":@L,"fields":[
                            {"id":"g5","kind":"group","label":@L,"fields":[)" +
             text + "]}]}]}]}]}]"),
         R"(t.json: $.fields[0].fields[0].fields[0].fields[0].fields[0]: fields nest deeper than 4 levels)"},
        {expand(
             R"({"schema":"svidok-form/1","id":"t","version":1,"title":@L,"vocabularies":{},"fields":[{"id":"a","kind":"boolean","label":@L}]})"),
         R"(t.json: $: missing member "example")"},
        {expand(
             R"({"schema":"svidok-form/1","id":"T","version":1,"title":@L,"vocabularies":{},"fields":[],"example":{}})"),
         R"(t.json: $.id: must match [a-z][a-z0-9-]* (at most 64 characters))"},
        {expand(
             R"({"schema":"svidok-form/1","id":"t","version":0,"title":@L,"vocabularies":{},"fields":[],"example":{}})"),
         R"(t.json: $.version: must be an integer from 1 to 2147483647)"},
        {expand(R"({"schema":"svidok-forms","id":"t"})"),
         R"(t.json: $.schema: must be "svidok-form/1")"},
        {expand(R"([1,2])"), R"(t.json: $: must be an object, not an array)"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.bytes);
        CHECK(rejection(c.bytes) == c.message);
    }
}

TEST_CASE("a later schema version is unsupported, not invalid") {
    const std::string bytes = expand(R"({"schema":"svidok-form/2","id":"t","novel":true})");
    CHECK(
        rejection(bytes, Errc::unsupported) ==
        R"(t.json: $.schema: unsupported schema "svidok-form/2"; this build reads "svidok-form/1")");
}

TEST_CASE("conditions deeper than the limit are rejected") {
    std::string cond = R"({"field":"b","equals":true})";
    for (std::size_t i = 0; i < kMaxConditionDepth; ++i) cond = R"({"not":)" + cond + "}";
    const std::string bytes = definition(R"([{"id":"b","kind":"boolean","label":@L},
        {"id":"a","kind":"short_text","label":@L,"visible_when":)" +
                                         cond + "}]");
    CHECK(rejection(bytes).ends_with(": conditions nest deeper than 8 levels"));
}

TEST_CASE("control characters in labels and keys are escaped in messages") {
    const std::string bytes =
        definition(R"([{"id":"a","kind":"short_text","label":@L,"x\u001b[31m":1}])");
    CHECK(rejection(bytes) == R"(t.json: $.fields[0]: unknown member "x\x1b[31m")");
}

TEST_CASE(
    "truncated and oversized definitions fail with the file name; bit flips never pass unnoticed") {
    const std::string_view bytes = builtin_bytes("child-recruitment.json");
    for (std::size_t cut :
         {std::size_t{0}, std::size_t{1}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 2}) {
        auto r = parse_definition("child-recruitment.json", bytes.substr(0, cut));
        REQUIRE(!r.has_value());
        CHECK(r.error().code == Errc::corrupt);
        CHECK(r.error().message.starts_with("child-recruitment.json: "));
    }
    const std::string big = std::string(bytes) + std::string(kMaxDefinitionBytes, ' ');
    CHECK(rejection(big).find("larger than") != std::string::npos);

    const crypto::Sha256Digest original = crypto::sha256(crypto::as_bytes(bytes));
    std::mt19937 rng(20240514);
    for (int i = 0; i < 200; ++i) {
        std::string flipped(bytes);
        const std::size_t pos = rng() % flipped.size();
        flipped[pos] = static_cast<char>(flipped[pos] ^ (1 << (rng() % 8)));
        auto r = parse_definition("child-recruitment.json", flipped);
        // A flip inside a string can still be a valid definition, but never the same one.
        if (r) {
            CHECK(r->sha256() != original);
        } else {
            CHECK(r.error().message.starts_with("child-recruitment.json: "));
        }
    }
}

TEST_CASE("the registry keeps versions apart and refuses different bytes under one version") {
    const std::string v1 = definition(R"([{"id":"a","kind":"boolean","label":@L}])");
    std::string v2 = v1;
    v2.replace(v2.find(R"("version":1)"), 11, R"("version":2)");
    std::string v1_changed = v1;
    v1_changed.replace(v1_changed.find(R"("id":"a")"), 8, R"("id":"b")");

    FormRegistry reg;
    REQUIRE(reg.add(*parse_definition("v1.json", v1)).has_value());
    REQUIRE(reg.add(*parse_definition("v2.json", v2)).has_value());
    CHECK(reg.add(*parse_definition("copy.json", v1)).has_value());  // identical bytes: no-op
    const auto clash = reg.add(*parse_definition("changed.json", v1_changed));
    REQUIRE(!clash.has_value());
    CHECK(clash.error().code == Errc::exists);
    CHECK(
        clash.error().message ==
        R"(changed.json: form "t" version 1 is already loaded from v1.json with different bytes)");
    CHECK(reg.all().size() == 2);
    CHECK(reg.find("t")->version() == 2);
    CHECK(reg.find("t", 1)->file_name() == "v1.json");
    CHECK(reg.find("t", 1)->find_field("a") != nullptr);
}
