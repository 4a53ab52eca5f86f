// SPDX-License-Identifier: GPL-3.0-or-later
// Answers: validation catches each kind of bad value with its path and code; the example
// validates and the template holds every field; legal-tag rules fire on the right answers.
#include <algorithm>
#include <string>
#include <tuple>

#include "answer_path.h"
#include "forms/answers.h"
#include "forms/condition.h"
#include "forms/legal_tags.h"
#include "forms/registry.h"
#include "forms/validate.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::forms;
using svidok::test::walk;

namespace {

const FormDefinition& form(std::string_view id) {
    static const FormRegistry registry = [] {
        auto r = load_builtin();
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        return std::move(*r);
    }();
    const FormDefinition* f = registry.find(id);
    REQUIRE(f != nullptr);
    return *f;
}

const FormDefinition& children() {
    return form("child-recruitment");
}
const FormDefinition& adults() {
    return form("forced-mobilization");
}

json::Value J(std::string_view text) {
    auto v = json::parse(text);
    REQUIRE_MESSAGE(v.has_value(), text);
    return std::move(*v);
}

json::Value& at(json::Value& root, std::string_view path) {
    return *walk(root, path, true);
}

std::size_t count_members(const json::Value& v) {
    std::size_t n = 0;
    if (v.is_object()) {
        for (const auto& [key, child] : v.as_object()) n += 1 + count_members(child);
    } else if (v.is_array()) {
        for (const json::Value& item : v.as_array()) n += count_members(item);
    }
    return n;
}

void erase(json::Value& obj, std::string_view key) {
    std::erase_if(obj.as_object(), [&](const auto& m) { return m.first == key; });
}

// The child-recruitment example with one change.
json::Value example_with(std::string_view path, json::Value value) {
    json::Value answers = example_for(children());
    at(answers, path) = std::move(value);
    return answers;
}

std::string describe(const std::vector<FieldIssue>& issues) {
    std::string out;
    for (const FieldIssue& i : issues) {
        out += "[" + i.path + " " + std::string(issue_code_name(i.code)) + ": " + i.message + "] ";
    }
    return out;
}

// The answers have exactly one issue, at `path`, with `code`.
void expect_issue(const FormDefinition& f, const json::Value& answers, std::string_view path,
                  IssueCode code) {
    const auto issues = validate(f, answers);
    INFO(describe(issues));
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == path);
    CHECK(issue_code_name(issues[0].code) == issue_code_name(code));
    CHECK(!issues[0].message.empty());
}

void expect_issue(const json::Value& answers, std::string_view path, IssueCode code) {
    expect_issue(children(), answers, path, code);
}

void expect_valid(const FormDefinition& f, const json::Value& answers) {
    const auto issues = validate(f, answers);
    CHECK_MESSAGE(issues.empty(), describe(issues));
}

void expect_valid(const json::Value& answers) {
    expect_valid(children(), answers);
}

std::vector<std::string> tags(const FormDefinition& f, const json::Value& answers) {
    return suggested_legal_tags(f, answers);
}

bool has(const std::vector<std::string>& v, std::string_view s) {
    return std::ranges::find(v, s) != v.end();
}

}  // namespace

TEST_CASE("each built-in example validates as-is and is realistic") {
    for (const FormDefinition* f : {&children(), &adults()}) {
        CAPTURE(f->id());
        const json::Value example = example_for(*f);
        expect_valid(*f, example);
        // Spring 2023 in Luhansk oblast, a pseudonym, a narrative in Ukrainian.
        CHECK(example.find("witness")->find("pseudonym")->as_string().size() > 0);
        const json::Value& incident = *example.find("incident");
        CHECK(*incident.find("incident_date") ==
              J(R"({"precision":"range","from":"2023-03","to":"2023-05","approximate":true})"));
        CHECK(*incident.find("incident_place")->find("oblast")->find("value") == "luhanska");
        CHECK(incident.find("narrative")->as_string().find("Навесні 2023 року") == 0);
        CHECK(json::canonicalize(example).has_value());  // within the JSON profile
    }
}

