// SPDX-License-Identifier: GPL-3.0-or-later
// The device log in a vault: checkpoints and proofs that verify with our verifier, and
// `verify` catching a removed, reordered, replaced or rolled-back entry. The tamper cases edit
// vault.db rows directly, as someone holding the vault key could.
#include "crypto/checkpoint.h"
#include "crypto/signed_note.h"
#include "records_fixture.h"
#include "store/device_log.h"
#include "vault_layer.h"

using namespace svidok;
using namespace svidok::test;
namespace json = svidok::forms::json;

namespace {

struct Fixture : RecordsFixture {
    store::DeviceLog log{vault};
    std::vector<store::RecordId> ids;
    std::string checkpoint_at_3;

    /// Six leaves: four records sealed, one amended, one withdrawn; a checkpoint after three.
    Fixture() {
        for (int i = 0; i < 4; ++i) {
            ids.push_back(sealed());
            if (i == 2) checkpoint_at_3 = *log.checkpoint();
        }
        REQUIRE(records.amend(ids[0], example()).has_value());
        REQUIRE(records.withdraw_consent(ids[1]).has_value());
    }

    crypto::NoteVerifier verifier() {
        auto id = vault.identity();
        return *crypto::note_verifier_for(id->log_origin(), crypto::kNoteTypeEd25519, id->log_sk);
    }

    void sql(const char* statement) {
        auto r = store::detail::database(vault).exec(statement);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    }

    /// The report's problems as one string, for searching.
    std::string problems(std::span<const std::string> given = {}) {
        auto report = log.verify(given);
        REQUIRE(report.has_value());
        std::string all;
        for (const auto& p : report->problems) all += p + "\n";
        return all;
    }
};

}  // namespace

TEST_CASE("an untouched log verifies; its checkpoints and proofs check with our verifier") {
    Fixture f;
    auto report = f.log.verify();
    REQUIRE(report.has_value());
    CHECK_MESSAGE(report->ok(), f.problems());
    CHECK(report->size == 6);
    CHECK(report->records == 4);
    CHECK(report->versions == 5);
    CHECK(report->withdrawals == 1);

    auto note = f.log.checkpoint();
    REQUIRE(note.has_value());
    CHECK(f.log.checkpoint().value() == *note);  // same size: the stored one
    auto verifier = f.verifier();
    auto opened = crypto::open_checkpoint(*note, std::span(&verifier, 1));
    REQUIRE(opened.has_value());
    CHECK(opened->checkpoint.size == 6);
    CHECK(opened->checkpoint.origin == f.vault.identity()->log_origin());
    CHECK(opened->checkpoint.root == report->root);
    CHECK(f.log.checkpoints()->size() == 2);

    for (std::uint64_t i = 0; i < 6; ++i) {
        auto proof = f.log.prove_inclusion(i, 6);
        REQUIRE(proof.has_value());
        auto back = forms::InclusionProof::parse(*proof->to_json());
        REQUIRE(back.has_value());
        CHECK(back->verify(opened->checkpoint.size, opened->checkpoint.root).has_value());
    }
    // The withdrawal leaf stands for the signed withdrawal document.
    auto docs = f.records.documents(f.ids[1]);
    CHECK(f.log.leaf(docs->back().sequence)->kind == forms::LeafKind::withdrawal);
    CHECK(f.log.leaf(docs->back().sequence)->document_sha256 == docs->back().sha256);

    auto earlier = crypto::open_checkpoint(f.checkpoint_at_3, std::span(&verifier, 1));
    REQUIRE(earlier.has_value());
    auto consistency = f.log.prove_consistency(3, 6);
    REQUIRE(consistency.has_value());
    CHECK(consistency->verify(earlier->checkpoint.root, opened->checkpoint.root).has_value());
    CHECK(f.log.verify(std::span(&*note, 1))->ok());
}

TEST_CASE("a removed entry is detected") {
    Fixture f;
    auto before = *f.log.checkpoint();
    f.sql(
        "PRAGMA foreign_keys = OFF; DELETE FROM documents WHERE seq = 5; DELETE FROM log WHERE seq "
        "= 5;");
    auto p = f.problems();
    CHECK(p.find("size 6: the log has only 5 leaves") != std::string::npos);
    // Even if every stored checkpoint is removed too, the one the legal team holds catches it.
    f.sql("DELETE FROM checkpoints;");
    CHECK(f.problems().empty());
    CHECK(f.problems(std::span(&before, 1)).find("given checkpoint of size 6") !=
          std::string::npos);
}

TEST_CASE("a removed entry in the middle is detected") {
    Fixture f;
    f.sql("PRAGMA foreign_keys = OFF; DELETE FROM log WHERE seq = 1;");
    auto p = f.problems();
    CHECK(p.find("leaf 1 is missing") != std::string::npos);
    CHECK(p.find("its log leaf 1 is missing") != std::string::npos);
    CHECK(p.find("stored checkpoint of size 3: the first 3 leaves no longer hash") !=
          std::string::npos);
}

TEST_CASE("reordered entries are detected") {
    Fixture f;
    f.sql(
        "PRAGMA foreign_keys = OFF;"
        "UPDATE log SET seq = 100 WHERE seq = 1; UPDATE log SET seq = 1 WHERE seq = 2;"
        "UPDATE log SET seq = 2 WHERE seq = 100;");
    auto p = f.problems();
    CHECK(p.find("leaf 1 says it is leaf 2: the log was reordered") != std::string::npos);
    CHECK(p.find("does not match the document") != std::string::npos);
    CHECK(p.find("no longer hash to its root") != std::string::npos);
}

TEST_CASE("a replaced document or leaf is detected") {
    Fixture f;
    // Another record's signed bytes put in place of record 2's (a valid signature, wrong place).
    f.sql(
        "UPDATE documents SET bytes = (SELECT bytes FROM documents WHERE seq = 3),"
        " minisig = (SELECT minisig FROM documents WHERE seq = 3) WHERE seq = 2;");
    auto p = f.problems();
    CHECK(p.find("log leaf 2 does not match the document") != std::string::npos);
    CHECK(p.find("does not match where it is stored") != std::string::npos);

    Fixture g;
    // One letter of a sealed document's answers changed: still canonical, no longer signed.
    g.sql(
        "UPDATE documents SET bytes = CAST(replace(CAST(bytes AS TEXT), 'Брянка', 'Брянки') AS "
        "BLOB) WHERE seq = 0;");
    auto gp = g.problems();
    CHECK(gp.find("log leaf 0 does not match the document") != std::string::npos);
    CHECK_MESSAGE(gp.find("record version v1: signature does not match") != std::string::npos, gp);

    Fixture h;
    h.sql("UPDATE log SET leaf_hash = zeroblob(32) WHERE seq = 4;");
    CHECK(h.problems().find("leaf 4: stored hash does not match its bytes") != std::string::npos);
}

TEST_CASE("a checkpoint of another device does not vouch for this log") {
    Fixture f;
    Fixture other;
    auto foreign = *other.log.checkpoint();
    CHECK(f.problems(std::span(&foreign, 1)).find("given checkpoint") != std::string::npos);
    std::string garbage = "not a checkpoint\n";
    CHECK_FALSE(f.problems(std::span(&garbage, 1)).empty());
}
