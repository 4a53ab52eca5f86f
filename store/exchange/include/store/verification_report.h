// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The verification report (docs/FORMAT.md 17, docs/VERIFYING.md): what a receiving vault can
// prove about a bundle, per record, for a court. Built by Bundles::verify_bundle (the same
// checks as the import, collected instead of stopping at the first, nothing stored); rendered
// as JSON (the documented schema) or as a self-contained HTML page that prints on A4.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/error.h"

namespace svidok::store {

/// One thing that failed or needs a person's attention. `code` is stable (FORMAT 17.3),
/// `message` names exactly what (the file, the key, the log index), `meaning` says what it
/// means for the evidence.
struct Finding {
    enum class Severity { fail, warn };
    Severity severity = Severity::fail;
    std::string code;
    std::string message;
    std::string meaning;
};

struct ReportAttachment {
    std::string name;
    std::uint64_t size = 0;
    std::string sha256;  // lowercase hex, as the record states it
    std::string status;  // "verified", "hash differs", "missing", "held before"
};

struct ReportEvent {
    std::string at;    // UTC "YYYY-MM-DDThh:mm:ssZ", or empty when not known
    std::string what;  // e.g. "sealed on svidok.device/..."
};

/// One document (a record version or a withdrawal) of the bundle or vault.
struct ReportRecord {
    std::string id;    // record id
    std::string kind;  // "record" or "withdrawal"
    std::int64_t version = 0;
    std::vector<std::int64_t> chain;  // versions 1..newest known for this record
    std::string form;                 // form id, empty for a withdrawal
    std::int64_t form_version = 0;
    std::string signer_key;                  // the sender's minisign public key "RW..."
    std::string signer_fingerprint;          // the sender's fingerprint (5 groups of 5 digits)
    std::string signature;                   // "verified" or "failed"
    std::string sha256;                      // of the canonical bytes, lowercase hex
    std::optional<std::uint64_t> log_index;  // the leaf's sequence in the sender's log
    std::string inclusion;                   // "verified", "failed", "not checked"
    std::vector<ReportAttachment> attachments;
    std::vector<ReportEvent> custody;
    std::vector<Finding> findings;  // this record's failures
    [[nodiscard]] bool verified() const noexcept;
};

struct Report {
    std::string source;        // "bundle" (verify BUNDLE) or "vault"
    std::string subject;       // the bundle's file name or the vault's directory name
    std::string generated_at;  // UTC
    std::string bundle_id;     // empty if the bundle could not be opened that far
    std::string sender_origin;
    std::string sender_fingerprint;
    std::string created_at;  // the bundle's creation time as its manifest states it
    /// The checkpoint of the sender's log the bundle carries.
    std::optional<std::uint64_t> checkpoint_size;
    std::string checkpoint_root;            // base64, as in the note
    std::string checkpoint_signer;          // the key name that signed it
    std::vector<std::string> cosignatures;  // "name at time" of each verified cosignature
    std::string checkpoint_note;            // the signed note text itself
    std::vector<ReportRecord> records;
    std::vector<std::uint64_t> missing;  // log indices of the checkpoint held nowhere
    std::vector<Finding> findings;       // about the bundle as a whole
    /// True when the bundle as a whole failed (cannot decrypt, bad signature, not addressed
    /// to this vault, malformed, forked log): `findings` says why.
    bool bundle_failed = false;

    [[nodiscard]] std::uint64_t verified_count() const noexcept;
    [[nodiscard]] std::uint64_t failed_count() const noexcept;
    /// Nothing failed: every record verified, no bundle-level failure, nothing missing.
    [[nodiscard]] bool all_verified() const noexcept;
};

/// What each finding code means for the evidence (FORMAT 17.3); "" for an unknown code.
[[nodiscard]] std::string finding_meaning(std::string_view code);
/// A finding with its meaning filled in from the code.
[[nodiscard]] Finding make_finding(std::string code, std::string message,
                                   Finding::Severity severity = Finding::Severity::fail);

/// The JSON form (FORMAT 17): canonical JSON, a newline at the end.
[[nodiscard]] Result<std::string> report_json(const Report& report);
/// The HTML form: one self-contained page, every text escaped.
[[nodiscard]] std::string report_html(const Report& report);
/// A few lines for a terminal.
[[nodiscard]] std::string report_text(const Report& report);

}  // namespace svidok::store
