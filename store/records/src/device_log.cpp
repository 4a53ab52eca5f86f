// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/device_log.h"

#include <map>
#include <set>

#include "crypto/checkpoint.h"
#include "crypto/encoding.h"
#include "crypto/signed_note.h"
#include "db.h"
#include "forms/record.h"
#include "log_store.h"
#include "store/clock.h"
#include "vault_layer.h"

namespace svidok::store {

using forms::RecordId;

namespace detail {

Result<std::uint64_t> next_sequence(Db& db) {
    auto st = db.prepare("SELECT COALESCE(MAX(seq) + 1, 0) FROM log");
    if (!st) return std::unexpected(st.error());
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    return static_cast<std::uint64_t>(st->column_int(0));
}

Result<void> append_leaf(Db& db, const forms::LogLeaf& leaf) {
    auto next = next_sequence(db);
    if (!next) return std::unexpected(next.error());
    if (leaf.sequence != *next) {
        return fail(Errc::internal, "log leaf " + std::to_string(leaf.sequence) +
                                        " appended where leaf " + std::to_string(*next) +
                                        " belongs");
    }
    auto bytes = leaf.encode();
    auto st = db.prepare("INSERT INTO log (seq, leaf, leaf_hash) VALUES (?, ?, ?)");
    if (!st) return std::unexpected(st.error());
    return st->bind(1, static_cast<std::int64_t>(leaf.sequence))
        .bind_blob(2, bytes)
        .bind_blob(3, crypto::merkle_leaf_hash(bytes))
        .run();
}

Result<std::vector<crypto::MerkleHash>> leaf_hashes(Db& db, std::uint64_t size) {
    auto st = db.prepare("SELECT seq, leaf_hash FROM log WHERE seq < ? ORDER BY seq");
    if (!st) return std::unexpected(st.error());
    st->bind(1, static_cast<std::int64_t>(size));
    std::vector<crypto::MerkleHash> out;
    out.reserve(size);
    for (;;) {
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        if (static_cast<std::uint64_t>(st->column_int(0)) != out.size()) {
            return fail(Errc::integrity,
                        "the device log has no leaf " + std::to_string(out.size()));
        }
        auto h = fixed_blob<crypto::MerkleHash>(*st, 1, "leaf hash");
        if (!h) return std::unexpected(h.error());
        out.push_back(*h);
    }
    if (out.size() != size) {
        return fail(Errc::invalid, "the device log has " + std::to_string(out.size()) +
                                       " leaves, not " + std::to_string(size));
    }
    return out;
}

}  // namespace detail

namespace {

Result<crypto::NoteVerifier> log_verifier(const Identity& id) {
    return crypto::note_verifier_for(id.log_origin(), crypto::kNoteTypeEd25519, id.log_sk);
}

}  // namespace

Result<std::uint64_t> DeviceLog::size() {
    return detail::next_sequence(detail::database(*vault_));
}

Result<crypto::MerkleHash> DeviceLog::root(std::uint64_t size) {
    auto hashes = detail::leaf_hashes(detail::database(*vault_), size);
    if (!hashes) return std::unexpected(hashes.error());
    return crypto::merkle_root(*hashes);
}

Result<forms::LogLeaf> DeviceLog::leaf(std::uint64_t index) {
    auto st = detail::database(*vault_).prepare("SELECT leaf FROM log WHERE seq = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, static_cast<std::int64_t>(index));
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail(Errc::not_found, "the device log has no leaf " + std::to_string(index));
    return forms::LogLeaf::decode(st->column_blob(0));
}

Result<std::string> DeviceLog::checkpoint() {
    Db& db = detail::database(*vault_);
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    auto n = size();
    if (!n) return std::unexpected(n.error());
    auto existing = db.prepare("SELECT note FROM checkpoints WHERE size = ?");
    if (!existing) return std::unexpected(existing.error());
    existing->bind(1, static_cast<std::int64_t>(*n));
    auto row = existing->step();
    if (!row) return std::unexpected(row.error());
    if (*row) return existing->column_text(0);

    auto r = root(*n);
    if (!r) return std::unexpected(r.error());
    auto identity = vault_->identity();
    if (!identity) return std::unexpected(identity.error());
    auto note = crypto::sign_checkpoint(crypto::Checkpoint{identity->log_origin(), *n, *r, {}},
                                        identity->log_sk);
    if (!note) return std::unexpected(note.error());
    auto st = db.prepare("INSERT INTO checkpoints (size, note, created_at) VALUES (?, ?, ?)");
    if (!st) return std::unexpected(st.error());
    if (auto ok = st->bind(1, static_cast<std::int64_t>(*n))
                      .bind_blob(2, crypto::as_bytes(*note))
                      .bind(3, utc_now())
                      .run();
        !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = txn->commit(); !ok) return std::unexpected(ok.error());
    return note;
}

Result<std::vector<std::string>> DeviceLog::checkpoints() {
    auto st = detail::database(*vault_).prepare("SELECT note FROM checkpoints ORDER BY size");
    if (!st) return std::unexpected(st.error());
    return collect_rows<std::string>(
        *st, [](const Stmt& row) -> Result<std::string> { return row.column_text(0); });
}

Result<forms::InclusionProof> DeviceLog::prove_inclusion(std::uint64_t index,
                                                         std::uint64_t tree_size) {
    auto hashes = detail::leaf_hashes(detail::database(*vault_), tree_size);
    if (!hashes) return std::unexpected(hashes.error());
    auto proof = crypto::inclusion_proof(*hashes, index);
    if (!proof) return std::unexpected(proof.error());
    auto l = leaf(index);
    if (!l) return std::unexpected(l.error());
    return forms::InclusionProof{index, tree_size, *l, std::move(*proof)};
}

Result<forms::ConsistencyProof> DeviceLog::prove_consistency(std::uint64_t from_size,
                                                             std::uint64_t to_size) {
    auto hashes = detail::leaf_hashes(detail::database(*vault_), to_size);
    if (!hashes) return std::unexpected(hashes.error());
    auto proof = crypto::consistency_proof(*hashes, from_size);
    if (!proof) return std::unexpected(proof.error());
    return forms::ConsistencyProof{from_size, to_size, std::move(*proof)};
}

Result<LogReport> DeviceLog::verify(std::span<const std::string> given_checkpoints) {
    Db& db = detail::database(*vault_);
    LogReport report;
    auto problem = [&](std::string text) { report.problems.push_back(std::move(text)); };
    auto identity = vault_->identity();
    if (!identity) return std::unexpected(identity.error());
    const crypto::minisign::PublicKey sign_pub = identity->signing_public_key();
    auto verifier = log_verifier(*identity);
    if (!verifier) return std::unexpected(verifier.error());

    // Leaves: indexes without gaps, each well formed and hashed as stored.
    std::vector<crypto::MerkleHash> hashes;
    std::vector<std::optional<forms::LogLeaf>> leaves;
    {
        auto st = db.prepare("SELECT seq, leaf, leaf_hash FROM log ORDER BY seq");
        if (!st) return std::unexpected(st.error());
        for (;;) {
            auto row = st->step();
            if (!row) return std::unexpected(row.error());
            if (!*row) break;
            const auto seq = static_cast<std::uint64_t>(st->column_int(0));
            for (; leaves.size() < seq; leaves.emplace_back()) {
                problem("leaf " + std::to_string(leaves.size()) + " is missing from the log");
                hashes.emplace_back();
            }
            auto bytes = st->column_blob(1);
            hashes.push_back(crypto::merkle_leaf_hash(bytes));
            auto stored = st->column_blob(2);
            if (!std::ranges::equal(stored, hashes.back())) {
                problem("leaf " + std::to_string(seq) + ": stored hash does not match its bytes");
            }
            auto leaf = forms::LogLeaf::decode(bytes);
            if (!leaf) {
                problem("leaf " + std::to_string(seq) + ": " + leaf.error().message);
                leaves.emplace_back();
                continue;
            }
            if (leaf->sequence != seq) {
                problem("leaf " + std::to_string(seq) + " says it is leaf " +
                        std::to_string(leaf->sequence) + ": the log was reordered");
            }
            leaves.emplace_back(*leaf);
        }
    }
    report.size = leaves.size();
    report.root = crypto::merkle_root(hashes);

    // Documents: each has its leaf, verifies, and versions chain.
    std::set<std::uint64_t> documented;
    std::map<RecordId, std::pair<forms::RecordDocument, crypto::Sha256Digest>> last_version;
    std::set<RecordId> records;
    std::set<RecordId> purged;  // delivered, answers removed: only hashes and signatures remain
    {
        auto st = db.prepare("SELECT record_id FROM purged");
        if (!st) return std::unexpected(st.error());
        auto ids = collect_rows<RecordId>(
            *st, [](const Stmt& row) { return fixed_blob<RecordId>(row, 0, "record id"); });
        if (!ids) return std::unexpected(ids.error());
        purged.insert(ids->begin(), ids->end());
    }
    {
        auto st = db.prepare(
            "SELECT seq, record_id, kind, version, sha256, bytes, minisig FROM documents"
            " ORDER BY seq");
        if (!st) return std::unexpected(st.error());
        for (;;) {
            auto row = st->step();
            if (!row) return std::unexpected(row.error());
            if (!*row) break;
            const auto seq = static_cast<std::uint64_t>(st->column_int(0));
            auto id = fixed_blob<RecordId>(*st, 1, "record id");
            if (!id) return std::unexpected(id.error());
            const auto kind = static_cast<forms::LeafKind>(st->column_int(2));
            const std::int64_t version = st->column_int(3);
            const std::string bytes = st->column_text(5), minisig = st->column_text(6);
            const std::string where = "record " + forms::format_record_id(*id) + " " +
                                      std::string(forms::leaf_kind_name(kind)) + " v" +
                                      std::to_string(version);
            documented.insert(seq);
            records.insert(*id);
            if (bytes.empty() && kind == forms::LeafKind::record_version && purged.contains(*id)) {
                // Its leaf must still match the stored hash and signature.
                ++report.versions;
                auto stored = fixed_blob<crypto::Sha256Digest>(*st, 4, "document hash");
                auto signature = forms::document_signature(minisig);
                if (!stored || !signature || seq >= leaves.size() || !leaves[seq] ||
                    !(*leaves[seq] == forms::LogLeaf{kind, seq, *id, *stored, *signature})) {
                    problem(where +
                            " (purged): its log leaf does not match its stored hash and "
                            "signature");
                }
                documented.insert(seq);
                records.insert(*id);
                continue;
            }
            const auto sha = crypto::sha256(crypto::as_bytes(bytes));

            // The leaf at this sequence must stand for exactly this document.
            forms::SealStamp at_seq;
            at_seq.sequence = seq;
            auto expected = forms::leaf_for_document(kind, at_seq, *id, bytes, minisig);
            if (seq >= leaves.size() || !leaves[seq]) {
                problem(where + ": its log leaf " + std::to_string(seq) + " is missing");
            } else if (!expected || !(*leaves[seq] == *expected)) {
                problem(where + ": log leaf " + std::to_string(seq) +
                        " does not match the document (hash, signature, kind or record)");
            }

            if (kind == forms::LeafKind::withdrawal) {
                ++report.withdrawals;
                auto w = forms::verify_withdrawal(bytes, minisig, sign_pub);
                if (!w) {
                    problem(where + ": " + w.error().message);
                } else if (w->stamp.sequence != seq || w->record != *id) {
                    problem(where + ": its sequence or record does not match where it is stored");
                } else if (auto it = last_version.find(*id);
                           !purged.contains(*id) &&
                           (it == last_version.end() || it->second.first.version != w->version ||
                            it->second.second != w->version_sha256)) {
                    problem(where + ": does not name the latest sealed version before it");
                }
                continue;
            }
            ++report.versions;
            auto doc = forms::verify_record(bytes, minisig, sign_pub);
            if (!doc) {
                problem(where + ": " + doc.error().message);
                continue;
            }
            if (doc->stamp.sequence != seq || doc->record != *id || doc->version != version) {
                problem(where +
                        ": its sequence, record or version does not match where it is stored");
            }
            if (doc->stamp.device != identity->log_origin()) {
                problem(where + ": sealed under another device origin");
            }
            auto prev = last_version.find(*id);
            if (prev == last_version.end()) {
                if (doc->version != 1) problem(where + ": versions before it are missing");
            } else if (auto link =
                           forms::check_chain_link(prev->second.first, prev->second.second, *doc);
                       !link) {
                problem(where + ": " + link.error().message);
            }
            last_version[*id] = {std::move(*doc), sha};
        }
    }
    report.records = records.size();
    for (std::uint64_t i = 0; i < leaves.size(); ++i) {
        if (leaves[i] && !documented.contains(i)) {
            problem("leaf " + std::to_string(i) + " has no document in the vault");
        }
    }

    // Checkpoints: each opens with the log key and is consistent with the current tree.
    auto stored = checkpoints();
    if (!stored) return std::unexpected(stored.error());
    std::vector<std::pair<std::string, std::string>> all;  // label, note
    for (const auto& n : *stored) all.emplace_back("stored checkpoint", n);
    for (const auto& n : given_checkpoints) all.emplace_back("given checkpoint", n);
    for (const auto& [label, note] : all) {
        ++report.checkpoints;
        auto opened = crypto::open_checkpoint(note, std::span(&*verifier, 1));
        if (!opened) {
            problem(label + ": " + opened.error().message);
            continue;
        }
        const auto& cp = opened->checkpoint;
        const std::string what = label + " of size " + std::to_string(cp.size);
        if (cp.size > report.size) {
            problem(what + ": the log has only " + std::to_string(report.size) +
                    " leaves; leaves were removed (a rollback)");
            continue;
        }
        std::span<const crypto::MerkleHash> prefix(hashes.data(), cp.size);
        if (crypto::merkle_root(prefix) != cp.root) {
            problem(what + ": the first " + std::to_string(cp.size) +
                    " leaves no longer hash to its root; leaves were removed, reordered or "
                    "changed");
            continue;
        }
        if (cp.size > 0) {
            auto proof = crypto::consistency_proof(hashes, cp.size);
            if (!proof ||
                !crypto::verify_consistency(cp.size, report.size, *proof, cp.root, report.root)) {
                problem(what + ": no valid consistency proof to the current log");
            }
        }
    }
    return report;
}

}  // namespace svidok::store
