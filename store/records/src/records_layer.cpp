// SPDX-License-Identifier: GPL-3.0-or-later
// The records layer's registration with the vault layer (vault_layer.h): the schema steps of the
// records, the device log, attachments and the record list, and the removal of what a crash left
// among the blob files when a vault opens.

#include <set>
#include <string>
#include <vector>

#include "blob_files.h"
#include "record_index_store.h"
#include "vault_layer.h"

namespace svidok::store {
namespace {
namespace fs = std::filesystem;

// Append only; never edit a migration that has shipped.
constexpr detail::Migration kMigrations[] = {
    // 2: records (docs/FORMAT.md sections 9 and 10). Sealed documents and log leaves are
    // append-only: the code never updates or deletes a row of `documents`, `log` or
    // `checkpoints`.
    {2,
     "CREATE TABLE forms ("
     "  sha256 BLOB PRIMARY KEY CHECK (length(sha256) = 32),"
     "  file_name TEXT NOT NULL,"
     "  bytes BLOB NOT NULL) WITHOUT ROWID;"
     "CREATE TABLE records ("  // rowid: creation order
     "  id BLOB NOT NULL UNIQUE CHECK (length(id) = 16),"
     "  form_sha256 BLOB NOT NULL REFERENCES forms(sha256),"
     "  created_at TEXT NOT NULL,"
     "  updated_at TEXT NOT NULL);"
     "CREATE TABLE drafts ("
     "  record_id BLOB PRIMARY KEY REFERENCES records(id),"
     "  answers BLOB NOT NULL,"
     "  updated_at TEXT NOT NULL) WITHOUT ROWID;"
     "CREATE TABLE attachments ("
     "  record_id BLOB NOT NULL REFERENCES records(id),"
     "  sha256 BLOB NOT NULL CHECK (length(sha256) = 32),"
     "  name TEXT NOT NULL,"
     "  media_type TEXT NOT NULL,"
     "  size INTEGER NOT NULL CHECK (size >= 0),"
     "  PRIMARY KEY (record_id, sha256)) WITHOUT ROWID;"
     "CREATE TABLE log ("
     "  seq INTEGER PRIMARY KEY CHECK (seq >= 0),"
     "  leaf BLOB NOT NULL,"
     "  leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32));"
     "CREATE TABLE documents ("
     "  seq INTEGER PRIMARY KEY REFERENCES log(seq),"
     "  record_id BLOB NOT NULL REFERENCES records(id),"
     "  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),"
     "  version INTEGER NOT NULL CHECK (version >= 1),"
     "  bytes BLOB NOT NULL,"
     "  minisig BLOB NOT NULL,"
     "  sha256 BLOB NOT NULL CHECK (length(sha256) = 32),"
     "  UNIQUE (record_id, kind, version));"
     "CREATE UNIQUE INDEX one_withdrawal ON documents(record_id) WHERE kind = 2;"
     "CREATE TABLE checkpoints ("
     "  size INTEGER PRIMARY KEY CHECK (size >= 0),"
     "  note BLOB NOT NULL,"
     "  created_at TEXT NOT NULL);"},

    // 3: attachment storage (docs/FORMAT.md section 11). Version 2 had no way to add a row, so
    // its table is empty; should one hold a row anyway, the NOT NULL columns make this
    // migration fail and leave the vault as it was rather than keep a file without content.
    {3,
     "CREATE TABLE attachments_v3 ("
     "  record_id BLOB NOT NULL REFERENCES records(id),"
     "  sha256 BLOB NOT NULL CHECK (length(sha256) = 32),"
     "  name TEXT NOT NULL,"
     "  media_type TEXT NOT NULL,"
     "  size INTEGER NOT NULL CHECK (size >= 0),"
     "  blob TEXT NOT NULL UNIQUE CHECK (length(blob) = 32),"
     "  key BLOB NOT NULL CHECK (length(key) = 32),"
     "  location INTEGER NOT NULL CHECK (location IN (0, 1)),"
     "  added_at TEXT NOT NULL,"
     "  PRIMARY KEY (record_id, sha256)) WITHOUT ROWID;"
     "INSERT INTO attachments_v3 (record_id, sha256, name, media_type, size)"
     "  SELECT record_id, sha256, name, media_type, size FROM attachments;"
     "DROP TABLE attachments;"
     "ALTER TABLE attachments_v3 RENAME TO attachments;"},

    // 5: the record list and its full-text index (docs/FORMAT.md 3.1), derived from the rest
    // and built from the records and received documents already held.
    {5,
     "CREATE TABLE record_list ("
     "  entry INTEGER NOT NULL,"
     "  origin TEXT NOT NULL,"
     "  record_id BLOB NOT NULL CHECK (length(record_id) = 16),"
     "  form_id TEXT NOT NULL,"
     "  status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 5),"
     "  date_first TEXT NOT NULL,"
     "  date_last TEXT NOT NULL,"
     "  oblast TEXT NOT NULL,"
     "  updated_at TEXT NOT NULL,"
     "  shown BLOB NOT NULL,"
     // Stored in list order, so listing reads the table front to back.
     "  PRIMARY KEY (updated_at, entry)) WITHOUT ROWID;"
     "CREATE UNIQUE INDEX record_list_entry ON record_list (entry);"
     "CREATE UNIQUE INDEX record_list_record ON record_list (origin, record_id);"
     "CREATE VIRTUAL TABLE record_text USING fts4 (body, tokenize=unicode61);",
     detail::build_record_index},
};

std::string unreadable_decoy(const Error& e) {
    return "the decoy database could not be read (" + e.message +
           "); attachment files no record names were kept";
}

// Every blob name either database holds is known. A decoy that cannot be read must not cost
// the real vault its files, so then, as in a duress or decoy session, only *.partial files go.
Result<> tidy_blob_files(const fs::path& vault_dir, Db* real, Result<Db>* decoy,
                         std::vector<std::string>& notices) {
    if (real == nullptr || decoy == nullptr) return detail::remove_orphan_blobs(vault_dir, nullptr);
    std::set<std::string> known;
    bool both = false;
    if (auto names = detail::blob_names(*real); !names) {
        return std::unexpected(names.error());
    } else {
        known.insert(names->begin(), names->end());
    }
    if (!*decoy) {
        notices.push_back(unreadable_decoy(decoy->error()));
    } else if (auto names = detail::blob_names(**decoy); !names) {
        notices.push_back(unreadable_decoy(names.error()));
    } else {
        known.insert(names->begin(), names->end());
        both = true;
    }
    return detail::remove_orphan_blobs(vault_dir, both ? &known : nullptr);
}

constexpr detail::LayerHooks kHooks{"records", kMigrations, tidy_blob_files};
const detail::RegisterLayer kRegistered{kHooks};

}  // namespace
}  // namespace svidok::store

// Named by the records library's CMake target as a linker -u, so every program that links the
// library keeps this object and its registration.
extern "C" const char svidok_records_layer;
const char svidok_records_layer = 0;
