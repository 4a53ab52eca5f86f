// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The command table. Each command is a function over parsed arguments and the Io struct.

#include <memory>
#include <optional>
#include <string_view>

#include "args.h"
#include "cli.h"
#include "forms/json.h"
#include "forms/registry.h"
#include "store/bundles.h"
#include "store/records.h"

namespace svidok::cli {

/// An unlocked vault with its records. Heap-allocated and never moved: `records` refers to
/// `vault` and `registry`.
struct Session {
    store::Vault vault;
    forms::FormRegistry registry;
    std::optional<store::Records> records;
    store::RecordId record{};  // set by Context::open_record()
};

/// What every command receives: its parsed arguments, the vault directory, and the Io.
struct Context {
    ParsedArgs args;
    std::filesystem::path vault_dir;
    std::optional<std::filesystem::path> passphrase_file;
    std::optional<std::filesystem::path> forms_dir;
    Io& io;
    /// --decoy: commands that unlock open the decoy database (docs/FORMAT.md 16) to prepare it.
    bool decoy = false;

    /// The secret of `kind`: from `file_option` when given, else --passphrase-file /
    /// SVIDOK_PASSPHRASE_FILE for the current passphrase, else the prompt.
    [[nodiscard]] Result<crypto::SecureBuffer> secret(SecretKind kind,
                                                      std::string_view file_option = {}) const;
    /// Unlocks the vault with the current passphrase (its decoy with --decoy), and prints what
    /// the opening had to repair as warnings.
    [[nodiscard]] Result<store::Vault> open_vault() const;
    /// Errc::usage when --decoy was given to a command it does not apply to.
    [[nodiscard]] Result<> refuse_decoy(std::string_view why) const;
    /// The built-in forms plus those of --forms DIR.
    [[nodiscard]] Result<forms::FormRegistry> form_registry() const;
    /// Unlocks the vault and opens its records (with form_registry()).
    [[nodiscard]] Result<std::unique_ptr<Session>> open_records() const;
    /// open_records(), then the record named by the first positional argument (its full id or
    /// a unique prefix) in Session::record.
    [[nodiscard]] Result<std::unique_ptr<Session>> open_record() const;
};

/// Reads a JSON document from a file (at most the JSON reader's 64 MiB), errors naming it.
[[nodiscard]] Result<forms::json::Value> read_json_file(const std::filesystem::path& path);

/// "512 B", "1.5 MiB", ...
[[nodiscard]] std::string human_size(std::uint64_t bytes);

struct Command {
    std::string_view name;
    std::string_view synopsis;  // one line for the overview
    std::string_view help;      // full --help text
    std::span<const OptionSpec> options;
    std::size_t max_positional;
    Result<> (*run)(Context& ctx);
};

/// Every command, in the order the overview lists them.
[[nodiscard]] std::span<const Command> commands();

// Vault commands (commands_vault.cpp).
[[nodiscard]] Result<> cmd_init(Context& ctx);
[[nodiscard]] Result<> cmd_passwd(Context& ctx);
[[nodiscard]] Result<> cmd_recover(Context& ctx);
[[nodiscard]] Result<> cmd_identity(Context& ctx);

// Commands for a laptop at risk (commands_safety.cpp).
[[nodiscard]] Result<> cmd_wipe(Context& ctx);
[[nodiscard]] Result<> cmd_duress_set(Context& ctx);
[[nodiscard]] Result<> cmd_duress_clear(Context& ctx);
[[nodiscard]] Result<> cmd_duress_status(Context& ctx);
[[nodiscard]] Result<> cmd_settings_wipe_after(Context& ctx);

// Form commands (commands_forms.cpp).
[[nodiscard]] Result<> cmd_form_list(Context& ctx);
[[nodiscard]] Result<> cmd_form_show(Context& ctx);
[[nodiscard]] Result<> cmd_form_template(Context& ctx);
[[nodiscard]] Result<> cmd_form_example(Context& ctx);

// Attachment commands (commands_attachments.cpp).
[[nodiscard]] Result<> cmd_attach(Context& ctx);
[[nodiscard]] Result<> cmd_attachment_list(Context& ctx);
[[nodiscard]] Result<> cmd_attachment_verify(Context& ctx);
[[nodiscard]] Result<> cmd_attachment_extract(Context& ctx);

// Record commands (commands_records.cpp).
[[nodiscard]] Result<> cmd_record_new(Context& ctx);
[[nodiscard]] Result<> cmd_record_update(Context& ctx);
[[nodiscard]] Result<> cmd_record_check(Context& ctx);
[[nodiscard]] Result<> cmd_record_seal(Context& ctx);
[[nodiscard]] Result<> cmd_record_amend(Context& ctx);
[[nodiscard]] Result<> cmd_record_withdraw(Context& ctx);
[[nodiscard]] Result<> cmd_record_discard(Context& ctx);
[[nodiscard]] Result<> cmd_record_list(Context& ctx);
[[nodiscard]] Result<> cmd_record_show(Context& ctx);
[[nodiscard]] Result<> cmd_record_export(Context& ctx);

// The case export and the court printout (commands_case.cpp).
[[nodiscard]] Result<> cmd_export_case(Context& ctx);
[[nodiscard]] Result<> cmd_record_print(Context& ctx);

// Bundle commands (commands_bundles.cpp).
[[nodiscard]] Result<> cmd_recipient_add(Context& ctx);
[[nodiscard]] Result<> cmd_recipient_list(Context& ctx);
[[nodiscard]] Result<> cmd_recipient_remove(Context& ctx);
[[nodiscard]] Result<> cmd_recipient_seal(Context& ctx);
[[nodiscard]] Result<> cmd_sender_list(Context& ctx);
[[nodiscard]] Result<> cmd_export(Context& ctx);
[[nodiscard]] Result<> cmd_import(Context& ctx);
[[nodiscard]] Result<> cmd_receipt_import(Context& ctx);
[[nodiscard]] Result<> cmd_purge(Context& ctx);

/// Progress of an export or import on stderr: bytes and documents, one updating line.
[[nodiscard]] store::BundleProgressFn progress_to(std::ostream& err, const char* verb);
/// What an import did, for the person.
void print_import(std::ostream& out, const store::Bundles::ImportResult& r);

// Remotes and network sync (commands_remotes.cpp).
[[nodiscard]] Result<> cmd_remote_add(Context& ctx);
[[nodiscard]] Result<> cmd_remote_list(Context& ctx);
[[nodiscard]] Result<> cmd_remote_remove(Context& ctx);
[[nodiscard]] Result<> cmd_remote_key(Context& ctx);
/// sync --folder DIR or --remote NAME: one code path for both (docs/FORMAT.md 14.3).
[[nodiscard]] Result<> cmd_sync(Context& ctx);

// Log commands (commands_log.cpp).
[[nodiscard]] Result<> cmd_log_checkpoint(Context& ctx);
[[nodiscard]] Result<> cmd_log_verify(Context& ctx);

// The verification report (commands_verify.cpp).
[[nodiscard]] Result<> cmd_verify(Context& ctx);
[[nodiscard]] Result<> cmd_log_proof(Context& ctx);

}  // namespace svidok::cli
