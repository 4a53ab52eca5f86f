// SPDX-License-Identifier: GPL-3.0-or-later
// Sealed answers (docs/FORMAT.md 9.6, docs/FORMS.md 3.8): every field kind sealed and opened
// again, a sensitive group, a sensitive repeat and a sensitive field inside a repeat that is
// not; padding that hides a name's length; a key that is not a recipient; each way a marker can
// be damaged, moved or malformed reported as such; where validation accepts a marker; and the
// stock `age` tool opening a marker with the commitment recomputed from its output.
#include <sodium.h>

#include <cctype>
#include <set>

#include "answer_path.h"
#include "crypto/age.h"
#include "crypto/encoding.h"
#include "forms/condition.h"
#include "forms/registry.h"
#include "forms/sealed.h"
#include "forms/validate.h"
#include "process.h"

using namespace svidok;
using namespace svidok::forms;

namespace {

json::Value J(std::string_view text) {
    auto v = json::parse(text);
    REQUIRE_MESSAGE(v.has_value(), text);
    return std::move(*v);
}

std::string expand(std::string text) {
    static constexpr std::string_view kLabel = R"({"en":"Label","uk":"Мітка","ru":"Метка"})";
    for (std::size_t p = text.find("@L"); p != std::string::npos; p = text.find("@L", p)) {
        text.replace(p, 2, kLabel);
    }
    return text;
}

// Every field kind sensitive at the top; a sensitive group and repeat; a sensitive field in a
// repeat that is not; a sensitive field that a condition hides; fields that are not sensitive.
constexpr std::string_view kFields = R"([
  {"id":"pseudonym","kind":"short_text","label":@L},
  {"id":"show_extra","kind":"boolean","label":@L},
  {"id":"name","kind":"short_text","label":@L,"required":true,"sensitive":true},
  {"id":"notes","kind":"long_text","label":@L,"sensitive":true},
  {"id":"age","kind":"integer","label":@L,"min":0,"max":120,"sensitive":true},
  {"id":"flag","kind":"boolean","label":@L,"sensitive":true},
  {"id":"born","kind":"date","label":@L,"sensitive":true},
  {"id":"seen_at","kind":"datetime","label":@L,"sensitive":true},
  {"id":"colour","kind":"single_choice","label":@L,"vocabulary":"colours","allow_other":true,"sensitive":true},
  {"id":"colours","kind":"multi_choice","label":@L,"vocabulary":"colours","max_items":2,"sensitive":true},
  {"id":"home","kind":"location","label":@L,"oblast_vocabulary":"oblasts","sensitive":true},
  {"id":"agreed","kind":"consent","label":@L,"sensitive":true},
  {"id":"photos","kind":"attachments","label":@L,"sensitive":true},
  {"id":"contact","kind":"group","label":@L,"sensitive":true,"fields":[
     {"id":"phone","kind":"short_text","label":@L},
     {"id":"email","kind":"short_text","label":@L}]},
  {"id":"others","kind":"repeat","label":@L,"sensitive":true,"max_items":5,"fields":[
     {"id":"who","kind":"short_text","label":@L}]},
  {"id":"people","kind":"repeat","label":@L,"max_items":5,"fields":[
     {"id":"alias","kind":"short_text","label":@L},
     {"id":"real","kind":"short_text","label":@L,"sensitive":true}]},
  {"id":"place","kind":"location","label":@L,"oblast_vocabulary":"oblasts"},
  {"id":"extra_name","kind":"short_text","label":@L,"sensitive":true,
   "visible_when":{"field":"show_extra","equals":true}}
])";

constexpr std::string_view kExample = R"({
  "pseudonym": "Ластівка", "show_extra": false,
  "name": "Ганна Приклад", "notes": "Живе з сином.\nТелефонує щотижня.", "age": 47, "flag": false,
  "born": {"precision": "year", "value": "1977", "approximate": true},
  "seen_at": "2024-05-14T10:32:00+03:00",
  "colour": {"value": "other", "other": "бурштиновий"},
  "colours": [{"value": "red", "other": null}, {"value": "blue", "other": null}],
  "home": {"oblast": {"value": "luhanska", "other": null}, "settlement": {"value": "other", "other": "Брянка"},
           "details": "вул. Прикладна, 1", "coordinates": {"lat": "48.5136", "lon": "38.6431"}},
  "agreed": {"given": true, "time": "2024-05-14T10:30:00+03:00"},
  "photos": [{"name": "passport.jpg", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}],
  "contact": {"phone": "+380 00 000 00 00", "email": null},
  "others": [{"who": "сусідка"}, {"who": "брат"}],
  "people": [{"alias": "А. П.", "real": "Андрій Приклад"}, {"alias": "Б.", "real": null},
             {"alias": "В.", "real": ""}],
  "place": {"oblast": {"value": "luhanska", "other": null}},
  "extra_name": ""
})";

