// SPDX-License-Identifier: GPL-3.0-or-later
// Sealed witness identities in a vault (docs/FORMAT.md 9.6, 14.1): the seal recipients setting;
// sealing refused without one, changing nothing; after sealing, with the vault unlocked, canary
// witness details appear nowhere on the device: not in what Records returns, not in the record
// list, not in the decrypted database (exported whole to a plaintext copy with sqlcipher_export
// and searched as UTF-8 and UTF-16LE), not in the vault's files; amendments carry markers
// verbatim and seal what was entered again; a legal vault opens what was sealed to it and a
// third vault that received the same bundle cannot.
#include <set>

#include "forms/sealed.h"
#include "records_fixture.h"
#include "store/bundles.h"
#include "store/record_index.h"
#include "vault_layer.h"  // private: these tests read the decrypted database, as someone with the key could

using namespace svidok;
using namespace svidok::test;
namespace json = forms::json;

namespace {

// Canary witness details: each occurs nowhere else, in any test data.
const std::string kName = "Зорянa Канаркова-Ґ7Q";
const std::string kContact = "+380 97 000 47 47 канарка";
const std::string kAddress = "вул. Канаркова, 47, Ізюм";
const std::string kNotes = "Канарковий захист: брат у Вовчанську.";
const std::string kVictim = "Остап Канарчук-Ж9";
const std::vector<std::string> kCanaries = {kName, kContact, kAddress, kNotes, kVictim};

json::Value* member(json::Value& v, std::string_view key) {
    for (auto& [k, m] : v.as_object()) {
        if (k == key) return &m;
    }
    return nullptr;
}

/// The form's example with the canaries as the witness's details and the first victim's name.
json::Value canary_answers(RecordsFixture& f) {
    json::Value a = f.example();
    json::Value& w = *member(a, "witness");
    w.set("real_name", kName);
    w.set("contact", kContact);
    w.set("address", kAddress);
    w.set("protection_notes", kNotes);
    member(a, "victims")->as_array()[0].set("victim_name", kVictim);
    return a;
}

std::string utf16le(std::string_view utf8) {
    std::string out;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char32_t cp = len == 1 ? b : b & (0x7F >> len);
        for (std::size_t k = 1; k < len; ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        }
        i += len;
        REQUIRE(cp < 0x10000);  // the canaries are in the BMP
        out.push_back(static_cast<char>(cp & 0xFF));
        out.push_back(static_cast<char>(cp >> 8));
    }
    return out;
}

/// The whole decrypted database as the bytes of a plaintext SQLite copy (sqlcipher_export):
/// every table, index and FTS shadow table, as someone holding the data key can read it.
std::string plaintext_database(store::Vault& vault, const fs::path& scratch) {
    const fs::path plain = scratch / "plaintext-copy.db";
    // An empty file is an empty database; the vault's connection may not create files.
    write_file(plain, "");
    const std::string sql = "ATTACH DATABASE '" + plain.string() +
                            "' AS plaintext KEY ''; SELECT sqlcipher_export('plaintext');"
                            " DETACH DATABASE plaintext;";
    auto r = store::detail::database(vault).exec(sql.c_str());
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    std::string bytes = read_file(plain);
    fs::remove(plain);
    REQUIRE(bytes.starts_with(std::string("SQLite format 3\0", 16)));
    return bytes;
}

/// Every canary that occurs in `bytes`, as UTF-8 or UTF-16LE.
std::vector<std::string> canaries_in(const std::string& bytes) {
    std::vector<std::string> found;
    for (const auto& c : kCanaries) {
        if (bytes.find(c) != std::string::npos || bytes.find(utf16le(c)) != std::string::npos) {
            found.push_back(c);
        }
    }
    return found;
}

std::vector<std::string> canaries_in_tree(const fs::path& dir) {
    std::vector<std::string> found;
    for (const auto& c : kCanaries) {
        if (occurs_in_tree(dir, c) || occurs_in_tree(dir, utf16le(c))) found.push_back(c);
    }
    return found;
}