TEST_CASE("the template holds every field id at its place, and nothing else") {
    for (const FormDefinition* f : {&children(), &adults()}) {
        CAPTURE(f->id());
        json::Value tmpl = template_for(*f);
        for (std::size_t i = 0; i < f->fields().size(); ++i) {
            // The path from the parent chain; a repeat shows its one skeleton item.
            std::string path;
            for (std::size_t k = i; k != kNoField; k = f->field(k).parent) {
                const Field& fk = f->field(k);
                const std::string item = k != i && fk.kind == FieldKind::repeat ? "[0]" : "";
                path = fk.id + item + (path.empty() ? "" : "." + path);
            }
            CAPTURE(path);
            const json::Value* got = walk(tmpl, path, false);
            REQUIRE(got != nullptr);
            switch (f->field(i).kind) {
                case FieldKind::group:
                    CHECK(got->is_object());
                    break;
                case FieldKind::repeat:
                    CHECK((got->is_array() && got->as_array().size() == 1));
                    break;
                default:
                    CHECK(got->is_null());
            }
        }
        CHECK(count_members(tmpl) == f->fields().size());
        // The template only misses answers; it has no shape errors.
        for (const FieldIssue& issue : validate(*f, tmpl)) {
            CHECK_MESSAGE(issue.code == IssueCode::required, issue.path);
        }
    }
}

TEST_CASE("validation: the answers must be an object of known fields") {
    expect_issue(J("[]"), "", IssueCode::wrong_type);
    expect_issue(example_with("notes", "x"), "notes", IssueCode::unknown_field);
    expect_issue(example_with("victims[0].age", 3), "victims[0].age", IssueCode::unknown_field);
    expect_issue(example_with("witness.victims", 3), "witness.victims", IssueCode::unknown_field);
    expect_issue(example_with("witness", "Kalyna"), "witness", IssueCode::wrong_type);
    expect_issue(example_with("victims", J("{}")), "victims", IssueCode::wrong_type);
    expect_issue(example_with("victims[1]", "M. S."), "victims[1]", IssueCode::wrong_type);
}

TEST_CASE("validation: wrong JSON type for each kind") {
    expect_issue(example_with("witness.pseudonym", 7), "witness.pseudonym", IssueCode::wrong_type);
    expect_issue(example_with("incident.narrative", J("[]")), "incident.narrative",
                 IssueCode::wrong_type);
    expect_issue(example_with("victims[0].age_at_time", "15"), "victims[0].age_at_time",
                 IssueCode::wrong_type);
    expect_issue(example_with("interview.recording_made", "no"), "interview.recording_made",
                 IssueCode::wrong_type);
    expect_issue(example_with("interview.interview_started_at", 1717412400),
                 "interview.interview_started_at", IssueCode::wrong_type);
    expect_issue(example_with("incident.incident_date", "spring 2023"), "incident.incident_date",
                 IssueCode::wrong_type);
    expect_issue(example_with("witness.risk_level", "high"), "witness.risk_level",
                 IssueCode::wrong_type);
    expect_issue(example_with("witness.risk_level.value", true), "witness.risk_level.value",
                 IssueCode::wrong_type);
    expect_issue(example_with("incident.perpetrators", J(R"({"value":"fsb"})")),
                 "incident.perpetrators", IssueCode::wrong_type);
    expect_issue(example_with("incident.incident_place", "Lutuhyne"), "incident.incident_place",
                 IssueCode::wrong_type);
    expect_issue(example_with("consent.consent_court", true), "consent.consent_court",
                 IssueCode::wrong_type);
    expect_issue(example_with("consent.consent_court.given", "yes"), "consent.consent_court.given",
                 IssueCode::wrong_type);
    expect_issue(example_with("evidence.attachments", "lystivka.jpg"), "evidence.attachments",
                 IssueCode::wrong_type);
}