const FormDefinition& kinds_form() {
    static const FormDefinition form = [] {
        const std::string bytes = expand(
            R"({"schema":"svidok-form/1","id":"sealing","version":1,"title":@L,"vocabularies":)"
            R"({"colours":[{"id":"red","label":@L},{"id":"blue","label":@L}],)"
            R"("oblasts":[{"id":"luhanska","label":@L}]},"fields":)" +
            std::string(kFields) + R"(,"example":)" + std::string(kExample) + "}");
        auto f = parse_definition("sealing.json", bytes);
        REQUIRE_MESSAGE(f.has_value(), (f ? "" : f.error().message));
        return std::move(*f);
    }();
    return form;
}

/// Equal as canonical JSON: opened values come from canonical plaintexts, members sorted.
bool same(const json::Value& a, const json::Value& b) {
    return json::canonicalize(a).value() == json::canonicalize(b).value();
}

const FormDefinition& builtin(std::string_view id) {
    static const FormRegistry registry = *load_builtin();
    return *registry.find(id);
}

struct Keys {
    crypto::X25519Identity legal = crypto::X25519Identity::generate();
    crypto::X25519Identity archive = crypto::X25519Identity::generate();
    crypto::X25519Identity stranger = crypto::X25519Identity::generate();
    std::vector<crypto::X25519Recipient> to_legal{legal.recipient()};
    std::vector<crypto::X25519Recipient> to_both{legal.recipient(), archive.recipient()};
};

json::Value sealed(const FormDefinition& form, const RecordId& record, const json::Value& answers,
                   std::span<const crypto::X25519Recipient> to) {
    auto s = seal_answers(form, record, answers, to);
    REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
    return std::move(*s);
}

// The value at "a.b[2].c"; nullptr when absent.
json::Value* at(json::Value& root, std::string_view path) {
    return test::walk(root, path, false);
}

const std::vector<std::pair<std::string, std::string>> kUnits = {{"name", "name"},
                                                                 {"notes", "notes"},
                                                                 {"age", "age"},
                                                                 {"flag", "flag"},
                                                                 {"born", "born"},
                                                                 {"seen_at", "seen_at"},
                                                                 {"colour", "colour"},
                                                                 {"colours", "colours"},
                                                                 {"home", "home"},
                                                                 {"agreed", "agreed"},
                                                                 {"photos", "photos"},
                                                                 {"contact", "contact"},
                                                                 {"others", "others"},
                                                                 {"people[0].real", "people.real"},
                                                                 {"people[2].real", "people.real"}};

SealedMarker marker_at(json::Value& answers, std::string_view path) {
    json::Value* v = at(answers, path);
    REQUIRE_MESSAGE(v != nullptr, path);
    auto m = parse_sealed_marker(*v);
    REQUIRE_MESSAGE(m.has_value(), path << ": " << (m ? "" : m.error().message));
    return std::move(*m);
}

/// Decrypts a marker's age file with `id`; the plaintext as text.
std::string plaintext_of(const SealedMarker& m, const crypto::X25519Identity& id) {
    auto plain = crypto::age_decrypt(crypto::AgeIdentities{std::span(&id, 1)}, m.age);
    REQUIRE_MESSAGE(plain.has_value(), (plain ? "" : plain.error().message));
    return std::string(plain->view());
}

const SealedReport& report_at(const OpenedAnswers& o, std::string_view path) {
    for (const auto& u : o.units) {
        if (u.path == path) return u;
    }
    FAIL("no report for " << path);
    return o.units.front();
}