using Names = std::vector<std::string>;

/// Equal as canonical JSON: what was signed or sealed has its members in canonical order.
bool same(const json::Value& a, const json::Value& b) {
    return json::canonicalize(a).value() == json::canonicalize(b).value();
}

/// A vault that exchanges bundles, sealing to the legal-team recipient of its fixture.
struct Party : RecordsFixture {
    store::Bundles bundles{records};
    store::Identity id = *vault.identity();
    [[nodiscard]] std::string age_recipient() const {
        return crypto::X25519Recipient{id.x25519_pk()}.to_string();
    }
    void add(const std::string& name, const Party& other) {
        auto r = bundles.add_recipient(name, other.age_recipient(),
                                       other.id.signing_public_key().to_base64());
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    }
    store::RecordId sealed_canaries() {
        auto rid = records.create_draft(form(), canary_answers(*this));
        REQUIRE(rid.has_value());
        auto s = records.seal(*rid);
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
        return *rid;
    }
    std::vector<forms::SealedStatus> statuses(const forms::OpenedAnswers& o) {
        std::vector<forms::SealedStatus> out;
        for (const auto& u : o.units) out.push_back(u.status);
        return out;
    }
};

}  // namespace

TEST_CASE("seal recipients: set, replaced, cleared and listed; one in use cannot be removed") {
    RecordsFixture f;
    store::Bundles b(f.records);
    const auto key = [] { return crypto::X25519Identity::generate().recipient().to_string(); };
    REQUIRE(b.add_recipient("archive", key(), std::nullopt));
    REQUIRE(b.add_recipient("legal", key(), std::nullopt));

    // The fixture seals to legal-team.
    auto current = b.seal_recipients();
    REQUIRE(current.has_value());
    REQUIRE(current->size() == 1);
    CHECK((*current)[0].name == "legal-team");
    CHECK((*current)[0].seal);

    REQUIRE(b.set_seal_recipients(Names{"legal", "archive"}));
    current = b.seal_recipients();
    REQUIRE(current->size() == 2);
    CHECK((*current)[0].name == "archive");  // in name order
    CHECK((*current)[1].name == "legal");
    const auto all = b.recipients();
    REQUIRE(all.has_value());
    for (const auto& r : *all) CHECK(r.seal == (r.name != "legal-team"));
    CHECK(b.recipient("legal")->seal);
    CHECK_FALSE(b.recipient("legal-team")->seal);

    // A seal recipient is not removed behind the setting's back; others are.
    auto refused = b.remove_recipient("legal");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == Errc::invalid);
    CHECK(refused.error().message.find("sealed to") != std::string::npos);
    CHECK(refused.error().hint.find("recipient seal") != std::string::npos);
    CHECK(b.recipient("legal").has_value());
    CHECK(b.remove_recipient("legal-team").has_value());

    // Bad requests change nothing.
    auto unknown = b.set_seal_recipients(Names{"legal", "nobody"});
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == Errc::not_found);
    auto twice = b.set_seal_recipients(Names{"legal", "legal"});
    REQUIRE_FALSE(twice.has_value());
    CHECK(twice.error().code == Errc::usage);
    CHECK(b.seal_recipients()->size() == 2);

    REQUIRE(b.set_seal_recipients(Names{}));
    CHECK(b.seal_recipients()->empty());
    CHECK(b.remove_recipient("legal").has_value());
}

