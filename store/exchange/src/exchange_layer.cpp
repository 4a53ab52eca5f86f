// SPDX-License-Identifier: GPL-3.0-or-later
// The exchange layer's registration with the vault layer (vault_layer.h): the schema steps of
// bundles, receipts, trust and the seal recipients.

#include "vault_layer.h"

namespace svidok::store {
namespace {

// Append only; never edit a migration that has shipped.
constexpr detail::Migration kMigrations[] = {
    // 4: bundles, receipts and trust (docs/FORMAT.md sections 12-14). Sending side: recipients,
    // what was exported to whom, what receipts confirmed, what was purged. Receiving side:
    // pinned senders and everything received from them, append-only like the device log.
    {4,
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
     "  PRIMARY KEY (origin, size)) WITHOUT ROWID;"},

    // 6: the seal recipients (docs/FORMAT.md 14.1): the recipients that sensitive answers are
    // sealed to (9.6). A recipient named here cannot be deleted (foreign_keys is on).
    {6,
     "CREATE TABLE seal_recipients ("
     "  name TEXT PRIMARY KEY REFERENCES recipients(name)) WITHOUT ROWID;"},
};

constexpr detail::LayerHooks kHooks{"exchange", kMigrations};
const detail::RegisterLayer kRegistered{kHooks};

}  // namespace
}  // namespace svidok::store

// Named by the exchange library's CMake target as a linker -u, so every program that links the
// library keeps this object and its registration.
extern "C" const char svidok_exchange_layer;
const char svidok_exchange_layer = 0;
