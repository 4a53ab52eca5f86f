// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The list of records behind the app's records page, with full-text search over the records'
// narratives (docs/FORMAT.md 3.1; which answers it shows: docs/FORMS.md section 7). The store
// keeps it up to date in the same transaction as every change it reflects (drafts, seals,
// amendments, withdrawals, receipts, purges, imports); this is its read side. It never holds
// a sensitive answer.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "forms/record.h"
#include "store/vault.h"

namespace svidok::store {

using forms::RecordId;

enum class ListStatus { draft, sealed, amended, withdrawn, delivered, received };

/// "draft", "sealed", "amended", "withdrawn", "delivered", "received".
[[nodiscard]] std::string_view list_status_name(ListStatus status) noexcept;

/// Words kept from a search text; later ones are ignored.
inline constexpr std::size_t kMaxSearchWords = 16;
/// Bytes of a search text read; the rest is ignored.
inline constexpr std::size_t kMaxSearchBytes = 4096;

/// One listed record: a record of this vault or one received from a sender.
struct RecordRow {
    RecordId id{};
    std::string origin;   // empty: this vault's own record; else the sender's log origin
    std::string form_id;  // empty for a draft whose form definition is not available
    /// This vault's records: withdrawn, else draft (never sealed), else delivered (a receipt
    /// acknowledged the latest version), else sealed or amended. Received records: withdrawn
    /// when the sender's withdrawal was received, else received.
    ListStatus status = ListStatus::draft;
    /// As answered: "2024-03-05", "2024-03", "2024", or "2023-03/2023-05" for a range; sorts
    /// as text. Empty when none.
    std::string incident_date;
    bool incident_date_approximate = false;
    std::string oblast;      // entry id (or "other") of the incident place's oblast; empty: none
    std::string pseudonym;   // the witness's pseudonym; empty: none
    std::string updated_at;  // UTC, YYYY-MM-DDThh:mm:ssZ
};

/// What to list. Every condition set must hold.
struct RecordFilter {
    std::string form_id{};  // empty: any
    std::optional<ListStatus> status{};
    /// Inclusive bounds, each YYYY-MM-DD (YYYY-MM or YYYY: its first day for date_from, its
    /// last day for date_to); empty: open. A record matches when a day its incident date can
    /// denote lies within the bounds ("2024-03", approximate or not, matches 2024-03-10 to
    /// 2024-04-30); with a bound set, records without an incident date do not match.
    std::string date_from{}, date_to{};
    std::string oblast{};  // an oblast entry id; empty: any
    /// Words searched in the records' long_text answers, whatever their language: every word
    /// must occur, as the start of a word, ignoring case. Nothing in it is query syntax (quotes,
    /// operators, `*` are plain text). Only the first kMaxSearchWords words count; empty or
    /// without a word (only punctuation): no text condition.
    std::string text{};
    std::size_t limit = 0;   // at most this many rows; 0: all
    std::size_t offset = 0;  // rows skipped first
};

/// The record list of an open vault. Holds a reference to the vault, which must outlive it.
class RecordIndex {
public:
    /// The list of an unlocked vault.
    [[nodiscard]] static Result<RecordIndex> open(Vault& vault);

    /// The records matching `filter`, most recently updated first (equal times: the record
    /// listed later first). Errc::usage for a date bound that is not a real date. Every row of
    /// 100,000 records takes about 60-90 ms and a search at most that (docs/PERFORMANCE.md);
    /// the first window (`limit`) of the unfiltered list takes under a millisecond.
    [[nodiscard]] Result<std::vector<RecordRow>> query(const RecordFilter& filter);

    /// How many records are listed (this vault's and received ones).
    [[nodiscard]] Result<std::size_t> count();
    /// How many records `query(filter)` would give without its limit and offset.
    [[nodiscard]] Result<std::size_t> count(const RecordFilter& filter);

private:
    explicit RecordIndex(Vault& vault) noexcept : vault_(&vault) {}
    Vault* vault_;
};

}  // namespace svidok::store