TEST_CASE("without a seal recipient, sealing sensitive answers is refused and changes nothing") {
    RecordsFixture f;
    store::Bundles b(f.records);
    REQUIRE(b.set_seal_recipients(Names{}));
    auto draft = f.records.create_draft(f.form(), canary_answers(f));
    REQUIRE(draft.has_value());
    const auto before = snapshot(f.vault.dir());

    auto refused = f.records.seal(*draft);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == Errc::invalid);
    CHECK(refused.error().message ==
          "this record has sensitive answers and no legal team to seal them to");
    CHECK(refused.error().hint ==
          "choose the seal recipients: `svidok-cli recipient seal NAME...`");
    CHECK(snapshot(f.vault.dir()) == before);
    CHECK(f.records.info(*draft)->status == store::RecordStatus::draft);
    CHECK(same(*f.records.answers(*draft), canary_answers(f)));

    // The same for an amendment given whole, once something was sealed.
    REQUIRE(b.set_seal_recipients(Names{"legal-team"}));
    REQUIRE(f.records.seal(*draft));
    REQUIRE(b.set_seal_recipients(Names{}));
    const auto sealed_before = snapshot(f.vault.dir());
    auto amend = f.records.amend(*draft, canary_answers(f));
    REQUIRE_FALSE(amend.has_value());
    CHECK(amend.error().message.find("no legal team") != std::string::npos);
    CHECK(snapshot(f.vault.dir()) == sealed_before);
    // Markers carried as they are need no key: an amendment that seals nothing new is fine.
    json::Value carried = *f.records.answers(*draft);
    member(carried, "reliability")->set("credibility_notes", "Перевірено вдруге.");
    auto v2 = f.records.amend(*draft, carried);
    REQUIRE_MESSAGE(v2.has_value(), (v2 ? "" : v2.error().message));

    // A record without sensitive answers needs no seal recipient either.
    json::Value plain = f.example();
    for (const char* key : {"real_name", "contact", "address", "protection_notes"}) {
        member(plain, "witness")->set(key, nullptr);
    }
    for (auto& v : member(plain, "victims")->as_array()) v.set("victim_name", nullptr);
    auto other = f.records.create_draft(f.form(), plain);
    REQUIRE(other.has_value());
    auto ok = f.records.seal(*other);
    REQUIRE_MESSAGE(ok.has_value(), (ok ? "" : ok.error().message));
}

TEST_CASE(
    "after sealing, with the vault unlocked, the witness's identity is nowhere on the device") {
    RecordsFixture f;
    store::RecordIndex index = *store::RecordIndex::open(f.vault);
    auto id = f.records.create_draft(f.form(), canary_answers(f));
    REQUIRE(id.has_value());
    // The method finds them while the draft holds them: it can see what it looks for.
    CHECK(canaries_in(plaintext_database(f.vault, f.tmp.path())) == kCanaries);
    // Edits leave older copies of the draft in freed pages (secure_delete zeroes them).
    json::Value edited = canary_answers(f);
    member(edited, "incident")->set("narrative", "Перша версія розповіді.");
    REQUIRE(f.records.update_draft(*id, edited));
    REQUIRE(f.records.update_draft(*id, canary_answers(f)));

    auto sealed = f.records.seal(*id);
    REQUIRE_MESSAGE(sealed.has_value(), (sealed ? "" : sealed.error().message));

    // What Records returns: markers only.
    const json::Value answers = *f.records.answers(*id);
    CHECK(canaries_in(json::pretty(answers)).empty());
    CHECK(forms::is_sealed_marker(*answers.find("witness")->find("real_name")));
    CHECK(forms::is_sealed_marker(*answers.find("victims")->as_array()[0].find("victim_name")));
    CHECK(answers.find("witness")->find("pseudonym")->as_string() == "Ластівка");
    const auto documents = f.records.documents(*id);
    REQUIRE(documents.has_value());
    for (const auto& d : *documents) {
        CHECK(canaries_in(d.bytes).empty());
        CHECK(canaries_in(d.minisig).empty());
    }
    CHECK_FALSE(f.records.info(*id)->has_draft);
    // The record list and its search.
    const auto rows = *index.query({});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].pseudonym == "Ластівка");
    for (const char* word : {"Канаркова", "Канарчук", "Вовчанськ", "Ізюм"}) {
        store::RecordFilter filter;
        filter.text = word;
        CHECK_MESSAGE(index.query(filter)->empty(), word);
    }
    // The whole decrypted database, and every file of the vault.
    CHECK(canaries_in(plaintext_database(f.vault, f.tmp.path())).empty());
    CHECK(canaries_in_tree(f.vault.dir()).empty());

    // The device's own key cannot open what it sealed; the legal team's opens all of it.
    auto own = f.vault.identity()->x25519_identity();
    REQUIRE(own.has_value());
    const forms::OpenedAnswers mine = forms::open_sealed_answers(*id, answers, *own);
    REQUIRE(mine.units.size() == 5);  // real_name, contact, address, notes; the victim's name
    for (const auto& u : mine.units) CHECK(u.status == forms::SealedStatus::not_a_recipient);
    const forms::OpenedAnswers legal = forms::open_sealed_answers(*id, answers, f.legal_team);
    for (const auto& u : legal.units) CHECK(u.status == forms::SealedStatus::opened);
    CHECK(same(legal.answers, canary_answers(f)));
}

