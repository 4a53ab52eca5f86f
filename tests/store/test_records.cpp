// SPDX-License-Identifier: GPL-3.0-or-later
// Records in a vault: drafts, sealing (validation first, nothing signed on failure), amendment
// chains, withdrawal of consent, what may not happen to a sealed record, and that nothing of a
// testimony reaches the disk in plaintext.
#include "crypto/encoding.h"
#include "forms/answers.h"
#include "forms/sealed.h"
#include "records_fixture.h"
#include "store/clock.h"
#include "store/device_log.h"
#include "store/form_files.h"

using namespace svidok;
using namespace svidok::test;
namespace json = svidok::forms::json;

namespace {

using Fixture = RecordsFixture;

void set_path(json::Value& v, std::string_view group, std::string_view field, json::Value value) {
    json::Value g = *v.find(group);
    g.set(field, std::move(value));
    v.set(group, std::move(g));
}

}  // namespace

TEST_CASE("a draft is stored, updated and sealed into a signed version 1") {
    Fixture f;
    json::Value partial = json::Object{};
    auto id = f.records.create_draft(f.form(), partial);
    REQUIRE(id.has_value());
    auto info = f.records.info(*id);
    CHECK(info->status == store::RecordStatus::draft);
    CHECK(info->has_draft);
    CHECK(info->versions == 0);
    CHECK_FALSE(f.records.check_draft(*id)->empty());

    // Sealing an incomplete draft lists every issue and signs nothing.
    auto refused = f.records.seal(*id);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == Errc::invalid);
    CHECK(refused.error().message.find("cannot be sealed") != std::string::npos);
    CHECK(refused.error().message.find("consent") != std::string::npos);
    CHECK(store::DeviceLog(f.vault).size().value() == 0);

    auto issues = f.records.update_draft(*id, f.example());
    REQUIRE(issues.has_value());
    CHECK(issues->empty());
    auto sealed = f.records.seal(*id);
    REQUIRE_MESSAGE(sealed.has_value(), (sealed ? "" : sealed.error().message));
    CHECK(sealed->version == 1);
    CHECK(sealed->sequence == 0);
    CHECK(sealed->sha256 == crypto::sha256(crypto::as_bytes(sealed->bytes)));

    auto identity = f.vault.identity();
    crypto::minisign::PublicKey pub{identity->sign_key_id, identity->sign_pk()};
    auto doc = forms::verify_record(sealed->bytes, sealed->minisig, pub);
    REQUIRE_MESSAGE(doc.has_value(), (doc ? "" : doc.error().message));
    CHECK(doc->record == *id);
    CHECK(doc->form_id == "forced-mobilization");
    CHECK(doc->form_sha256 == f.form().sha256());
    CHECK(doc->stamp.device == identity->log_origin());
    // The signed answers hold the sensitive ones sealed (docs/FORMAT.md 9.6); the legal team's
    // key opens them to exactly what was entered.
    CHECK(doc->answers != f.example());
    CHECK(json::canonicalize(forms::open_sealed_answers(*id, doc->answers, f.legal_team).answers)
              .value() == json::canonicalize(f.example()).value());
    CHECK(f.records.info(*id)->status == store::RecordStatus::sealed);
    CHECK_FALSE(f.records.info(*id)->has_draft);
}

TEST_CASE("records are stamped by the store's clock, which a test can fix") {
    Fixture f;
    auto id = f.records.create_draft(f.form(), f.example());
    REQUIRE(id.has_value());
    {
        // 2024-05-01T12:00:00Z
        const store::ScopedClock fixed([]() noexcept -> std::time_t { return 1714564800; });
        REQUIRE(f.records.update_draft(*id, f.example()).has_value());
        CHECK(f.records.info(*id)->updated_at == "2024-05-01T12:00:00Z");
        auto sealed = f.records.seal(*id);
        REQUIRE_MESSAGE(sealed.has_value(), (sealed ? "" : sealed.error().message));
        auto identity = f.vault.identity();
        crypto::minisign::PublicKey pub{identity->sign_key_id, identity->sign_pk()};
        auto doc = forms::verify_record(sealed->bytes, sealed->minisig, pub);
        REQUIRE(doc.has_value());
        CHECK(doc->stamp.sealed_at == "2024-05-01T12:00:00Z");
    }
    // The device clock is back once the test's clock is gone.
    CHECK(store::utc_now() != "2024-05-01T12:00:00Z");
}