TEST_CASE("validation: integers outside their bounds") {
    expect_issue(example_with("victims[0].age_at_time", 121), "victims[0].age_at_time",
                 IssueCode::out_of_range);
    expect_issue(example_with("victims[0].age_at_time", -1), "victims[0].age_at_time",
                 IssueCode::out_of_range);
    expect_issue(example_with("victims[1].birth_year", 1899), "victims[1].birth_year",
                 IssueCode::out_of_range);
    expect_valid(example_with("victims[0].age_at_time", 120));
    expect_valid(example_with("victims[0].age_at_time", 0));
}

TEST_CASE("validation: text length in characters and control characters") {
    expect_valid(example_with("witness.pseudonym",
                              std::string(32, 'x') + "ЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇ"));
    expect_issue(example_with("witness.pseudonym", std::string(65, 'x')), "witness.pseudonym",
                 IssueCode::too_long);
    expect_issue(example_with("witness.pseudonym", "Kalyna\nB"), "witness.pseudonym",
                 IssueCode::bad_text);
    expect_issue(example_with("witness.pseudonym", "Kalyna\xC2\x85"), "witness.pseudonym",
                 IssueCode::bad_text);
    expect_valid(example_with("incident.narrative", "Line one.\n\tLine two."));
    expect_issue(example_with("incident.narrative", "bell\x07"), "incident.narrative",
                 IssueCode::bad_text);
    expect_issue(example_with("incident.narrative", "CR\r\n"), "incident.narrative",
                 IssueCode::bad_text);
}

TEST_CASE("validation: messages never repeat what was entered") {
    const std::string secret = "Olena Secretname";
    const auto issues = validate(children(), example_with("witness.real_name", secret + "\x01"));
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].message.find("Secretname") == std::string::npos);
    for (const FieldIssue& i :
         validate(children(), example_with("witness.knowledge.value", secret))) {
        CHECK(i.message.find("Secretname") == std::string::npos);
    }
}

TEST_CASE("validation: vocabulary entries and the other escape") {
    expect_issue(example_with("witness.relation_to_victim", J(R"({"value":"uncle","other":null})")),
                 "witness.relation_to_victim.value", IssueCode::unknown_entry);
    expect_issue(
        example_with("witness.relation_to_victim", J(R"({"value":"uncle","other":"uncle"})")),
        "witness.relation_to_victim.value", IssueCode::unknown_entry);
    expect_valid(example_with("witness.relation_to_victim",
                              J(R"({"value":"other","other":"school psychologist"})")));
    expect_valid(example_with("witness.relation_to_victim", J(R"({"value":"teacher"})")));
    expect_issue(example_with("witness.relation_to_victim", J(R"({"value":"other","other":null})")),
                 "witness.relation_to_victim.other", IssueCode::other_missing);
    expect_issue(example_with("witness.relation_to_victim", J(R"({"value":"other","other":"  "})")),
                 "witness.relation_to_victim.other", IssueCode::other_missing);
    expect_issue(example_with("witness.relation_to_victim", J(R"({"value":"other"})")),
                 "witness.relation_to_victim.other", IssueCode::other_missing);
    expect_issue(
        example_with("witness.relation_to_victim", J(R"({"value":"teacher","other":"also aunt"})")),
        "witness.relation_to_victim.other", IssueCode::other_unexpected);
    expect_issue(example_with("witness.knowledge", J(R"({"value":"other","other":"a dream"})")),
                 "witness.knowledge.value", IssueCode::other_not_allowed);
    expect_issue(example_with("witness.knowledge", J(R"({"other":null})")),
                 "witness.knowledge.value", IssueCode::missing_member);
    expect_issue(example_with("witness.knowledge", J(R"({"value":"first_hand","label":"x"})")),
                 "witness.knowledge.label", IssueCode::unknown_member);
    // A multiple choice: each element is a choice, each value at most once.
    expect_issue(
        example_with("incident.what_happened[1]", J(R"({"value":"contract","other":null})")),
        "incident.what_happened[1].value", IssueCode::unknown_entry);
    expect_issue(
        example_with("incident.what_happened[4]", J(R"({"value":"yunarmiya","other":null})")),
        "incident.what_happened[4].value", IssueCode::duplicate_entry);
    expect_valid(
        example_with("incident.perpetrators[2]", J(R"({"value":"other","other":"camp staff"})")));
}

