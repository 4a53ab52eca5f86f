// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Moving testimonies into a legal team's own case system (docs/FORMAT.md 18): a plaintext
// export of a vault's records as CSV (one file per form, linked files per repeating group) or
// JSON, with the attached files decrypted beside them and named by hash, and the court
// printout of one record. Both write plaintext testimony: callers must say so and ask first.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/error.h"
#include "crypto/minisign.h"
#include "forms/language.h"
#include "forms/record.h"
#include "forms/record_print.h"
#include "forms/sealed.h"
#include "store/records.h"

namespace svidok::store {

/// One record as the export and the printout read it: its latest version, its signed
/// documents and, for a received one, its sealed answers opened with this vault's key.
struct CaseRecord {
    bool received = false;  // from a bundle; else this vault's own sealed record
    std::string origin;     // the signing device's log origin
    RecordId id{};
    const forms::FormDefinition* form = nullptr;
    std::vector<SignedDocument> documents;   // log order (versions, then any withdrawal)
    const SignedDocument* latest = nullptr;  // into `documents`
    forms::RecordDocument latest_doc;
    bool withdrawn = false;
    /// Answers with the markers this vault opened replaced by their verified values, and what
    /// became of each marker (no units for the device's own records: it is never a recipient).
    forms::OpenedAnswers opened;
    crypto::minisign::PublicKey signer;  // the device's record-signing key
};

/// The `verification` column (docs/FORMAT.md 18.2). `ok` false marks a failure; `text` is
/// what the cell says.
struct CaseVerdict {
    bool ok = true;
    std::string text;
};

/// The seam for the verification column: given a record, its verdict. The default,
/// stored_verdict(), re-checks what the store holds; a full verifier can be put in its place.
using CaseVerifier = std::function<CaseVerdict(const CaseRecord&)>;

/// The default verdict: the latest document's SHA-256 and its signature by the device's key
/// checked again (forms::verify_record), plus "verified at import" for a received record
/// (docs/FORMAT.md 12.7 checked everything then) or "signed on this device".
[[nodiscard]] CaseVerdict stored_verdict(const CaseRecord& record);

enum class CaseFormat { csv, json };

struct CaseExportOptions {
    std::filesystem::path out;  // must not exist, or be an empty folder
    CaseFormat format = CaseFormat::csv;
    std::optional<std::string> form;      // only this form's records
    std::optional<forms::Language> lang;  // headers and labels; default Ukrainian
    bool bom = false;                     // CSV: start each file with a UTF-8 BOM
    CaseVerifier verify;                  // unset: stored_verdict
};

struct CaseExportResult {
    std::uint64_t records = 0;
    std::uint64_t withdrawn_left_out = 0;  // records whose consent was withdrawn
    std::uint64_t attachments = 0;         // files written
    std::uint64_t attachment_bytes = 0;
    std::uint64_t sealed_cells = 0;  // answers left sealed (not openable here)
    std::uint64_t failed_verification = 0;
    std::vector<std::filesystem::path> files;  // the tables written, relative to `out`
};

class CaseExport {
public:
    /// Holds a reference to `records` (and through it the vault); it must outlive this.
    explicit CaseExport(Records& records) noexcept : records_(&records) {}

    /// The records an export includes: every record received from a bundle, then this
    /// vault's own sealed records, withdrawn ones included (with `withdrawn` set).
    [[nodiscard]] Result<std::vector<CaseRecord>> collect(const std::optional<std::string>& form);

    /// One record by full id or unique prefix, received or own (sealed).
    [[nodiscard]] Result<CaseRecord> find(std::string_view id_or_prefix);

    /// Writes the export into a temporary sibling of `out` and renames it to `out` at the end:
    /// an interrupted export leaves nothing under that name. Errc::exists when `out` exists
    /// and is not an empty folder; Errc::not_found when no record is to be exported;
    /// Errc::integrity when an attached file does not decrypt to its hash (nothing is left).
    [[nodiscard]] Result<CaseExportResult> write(const CaseExportOptions& options);

    /// What the court printout of one record shows (docs/FORMAT.md 18.4).
    [[nodiscard]] Result<forms::PrintedRecord> printed(const CaseRecord& record,
                                                       forms::Language lang);
    /// The court printout of one record as a self-contained HTML page.
    [[nodiscard]] Result<std::string> printout(const CaseRecord& record, forms::Language lang);

private:
    Records* records_;
};

}  // namespace svidok::store