/// A marker re-encrypted from a hand-made plaintext, with the commitment its members give.
json::Value forged(const RecordId& record, const std::string& key, const std::string& plaintext,
                   std::string_view salt_b64, std::string_view value_json,
                   const crypto::X25519Recipient& to) {
    SealedMarker m;
    m.age = *crypto::age_encrypt(std::span(&to, 1), crypto::as_bytes(plaintext));
    m.commitment = sealed_commitment(record, key, *crypto::from_base64(salt_b64), value_json);
    return sealed_marker_value(m);
}

}  // namespace

TEST_CASE("every field kind seals to a marker and opens to exactly the answer entered") {
    const FormDefinition& form = kinds_form();
    const json::Value answers = form.example();
    REQUIRE(validate(form, answers).empty());
    Keys k;
    const RecordId record = random_record_id();

    CHECK(answers_to_seal(form, answers) == kUnits.size());
    json::Value s = sealed(form, record, answers, k.to_both);
    CHECK(answers_to_seal(form, s) == 0);
    for (const auto& [path, key] : kUnits) {
        CAPTURE(path);
        (void)marker_at(s, path);
    }
    // Not sensitive, null, absent or hidden: left as entered.
    CHECK(*at(s, "pseudonym") == json::Value("Ластівка"));
    CHECK(*at(s, "people[0].alias") == json::Value("А. П."));
    CHECK(at(s, "people[1].real")->is_null());
    CHECK(*at(s, "place") == *at(const_cast<json::Value&>(answers), "place"));
    CHECK(*at(s, "extra_name") == json::Value(""));  // hidden: validation keeps it empty
    // The sealed answers validate, and carry no trace of what was sealed.
    CHECK(validate(form, s).empty());
    const std::string text = *json::canonicalize(s);
    for (std::string_view secret : {"Ганна", "Приклад", "сусідка", "+380", "Брянка", "passport",
                                    "бурштиновий", "1977", "48.5136", "Живе"}) {
        CHECK_MESSAGE(text.find(secret) == std::string::npos, secret);
    }

    // Either recipient opens every unit, exactly.
    for (const crypto::X25519Identity* id : {&k.legal, &k.archive}) {
        const OpenedAnswers o = open_sealed_answers(record, s, *id);
        CHECK(same(o.answers, answers));
        REQUIRE(o.units.size() == kUnits.size());
        for (std::size_t i = 0; i < kUnits.size(); ++i) {
            CAPTURE(kUnits[i].first);
            CHECK(o.units[i].path == kUnits[i].first);
            CHECK(o.units[i].field_key == kUnits[i].second);
            CHECK(o.units[i].status == SealedStatus::opened);
            CHECK(o.units[i].problem.empty());
        }
    }

    // The plaintext is exactly FORMAT.md 9.6: canonical, padded, bound to record and field, and
    // the commitment recomputes from it.
    for (const auto& [path, key] : kUnits) {
        CAPTURE(path);
        const SealedMarker m = marker_at(s, path);
        const std::string plain = plaintext_of(m, k.legal);
        CHECK(plain.size() % kSealedPadBlock == 0);
        CHECK(json::is_canonical(plain));
        json::Value p = J(plain);
        CHECK(p.as_object().size() == 6);
        CHECK(*p.find("schema") == json::Value("svidok-sealed/1"));
        CHECK(*p.find("record") == json::Value(format_record_id(record)));
        CHECK(*p.find("field") == json::Value(key));
        CHECK(p.find("pad")->as_string().find_first_not_of(' ') == std::string::npos);
        const auto salt = crypto::from_base64(p.find("salt")->as_string());
        REQUIRE(salt.has_value());
        CHECK(salt->size() == kSealedSaltBytes);
        std::string copy = path;
        CHECK(same(*p.find("value"), *at(const_cast<json::Value&>(answers), copy)));
        CHECK(sealed_commitment(record, key, *salt, *json::canonicalize(*p.find("value"))) ==
              m.commitment);
        // Header for two recipients, nonce, payload: FORMAT.md 9.6.
        CHECK(m.age.size() == 22 + 98 * 2 + 48 + 16 + plain.size() + 16);
    }
}