TEST_CASE("validation: long free text after other is bounded") {
    json::Value a = example_with("witness.relation_to_victim", J(R"({"value":"other"})"));
    at(a, "witness.relation_to_victim.other") = std::string(kMaxOtherTextLength + 1, 'a');
    expect_issue(a, "witness.relation_to_victim.other", IssueCode::too_long);
}

TEST_CASE("validation: required visible fields") {
    json::Value a = example_for(children());
    erase(at(a, "witness"), "pseudonym");
    expect_issue(a, "witness.pseudonym", IssueCode::required);
    expect_issue(example_with("witness.pseudonym", nullptr), "witness.pseudonym",
                 IssueCode::required);
    expect_issue(example_with("witness.pseudonym", "   "), "witness.pseudonym",
                 IssueCode::required);
    expect_issue(example_with("incident.what_happened", J("[]")), "incident.what_happened",
                 IssueCode::required);
    expect_issue(example_with("victims[1].status", nullptr), "victims[1].status",
                 IssueCode::required);
    expect_issue(example_with("incident.incident_place", J(R"({"oblast":null,"details":""})")),
                 "incident.incident_place", IssueCode::required);
    // A field that becomes visible becomes required: the legal team's name after consent.
    expect_issue(example_with("consent.legal_team", nullptr), "consent.legal_team",
                 IssueCode::required);
    json::Value b = example_with("interview.interpreter_present", true);
    expect_issue(b, "interview.interpreter", IssueCode::required);
    at(b, "interview.interpreter") = "Interpreter of the partner NGO";
    expect_valid(b);
    // Inside a repeat, visibility follows the same item.
    expect_issue(example_with("victims[1].age_approximate", nullptr), "victims[1].age_approximate",
                 IssueCode::required);
}

TEST_CASE("validation: answers for hidden fields") {
    expect_issue(example_with("interview.interpreter", "A. Name"), "interview.interpreter",
                 IssueCode::hidden_answered);
    expect_valid(example_with("interview.interpreter", ""));  // empty is no answer
    expect_issue(example_with("witness.hearsay_source", "a neighbour"), "witness.hearsay_source",
                 IssueCode::hidden_answered);
    json::Value a = example_with("victims[0].age_at_time", nullptr);
    expect_issue(a, "victims[0].age_approximate", IssueCode::hidden_answered);
    at(a, "victims[0].age_approximate") = nullptr;
    expect_valid(a);

    // Without consent to the interview, every block after consent must stay empty.
    json::Value refused = example_with("consent.consent_interview.given", false);
    const auto issues = validate(children(), refused);
    std::vector<std::string> paths;
    for (const FieldIssue& i : issues) {
        CHECK(i.code == IssueCode::hidden_answered);
        paths.push_back(i.path);
    }
    CHECK(paths == std::vector<std::string>{"witness", "victims", "incident", "evidence",
                                            "reliability", "legal"});
    for (const char* block :
         {"witness", "victims", "incident", "evidence", "reliability", "legal"}) {
        erase(refused, block);
    }
    expect_valid(refused);
    at(refused, "witness") = J(R"({"pseudonym":null,"protection_needs":[]})");  // empty skeleton
    expect_valid(refused);
}