TEST_CASE("an amendment carries markers verbatim and seals what was entered again") {
    RecordsFixture f;
    auto id = f.records.create_draft(f.form(), canary_answers(f));
    REQUIRE(id.has_value());
    REQUIRE(f.records.seal(*id));
    const auto v1 = forms::parse_record(f.records.documents(*id)->back().bytes);
    REQUIRE(v1.has_value());

    // The amendment draft starts as the sealed answers, markers and all.
    REQUIRE(f.records.begin_amendment(*id));
    json::Value draft = *f.records.answers(*id);
    CHECK(draft == v1->answers);

    // A new real name and a new victim are entered; everything else is left as it was.
    const std::string new_name = "Зоряна Нова-Канаркова";
    const std::string new_victim = "Третій Канарчук";
    member(draft, "witness")->set("real_name", new_name);
    json::Value victim = member(draft, "victims")->as_array()[0];
    victim.set("victim_ref", "В. К.");
    victim.set("victim_name", new_victim);
    member(draft, "victims")->as_array().push_back(victim);
    auto issues = f.records.update_draft(*id, draft);
    REQUIRE(issues.has_value());
    CHECK(issues->empty());
    auto sealed = f.records.seal(*id);
    REQUIRE_MESSAGE(sealed.has_value(), (sealed ? "" : sealed.error().message));
    CHECK(sealed->version == 2);

    const auto v2 = forms::parse_record(sealed->bytes);
    REQUIRE(v2.has_value());
    const auto& w1 = *v1->answers.find("witness");
    const auto& w2 = *v2->answers.find("witness");
    for (const char* kept : {"contact", "address", "protection_notes"}) {
        CHECK_MESSAGE(*w2.find(kept) == *w1.find(kept),
                      kept);  // the same ciphertext and commitment
    }
    CHECK(*w2.find("real_name") != *w1.find("real_name"));
    CHECK(forms::is_sealed_marker(*w2.find("real_name")));
    const auto& victims2 = v2->answers.find("victims")->as_array();
    REQUIRE(victims2.size() == 2);
    CHECK(*victims2[0].find("victim_name") ==
          *v1->answers.find("victims")->as_array()[0].find("victim_name"));
    CHECK(forms::is_sealed_marker(*victims2[1].find("victim_name")));
    CHECK(forms::validate(f.form(), v2->answers).empty());

    const forms::OpenedAnswers opened = forms::open_sealed_answers(*id, v2->answers, f.legal_team);
    for (const auto& u : opened.units) {
        CHECK_MESSAGE(u.status == forms::SealedStatus::opened, u.path << ": " << u.problem);
    }
    CHECK(opened.answers.find("witness")->find("real_name")->as_string() == new_name);
    CHECK(opened.answers.find("witness")->find("contact")->as_string() == kContact);
    CHECK(opened.answers.find("victims")->as_array()[1].find("victim_name")->as_string() ==
          new_victim);
    const std::string plain = plaintext_database(f.vault, f.tmp.path());
    CHECK(plain.find(new_name) == std::string::npos);
    CHECK(plain.find(new_victim) == std::string::npos);
    CHECK(canaries_in(plain).empty());
}

