// SPDX-License-Identifier: GPL-3.0-or-later
#include "seal_store.h"

#include "forms/sealed.h"

namespace svidok::store::detail {

Result<std::vector<crypto::X25519Recipient>> seal_recipient_keys(Db& db) {
    // Ordered by name bytewise (SQLite's default BINARY collation), as FORMAT.md 9.6 says.
    auto st = db.prepare(
        "SELECT r.name, r.age_recipient FROM seal_recipients s JOIN recipients r USING (name)"
        " ORDER BY r.name");
    if (!st) return std::unexpected(st.error());
    return collect_rows<crypto::X25519Recipient>(
        *st, [](const Stmt& row) -> Result<crypto::X25519Recipient> {
            auto age = crypto::X25519Recipient::parse(row.column_text(1));
            if (!age) {
                return fail(Errc::corrupt,
                            "vault.db: recipient " + row.column_text(0) + " has a malformed key");
            }
            return *age;
        });
}

Result<forms::json::Value> seal_sensitive_answers(Db& db, const forms::FormDefinition& form,
                                                  const forms::RecordId& id,
                                                  const forms::json::Value& answers) {
    if (forms::answers_to_seal(form, answers) == 0) return answers;
    auto keys = seal_recipient_keys(db);
    if (!keys) return std::unexpected(keys.error());
    // The device is never among them: once sealed, it cannot show these answers again.
    if (keys->empty()) {
        return fail(Errc::invalid,
                    "this record has sensitive answers and no legal team to seal them to",
                    "choose the seal recipients: `svidok-cli recipient seal NAME...`");
    }
    return forms::seal_answers(form, id, answers, *keys);
}

}  // namespace svidok::store::detail