TEST_CASE("validation: dates must exist, match their precision and ranges must not run backwards") {
    const auto date = [](std::string_view json) {
        return example_with("incident.incident_date", J(json));
    };
    expect_valid(date(R"({"precision":"day","value":"2024-02-29","approximate":false})"));
    expect_valid(date(R"({"precision":"month","value":"2023-04","approximate":true})"));
    expect_valid(date(R"({"precision":"year","value":"2023","approximate":true})"));
    expect_valid(
        date(R"({"precision":"range","from":"2023-05","to":"2023-05-10","approximate":false})"));
    expect_valid(
        date(R"({"precision":"range","from":"2022","to":"2022-01-01","approximate":true})"));
    for (const char* bad : {"2023-02-30", "2023-02-29", "2023-13-01", "2023-00-10", "2023-04-31",
                            "1899-12-31", "2101-01-01", "23-04-01", "2023-4-01", "2023-04-01T00",
                            "２０２３-04-01", "2023/04/01", ""}) {
        CAPTURE(bad);
        json::Value a = date(R"({"precision":"day","approximate":false})");
        at(a, "incident.incident_date.value") = bad;
        expect_issue(a, "incident.incident_date.value", IssueCode::bad_date);
    }
    expect_issue(date(R"({"precision":"month","value":"2023-04-01","approximate":true})"),
                 "incident.incident_date.value", IssueCode::bad_date);
    expect_issue(date(R"({"precision":"week","value":"2023-04","approximate":true})"),
                 "incident.incident_date.precision", IssueCode::bad_date);
    expect_issue(
        date(R"({"precision":"range","from":"2023-06","to":"2023-05","approximate":true})"),
        "incident.incident_date", IssueCode::date_range_reversed);
    expect_issue(
        date(R"({"precision":"range","from":"2023-05-02","to":"2023-05-01","approximate":true})"),
        "incident.incident_date", IssueCode::date_range_reversed);
    expect_issue(date(R"({"precision":"range","from":"2023-03","approximate":true})"),
                 "incident.incident_date.to", IssueCode::missing_member);
    expect_issue(date(R"({"precision":"month","value":"2023-04"})"),
                 "incident.incident_date.approximate", IssueCode::missing_member);
    expect_issue(
        date(R"({"precision":"day","value":"2023-04-01","from":"2023-04-01","approximate":true})"),
        "incident.incident_date.from", IssueCode::unknown_member);
}

TEST_CASE("validation: a precision the field does not allow") {
    const std::string label = R"({"en":"When","uk":"Коли","ru":"Когда"})";
    auto f = parse_definition(
        "d.json", R"({"schema":"svidok-form/1","id":"d","version":1,"title":)" + label +
                      R"(,"vocabularies":{},"fields":[{"id":"when","kind":"date","label":)" +
                      label + R"(,"precisions":["day","month"]}],"example":{}})");
    REQUIRE_MESSAGE(f.has_value(), f.error().message);
    expect_valid(*f, J(R"({"when":{"precision":"month","value":"2023-04","approximate":true}})"));
    expect_issue(*f, J(R"({"when":{"precision":"year","value":"2023","approximate":true}})"),
                 "when.precision", IssueCode::precision_not_allowed);
}

TEST_CASE("validation: date-times are strict RFC 3339 with an offset") {
    for (const char* ok :
         {"2024-05-14T10:30:00+03:00", "2024-05-14T07:30:00Z", "2024-02-29T23:59:59-00:00"}) {
        expect_valid(example_with("interview.interview_started_at", ok));
    }
    for (const char* bad :
         {"2024-05-14 10:30:00+03:00", "2024-05-14T10:30:00", "2024-05-14t10:30:00Z",
          "2024-05-14T10:30:00z", "2024-05-14T24:00:00Z", "2024-05-14T10:60:00Z",
          "2024-05-14T10:30:60Z", "2024-05-14T10:30:00.5Z", "2024-02-30T10:00:00Z",
          "2024-05-14T10:30:00+3:00", "2024-05-14T10:30:00+03:60", "2024-05-14T10:30Z"}) {
        CAPTURE(bad);
        expect_issue(example_with("interview.interview_started_at", bad),
                     "interview.interview_started_at", IssueCode::bad_datetime);
    }
}

