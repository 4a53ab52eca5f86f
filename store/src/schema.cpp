// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema.h"

#include <array>
#include <string>

#include "record_index_store.h"

namespace svidok::store {
namespace {

// One step of the schema: SQL, then (when set) code that fills what the SQL created from what
// the vault already holds, in the same transaction.
struct Migration {
    // Implicit, so the SQL-only entries stay plain string literals.
    constexpr Migration(const char* sql_, Result<> (*fill_)(Db&) = nullptr) noexcept
        : sql(sql_), fill(fill_) {}
    const char* sql;
    Result<> (*fill)(Db&);
};

// Ordered migrations: entry i brings user_version from i to i + 1. Append only; never edit a
// migration that has shipped.
constexpr std::array<Migration, 7> kMigrations{{
    // 1: vault metadata and the device identity (secret keys live only here, encrypted).
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE identity ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  sign_key_id BLOB NOT NULL CHECK (length(sign_key_id) = 8),"
    "  sign_sk BLOB NOT NULL CHECK (length(sign_sk) = 64),"
    "  log_sk BLOB NOT NULL CHECK (length(log_sk) = 64),"
    "  x25519_sk BLOB NOT NULL CHECK (length(x25519_sk) = 32),"
    "  device_id BLOB NOT NULL CHECK (length(device_id) = 8),"
    "  created_at TEXT NOT NULL);",

    // 2: records (docs/FORMAT.md sections 9 and 10). Sealed documents and log leaves are
    // append-only: the code never updates or deletes a row of `documents`, `log` or
    // `checkpoints`.
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
    "  created_at TEXT NOT NULL);",

    // 3: attachment storage (docs/FORMAT.md section 11). Version 2 had no way to add a row, so
    // its table is empty; should one hold a row anyway, the NOT NULL columns make this
    // migration fail and leave the vault as it was rather than keep a file without content.
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
    "ALTER TABLE attachments_v3 RENAME TO attachments;",

    // 4: bundles, receipts and trust (docs/FORMAT.md sections 12-14). Sending side: recipients,
    // what was exported to whom, what receipts confirmed, what was purged. Receiving side:
    // pinned senders and everything received from them, append-only like the device log.
    "CREATE TABLE recipients ("
    "  name TEXT PRIMARY KEY,"
    "  age_recipient TEXT NOT NULL UNIQUE,"
    "  minisign_key BLOB CHECK (minisign_key IS NULL OR length(minisign_key) = 42),"
    "  added_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE exports ("
    "  bundle BLOB PRIMARY KEY CHECK (length(bundle) = 16),"
    "  checkpoint_size INTEGER NOT NULL CHECK (checkpoint_size >= 0),"
    "  created_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE export_recipients ("
    "  bundle BLOB NOT NULL REFERENCES exports(bundle),"
    "  age_recipient TEXT NOT NULL,"
    "  PRIMARY KEY (bundle, age_recipient)) WITHOUT ROWID;"
    "CREATE TABLE export_documents ("
    "  bundle BLOB NOT NULL REFERENCES exports(bundle),"
    "  seq INTEGER NOT NULL REFERENCES log(seq),"
    "  PRIMARY KEY (bundle, seq)) WITHOUT ROWID;"
    "CREATE TABLE deliveries ("
    "  seq INTEGER NOT NULL REFERENCES log(seq),"
    "  age_recipient TEXT NOT NULL,"
    "  bundle BLOB NOT NULL REFERENCES exports(bundle),"
    "  delivered_at TEXT NOT NULL,"
    "  PRIMARY KEY (seq, age_recipient)) WITHOUT ROWID;"
    "CREATE TABLE receipts ("
    "  bundle BLOB NOT NULL REFERENCES exports(bundle),"
    "  age_recipient TEXT NOT NULL,"
    "  checkpoint BLOB NOT NULL,"
    "  received_at TEXT NOT NULL,"
    "  imported_at TEXT NOT NULL,"
    "  PRIMARY KEY (bundle, age_recipient)) WITHOUT ROWID;"
    "CREATE TABLE purged ("
    "  record_id BLOB PRIMARY KEY REFERENCES records(id),"
    "  purged_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE senders ("
    "  origin TEXT PRIMARY KEY,"
    "  minisign_key BLOB NOT NULL UNIQUE CHECK (length(minisign_key) = 42),"
    "  log_key TEXT NOT NULL,"
    "  age_recipient TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL,"
    "  pinned_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE imported_bundles ("
    "  bundle BLOB PRIMARY KEY CHECK (length(bundle) = 16),"
    "  origin TEXT NOT NULL REFERENCES senders(origin),"
    "  outer_signature BLOB NOT NULL CHECK (length(outer_signature) = 64),"
    "  file_sha256 BLOB NOT NULL CHECK (length(file_sha256) = 32),"
    "  created_at TEXT NOT NULL,"
    "  imported_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE received_documents ("
    "  origin TEXT NOT NULL REFERENCES senders(origin),"
    "  seq INTEGER NOT NULL CHECK (seq >= 0),"
    "  record_id BLOB NOT NULL CHECK (length(record_id) = 16),"
    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  bytes BLOB NOT NULL,"
    "  minisig BLOB NOT NULL,"
    "  sha256 BLOB NOT NULL CHECK (length(sha256) = 32),"
    "  bundle BLOB NOT NULL REFERENCES imported_bundles(bundle),"
    "  PRIMARY KEY (origin, seq),"
    "  UNIQUE (origin, record_id, kind, version)) WITHOUT ROWID;"
    "CREATE TABLE received_files ("
    "  sha256 BLOB PRIMARY KEY CHECK (length(sha256) = 32),"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  blob TEXT NOT NULL UNIQUE CHECK (length(blob) = 32),"
    "  key BLOB NOT NULL CHECK (length(key) = 32),"
    "  bundle BLOB NOT NULL REFERENCES imported_bundles(bundle)) WITHOUT ROWID;"
    "CREATE TABLE received_checkpoints ("
    "  origin TEXT NOT NULL REFERENCES senders(origin),"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  note BLOB NOT NULL,"
    "  bundle BLOB NOT NULL REFERENCES imported_bundles(bundle),"
    "  PRIMARY KEY (origin, size)) WITHOUT ROWID;",

    // 5: the record list and its full-text index (docs/FORMAT.md 3.1), derived from the rest
    // and built from the records and received documents already held.
    {"CREATE TABLE record_list ("
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

    // 6: the seal recipients (docs/FORMAT.md 14.1): the recipients that sensitive answers are
    // sealed to (9.6). A recipient named here cannot be deleted (foreign_keys is on).
    "CREATE TABLE seal_recipients ("
    "  name TEXT PRIMARY KEY REFERENCES recipients(name)) WITHOUT ROWID;",

    // 7: the remotes of a mailbox (docs/FORMAT.md 14.3); the secret is an SSH key seed or a
    // WebDAV password, inside the encrypted database like every other key.
    "CREATE TABLE remotes ("
    "  name TEXT PRIMARY KEY,"
    "  url TEXT NOT NULL,"
    "  proxy TEXT NOT NULL,"
    "  pin TEXT NOT NULL,"
    "  secret BLOB NOT NULL,"
    "  added_at TEXT NOT NULL) WITHOUT ROWID;",
}};

}  // namespace

int schema_version() noexcept {
    return static_cast<int>(kMigrations.size());
}

Result<> migrate(Db& db) {
    int current = 0;
    {
        // Finalized before migrating: a pending statement would keep DROP TABLE from running.
        auto st = db.prepare("PRAGMA user_version");
        if (!st) return std::unexpected(st.error());
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        current = static_cast<int>(st->column_int(0));
    }
    if (current > schema_version()) {
        return fail(Errc::unsupported,
                    "vault.db has schema version " + std::to_string(current) +
                        "; this build knows up to " + std::to_string(schema_version()),
                    "use a newer Svidok");
    }
    for (int v = current; v < schema_version(); ++v) {
        auto txn = Transaction::begin(db);
        if (!txn) return std::unexpected(txn.error());
        const Migration& m = kMigrations[static_cast<std::size_t>(v)];
        if (auto r = db.exec(m.sql); !r) return r;
        if (m.fill != nullptr) {
            if (auto r = m.fill(db); !r) return r;
        }
        std::string bump = "PRAGMA user_version = " + std::to_string(v + 1);
        if (auto r = db.exec(bump.c_str()); !r) return r;
        if (auto r = txn->commit(); !r) return r;
    }
    return {};
}

}  // namespace svidok::store