TEST_CASE(
    "salts are fresh; markers already sealed are kept byte for byte; nothing to seal needs no "
    "key") {
    const FormDefinition& form = kinds_form();
    Keys k;
    const RecordId record = random_record_id();
    const json::Value once = sealed(form, record, form.example(), k.to_legal);
    const json::Value twice = sealed(form, record, form.example(), k.to_legal);
    json::Value a = once, b = twice;
    std::set<std::string> salts;
    for (const auto& [path, key] : kUnits) {
        const SealedMarker ma = marker_at(a, path), mb = marker_at(b, path);
        CHECK(ma.commitment != mb.commitment);
        salts.insert(J(plaintext_of(ma, k.legal)).find("salt")->as_string());
        salts.insert(J(plaintext_of(mb, k.legal)).find("salt")->as_string());
    }
    CHECK(salts.size() == 2 * kUnits.size());

    // Sealing again with other keys keeps every marker; only a value entered anew is sealed.
    json::Value edited = once;
    *at(edited, "name") = json::Value("Ганна Нова");
    const json::Value again = sealed(form, record, edited, k.to_both);
    json::Value ag = again;
    for (const auto& [path, key] : kUnits) {
        CAPTURE(path);
        if (path == "name") {
            CHECK(*at(ag, path) != *at(a, path));
        } else {
            CHECK(*at(ag, path) == *at(a, path));
        }
    }
    const OpenedAnswers o = open_sealed_answers(record, again, k.archive);
    CHECK(report_at(o, "name").status == SealedStatus::opened);
    CHECK(report_at(o, "notes").status == SealedStatus::not_a_recipient);

    // No keys: refused when something is to be sealed, fine when nothing is.
    auto refused = seal_answers(form, record, form.example(), {});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == Errc::usage);
    auto nothing = seal_answers(form, record, once, {});
    REQUIRE(nothing.has_value());
    CHECK(*nothing == once);
    json::Value only_plain = J(R"({"pseudonym": "X", "name": null})");
    CHECK(answers_to_seal(form, only_plain) == 0);
    CHECK(*seal_answers(form, record, only_plain, {}) == only_plain);
}

TEST_CASE("padding: names of different lengths give ciphertexts of one length") {
    const FormDefinition& form = builtin("forced-mobilization");
    Keys k;
    const RecordId record = random_record_id();
    // The plaintext around the value is 174 bytes for witness.real_name, so every name of up
    // to 80 bytes (a long Ukrainian name with patronymic is about 60) fills one 256-byte block.
    std::set<std::size_t> lengths;
    const std::vector<std::string> names = {"Я",
                                            "Ян",
                                            "Олена Приклад",
                                            "Олександра Володимирівна Приклад-Коваленко",
                                            "A",
                                            std::string(80, 'x'),
                                            std::string(40, 'y')};
    for (const std::string& name : names) {
        json::Value a = form.example();
        *at(a, "witness.real_name") = json::Value(name);
        json::Value s = sealed(form, record, a, k.to_legal);
        const SealedMarker m = marker_at(s, "witness.real_name");
        CHECK(plaintext_of(m, k.legal).size() == kSealedPadBlock);
        lengths.insert(m.age.size());
        lengths.insert(
            at(s, "witness.real_name")->find("$sealed")->find("age")->as_string().size());
    }
    CHECK(lengths.size() == 2);  // one file length, one Base64 length
    // Longer values grow in whole blocks.
    for (std::size_t n : {81u, 300u, 1000u, 5000u}) {
        json::Value a = form.example();
        *at(a, "witness.real_name") = json::Value(std::string(n, 'z'));
        json::Value s = sealed(form, record, a, k.to_legal);
        const std::size_t size = plaintext_of(marker_at(s, "witness.real_name"), k.legal).size();
        CHECK(size % kSealedPadBlock == 0);
        CHECK(size >= n + 174);
        CHECK(size < n + 174 + kSealedPadBlock);
    }
}

TEST_CASE("a key that is not a recipient opens nothing and learns nothing") {
    const FormDefinition& form = builtin("child-recruitment");
    Keys k;
    const RecordId record = random_record_id();
    const json::Value s = sealed(form, record, form.example(), k.to_legal);
    const OpenedAnswers o = open_sealed_answers(record, s, k.stranger);
    REQUIRE_FALSE(o.units.empty());
    for (const auto& u : o.units) {
        CAPTURE(u.path);
        CHECK(u.status == SealedStatus::not_a_recipient);
    }
    CHECK(o.answers == s);  // markers stay
    CHECK(sealed_status_name(SealedStatus::not_a_recipient) == "not_a_recipient");
}