TEST_CASE("validation: coordinates are decimal strings within range") {
    const auto coords = [](std::string_view lat, std::string_view lon) {
        json::Value c = J(R"({"lat":null,"lon":null})");
        at(c, "lat") = lat;
        at(c, "lon") = lon;
        return example_with("incident.incident_place.coordinates", std::move(c));
    };
    expect_valid(coords("90", "-180"));
    expect_valid(coords("-90.00000000", "180.0"));
    expect_valid(coords("0", "-0.12345678"));
    for (const auto& [lat, lon, bad] : {std::tuple{"90.00000001", "39.2", "lat"},
                                        {"48.4", "180.1", "lon"},
                                        {"48,4047", "39.2", "lat"},
                                        {"48.", "39.2", "lat"},
                                        {".5", "39.2", "lat"},
                                        {"048.4", "39.2", "lat"},
                                        {"+48.4", "39.2", "lat"},
                                        {"48.4", "1e2", "lon"},
                                        {"48.4", "39.123456789", "lon"},
                                        {"48.4", "", "lon"},
                                        {"48.4 ", "39.2", "lat"},
                                        {"-", "39.2", "lat"},
                                        {"1000", "39.2", "lat"}}) {
        CAPTURE(lat);
        CAPTURE(lon);
        expect_issue(coords(lat, lon), std::string("incident.incident_place.coordinates.") + bad,
                     IssueCode::bad_coordinates);
    }
    expect_issue(example_with("incident.incident_place.coordinates.lat", 48),
                 "incident.incident_place.coordinates.lat", IssueCode::wrong_type);
    json::Value a = example_for(children());
    erase(at(a, "incident.incident_place.coordinates"), "lon");
    expect_issue(a, "incident.incident_place.coordinates.lon", IssueCode::missing_member);
    expect_issue(example_with("incident.incident_place.coordinates.alt", "120"),
                 "incident.incident_place.coordinates.alt", IssueCode::unknown_member);
}

TEST_CASE("validation: location parts") {
    expect_issue(example_with("incident.incident_place.oblast.value", "luhansk"),
                 "incident.incident_place.oblast.value", IssueCode::unknown_entry);
    // Raion has no vocabulary in the built-in forms: free text only.
    expect_issue(example_with("incident.incident_place.raion", J(R"({"value":"luhanska"})")),
                 "incident.incident_place.raion.value", IssueCode::unknown_entry);
    expect_valid(example_with("incident.incident_place.oblast",
                              J(R"({"value":"other","other":"Ростовская область"})")));
    expect_valid(
        example_with("incident.incident_place", J(R"({"details":"a school near the mine"})")));
    expect_issue(example_with("incident.incident_place.street", "Shkilna 1"),
                 "incident.incident_place.street", IssueCode::unknown_member);
    expect_issue(example_with("incident.incident_place.details", "line\nbreak"),
                 "incident.incident_place.details", IssueCode::bad_text);
}

TEST_CASE("validation: repeat item counts") {
    expect_issue(example_with("victims", J("[]")), "victims", IssueCode::too_few_items);
    expect_issue(example_with("victims", nullptr), "victims", IssueCode::too_few_items);
    json::Value a = example_for(children());
    json::Array& victims = at(a, "victims").as_array();
    while (victims.size() < 50) victims.push_back(victims[0]);
    expect_valid(a);
    victims.push_back(victims[0]);
    expect_issue(a, "victims", IssueCode::too_many_items);
}

TEST_CASE("validation: consent needs its time") {
    expect_issue(example_with("consent.consent_court", J(R"({"given":true})")),
                 "consent.consent_court.time", IssueCode::consent_time_missing);
    expect_issue(example_with("consent.consent_court", J(R"({"given":false,"time":null})")),
                 "consent.consent_court.time", IssueCode::consent_time_missing);
    expect_issue(example_with("consent.consent_court.time", "yesterday"),
                 "consent.consent_court.time", IssueCode::bad_datetime);
    expect_issue(
        example_with("consent.consent_court", J(R"({"time":"2024-06-03T14:04:00+03:00"})")),
        "consent.consent_court.given", IssueCode::missing_member);
    expect_issue(example_with("consent.consent_court.by", "interviewer"),
                 "consent.consent_court.by", IssueCode::unknown_member);
}

