// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The application's state and the narrow command API windows use. No ImGui here: the model is
// driven by the windows, by the headless UI tests and (through the same library functions)
// by the CLI.
//
// Threading: slow work (unlock, seal, attach, export, import, audit) runs on one worker while
// the frame keeps drawing from the state cached here. While the worker runs, the UI thread
// never touches the vault: every command checks busy() first.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "forms/registry.h"
#include "job.h"
#include "store/attachments.h"
#include "store/audit.h"
#include "store/bundles.h"
#include "store/case_export.h"
#include "store/record_index.h"
#include "store/records.h"
#include "store/vault.h"
#include "store/wipe.h"

namespace svidok::app {

/// `locking`: a lock was asked for while work runs; nothing of the session is shown, and the
/// session is dropped as soon as the work ends (Model::lock).
enum class Screen { create, unlock, show_recovery_code, main, locking };

/// Whether `dir` holds a vault (or what is left of one): what picks the create or unlock screen.
[[nodiscard]] bool vault_present(const std::filesystem::path& dir);

enum class Page { records, record, identity, exchange, legal, audit, safety, settings };

/// Everything an unlocked vault holds open. Heap-allocated: Records and the rest keep
/// references into it.
struct Session {
    store::Vault vault;
    forms::FormRegistry registry;
    std::optional<store::Records> records;
    std::optional<store::Attachments> attachments;
    std::optional<store::Bundles> bundles;
    std::optional<store::RecordIndex> index;
    std::string fingerprint;
    std::string age_recipient;
    std::string minisign_key;                           // Base64
    std::optional<crypto::SecureBuffer> recovery_code;  // only right after creation
};

/// One sealed document of the open record, as recomputed on this device.
struct DocumentCheck {
    std::string sealed_at;         // from the verified document
    bool purged = false;           // answers removed after delivery; hash and signature kept
    std::optional<Error> problem;  // nullopt: signature and hash verify
};

/// The record shown on the record page: its draft (edited in place by the editor) or its
/// latest sealed version, with what was last read about it.
struct OpenRecord {
    store::RecordId id{};
    store::RecordInfo info;
    bool received = false;
    std::string origin;  // received: the sender's log origin
    const forms::FormDefinition* form = nullptr;
    forms::json::Value answers;
    std::vector<forms::FieldIssue> issues;
    std::vector<store::SignedDocument> documents;
    std::vector<store::AttachmentInfo> attachments;
    /// Per sealed document, in the order of `documents`; empty until verified (the record
    /// page verifies on open).
    std::vector<DocumentCheck> verification;
    /// This vault's records: who was sent and who confirmed which documents (read on verify).
    std::optional<store::Bundles::RecordDelivery> delivery;
    /// Received records: what became of each sealed answer (opened with this vault's key and
    /// checked against its commitment, or why not). Empty for this vault's own records, whose
    /// sealed answers it can never open.
    std::vector<forms::SealedReport> sealed;
    bool dirty = false;
    /// Changes whenever the answers are reloaded from the vault, so editors drop their buffers.
    std::uint64_t generation = 0;
    std::chrono::steady_clock::time_point changed_at{};
    std::chrono::steady_clock::time_point saved_at{};
    [[nodiscard]] bool editable() const noexcept { return info.has_draft && !received; }
};

/// What the last finished slow operation reported, for the window that started it.
struct ExportDone {
    store::Bundles::ExportResult result;
};
struct ImportDone {
    store::Bundles::ImportResult result;
};

class Model {
public:
    /// `policy` and `create_kdf` are the defaults in the shipped app; tests relax them.
    Model(std::filesystem::path vault_dir, store::VaultPolicy policy = {},
          std::optional<crypto::KdfParams> create_kdf = std::nullopt);
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    // --- state ---
    [[nodiscard]] Screen screen() const noexcept {
        return lock_pending_ ? Screen::locking : screen_;
    }
    [[nodiscard]] Page page() const noexcept { return page_; }
    [[nodiscard]] const std::filesystem::path& vault_dir() const noexcept { return vault_dir_; }
    [[nodiscard]] bool busy() const noexcept { return job_.running(); }
    /// Work done in [0, 1]: reported by the work when it can, else estimated from time.
    [[nodiscard]] float progress() const noexcept;
    /// Asks the running work to stop where that is safe (it then changes nothing).
    void cancel() noexcept { cancel_ = true; }
    [[nodiscard]] bool cancellable() const noexcept { return busy() && cancellable_; }
    /// The last failure, shown in the window; empty when none.
    [[nodiscard]] const std::optional<Error>& error() const noexcept { return error_; }
    void clear_error() noexcept { error_.reset(); }
    /// A short confirmation of the last success ("sealed as version 2"); empty when none.
    [[nodiscard]] const std::string& notice() const noexcept { return notice_; }
    [[nodiscard]] Session* session() noexcept { return session_.get(); }
    [[nodiscard]] const Session* session() const noexcept { return session_.get(); }

