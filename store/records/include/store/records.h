// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Testimony records in a vault (docs/FORMAT.md section 9): drafts, sealing, amendments and
// withdrawal of consent. Every signed document enters the device log (store/device_log.h) in
// the same transaction that stores it, so a document and its leaf exist together or not at all.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "crypto/hash.h"
#include "forms/json.h"
#include "forms/log_leaf.h"
#include "forms/record.h"
#include "forms/registry.h"
#include "forms/validate.h"
#include "store/vault.h"

namespace svidok::store {

using forms::RecordId;

class Attachments;

enum class RecordStatus { draft, sealed, amended, withdrawn };

/// "draft", "sealed", "amended", "withdrawn".
[[nodiscard]] std::string_view record_status_name(RecordStatus status) noexcept;

/// One signed document as stored: its canonical bytes, its .minisig and where it sits.
struct SignedDocument {
    forms::LeafKind kind = forms::LeafKind::record_version;
    std::int64_t version = 0;  // for a withdrawal: the version it withdrew consent for
    std::uint64_t sequence = 0;
    crypto::Sha256Digest sha256{};
    std::string bytes;
    std::string minisig;
};

struct RecordInfo {
    RecordId id{};
    const forms::FormDefinition* form = nullptr;  // of the draft, else of the latest version
    RecordStatus status = RecordStatus::draft;
    bool has_draft = false;
    std::int64_t versions = 0;  // sealed versions
    std::string created_at;
    std::string updated_at;
};

/// The records of one open vault. Holds references to the vault and the registry; both must
/// outlive it.
class Records {
public:
    /// Adds the form definitions stored in the vault (those its records were filled with) to
    /// `registry`, so every record can be shown and checked even if this build no longer
    /// ships its form.
    [[nodiscard]] static Result<Records> open(Vault& vault, forms::FormRegistry& registry);

    /// A new draft with `answers` (an object; need not validate yet). Stores the form's
    /// definition in the vault if it is not there.
    [[nodiscard]] Result<RecordId> create_draft(const forms::FormDefinition& form,
                                                const forms::json::Value& answers);

    /// Replaces the draft's answers; returns the validation issues that would stop sealing.
    /// Errc::invalid if the record has no draft (a sealed record changes by amendment).
    [[nodiscard]] Result<std::vector<forms::FieldIssue>> update_draft(
        const RecordId& id, const forms::json::Value& answers);

    /// Opens an amendment draft of a sealed record: a draft that starts as a copy of the latest
    /// version's answers and seals as the next version (docs/FORMAT.md 9.1). Files are added
    /// to a sealed record this way. Errc::exists if it has a draft already.
    [[nodiscard]] Result<void> begin_amendment(const RecordId& id);

    /// Deletes the draft: a record never sealed goes entirely; an amendment draft goes and the
    /// sealed versions stay. Files no sealed version references are deleted with it. Sealed
    /// versions are never deleted.
    [[nodiscard]] Result<void> discard_draft(const RecordId& id);

    /// The issues that would stop sealing the draft (validation and attachment references).
    [[nodiscard]] Result<std::vector<forms::FieldIssue>> check_draft(const RecordId& id);

    /// Seals the draft (as version 1, or an amendment draft as the next version): validate,
    /// seal the sensitive answers to the seal recipients (docs/FORMAT.md 9.6), canonicalize,
    /// sign, append to the log, delete the draft, commit durably. Errc::invalid with every
    /// issue listed when the answers do not validate, and when sensitive answers are to be
    /// sealed while no seal recipient is set (Bundles::set_seal_recipients); nothing changes.
    [[nodiscard]] Result<SignedDocument> seal(const RecordId& id);

    /// Seals a new version with `answers` (complete, validating against the form of the
    /// latest version), pointing to the latest version's hash; sensitive answers are sealed
    /// as by seal(). Errc::exists while the record has an amendment draft.
    [[nodiscard]] Result<SignedDocument> amend(const RecordId& id,
                                               const forms::json::Value& answers);

    /// Signs the withdrawal-of-consent event for a sealed record. Nothing is deleted.
    [[nodiscard]] Result<SignedDocument> withdraw_consent(const RecordId& id);

    /// Every record, oldest first.
    [[nodiscard]] Result<std::vector<RecordInfo>> list();
    [[nodiscard]] Result<RecordInfo> info(const RecordId& id);

    /// The draft's answers if there is a draft, else those of the latest version. Sealed
    /// answers are markers (docs/FORMAT.md 9.6): this vault cannot open them.
    [[nodiscard]] Result<forms::json::Value> answers(const RecordId& id);

    /// The record's signed documents in log order (versions, then any withdrawal).
    [[nodiscard]] Result<std::vector<SignedDocument>> documents(const RecordId& id);

    /// A record id from its full hex form or a unique prefix of at least 6 hex digits.
    [[nodiscard]] Result<RecordId> resolve(std::string_view id_or_prefix);

    /// The form of the record's draft; Errc::invalid when the record has no draft (sealed,
    /// without an amendment draft).
    [[nodiscard]] Result<const forms::FormDefinition*> draft_form(const RecordId& id);

    /// The vault and the form registry these records live in (for the store's other services,
    /// which are built on a Records).
    [[nodiscard]] Vault& vault() const noexcept { return *vault_; }
    [[nodiscard]] forms::FormRegistry& registry() const noexcept { return *registry_; }

private:
    Records(Vault& vault, forms::FormRegistry& registry) noexcept
        : vault_(&vault), registry_(&registry) {}
    /// What sealing `answers` would give: every validation issue, an issue per reference to a
    /// file not attached to the record, and the attached files referenced (docs/FORMAT.md 9.1).
    struct AnswersCheck {
        std::vector<forms::FieldIssue> issues;
        std::vector<forms::AttachmentRef> attachments;
    };
    [[nodiscard]] Result<AnswersCheck> check_answers(const RecordId& id,
                                                     const forms::FormDefinition& form,
                                                     const forms::json::Value& answers);
    [[nodiscard]] Result<SignedDocument> seal_version(const RecordId& id,
                                                      const forms::FormDefinition& form,
                                                      const forms::json::Value& answers,
                                                      bool from_draft);

    Vault* vault_;
    forms::FormRegistry* registry_;
};

}  // namespace svidok::store