TEST_CASE("validation: attachment references") {
    const std::string hash(64, 'a');
    const auto file = [&](std::string_view name, std::string_view sha) {
        json::Value f = J(R"({"name":null,"sha256":null})");
        at(f, "name") = name;
        at(f, "sha256") = sha;
        return example_with("evidence.attachments[0]", std::move(f));
    };
    expect_valid(file("повістка.jpg", hash));
    expect_issue(file("photo.jpg", std::string(64, 'A')), "evidence.attachments[0].sha256",
                 IssueCode::bad_attachment);
    expect_issue(file("photo.jpg", std::string(63, 'a')), "evidence.attachments[0].sha256",
                 IssueCode::bad_attachment);
    for (const std::string& name :
         {std::string("../photo.jpg"), std::string("a\\b"), std::string(".."), std::string(""),
          std::string(256, 'n'), std::string("a\tb")}) {
        CAPTURE(name);
        expect_issue(file(name, hash), "evidence.attachments[0].name", IssueCode::bad_attachment);
    }
    json::Value twice = file("a.jpg", hash);
    at(twice, "evidence.attachments").as_array().push_back(at(twice, "evidence.attachments[0]"));
    at(twice, "evidence.attachments[1].name") = "b.jpg";
    expect_issue(twice, "evidence.attachments[1].sha256", IssueCode::duplicate_entry);
    expect_issue(example_with("evidence.attachments[0].size", 12), "evidence.attachments[0].size",
                 IssueCode::unknown_member);
}

TEST_CASE("several issues are all reported, in document order") {
    json::Value a = example_for(children());
    at(a, "interview.recording_made") = "no";
    at(a, "victims[1].age_at_time") = 200;
    at(a, "legal.legal_tags_confirmed[0].value") = "gc4_999";
    const auto issues = validate(children(), a);
    REQUIRE(issues.size() == 3);
    CHECK(issues[0].path == "interview.recording_made");
    CHECK(issues[1].path == "victims[1].age_at_time");
    CHECK(issues[2].path == "legal.legal_tags_confirmed[0].value");
}

TEST_CASE("AnswerScope gives the interface the same visibility as validation") {
    const FormDefinition& f = children();
    json::Value a = example_for(f);
    CHECK(!AnswerScope(f, a).visible(f.index_of("interpreter")));
    at(a, "interview.interpreter_present") = true;
    CHECK(AnswerScope(f, a).visible(f.index_of("interpreter")));
    at(a, "victims[0].age_at_time") = nullptr;
    const std::size_t approx = f.index_of("age_approximate");
    CHECK(!AnswerScope(f, a, f.index_of("victims"), 0).visible(approx));
    CHECK(AnswerScope(f, a, f.index_of("victims"), 1).visible(approx));
    CHECK(!AnswerScope(f, a, f.index_of("victims"), 7).visible(approx));  // no such item
    CHECK(!AnswerScope(f, a).visible(approx));                            // no item bound
    CHECK(*AnswerScope(f, a, f.index_of("victims"), 1).answer(f.index_of("age_at_time")) == 16);
}

TEST_CASE("legal tags: the examples suggest what their answers support") {
    CHECK(tags(children(), example_for(children())) ==
          std::vector<std::string>{"gc4_49", "gc4_50", "gc4_51", "api_77_2", "crc_38_opac",
                                   "rome_8_2_a_vii_b_viii"});
    CHECK(tags(adults(), example_for(adults())) ==
          std::vector<std::string>{"gc4_49", "gc4_51", "gc4_147_gc3_130", "hague_45",
                                   "rome_8_2_a_v", "rome_8_2_a_vii_b_viii"});
    CHECK(tags(children(), J("{}")).empty());
    CHECK(tags(children(), J("[1]")).empty());
}

