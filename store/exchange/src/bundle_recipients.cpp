// SPDX-License-Identifier: GPL-3.0-or-later
// Recipients (sending side) with the seal recipients among them, and pinned senders (receiving
// side), docs/FORMAT.md section 14.
#include <algorithm>

#include "bundle_internal.h"
#include "crypto/checkpoint.h"
#include "forms/record.h"
#include "store/bundles.h"
#include "store/clock.h"
#include "vault_layer.h"

namespace svidok::store {
namespace detail {

Result<forms::SenderKeys> sender_keys_of(const Identity& id) {
    auto log_key = crypto::note_verifier_for(id.log_origin(), crypto::kNoteTypeEd25519, id.log_sk);
    if (!log_key) return std::unexpected(log_key.error());
    return forms::SenderKeys{id.log_origin(), id.signing_public_key(), *log_key,
                             crypto::X25519Recipient{id.x25519_pk()}};
}

std::string untrusted_comment_for(const Identity& id) {
    return "signature from svidok device key " + crypto::minisign::format_key_id(id.sign_key_id);
}

Result<> exec_bound(Db& db, std::string_view sql, const std::function<void(Stmt&)>& bind) {
    auto st = db.prepare(sql);
    if (!st) return std::unexpected(st.error());
    bind(*st);
    return st->run();
}

}  // namespace detail

namespace {

bool valid_recipient_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 &&
           name.find_first_not_of(
               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
               "0123456789._-") == std::string_view::npos;
}

Result<Recipient> read_recipient(const Stmt& st) {
    Recipient r;
    r.name = st.column_text(0);
    auto age = crypto::X25519Recipient::parse(st.column_text(1));
    if (!age) return fail(Errc::corrupt, "vault.db: recipient " + r.name + " has a malformed key");
    r.age = *age;
    if (!st.column_is_null(2)) {
        auto blob = fixed_blob<crypto::minisign::PublicKeyBlob>(st, 2, "recipient minisign key");
        if (!blob) return std::unexpected(blob.error());
        auto key = crypto::minisign::PublicKey::parse(crypto::to_base64(*blob));
        if (!key) return std::unexpected(key.error());
        r.minisign = *key;
    }
    r.added_at = st.column_text(3);
    r.seal = st.column_int(4) != 0;
    return r;
}

constexpr std::string_view kRecipientColumns =
    "SELECT name, age_recipient, minisign_key, added_at,"
    " EXISTS (SELECT 1 FROM seal_recipients s WHERE s.name = recipients.name) FROM recipients ";

}  // namespace

Result<Recipient> Bundles::add_recipient(std::string_view name, std::string_view age_recipient,
                                         std::optional<std::string_view> minisign_key) {
    if (!valid_recipient_name(name)) {
        std::string message = "\"";  // built with += : GCC 12 warns falsely on "x" + string
        message += name;
        message += "\" cannot name a recipient";
        return fail(Errc::usage, std::move(message),
                    "use 1 to 64 letters, digits, '.', '_' or '-'");
    }
    auto age = crypto::X25519Recipient::parse(age_recipient);
    if (!age) {
        return fail(Errc::usage, "the age recipient is malformed: " + age.error().message,
                    "give the age1... line that `svidok-cli identity` or `age-keygen -y` prints");
    }
    Recipient r{std::string(name), *age, std::nullopt, utc_now()};
    if (minisign_key) {
        auto key = crypto::minisign::PublicKey::parse(*minisign_key);
        if (!key) {
            return fail(Errc::usage, "the minisign public key is malformed: " + key.error().message,
                        "give the RW... line of a minisign public key");
        }
        r.minisign = *key;
    }
    Vault& vault = records_->vault();
    auto id = vault.identity();
    if (!id) return std::unexpected(id.error());
    if (age->pk == id->x25519_pk()) {
        return fail(Errc::invalid, "that is this vault's own key",
                    "a bundle goes to someone else: add the legal team's key");
    }
    Db& db = detail::database(vault);
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    auto clash = db.prepare(std::string(kRecipientColumns) + "WHERE name = ? OR age_recipient = ?");
    if (!clash) return std::unexpected(clash.error());
    clash->bind(1, name).bind(2, age->to_string());
    auto found = clash->step();
    if (!found) return std::unexpected(found.error());
    if (*found) {
        return fail(Errc::exists,
                    clash->column_text(0) == name
                        ? "a recipient named " + std::string(name) + " exists already"
                        : "that key belongs to the recipient " + clash->column_text(0) + " already",
                    "remove it first with `svidok-cli recipient remove NAME`");
    }
    auto ok = detail::exec_bound(
        db, "INSERT INTO recipients (name, age_recipient, minisign_key, added_at) VALUES (?,?,?,?)",
        [&](Stmt& st) {
            st.bind(1, name).bind(2, age->to_string()).bind(4, r.added_at);
            if (r.minisign) {
                st.bind_blob(3, r.minisign->blob());
            } else {
                st.bind_null(3);
            }
        });
    if (!ok) return std::unexpected(ok.error());
    if (auto c = txn->commit(); !c) return std::unexpected(c.error());
    return r;
}