TEST_CASE("a moved, swapped, altered or malformed marker is reported as damaged, saying how") {
    const FormDefinition& form = builtin("forced-mobilization");
    Keys k;
    const RecordId record = random_record_id();
    const RecordId other_record = random_record_id();
    const json::Value answers = form.example();
    const json::Value s = sealed(form, record, answers, k.to_legal);
    const json::Value elsewhere = sealed(form, other_record, answers, k.to_legal);

    // The problem reported for the marker at `path`, which must be damaged. Unless
    // `others_damaged`, every other marker still opens; the damaged one is never replaced.
    const auto damage = [&](const json::Value& changed, std::string_view path,
                            bool others_damaged = false) {
        const OpenedAnswers o = open_sealed_answers(record, changed, k.legal);
        const SealedReport& r = report_at(o, path);
        CHECK(r.status == SealedStatus::damaged);
        for (const auto& u : o.units) {
            if (u.path != path && !others_damaged) {
                CHECK_MESSAGE(u.status == SealedStatus::opened, u.path);
            }
        }
        json::Value copy = o.answers;
        CHECK(is_sealed_marker(*at(copy, path)));
        return r.problem;
    };

    SUBCASE("the ciphertext of another field under this field's commitment") {
        json::Value c = s;
        json::Value contact_age = *at(c, "witness.contact")->find("$sealed")->find("age");
        at(c, "witness.real_name")->as_object()[0].second.set("age", contact_age);
        CHECK(damage(c, "witness.real_name") == "sealed for another field (witness.contact)");
    }
    SUBCASE("two whole markers swapped") {
        json::Value c = s;
        std::swap(*at(c, "witness.real_name"), *at(c, "witness.address"));
        CHECK(damage(c, "witness.real_name", true) == "sealed for another field (witness.address)");
        CHECK(damage(c, "witness.address", true) == "sealed for another field (witness.real_name)");
    }
    SUBCASE("a marker of another record") {
        json::Value c = s;
        json::Value e = elsewhere;
        *at(c, "witness.real_name") = *at(e, "witness.real_name");
        CHECK(damage(c, "witness.real_name") == "sealed for another record");
    }
    SUBCASE("one flipped bit of the commitment, at each position") {
        for (std::size_t i = 0; i < 64; ++i) {
            json::Value c = s;
            json::Value& inner = at(c, "witness.real_name")->as_object()[0].second;
            std::string hex = inner.find("commitment")->as_string();
            hex[i] = hex[i] == '0' ? '1' : '0';
            inner.set("commitment", hex);
            CHECK(damage(c, "witness.real_name") == "the commitment does not match the value");
        }
    }
    SUBCASE("a flipped byte of the ciphertext: version line, header MAC, payload") {
        const SealedMarker m = marker_at(const_cast<json::Value&>(s), "witness.real_name");
        // One recipient: the header is 22 + 98 + 48 bytes, its MAC from byte 124.
        for (std::size_t i :
             {std::size_t{3}, std::size_t{130}, m.age.size() - 200, m.age.size() - 1}) {
            SealedMarker bad = m;
            bad.age[i] ^= 0x01;
            json::Value c = s;
            *at(c, "witness.real_name") = sealed_marker_value(bad);
            const std::string problem = damage(c, "witness.real_name");
            CHECK_MESSAGE(problem.starts_with("the ciphertext does not open: "), problem);
        }
    }
    SUBCASE("malformed markers, each named") {
        const json::Value good = *at(const_cast<json::Value&>(s), "witness.real_name");
        const std::string age = good.find("$sealed")->find("age")->as_string();
        const std::string hex = good.find("$sealed")->find("commitment")->as_string();
        std::string upper = hex;
        for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        const std::vector<std::pair<json::Value, std::string>> cases = {
            {json::Object{{"$sealed", json::Object{{"commitment", hex}}}}, "is missing \"age\""},
            {json::Object{{"$sealed", json::Object{{"age", age}}}}, "is missing \"commitment\""},
            {json::Object{{"$sealed", json::Object{{"age", age}, {"commitment", hex}, {"v", 1}}}},
             "a member other than"},
            {json::Object{{"$sealed", json::Object{{"age", age}, {"commitment", hex}}}, {"x", 1}},
             "no member besides"},
            {json::Object{{"$sealed", "text"}}, "must be an object"},
            {json::Object{{"$sealed", json::Object{{"age", age + "="}, {"commitment", hex}}}},
             "Base64"},
            {json::Object{{"$sealed", json::Object{{"age", " " + age}, {"commitment", hex}}}},
             "Base64"},
            {json::Object{{"$sealed", json::Object{{"age", age.substr(0, age.size() - 1)},
                                                   {"commitment", hex}}}},
             "Base64"},
            {json::Object{{"$sealed", json::Object{{"age", ""}, {"commitment", hex}}}}, "Base64"},
            {json::Object{{"$sealed", json::Object{{"age", 7}, {"commitment", hex}}}}, "Base64"},
            {json::Object{{"$sealed", json::Object{{"age", age}, {"commitment", upper}}}},
             "64 lowercase hex"},
            {json::Object{{"$sealed", json::Object{{"age", age}, {"commitment", hex.substr(1)}}}},
             "64 lowercase hex"},
            {json::Object{{"$sealed", json::Object{{"age", age}, {"commitment", hex + "0"}}}},
             "64 lowercase hex"},
            {json::Object{{"$sealed", json::Object{{"age", age}, {"commitment", nullptr}}}},
             "64 lowercase hex"},
        };
        for (const auto& [marker, expected] : cases) {
            CAPTURE(expected);
            json::Value c = s;
            *at(c, "witness.real_name") = marker;
            const std::string problem = damage(c, "witness.real_name");
            CHECK(problem.starts_with("malformed marker: "));
            CHECK_MESSAGE(problem.find(expected) != std::string::npos, problem);
            // Validation names the same problem, with code bad_sealed at the marker's place.
            const auto issues = validate(form, c);
            REQUIRE(issues.size() == 1);
            CHECK(issues[0].path == "witness.real_name");
            CHECK(issues[0].code == IssueCode::bad_sealed);
            CHECK(issues[0].message.find(expected) != std::string::npos);
        }
    }
    SUBCASE("malformed plaintexts that the device never writes") {
        const std::string rec = format_record_id(record);
        const std::string salt = crypto::to_base64(crypto::Bytes(32, 7));
        const std::string key = "witness.real_name";
        const auto padded = [](std::string head, std::string tail) {
            const std::size_t len = head.size() + tail.size();
            return head + std::string((256 - len % 256) % 256, ' ') + tail;
        };
        const std::string tail = "\",\"record\":\"" + rec + "\",\"salt\":\"" + salt +
                                 "\",\"schema\":\"svidok-sealed/1\",\"value\":\"X\"}";
        const std::vector<std::pair<std::string, std::string>> cases = {
            {R"({"field":"witness.real_name","pad":")" + tail, "not padded"},
            {padded(R"({"pad":")", "\",\"field\":\"" + key + tail), "not padded"},
            {padded(R"({ "field":"witness.real_name","pad":")", tail), "not padded"},
            {padded(R"({"field":"witness.real_name","pad":")",
                    "\",\"record\":\"" + rec + "\",\"salt\":\"" + salt +
                        "\",\"schema\":\"svidok-sealed/2\",\"value\":\"X\"}"),
             "the schema"},
            {padded(R"({"field":"witness.real_name","pad":")",
                    "\",\"record\":\"" + rec + "\",\"salt\":\"" + salt + "\",\"value\":\"X\"}"),
             "six members"},
            {padded(R"({"extra":1,"field":"witness.real_name","pad":")", tail), "six members"},
            {padded(R"({"field":"witness.real_name","pad":")",
                    "\",\"record\":\"" + rec + "\",\"salt\":\"" +
                        crypto::to_base64(crypto::Bytes(31, 7)) +
                        "\",\"schema\":\"svidok-sealed/1\",\"value\":\"X\"}"),
             "the salt"},
            {padded(R"({"field":"witness.real_name","pad":"x)", tail), "the padding"},
            {padded(R"({"field":"witness.real_name","pad":")",
                    "\",\"record\":\"" + std::string(32, 'A') + "\",\"salt\":\"" + salt +
                        "\",\"schema\":\"svidok-sealed/1\",\"value\":\"X\"}"),
             "the record"},
        };
        for (const auto& [plain, expected] : cases) {
            CAPTURE(plain);
            json::Value c = s;
            *at(c, "witness.real_name") =
                forged(record, key, plain, salt, "\"X\"", k.legal.recipient());
            const std::string problem = damage(c, "witness.real_name");
            CHECK_MESSAGE(problem.find(expected) != std::string::npos, problem);
        }
        // The same hand-made plaintext, well formed, opens: the checks above are what failed.
        json::Value c = s;
        *at(c, "witness.real_name") =
            forged(record, key, padded(R"({"field":"witness.real_name","pad":")", tail), salt,
                   "\"X\"", k.legal.recipient());
        const OpenedAnswers o = open_sealed_answers(record, c, k.legal);
        CHECK(report_at(o, "witness.real_name").status == SealedStatus::opened);
        json::Value opened = o.answers;
        CHECK(*at(opened, "witness.real_name") == json::Value("X"));
    }
}

