// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Encrypted bundles between vaults (docs/FORMAT.md sections 12-14): recipients and pinned
// senders, export, verified all-or-nothing import, signed receipts, purging delivered content,
// and one-step folder sync. Everything streams: memory stays a few 64 KiB buffers whatever the
// size of the attachments.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/age.h"
#include "crypto/error.h"
#include "crypto/minisign.h"
#include "forms/bundle_documents.h"
#include "forms/sealed.h"
#include "store/records.h"
#include "store/verification_report.h"

namespace svidok::store {

/// Someone bundles are encrypted to (docs/FORMAT.md 14.1).
struct Recipient {
    std::string name;
    crypto::X25519Recipient age;
    std::optional<crypto::minisign::PublicKey> minisign;  // needed to accept its receipts
    std::string added_at;
    bool seal = false;  // sensitive answers are sealed to it (docs/FORMAT.md 14.1, 9.6)
};

/// A sender whose keys this vault pinned (docs/FORMAT.md 14.2), with what was received.
struct Sender {
    forms::SenderKeys keys;
    std::string fingerprint;
    std::string pinned_at;
    std::uint64_t documents = 0;        // documents held from it
    std::uint64_t checkpoint_size = 0;  // the largest checkpoint held
};

/// Where a bundle operation is. Called from the working thread; returning false cancels (the
/// operation then fails with Errc::usage "cancelled" and changes nothing).
struct BundleProgress {
    std::uint64_t bytes_done = 0;  // export: attachment bytes; import: bytes of the file
    std::uint64_t bytes_total = 0;
    std::uint64_t documents_done = 0;  // signed documents (record versions, withdrawals)
    std::uint64_t documents_total = 0;
};
using BundleProgressFn = std::function<bool(const BundleProgress&)>;

class Bundles {
public:
    /// Holds references to `records` (and through it the vault); it must outlive this.
    explicit Bundles(Records& records) noexcept : records_(&records) {}

    // --- recipients (sending side) ---

    /// Errors: Errc::usage for a malformed name or key, Errc::exists for a name or key
    /// already held, Errc::invalid for this vault's own key.
    [[nodiscard]] Result<Recipient> add_recipient(std::string_view name,
                                                  std::string_view age_recipient,
                                                  std::optional<std::string_view> minisign_key);
    [[nodiscard]] Result<std::vector<Recipient>> recipients();
    [[nodiscard]] Result<Recipient> recipient(std::string_view name);
    /// Bundles already made stay readable by it; later ones are not encrypted to it.
    /// Errc::invalid while it is a seal recipient.
    [[nodiscard]] Result<void> remove_recipient(std::string_view name);

    // --- seal recipients (docs/FORMAT.md 14.1, 9.6) ---

    /// The recipients that sensitive answers are sealed to, by name.
    [[nodiscard]] Result<std::vector<Recipient>> seal_recipients();
    /// Makes exactly `names` the seal recipients (empty: none). Answers sealed before keep the
    /// keys they were sealed to. Errc::not_found for a name that is not a recipient,
    /// Errc::usage for a name given twice; nothing changes then.
    [[nodiscard]] Result<void> set_seal_recipients(std::span<const std::string> names);

    // --- export ---

    enum class Selection { all, undelivered, records };
    struct ExportOptions {
        std::vector<std::string> to;  // recipient names, at least one
        std::filesystem::path out_dir;
        Selection selection = Selection::undelivered;
        std::vector<RecordId> records;  // for Selection::records
        BundleProgressFn progress;
    };
    struct ExportResult {
        forms::BundleId bundle{};
        std::filesystem::path file;       // <bundle id>.age
        std::filesystem::path signature;  // <bundle id>.age.minisig
        std::uint64_t records = 0;
        std::uint64_t documents = 0;
        std::uint64_t attachments = 0;
        std::uint64_t content_bytes = 0;  // tar bytes before padding
        std::uint64_t file_bytes = 0;     // the .age file
        std::uint64_t checkpoint_size = 0;
    };
    /// Writes one bundle of every sealed document of the selected records. Errc::not_found
    /// when there is nothing to export. On failure no bundle file is left behind.
    [[nodiscard]] Result<ExportResult> export_bundle(const ExportOptions& options);

    // --- import (receiving side) ---