Result<std::vector<Recipient>> Bundles::recipients() {
    auto st = detail::database(records_->vault())
                  .prepare(std::string(kRecipientColumns) + "ORDER BY name");
    if (!st) return std::unexpected(st.error());
    return collect_rows<Recipient>(*st, read_recipient);
}

Result<Recipient> Bundles::recipient(std::string_view name) {
    auto st = detail::database(records_->vault())
                  .prepare(std::string(kRecipientColumns) + "WHERE name = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, name);
    auto rows = collect_rows<Recipient>(*st, read_recipient);
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) {
        return fail(Errc::not_found, "there is no recipient named " + std::string(name),
                    "`svidok-cli recipient list` shows them");
    }
    return std::move(rows->front());
}

Result<void> Bundles::remove_recipient(std::string_view name) {
    auto r = recipient(name);
    if (!r) return std::unexpected(r.error());
    if (r->seal) {
        return fail(Errc::invalid,
                    "the recipient " + r->name + " is one that sensitive answers are sealed to",
                    "change the seal recipients first: `svidok-cli recipient seal NAME...`, or "
                    "`recipient seal --none`");
    }
    return detail::exec_bound(detail::database(records_->vault()),
                              "DELETE FROM recipients WHERE name = ?",
                              [&](Stmt& st) { st.bind(1, name); });
}

Result<std::vector<Recipient>> Bundles::seal_recipients() {
    auto st = detail::database(records_->vault())
                  .prepare(std::string(kRecipientColumns) +
                           "WHERE name IN (SELECT name FROM seal_recipients) ORDER BY name");
    if (!st) return std::unexpected(st.error());
    return collect_rows<Recipient>(*st, read_recipient);
}

Result<void> Bundles::set_seal_recipients(std::span<const std::string> names) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), names[i]) !=
            names.begin() + static_cast<std::ptrdiff_t>(i)) {
            return fail(Errc::usage, "the recipient " + names[i] + " is named twice");
        }
        if (auto r = recipient(names[i]); !r) return std::unexpected(r.error());
    }
    Db& db = detail::database(records_->vault());
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    if (auto r = db.exec("DELETE FROM seal_recipients"); !r) return r;
    for (const auto& name : names) {
        auto ok = detail::exec_bound(db, "INSERT INTO seal_recipients (name) VALUES (?)",
                                     [&](Stmt& st) { st.bind(1, name); });
        if (!ok) return ok;
    }
    return txn->commit();
}

Result<std::vector<Sender>> Bundles::senders() {
    auto st = detail::database(records_->vault())
                  .prepare(
                      "SELECT s.origin, s.minisign_key, s.log_key, s.age_recipient, s.fingerprint, "
                      "s.pinned_at,"
                      " (SELECT count(*) FROM received_documents d WHERE d.origin = s.origin),"
                      " (SELECT coalesce(max(size), 0) FROM received_checkpoints c WHERE c.origin "
                      "= s.origin)"
                      " FROM senders s ORDER BY s.pinned_at, s.origin");
    if (!st) return std::unexpected(st.error());
    return collect_rows<Sender>(*st, [](const Stmt& row) -> Result<Sender> {
        Sender s;
        s.keys.origin = row.column_text(0);
        auto blob = fixed_blob<crypto::minisign::PublicKeyBlob>(row, 1, "sender minisign key");
        if (!blob) return std::unexpected(blob.error());
        auto ms = crypto::minisign::PublicKey::parse(crypto::to_base64(*blob));
        auto log_key = crypto::parse_verifier_key(row.column_text(2));
        auto age = crypto::X25519Recipient::parse(row.column_text(3));
        if (!ms || !log_key || !age) {
            return fail(Errc::corrupt,
                        "vault.db: the keys of sender " + s.keys.origin + " are malformed");
        }
        s.keys.minisign = *ms;
        s.keys.log_key = *log_key;
        s.keys.age = *age;
        s.fingerprint = row.column_text(4);
        s.pinned_at = row.column_text(5);
        s.documents = static_cast<std::uint64_t>(row.column_int(6));
        s.checkpoint_size = static_cast<std::uint64_t>(row.column_int(7));
        return s;
    });
}

}  // namespace svidok::store