TEST_CASE("a marker may move between items of its repeat: the field key has no index") {
    const FormDefinition& form = kinds_form();
    Keys k;
    const RecordId record = random_record_id();
    json::Value s = sealed(form, record, form.example(), k.to_legal);
    // Items reordered (an amendment that removes or reorders victims keeps their markers).
    auto& people = at(s, "people")->as_array();
    std::swap(people[0], people[2]);
    const OpenedAnswers o = open_sealed_answers(record, s, k.legal);
    CHECK(report_at(o, "people[2].real").status == SealedStatus::opened);
    CHECK(report_at(o, "people[0].real").status == SealedStatus::opened);
    json::Value opened = o.answers;
    CHECK(*at(opened, "people[2].real") == json::Value("Андрій Приклад"));
    CHECK(validate(form, s).empty());
}

TEST_CASE("validation: where a marker stands, and what it satisfies") {
    const FormDefinition& form = builtin("forced-mobilization");
    Keys k;
    const RecordId record = random_record_id();
    const json::Value s = sealed(form, record, form.example(), k.to_legal);
    REQUIRE(validate(form, s).empty());
    json::Value copy = s;
    const json::Value marker = *at(copy, "witness.real_name");

    const auto one_issue = [&](const json::Value& a, const FormDefinition* in = nullptr) {
        const auto issues = validate(in != nullptr ? *in : form, a);
        REQUIRE_MESSAGE(issues.size() == 1, issues.size() << " issues");
        return issues[0];
    };
    SUBCASE("both built-in forms validate once sealed") {
        for (std::string_view id : {"forced-mobilization", "child-recruitment"}) {
            const FormDefinition& f = builtin(id);
            CHECK(validate(f, sealed(f, record, f.example(), k.to_legal)).empty());
        }
    }
    SUBCASE("a marker satisfies required, whatever the kind") {
        const FormDefinition& f = kinds_form();
        json::Value a = sealed(f, record, f.example(), k.to_legal);
        CHECK(validate(f, a).empty());
        *at(a, "name") = json::Value("");
        CHECK(one_issue(a, &f).code == IssueCode::required);
    }
    SUBCASE("at a field that is not sensitive") {
        json::Value a = s;
        *at(a, "witness.pseudonym") = marker;
        const FieldIssue i = one_issue(a);
        CHECK(i.path == "witness.pseudonym");
        CHECK(i.code == IssueCode::bad_sealed);
        CHECK(i.message == "only the answer of a sensitive field can be sealed");
    }
    SUBCASE("inside a sensitive group, which is sealed as a whole") {
        const FormDefinition& f = kinds_form();
        json::Value a = f.example();
        *at(a, "contact.phone") = marker;
        const FieldIssue i = one_issue(a, &f);
        CHECK(i.path == "contact.phone");
        CHECK(i.code == IssueCode::bad_sealed);
        CHECK(i.message.find("sealed as a whole") != std::string::npos);
    }
    SUBCASE("as an item of a repeat") {
        json::Value a = s;
        at(a, "victims")->as_array()[0] = marker;
        const FieldIssue i = one_issue(a);
        CHECK(i.path == "victims[0]");
        CHECK(i.code == IssueCode::bad_sealed);
    }
    SUBCASE("inside a value") {
        json::Value a = s;
        at(a, "incident.incident_place")->set("coordinates", marker);
        const FieldIssue i = one_issue(a);
        CHECK(i.path == "incident.incident_place.coordinates");
        CHECK(i.code == IssueCode::bad_sealed);
        json::Value b = s;
        at(b, "incident.what_happened")->as_array().push_back(marker);
        CHECK(one_issue(b).path.starts_with("incident.what_happened["));
    }
    SUBCASE("as the answers object") {
        const FieldIssue i = one_issue(marker);
        CHECK(i.path.empty());
        CHECK(i.code == IssueCode::bad_sealed);
    }
    SUBCASE("at a hidden field: answered while hidden") {
        json::Value a = s;
        at(a, "consent.consent_interview")->set("given", false);
        const auto issues = validate(form, a);
        REQUIRE_FALSE(issues.empty());
        bool witness_hidden = false;
        for (const auto& i : issues) {
            CHECK(i.code == IssueCode::hidden_answered);
            witness_hidden = witness_hidden || i.path == "witness";
        }
        CHECK(witness_hidden);
        CHECK(issue_code_name(IssueCode::bad_sealed) == "bad_sealed");
    }
}