    // --- vault ---
    /// Starts creating the vault on the worker (passphrases are moved in and wiped after).
    void create_vault(crypto::SecureBuffer passphrase, crypto::SecureBuffer repeat);
    void unlock(crypto::SecureBuffer passphrase);
    /// The person confirmed writing the recovery code down: it is wiped from memory.
    void confirm_recovery_code_written();
    /// Saves a changed draft, then drops every decrypted value and shows the unlock screen.
    /// While work runs on an open session the lock cannot wait and is never dropped: the
    /// screen becomes Screen::locking at once, cancellable work is asked to stop, every other
    /// command is refused, and poll() drops the session when the work ends (its result is
    /// applied first, so what it wrote stays consistent). Without a session (creating or
    /// unlocking) there is nothing to hide and nothing happens.
    void lock();
    /// Collects the worker's result and autosaves; call once per frame.
    void poll();
    void go(Page page);

    // --- records list ---
    store::RecordFilter filter;
    [[nodiscard]] const std::vector<store::RecordRow>& rows() const noexcept { return rows_; }
    [[nodiscard]] std::chrono::microseconds last_query_time() const noexcept { return query_time_; }
    /// Runs the filter (fast: the index answers in milliseconds).
    void refresh_rows();
    [[nodiscard]] std::vector<const forms::FormDefinition*> forms() const;

    // --- one record ---
    [[nodiscard]] OpenRecord* record() noexcept { return record_ ? &*record_ : nullptr; }
    [[nodiscard]] const OpenRecord* record() const noexcept {
        return record_ ? &*record_ : nullptr;
    }
    void new_record(const forms::FormDefinition& form);
    /// `origin`: empty for this vault's records, else the sender's (RecordRow::origin).
    void open_record(const store::RecordId& id, const std::string& origin = {});
    /// The editor changed the answers: revalidate, and autosave a few seconds later.
    void answers_changed();
    /// Saves the draft now (Ctrl+S, a field losing focus, leaving the page, locking).
    void save_draft();
    void seal();
    void begin_amendment();
    void discard_draft();
    void withdraw_consent();
    void attach(const std::filesystem::path& file, bool delete_original);
    /// Recomputes every signature and hash of the open record.
    void verify_open_record();

    // --- identity, recipients, senders ---
    /// The text a legal team pastes to add this vault as a recipient (and the QR code's):
    /// "<age recipient> <minisign public key>".
    [[nodiscard]] std::string share_text() const;
    [[nodiscard]] const std::vector<store::Recipient>& recipients() const noexcept {
        return recipients_;
    }
    [[nodiscard]] const std::vector<store::Sender>& senders() const noexcept { return senders_; }
    /// `identity` is what the recipient's Svidok shows to share (or an age recipient alone).
    bool add_recipient(std::string_view name, std::string_view identity);
    void remove_recipient(const std::string& name);

    // --- exchange ---
    void export_bundle(std::vector<std::string> to, const std::filesystem::path& out_dir,
                       store::Bundles::Selection selection, std::vector<store::RecordId> records);
    void import_bundle(const std::filesystem::path& file,
                       std::optional<std::string> trust_fingerprint);
    void import_receipt(const std::filesystem::path& file);
    [[nodiscard]] const std::optional<store::Bundles::ExportResult>& exported() const noexcept {
        return exported_;
    }
    [[nodiscard]] const std::optional<store::Bundles::ImportResult>& imported() const noexcept {
        return imported_;
    }
    /// The sender of the last import refused as unknown, whose fingerprint needs confirming.
    [[nodiscard]] bool import_needs_trust() const noexcept { return needs_trust_; }

    /// Makes exactly `names` the recipients sensitive answers are sealed to at sealing.
    void set_seal_recipients(std::vector<std::string> names);