TEST_CASE("a sealed record is never changed: update, seal again and discard are refused") {
    Fixture f;
    auto id = f.sealed();
    auto before = f.records.documents(id);
    auto r = f.records.update_draft(id, f.example());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().hint.find("record amend") != std::string::npos);
    CHECK(f.records.seal(id).error().code == Errc::invalid);
    CHECK(f.records.discard_draft(id).error().code == Errc::invalid);
    CHECK(f.records.documents(id)->size() == before->size());
    CHECK(f.records.documents(id)->front().bytes == before->front().bytes);
}

TEST_CASE("amendments form a chain by hash; withdrawal ends it") {
    Fixture f;
    auto id = f.sealed();
    auto answers = f.example();
    set_path(answers, "reliability", "credibility_notes", "Second interview confirmed the dates.");
    auto v2 = f.records.amend(id, answers);
    REQUIRE_MESSAGE(v2.has_value(), (v2 ? "" : v2.error().message));
    set_path(answers, "reliability", "credibility_notes", "Third version.");
    auto v3 = f.records.amend(id, answers);
    REQUIRE(v3.has_value());
    CHECK(f.records.info(id)->status == store::RecordStatus::amended);
    CHECK(f.records.info(id)->versions == 3);

    auto docs = f.records.documents(id);
    REQUIRE(docs->size() == 3);
    auto d1 = forms::parse_record((*docs)[0].bytes);
    auto d2 = forms::parse_record((*docs)[1].bytes);
    auto d3 = forms::parse_record((*docs)[2].bytes);
    CHECK(forms::check_chain_link(*d1, (*docs)[0].sha256, *d2).has_value());
    CHECK(forms::check_chain_link(*d2, (*docs)[1].sha256, *d3).has_value());
    CHECK(d3->stamp.sequence == 2);
    CHECK(json::canonicalize(
              forms::open_sealed_answers(id, *f.records.answers(id), f.legal_team).answers)
              .value() == json::canonicalize(answers).value());

    // An amendment must validate in full.
    json::Value bad = answers;
    set_path(bad, "consent", "consent_interview", json::Value("yes"));
    auto refused = f.records.amend(id, bad);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message.find("consent.consent_interview") != std::string::npos);
    CHECK(f.records.info(id)->versions == 3);

    auto w = f.records.withdraw_consent(id);
    REQUIRE(w.has_value());
    CHECK(w->kind == forms::LeafKind::withdrawal);
    CHECK(w->version == 3);
    auto wd = forms::parse_withdrawal(w->bytes);
    CHECK(wd->version_sha256 == (*docs)[2].sha256);
    CHECK(f.records.info(id)->status == store::RecordStatus::withdrawn);
    CHECK(f.records.withdraw_consent(id).error().code == Errc::exists);
    CHECK(f.records.amend(id, answers).error().message.find("withdrew consent") !=
          std::string::npos);
    // Nothing was deleted: every version is still there and readable.
    CHECK(f.records.documents(id)->size() == 4);
}

TEST_CASE("drafts: discard, withdraw and amend are told apart from sealed records") {
    Fixture f;
    auto id = f.records.create_draft(f.form(), f.example());
    CHECK(f.records.amend(*id, f.example()).error().hint.find("record update") !=
          std::string::npos);
    CHECK(f.records.withdraw_consent(*id).error().hint.find("record discard") != std::string::npos);
    CHECK(f.records.discard_draft(*id).has_value());
    CHECK(f.records.info(*id).error().code == Errc::not_found);
    CHECK(f.records.list()->empty());
    CHECK(f.records.create_draft(f.form(), json::Value("not an object")).error().code ==
          Errc::invalid);
}

TEST_CASE("a file reference must resolve to an attached file before sealing") {
    Fixture f;
    auto id = f.records.create_draft(f.form(), f.form().example());
    auto issues = f.records.check_draft(*id);
    REQUIRE(issues->size() == 2);
    CHECK((*issues)[0].path == "evidence.attachments[0]");
    CHECK((*issues)[0].code == forms::IssueCode::bad_attachment);
    CHECK_FALSE(f.records.seal(*id).has_value());
    CHECK(store::DeviceLog(f.vault).size().value() == 0);
}