TEST_CASE("a condition on a sealed field sees an answer that is not empty and has no atoms") {
    const std::string bytes = expand(
        R"({"schema":"svidok-form/1","id":"cond","version":1,"title":@L,"vocabularies":{},"fields":[)"
        R"({"id":"flag","kind":"boolean","label":@L,"sensitive":true},)"
        R"({"id":"if_true","kind":"short_text","label":@L,"visible_when":{"field":"flag","equals":true}},)"
        R"({"id":"if_any","kind":"short_text","label":@L,"visible_when":{"field":"flag","not_empty":true}}],)"
        R"("example":{"flag":true,"if_true":"a","if_any":"b"}})");
    auto form = parse_definition("cond.json", bytes);
    REQUIRE(form.has_value());
    Keys k;
    const json::Value s = sealed(*form, random_record_id(), form->example(), k.to_legal);
    const AnswerScope scope(*form, s);
    CHECK_FALSE(scope.visible(form->index_of("if_true")));
    CHECK(scope.visible(form->index_of("if_any")));
    // So a form that conditions on a sensitive field needs the answer entered again to amend.
    const auto issues = validate(*form, s);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "if_true");
    CHECK(issues[0].code == IssueCode::hidden_answered);
}

TEST_CASE("the device shows a placeholder where an answer is sealed") {
    const FormDefinition& form = builtin("forced-mobilization");
    Keys k;
    json::Value s = sealed(form, random_record_id(), form.example(), k.to_legal);
    json::Value shown = with_sealed_placeholders(s);
    CHECK(*at(shown, "witness.real_name") == json::Value(kSealedPlaceholder));
    CHECK(*at(shown, "victims[0].victim_name") == json::Value(kSealedPlaceholder));
    CHECK(*at(shown, "witness.pseudonym") == *at(s, "witness.pseudonym"));
    CHECK(json::pretty(shown).find("$sealed") == std::string::npos);
}