    // --- safety: wipe, failed attempts, duress (docs/SECURITY.md) ---
    struct Safety {
        unsigned wipe_after = 0;  // wrong secrets in a row that wipe the vault; 0 = off
        store::DuressStatus duress;
        bool decoy_session = false;  // preparing the decoy's records (open_decoy)
    };
    [[nodiscard]] const Safety& safety() const noexcept { return safety_; }
    /// The failed-attempt counter, read without unlocking (for the unlock screen).
    [[nodiscard]] const store::GuardState& attempts() const noexcept { return attempts_; }
    void set_wipe_after(unsigned limit);
    /// Sets the duress passphrase (both copies must match), on the worker: it derives a key.
    void set_duress(crypto::SecureBuffer passphrase, crypto::SecureBuffer repeat,
                    bool destroy_real);
    void clear_duress();
    /// From the unlock screen: opens the decoy database with the vault's own passphrase, to
    /// prepare the records the duress passphrase will show.
    void unlock_decoy(crypto::SecureBuffer passphrase);
    /// The panic wipe, from any screen: the key file is destroyed at once on this thread (the
    /// vault is unrecoverable when this returns), then the session is dropped and every file
    /// removed. Work in progress is abandoned.
    void wipe();
    [[nodiscard]] const std::optional<store::WipeReport>& wiped() const noexcept { return wiped_; }

    // --- outputs for the court and the case system (docs/VERIFYING.md, FORMAT.md 17 and 18) ---
    enum class ReportFormat { html, json };
    /// What the last legal output wrote.
    struct LegalDone {
        std::filesystem::path path;  // the file or folder written
        std::uint64_t count = 0;     // records in it
        /// Reports only: the summary's counts.
        bool report = false;
        bool all_verified = false;
        std::uint64_t verified = 0, failed = 0, missing = 0;
    };
    /// Verifies `bundle` with this vault's key and writes the report into `folder` as
    /// verification-report-<UTC time>.html|.json. Nothing is imported.
    void write_report(const std::filesystem::path& bundle, ReportFormat format,
                      const std::filesystem::path& folder, bool unknown_sender = false);
    /// Writes the court printout of each record into `folder` as <record id>.html.
    void print_records(std::vector<store::RecordId> ids, const std::filesystem::path& folder);
    /// Writes the plaintext case export into a new folder case-export-<UTC time> in `folder`.
    /// The window has asked the person to confirm that the output is unencrypted.
    void export_case(store::CaseFormat format, bool bom, const std::filesystem::path& folder);
    [[nodiscard]] const std::optional<LegalDone>& legal_done() const noexcept {
        return legal_done_;
    }

    // --- audit ---
    void audit();
    [[nodiscard]] const std::optional<store::AuditReport>& audit_report() const noexcept {
        return audit_;
    }

    /// Drafts are saved this long after the last change.
    static constexpr std::chrono::seconds kAutosaveDelay{3};

private:
    // Runs on the UI thread with the worker's result. (A pointer: the type is incomplete here.)
    using Apply = std::move_only_function<void(Model*)>;
    void start(std::move_only_function<Result<Apply>()> work, std::chrono::milliseconds expected,
               bool cancellable);
    [[nodiscard]] bool ready();  // unlocked and idle
    void fail_with(Error e) {
        error_ = std::move(e);
        notice_.clear();
    }
    void succeed(std::string notice) {
        error_.reset();
        notice_ = std::move(notice);
    }
    void reload_record();
    [[nodiscard]] Result<void> load_received(OpenRecord& r);
    void reload_people();
    void reload_safety();
    void refresh_attempts();
    void enter_session(std::unique_ptr<Session> s);
    void unlock_impl(crypto::SecureBuffer passphrase, bool decoy);
    /// Drops every decrypted value and shows the unlock (or create) screen.
    void drop_session();
    [[nodiscard]] store::BundleProgressFn bundle_progress();

    std::filesystem::path vault_dir_;
    store::VaultPolicy policy_;
    std::optional<crypto::KdfParams> create_kdf_;
    Screen screen_;
    Page page_ = Page::records;
    std::optional<Error> error_;
    std::string notice_;
    std::unique_ptr<Session> session_;
    std::vector<store::RecordRow> rows_;
    std::chrono::microseconds query_time_{0};
    std::optional<OpenRecord> record_;
    std::vector<store::Recipient> recipients_;
    std::vector<store::Sender> senders_;
    std::optional<store::Bundles::ExportResult> exported_;
    std::optional<store::Bundles::ImportResult> imported_;
    bool needs_trust_ = false;
    std::optional<store::AuditReport> audit_;
    std::optional<LegalDone> legal_done_;
    Safety safety_;
    store::GuardState attempts_;
    std::optional<store::WipeReport> wiped_;
    std::atomic<float> reported_progress_{-1.f};
    std::atomic<bool> cancel_{false};
    bool cancellable_ = false;
    bool lock_pending_ = false;  // lock() asked while work ran: drop the session when it ends
    Job<Apply> job_;
};

}  // namespace svidok::app