TEST_CASE(
    "legal tags: a child under 15 enlisted suggests Rome Statute 8(2)(b)(xxvi) and AP I 77(2)") {
    json::Value a = example_for(children());
    at(a, "incident.what_happened")
        .as_array()
        .push_back(J(R"({"value":"enlisted_armed_formation"})"));
    CHECK(!has(tags(children(), a), "rome_8_2_b_xxvi"));  // the victims are 15 and 16
    at(a, "victims[1].age_at_time") = 14;                 // any one victim is enough
    auto t = tags(children(), a);
    CHECK(has(t, "rome_8_2_b_xxvi"));
    CHECK(has(t, "api_77_2"));
    CHECK(has(t, "crc_38_opac"));
    at(a, "victims[1].age_at_time") = 15;
    CHECK(!has(tags(children(), a), "rome_8_2_b_xxvi"));
    // Under 15 but not enlisted, summoned or used: no such suggestion.
    json::Value b = example_with("victims[0].age_at_time", 11);
    CHECK(!has(tags(children(), b), "rome_8_2_b_xxvi"));
    // An unknown age suggests nothing about age.
    json::Value c =
        example_with("incident.what_happened", J(R"([{"value":"enlisted_armed_formation"}])"));
    at(c, "victims[0].age_at_time") = nullptr;
    at(c, "victims[1].age_at_time") = nullptr;
    CHECK(!has(tags(children(), c), "rome_8_2_b_xxvi"));
    CHECK(!has(tags(children(), c), "api_77_2"));
}

TEST_CASE("legal tags: organizations, deportation and hostilities") {
    const auto only = [](std::string_view categories, std::string_view consequences) {
        json::Value a = example_for(children());
        at(a, "incident.what_happened") = J(categories);
        at(a, "incident.consequences") = J(consequences);
        at(a, "victims[0].age_at_time") = 30;  // keep the age rules out of the way
        at(a, "victims[1].age_at_time") = 30;
        return tags(children(), a);
    };
    CHECK(only(R"([{"value":"cadet_class"}])", "[]") == std::vector<std::string>{"gc4_50"});
    CHECK(only(R"([{"value":"ideological_classes"}])", "[]") == std::vector<std::string>{"gc4_50"});
    CHECK(only(R"([{"value":"propaganda"}])", "[]") == std::vector<std::string>{"gc4_51"});
    CHECK(only(R"([{"value":"other","other":"x"}])", R"([{"value":"deportation"}])") ==
          std::vector<std::string>{"gc4_49", "rome_8_2_a_vii_b_viii"});
    CHECK(only(R"([{"value":"participation_hostilities"}])", "[]") ==
          std::vector<std::string>{"hague_23h", "rome_8_2_b_xv"});
    CHECK(only(R"([{"value":"other","other":"x"}])", "[]").empty());
}

TEST_CASE("legal tags: hidden answers suggest nothing") {
    json::Value a = example_with("consent.consent_interview.given", false);
    CHECK(tags(children(), a).empty());
}

TEST_CASE("legal tags: a prisoner of war coerced, with or without victims listed") {
    json::Value a = example_for(adults());
    at(a, "incident.what_happened") = J(R"([{"value":"mobilization"}])");
    at(a, "incident.consequences") = J("[]");
    CHECK(tags(adults(), a) ==
          std::vector<std::string>{"gc4_51", "gc4_147_gc3_130", "rome_8_2_a_v"});
    at(a, "incident.what_happened") = J(R"([{"value":"contract_pressure"}])");
    CHECK(tags(adults(), a) == std::vector<std::string>{"gc4_51"});
    at(a, "victims[0].status") = J(R"([{"value":"civilian"},{"value":"pow"}])");
    CHECK(tags(adults(), a) ==
          std::vector<std::string>{"gc4_51", "gc4_147_gc3_130", "rome_8_2_a_v"});
    // The rule's top-level half fires even with no victims (and then the record is invalid).
    at(a, "victims") = J("[]");
    at(a, "incident.what_happened") = J(R"([{"value":"pow_coerced"}])");
    CHECK(tags(adults(), a) == std::vector<std::string>{"gc4_147_gc3_130", "rome_8_2_a_v"});
}