TEST_CASE("the stock age tool opens a marker and the commitment recomputes from its output") {
    const std::filesystem::path age_tool = "/usr/bin/age";
    if (!test::tool_available(age_tool)) return;
    const FormDefinition& form = builtin("forced-mobilization");
    Keys k;
    test::TempDir dir;
    const auto key_file = dir / "legal.txt";
    test::write_file(key_file, crypto::identity_file_text(k.legal).view());
    const RecordId record = random_record_id();
    json::Value s = sealed(form, record, form.example(), k.to_both);
    for (std::string_view path :
         {"witness.real_name", "witness.address", "victims[0].victim_name"}) {
        CAPTURE(path);
        const SealedMarker m = marker_at(s, path);
        // The Base64 of the marker, decoded, is the age file.
        const auto file = dir / "unit.age";
        test::write_file(file, crypto::as_text(m.age));
        auto r = test::run_process(
            {age_tool.string(), "-d", "-i", key_file.string(), file.string()}, {}, dir.path());
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        json::Value p = J(r.out);
        const std::string key = p.find("field")->as_string();
        CHECK(key == (path.starts_with("victims") ? "victims.victim_name" : std::string(path)));
        CHECK(p.find("record")->as_string() == format_record_id(record));
        const auto salt = crypto::from_base64(p.find("salt")->as_string());
        REQUIRE(salt.has_value());
        CHECK(crypto::to_hex(
                  sealed_commitment(record, key, *salt, *json::canonicalize(*p.find("value")))) ==
              at(s, path)->find("$sealed")->find("commitment")->as_string());
        json::Value original = form.example();
        CHECK(*p.find("value") == *at(original, path));
    }
}