TEST_CASE("the legal team opens and verifies what was sealed to it; a third vault cannot") {
    Party field, legal, third;
    field.add("legal", legal);
    field.add("third", third);
    REQUIRE(field.bundles.set_seal_recipients(Names{"legal"}));
    const store::RecordId id = field.sealed_canaries();

    // One bundle to both: each can read the record, only legal its sealed answers.
    fs::create_directories(field.tmp / "out");
    store::Bundles::ExportOptions eo;
    eo.to = {"legal", "third"};
    eo.out_dir = field.tmp / "out";
    auto ex = field.bundles.export_bundle(eo);
    REQUIRE_MESSAGE(ex.has_value(), (ex ? "" : ex.error().message));
    for (Party* p : {&legal, &third}) {
        store::Bundles::ImportOptions io;
        io.trust_fingerprint = field.id.fingerprint();
        io.receipt_dir = p->tmp / "receipts";
        fs::create_directories(io.receipt_dir);
        auto im = p->bundles.import_bundle(ex->file, io);
        REQUIRE_MESSAGE(im.has_value(), (im ? "" : im.error().message));
    }
    const std::string origin = field.id.log_origin();

    auto found = legal.bundles.find_received(forms::format_record_id(id).substr(0, 8));
    REQUIRE(found.has_value());
    REQUIRE(found->size() == 1);
    CHECK(found->front() == std::pair{origin, id});
    CHECK(legal.bundles.find_received("abc").error().code == Errc::usage);
    CHECK(legal.bundles.find_received(std::string(32, '0'))->empty());

    auto opened = legal.bundles.open_received(origin, id);
    REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
    CHECK(opened->latest.record == id);
    CHECK(opened->documents.size() == 1);
    CHECK_FALSE(opened->withdrawn);
    REQUIRE(opened->opened.units.size() == 5);
    for (const auto& u : opened->opened.units) {
        CHECK_MESSAGE(u.status == forms::SealedStatus::opened, u.path << ": " << u.problem);
    }
    CHECK(same(opened->opened.answers, canary_answers(field)));
    std::vector<std::string> paths;
    for (const auto& u : opened->opened.units) paths.push_back(u.path);
    // In the order they stand in the signed answers: canonical JSON sorts the members.
    CHECK(paths == std::vector<std::string>{"victims[0].victim_name", "witness.address",
                                            "witness.contact", "witness.protection_notes",
                                            "witness.real_name"});

    auto theirs = third.bundles.open_received(origin, id);
    REQUIRE(theirs.has_value());
    REQUIRE(theirs->opened.units.size() == 5);
    for (const auto& u : theirs->opened.units) {
        CHECK(u.status == forms::SealedStatus::not_a_recipient);
    }
    CHECK(theirs->opened.answers == theirs->latest.answers);
    CHECK(canaries_in(json::pretty(theirs->opened.answers)).empty());

    // Neither receiving vault stores a readable copy: they keep what was signed and open it
    // when it is shown.
    CHECK(canaries_in(plaintext_database(legal.vault, legal.tmp.path())).empty());
    CHECK(canaries_in(plaintext_database(third.vault, third.tmp.path())).empty());
    CHECK(canaries_in(plaintext_database(field.vault, field.tmp.path())).empty());

    CHECK(legal.bundles.open_received(origin, forms::random_record_id()).error().code ==
          Errc::not_found);
    CHECK(legal.bundles.open_received("svidok.device/0000000000000000", id).error().code ==
          Errc::not_found);
}