TEST_CASE("ids resolve from a unique prefix; list keeps creation order") {
    Fixture f;
    std::vector<store::RecordId> ids;
    for (int i = 0; i < 5; ++i)
        ids.push_back(*f.records.create_draft(f.form("child-recruitment"), json::Object{}));
    auto list = f.records.list();
    REQUIRE(list->size() == 5);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        CHECK((*list)[i].id == ids[i]);
        auto hex = forms::format_record_id(ids[i]);
        CHECK(f.records.resolve(hex).value() == ids[i]);
        CHECK(f.records.resolve(hex.substr(0, 12)).value() == ids[i]);
        std::string upper = hex;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        CHECK(f.records.resolve(upper).value() == ids[i]);
    }
    CHECK(f.records.resolve("abc").error().code == Errc::usage);
    CHECK(f.records.resolve("zzzzzzzz").error().code == Errc::usage);
    CHECK(f.records.resolve(std::string(32, '0')).error().code == Errc::not_found);
}

TEST_CASE("records survive closing the vault; the form definition travels with them") {
    TempDir tmp;
    const std::string form_text = [] {
        auto builtin = forms::load_builtin();
        std::string t = builtin->find("child-recruitment")->bytes();
        // The same form as a locally defined one: another id, loaded from a directory.
        auto at = t.find("\"child-recruitment\"");
        REQUIRE(at != std::string::npos);
        return t.replace(at, 19, "\"local-recruitment\"");
    }();
    fs::create_directories(tmp.path() / "forms");
    write_file(tmp.path() / "forms" / "local.json", form_text);
    store::RecordId id{};
    {
        auto registry = *forms::load_builtin();
        REQUIRE(store::load_form_directory(registry, tmp.path() / "forms").has_value());
        auto vault = make_vault(tmp.path() / "v").vault;
        auto records = *store::Records::open(vault, registry);
        seal_to(records, "legal-team", crypto::X25519Identity::generate().recipient());
        json::Value answers = registry.find("local-recruitment")->example();
        set_path(answers, "evidence", "attachments", json::Array{});
        id = *records.create_draft(*registry.find("local-recruitment"), answers);
        REQUIRE_MESSAGE(records.seal(id).has_value(), records.seal(id).error().message);
    }
    // Reopened without the forms directory: the vault kept the definition.
    auto registry = *forms::load_builtin();
    auto vault = store::Vault::open(tmp.path() / "v", pw("correct horse battery"), kTestPolicy);
    REQUIRE(vault.has_value());
    auto records = store::Records::open(*vault, registry);
    REQUIRE(records.has_value());
    auto info = records->info(id);
    REQUIRE_MESSAGE(info.has_value(), (info ? "" : info.error().message));
    CHECK(info->form->id() == "local-recruitment");
    CHECK(info->status == store::RecordStatus::sealed);
    CHECK(store::DeviceLog(*vault).verify()->ok());
}

TEST_CASE("a forms directory is loaded whole or not at all") {
    TempDir tmp;
    auto builtin = forms::load_builtin();
    std::string text = builtin->find("forced-mobilization")->bytes();
    write_file(tmp.path() / "a.json", text);  // identical to the built-in: accepted
    write_file(tmp.path() / "b.json", "{\"schema\": \"svidok-form/1\"");
    auto registry = *forms::load_builtin();
    auto before = registry.all().size();
    auto r = store::load_form_directory(registry, tmp.path());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("b.json") != std::string::npos);
    CHECK(registry.all().size() == before);

    fs::remove(tmp.path() / "b.json");
    auto changed = text;
    changed.insert(changed.find('{') + 1, " ");
    write_file(tmp.path() / "c.json", changed);  // same id and version, other bytes
    r = store::load_form_directory(registry, tmp.path());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::exists);
    CHECK(registry.all().size() == before);
    CHECK(store::load_form_directory(registry, tmp.path() / "missing").error().code == Errc::io);
}

TEST_CASE("no testimony text reaches the disk in plaintext") {
    Fixture f;
    auto id = f.sealed();
    auto answers = f.example();
    const std::string marker = "Оксана Марченко-Тестова";
    set_path(answers, "reliability", "credibility_notes", json::Value(marker));
    REQUIRE(f.records.amend(id, answers).has_value());
    REQUIRE(f.records.create_draft(f.form(), answers).has_value());
    CHECK_FALSE(occurs_in_tree(f.vault.dir(), marker));
    CHECK_FALSE(occurs_in_tree(f.vault.dir(), "svidok-record/1"));
    CHECK_FALSE(occurs_in_tree(f.vault.dir(), forms::format_record_id(id)));
}
