// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The court printout of one record (docs/FORMAT.md 18.4): a self-contained HTML page with the
// record's answers labelled in the chosen language, each signed document's SHA-256, signature
// and log entry, and the exact stock-tool commands (docs/VERIFYING.md) that check them. No I/O:
// the store gathers the content.

#include <cstdint>
#include <string>
#include <vector>

#include "forms/case_table.h"
#include "forms/form.h"
#include "forms/language.h"
#include "forms/sealed.h"

namespace svidok::forms {

/// One signed document of the record.
struct PrintedDocument {
    bool withdrawal = false;
    std::int64_t version = 1;  // for a withdrawal: the version it withdrew consent for
    std::uint64_t sequence = 0;
    std::string sha256_hex;
    std::string sealed_at;  // "YYYY-MM-DDThh:mm:ssZ"
    std::string minisig;    // the .minisig text
    /// The file as docs/VERIFYING.md names it once unpacked ("records/<id>-v1.json") or as
    /// `svidok-cli record export` writes it ("<id>-v1.json").
    std::string file;
    /// SHA-256 hex the document names as its previous version (versions after the first).
    std::string previous_hex;
};

struct PrintedRecord {
    const FormDefinition* form = nullptr;
    Language lang = Language::uk;
    std::string record_id;
    std::string origin;           // the device's log origin
    std::string minisign_key;     // the device's public key, base64 (what -P takes)
    std::string minisign_key_id;  // 16 hex digits
    bool received = false;        // from a bundle (else this vault's own record)
    bool withdrawn = false;
    std::string log_note;                    // what is known of log inclusion, one sentence
    std::vector<PrintedDocument> documents;  // log order
    std::vector<case_table::Table> tables;   // this one record, from case_table
    std::vector<SealedReport> sealed;        // what became of each sealed answer
};

/// One command an independent expert runs, and what it must print.
struct VerificationStep {
    std::string what;     // one sentence
    std::string command;  // a POSIX shell command line
    std::string expect;   // its exact standard output (without the final newline)
};

/// The commands for `record`, run in the folder docs/VERIFYING.md step 2 unpacks the bundle
/// into (received) or the folder `svidok-cli record export` wrote (own record).
[[nodiscard]] std::vector<VerificationStep> verification_steps(const PrintedRecord& record);

/// The whole page.
[[nodiscard]] std::string record_printout(const PrintedRecord& record);

}  // namespace svidok::forms