    struct ImportOptions {
        /// The fingerprint the person confirmed out of band, for a sender not yet pinned.
        std::optional<std::string> trust_fingerprint;
        /// Where the receipt goes; empty: beside the bundle.
        std::filesystem::path receipt_dir;
        BundleProgressFn progress;
    };
    struct ImportResult {
        forms::BundleId bundle{};
        bool already_imported = false;  // nothing changed
        forms::SenderKeys sender;
        std::string fingerprint;
        bool newly_pinned = false;
        std::uint64_t records = 0;
        std::uint64_t documents = 0;      // in the bundle
        std::uint64_t new_documents = 0;  // not held before
        std::uint64_t attachments = 0;
        std::uint64_t checkpoint_size = 0;
        std::optional<std::uint64_t> previous_checkpoint_size;
        std::uint64_t log_entries_missing = 0;  // entries of the sender's log never received
        std::filesystem::path receipt;          // empty if none was written
        std::string receipt_problem;            // why not, when the import itself succeeded
    };
    /// Verifies everything (docs/FORMAT.md 12.7) and stores it in one transaction, then writes
    /// the receipt. Errors: Errc::auth_failed (not addressed to this vault; an unknown sender
    /// without a confirmed fingerprint, which the message shows), Errc::integrity (any
    /// signature, hash, proof or consistency failure, a rewritten or rolled-back record),
    /// Errc::corrupt (malformed), Errc::io. Every failure leaves the vault as it was.
    [[nodiscard]] Result<ImportResult> import_bundle(const std::filesystem::path& bundle,
                                                     const ImportOptions& options);
    /// The verification report of a bundle (docs/FORMAT.md 17): the checks of import_bundle,
    /// with each document's failures collected instead of stopping at the first; nothing is
    /// stored and no receipt written, the vault stays byte for byte as it was. A failure of the
    /// bundle as a whole (cannot decrypt, signature, not addressed to this vault, malformed,
    /// a forked log) is in the report too, with bundle_failed set. An unpinned sender is a
    /// note, unless `trust_fingerprint` is given and differs. Errors: only when the vault
    /// itself cannot be read.
    struct VerifyOptions {
        std::optional<std::string> trust_fingerprint;
    };
    [[nodiscard]] Result<Report> verify_bundle(const std::filesystem::path& bundle,
                                               const VerifyOptions& options);
    /// Senders pinned in this vault.
    [[nodiscard]] Result<std::vector<Sender>> senders();
    /// The documents received from `origin` for one record, in its log order (versions, then
    /// any withdrawal). They were verified on import; verify_received() checks them again.
    [[nodiscard]] Result<std::vector<SignedDocument>> received_documents(std::string_view origin,
                                                                         const RecordId& id);

    /// A received record as the legal team reads it: its latest version, with every sealed
    /// answer opened with this vault's key and checked (docs/FORMAT.md 9.6).
    struct ReceivedRecord {
        std::string origin;
        std::vector<SignedDocument> documents;  // as received_documents() gives them
        forms::RecordDocument latest;           // the latest version, answers as signed
        bool withdrawn = false;
        /// latest.answers with the markers this vault could open replaced by their verified
        /// values, and what became of each marker.
        forms::OpenedAnswers opened;
    };
    /// Errc::not_found when no version of the record was received from `origin`.
    [[nodiscard]] Result<ReceivedRecord> open_received(std::string_view origin, const RecordId& id);
    /// Streams the verified plaintext of a received file (by its SHA-256) to `sink` in chunks
    /// of at most 64 KiB, checking its size and hash; as Attachments::read, the bytes are only
    /// trustworthy once this returns success. Errc::not_found when no bundle brought it.
    [[nodiscard]] Result<> read_received_file(
        const crypto::Sha256Digest& sha256, const std::function<Result<>(crypto::ByteView)>& sink);
    /// The received records (sender origin and id) whose id is `id_or_prefix` or starts with it
    /// (at least 6 hex digits), at most two. Errc::usage for text that is not such a prefix.
    [[nodiscard]] Result<std::vector<std::pair<std::string, RecordId>>> find_received(
        std::string_view id_or_prefix);

    // --- receipts and purge (sending side) ---

    struct ReceiptResult {
        forms::BundleId bundle{};
        std::string recipient;  // its name
        bool already_imported = false;
        std::uint64_t documents = 0;
        std::uint64_t newly_delivered = 0;
        std::uint64_t checkpoint_size = 0;
    };
    /// Verifies a receipt (docs/FORMAT.md 13) and marks its documents delivered.
    [[nodiscard]] Result<ReceiptResult> import_receipt(const std::filesystem::path& file);

    /// Records whose every sealed document a receipt confirmed, with no draft open, not yet
    /// purged.
    [[nodiscard]] Result<std::vector<RecordId>> purgeable();
    /// Removes the answers and files of those records, keeping the document hashes,
    /// signatures and log. Returns how many records were purged.
    [[nodiscard]] Result<std::uint64_t> purge_delivered();

    // --- folder sync ---

    struct SyncResult {
        std::optional<ExportResult> exported;  // field side: the bundle written, if any
        std::vector<ReceiptResult> receipts;   // field side: receipts imported
        std::vector<ImportResult> imported;    // legal side: bundles imported
        std::vector<std::string> problems;     // files that failed, with why; others went on
    };
    struct SyncOptions {
        std::filesystem::path folder;
        std::vector<std::string> to;  // field side; empty: every recipient
        std::optional<std::string> trust_fingerprint;
        BundleProgressFn progress;
    };
    /// Both sides of a shared folder in one step: if recipients are configured and something
    /// is undelivered, one bundle of it into folder/outbox/ (to `to`, default every
    /// recipient); every receipt for this vault's bundles found in folder/receipts/ imported;
    /// every bundle in folder/outbox/ addressed to this vault and not yet imported, imported,
    /// with its receipt written into folder/receipts/. Bundles for other vaults and files still
    /// being written (temporary names) are skipped. Running it again with nothing new does
    /// nothing.
    [[nodiscard]] Result<SyncResult> sync(const SyncOptions& options);

private:
    /// import_bundle and verify_bundle: one set of checks. With `report`, nothing is stored.
    [[nodiscard]] Result<ImportResult> check_bundle(const std::filesystem::path& bundle,
                                                    const ImportOptions& options, Report* report,
                                                    std::string& stage);
    Records* records_;
};

}  // namespace svidok::store
