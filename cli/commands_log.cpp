// SPDX-License-Identifier: GPL-3.0-or-later
// log checkpoint | verify | proof: the device log (docs/FORMAT.md section 10).
#include <ostream>

#include "commands.h"
#include "crypto/encoding.h"
#include "crypto/merkle.h"
#include "crypto/signed_note.h"
#include "store/atomic_file.h"
#include "store/device_log.h"

namespace svidok::cli {

Result<> cmd_log_checkpoint(Context& ctx) {
    auto vault = ctx.open_vault();
    if (!vault) return std::unexpected(vault.error());
    auto note = store::DeviceLog(*vault).checkpoint();
    if (!note) return std::unexpected(note.error());
    ctx.io.out << *note;
    return {};
}

Result<> cmd_log_verify(Context& ctx) {
    std::vector<std::string> given;
    for (const auto& file : ctx.args.values("--checkpoint")) {
        auto bytes = store::read_small_file(file, crypto::kMaxNoteBytes);
        if (!bytes) return std::unexpected(bytes.error());
        given.emplace_back(crypto::as_text(*bytes));
    }
    auto vault = ctx.open_vault();
    if (!vault) return std::unexpected(vault.error());
    auto report = store::DeviceLog(*vault).verify(given);
    if (!report) return std::unexpected(report.error());
    auto& out = ctx.io.out;
    out << "Log: " << report->size << " entries, root "
        << crypto::merkle_hash_to_base64(report->root) << "\nChecked: " << report->records
        << " records, " << report->versions << " sealed versions, " << report->withdrawals
        << " withdrawals, " << report->checkpoints << " checkpoints\n";
    if (report->ok()) {
        out << "OK: every signature, hash and chain verifies, and the log is consistent with "
               "every checkpoint.\n";
        return {};
    }
    for (const auto& p : report->problems) out << "PROBLEM: " << p << '\n';
    return fail(Errc::integrity,
                std::to_string(report->problems.size()) + " problems found in the device log",
                "do not hand this vault's records over as complete; keep it as it is and "
                "report the problems");
}

Result<> cmd_log_proof(Context& ctx) {
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    const store::RecordId& id = (*s)->record;
    auto docs = (*s)->records->documents(id);
    if (!docs) return std::unexpected(docs.error());
    const auto wanted = ctx.args.value("--version");
    const store::SignedDocument* doc = nullptr;
    for (const auto& d : *docs) {
        if (d.kind == forms::LeafKind::record_version &&
            (!wanted || *wanted == std::to_string(d.version))) {
            doc = &d;
        }
    }
    if (doc == nullptr) {
        return fail(Errc::not_found,
                    "record " + forms::format_record_id(id) +
                        (wanted ? " has no version " + *wanted : " is not sealed"));
    }
    store::DeviceLog log((*s)->vault);
    auto note = log.checkpoint();
    if (!note) return std::unexpected(note.error());
    auto size = log.size();
    if (!size) return std::unexpected(size.error());
    auto proof = log.prove_inclusion(doc->sequence, *size);
    if (!proof) return std::unexpected(proof.error());
    auto text = proof->to_json();
    if (!text) return std::unexpected(text.error());
    ctx.io.out << *text << '\n';
    ctx.io.err << "The proof is against the checkpoint of size " << *size
               << " (`svidok-cli log checkpoint` prints it).\n";
    return {};
}

}  // namespace svidok::cli
