// SPDX-License-Identifier: GPL-3.0-or-later
#include <optional>
#include <ostream>

#include "commands.h"
#include "crypto/age.h"
#include "crypto/minisign.h"
#include "crypto/signed_note.h"
#include "secrets.h"

namespace svidok::cli {

namespace {

/// Prints a recovery code the way init does: once, with what it means.
void show_recovery_code(std::ostream& out, const crypto::SecureBuffer& code) {
    out << "RECOVERY CODE (shown only this once; write it on paper now):\n\n    " << code.view()
        << "\n\n"
        << "Anyone holding this code can open the vault. Keep the paper away from the laptop.\n";
}

}  // namespace

Result<> cmd_init(Context& ctx) {
    if (auto r = ctx.refuse_decoy("init creates both databases"); !r) return r;
    // With --passphrase-file the file holds the new vault's passphrase; otherwise ask twice.
    auto pass = ctx.passphrase_file ? read_secret_file(*ctx.passphrase_file)
                                    : ctx.secret(SecretKind::new_passphrase);
    if (!pass) return std::unexpected(pass.error());
    store::CreateOptions options{ctx.io.init_kdf, ctx.io.policy};
    auto created = store::Vault::create(ctx.vault_dir, pass->span(), options);
    if (!created) return std::unexpected(created.error());
    auto id = created->vault.identity();
    if (!id) return std::unexpected(id.error());
    auto kdf = created->vault.kdf();
    auto& out = ctx.io.out;
    out << "Created a vault in " << ctx.vault_dir.string() << "\n"
        << "Key derivation: Argon2id, t=" << kdf.opslimit << ", " << (kdf.memlimit >> 20)
        << " MiB\n\n";
    show_recovery_code(out, created->recovery_code);
    out << "\nFingerprint: " << id->fingerprint() << "\n";
    out.flush();
    return {};
}

Result<> cmd_passwd(Context& ctx) {
    if (auto r = ctx.refuse_decoy("the passphrase belongs to the real vault"); !r) return r;
    const bool rekey = ctx.args.has("--rekey");
    if (!rekey && (ctx.args.has("--clear-duress") || ctx.args.value("--duress-passphrase-file"))) {
        return fail(Errc::usage, "--clear-duress and --duress-passphrase-file go with --rekey");
    }
    auto vault = ctx.open_vault();
    if (!vault) return std::unexpected(vault.error());
    auto fresh = ctx.secret(SecretKind::new_passphrase, "--new-passphrase-file");
    if (!fresh) return std::unexpected(fresh.error());
    if (!rekey) {
        if (auto r = vault->change_passphrase(fresh->span()); !r) return r;
        ctx.io.out << "Passphrase changed.\n";
        return {};
    }
    auto duress = vault->duress_status();
    if (!duress) return std::unexpected(duress.error());
    std::optional<crypto::SecureBuffer> keep;
    if (duress->set && !ctx.args.has("--clear-duress")) {
        auto typed = ctx.secret(SecretKind::duress_passphrase, "--duress-passphrase-file");
        if (!typed) return std::unexpected(typed.error());
        keep = std::move(*typed);
    }
    auto code = keep ? vault->rekey(fresh->span(), keep->span()) : vault->rekey(fresh->span());
    for (const auto& notice : vault->notices()) ctx.io.err << "svidok: warning: " << notice << '\n';
    if (!code) return std::unexpected(code.error());
    auto& out = ctx.io.out;
    out << "Passphrase changed and the vault re-keyed: both databases have new keys, and earlier\n"
        << "copies of vault.keys open nothing current.\n";
    if (duress->set)
        out << (keep ? "The duress passphrase is kept.\n" : "The duress passphrase is removed.\n");
    out << "\n";
    show_recovery_code(out, *code);
    out << "The previous recovery code no longer works.\n";
    out.flush();
    return {};
}

Result<> cmd_recover(Context& ctx) {
    if (auto r = ctx.refuse_decoy("the recovery code opens the real vault"); !r) return r;
    if (ctx.args.has("--new-code")) {
        auto vault = ctx.open_vault();
        if (!vault) return std::unexpected(vault.error());
        auto code = vault->new_recovery_code();
        if (!code) return std::unexpected(code.error());
        show_recovery_code(ctx.io.out, *code);
        ctx.io.out << "The previous recovery code no longer works.\n";
        ctx.io.out.flush();
        return {};
    }
    auto code = ctx.secret(SecretKind::recovery_code, "--recovery-code-file");
    if (!code) return std::unexpected(code.error());
    auto vault = store::Vault::open_with_recovery(ctx.vault_dir, code->view(), ctx.io.policy);
    if (!vault) return std::unexpected(vault.error());
    auto fresh = ctx.secret(SecretKind::new_passphrase, "--new-passphrase-file");
    if (!fresh) return std::unexpected(fresh.error());
    if (auto r = vault->change_passphrase(fresh->span()); !r) return r;
    ctx.io.out << "Vault recovered; the new passphrase is set. The recovery code still works.\n";
    return {};
}

}  // namespace svidok::cli

namespace svidok::cli {

Result<> cmd_identity(Context& ctx) {
    auto vault = ctx.open_vault();
    if (!vault) return std::unexpected(vault.error());
    auto id = vault->identity();
    if (!id) return std::unexpected(id.error());
    const crypto::minisign::PublicKey sign_pub = id->signing_public_key();
    crypto::X25519Recipient recipient{id->x25519_pk()};
    auto verifier =
        crypto::note_verifier_for(id->log_origin(), crypto::kNoteTypeEd25519, id->log_sk);
    if (!verifier) return std::unexpected(verifier.error());
    auto log_key = crypto::format_verifier_key(*verifier);
    if (!log_key) return std::unexpected(log_key.error());
    auto& out = ctx.io.out;
    if (ctx.args.has("--json")) {
        // Every value is ASCII without quotes or backslashes (Base64, Bech32, hex, digits).
        out << "{\n  \"fingerprint\": \"" << id->fingerprint() << "\",\n"
            << "  \"minisign_public_key\": \"" << sign_pub.to_base64() << "\",\n"
            << "  \"minisign_key_id\": \"" << crypto::minisign::format_key_id(sign_pub.key_id)
            << "\",\n"
            << "  \"age_recipient\": \"" << recipient.to_string() << "\",\n"
            << "  \"log_origin\": \"" << id->log_origin() << "\",\n"
            << "  \"log_verifier_key\": \"" << *log_key << "\"\n}\n";
        return {};
    }
    out << "Fingerprint: " << id->fingerprint() << "\n\n"
        << "Record-signing key (minisign):\n"
        << sign_pub.to_file() << "\n"
        << "Encryption recipient (age):\n"
        << recipient.to_string() << "\n\n"
        << "Log verifier key (checkpoints, C2SP signed note):\n"
        << *log_key << "\n";
    return {};
}

}  // namespace svidok::cli
