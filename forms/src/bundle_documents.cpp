// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/bundle_documents.h"

#include <sodium.h>

#include <algorithm>
#include <bit>
#include <set>

#include "crypto/checkpoint.h"
#include "document_reader.h"
#include "forms/json.h"
#include "values.h"

namespace svidok::forms {
namespace {

using detail::bad;
using json::Value;

constexpr std::string_view kKindRecord = "record";
constexpr std::string_view kKindWithdrawal = "withdrawal";

bool is_utc_time(std::string_view t) {
    return t.size() == 20 && t.back() == 'Z' && detail::is_datetime(t);
}

/// Reads `member` of `r` as a nested object with exactly `names`; `schema` names it in errors.
Result<const Value*> nested(const detail::DocumentReader& r, std::string_view member) {
    const Value& v = r.member(member);
    if (!v.is_object()) return bad(r.schema(), member, "must be an object");
    return &v;
}

Result<BundleId> read_bundle_id(const detail::DocumentReader& r) {
    auto s = r.string("bundle");
    if (!s) return std::unexpected(s.error());
    auto id = parse_bundle_id(*s);
    if (!id) return bad(r.schema(), "bundle", "must be 32 lowercase hex digits");
    return id;
}

Result<std::string> read_time(const detail::DocumentReader& r, std::string_view member) {
    auto s = r.string(member);
    if (!s) return std::unexpected(s.error());
    if (!is_utc_time(*s)) return bad(r.schema(), member, "must be UTC time YYYY-MM-DDThh:mm:ssZ");
    return s;
}

Result<crypto::minisign::PublicKey> read_minisign(const detail::DocumentReader& r,
                                                  std::string_view member) {
    auto s = r.string(member);
    if (!s) return std::unexpected(s.error());
    auto key = crypto::minisign::PublicKey::parse(*s);
    if (!key || key->to_base64() != *s) {
        return bad(r.schema(), member, "must be a minisign public key (one Base64 line)");
    }
    return key;
}

Result<crypto::X25519Recipient> read_age(const detail::DocumentReader& r, std::string_view member) {
    auto s = r.string(member);
    if (!s) return std::unexpected(s.error());
    auto key = crypto::X25519Recipient::parse(*s);
    if (!key || key->to_string() != *s) {
        return bad(r.schema(), member, "must be an age recipient age1...");
    }
    return key;
}

Result<crypto::NoteVerifier> read_verifier(const detail::DocumentReader& r, std::string_view member,
                                           unsigned char type) {
    auto s = r.string(member);
    if (!s) return std::unexpected(s.error());
    auto key = crypto::parse_verifier_key(*s);
    if (!key) return bad(r.schema(), member, "must be a verifier key: " + key.error().message);
    if (key->type != type) {
        return bad(r.schema(), member,
                   type == crypto::kNoteTypeEd25519 ? "must be a log key (type 0x01)"
                                                    : "must be a cosigning key (type 0x04)");
    }
    return key;
}

Value verifier_text(const crypto::NoteVerifier& v) {
    auto text = crypto::format_verifier_key(v);
    return text ? Value(*text) : Value();  // null makes the document fail its own check
}

Value digest_value(const crypto::Sha256Digest& d) {
    return crypto::to_hex(d);
}

/// The kinds of entries 12.4 allows in `files`.
bool is_file_path(std::string_view p) {
    auto hex = [](std::string_view s, std::size_t n) {
        return s.size() == n && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    };
    if (p.starts_with("attachments/")) return hex(p.substr(12), 64);
    if (p == kCheckpointPath) return true;
    if (p.starts_with("log/consistency-") && p.ends_with(".json")) {
        std::string_view n = p.substr(16, p.size() - 21);
        return !n.empty() && n.size() <= 16 && n.find_first_not_of("0123456789") == n.npos &&
               n[0] != '0';
    }
    if (!p.starts_with("records/") || p.size() < 8 + 33 || !hex(p.substr(8, 32), 32) ||
        p[40] != '-')
        return false;
    std::string_view rest = p.substr(41);
    for (std::string_view end : {".json", ".json.minisig", ".inclusion.json"}) {
        if (!rest.ends_with(end)) continue;
        std::string_view which = rest.substr(0, rest.size() - end.size());
        if (which == "withdrawal") return true;
        if (which.size() >= 2 && which.size() <= 17 && which[0] == 'v' && which[1] != '0' &&
            which.substr(1).find_first_not_of("0123456789") == which.npos)
            return true;
    }
    return false;
}

}  // namespace

BundleId new_bundle_id() {
    BundleId id{};
    randombytes_buf(id.data(), id.size());
    return id;
}

std::string format_bundle_id(const BundleId& id) {
    return crypto::to_hex(id);
}

Result<BundleId> parse_bundle_id(std::string_view text) {
    auto raw = crypto::from_hex(text);
    BundleId id{};
    if (!raw || raw->size() != id.size() || crypto::to_hex(*raw) != text) {
        return fail(Errc::invalid, "a bundle id is 32 lowercase hex digits");
    }
    std::ranges::copy(*raw, id.begin());
    return id;
}

std::uint64_t padme(std::uint64_t length) noexcept {
    const std::uint64_t l = std::max(length, kMinPaddedBytes);
    const unsigned e = static_cast<unsigned>(std::bit_width(l) - 1);  // floor(log2 l)
    const unsigned s = static_cast<unsigned>(std::bit_width(e));      // floor(log2 e) + 1
    const std::uint64_t mask = (std::uint64_t{1} << (e - s)) - 1;
    return (l + mask) & ~mask;
}

std::string bundle_trusted_comment(const BundleId& id) {
    return "svidok bundle " + format_bundle_id(id);
}
std::string manifest_trusted_comment(const BundleId& id) {
    return "svidok bundle manifest " + format_bundle_id(id);
}
std::string receipt_trusted_comment(const BundleId& id) {
    return "svidok receipt " + format_bundle_id(id);
}

std::string document_path(const RecordId& record, LeafKind kind, std::int64_t version) {
    return "records/" + format_record_id(record) +
           (kind == LeafKind::withdrawal ? std::string("-withdrawal")
                                         : "-v" + std::to_string(version)) +
           ".json";
}

std::string inclusion_path(const RecordId& record, LeafKind kind, std::int64_t version) {
    std::string p = document_path(record, kind, version);
    return p.substr(0, p.size() - 5) + ".inclusion.json";
}

std::string consistency_path(std::uint64_t from_size) {
    return "log/consistency-" + std::to_string(from_size) + ".json";
}

std::string attachment_path(const crypto::Sha256Digest& sha256) {
    return "attachments/" + crypto::to_hex(sha256);
}

std::string receipt_file_name(const BundleId& bundle, const crypto::X25519Recipient& recipient) {
    constexpr std::string_view kLabel = "svidok receipt name v1\n";
    crypto::Sha256 h;
    h.update(
        crypto::ByteView(reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size()));
    h.update(bundle);
    h.update(recipient.pk);
    const auto digest = h.finish();
    return crypto::to_hex(crypto::ByteView(digest.data(), 16)) + std::string(kReceiptSuffix);
}

Result<std::string> Manifest::to_json() const {
    json::Array recipient_list;
    for (const auto& r : recipients) recipient_list.emplace_back(r.to_string());
    json::Array file_list;
    for (const auto& f : files) {
        file_list.emplace_back(json::Object{{"path", f.path},
                                            {"size", static_cast<std::int64_t>(f.size)},
                                            {"sha256", digest_value(f.sha256)}});
    }
    auto text = json::canonicalize(json::Object{
        {"schema", kBundleSchema},
        {"bundle", format_bundle_id(bundle)},
        {"created_at", created_at},
        {"sender", json::Object{{"origin", sender.origin},
                                {"minisign_public_key", sender.minisign.to_base64()},
                                {"log_key", verifier_text(sender.log_key)},
                                {"age_recipient", sender.age.to_string()}}},
        {"recipients", std::move(recipient_list)},
        {"checkpoint", json::Object{{"size", static_cast<std::int64_t>(checkpoint_size)},
                                    {"root", crypto::merkle_hash_to_base64(checkpoint_root)}}},
        {"files", std::move(file_list)},
    });
    if (!text) return text;
    // What is written must read back: the writer never produces a manifest a reader refuses.
    if (auto back = parse(*text); !back) return std::unexpected(back.error());
    return text;
}

Result<Manifest> Manifest::parse(std::string_view text) {
    auto v = detail::read_canonical(kBundleSchema, text);
    if (!v) return std::unexpected(v.error());
    detail::DocumentReader r(kBundleSchema, *v);
    if (auto ok = r.expect_members(
            {"schema", "bundle", "created_at", "sender", "recipients", "checkpoint", "files"});
        !ok)
        return std::unexpected(ok.error());
    Manifest m;
    auto id = read_bundle_id(r);
    if (!id) return std::unexpected(id.error());
    m.bundle = *id;
    auto created = read_time(r, "created_at");
    if (!created) return std::unexpected(created.error());
    m.created_at = *created;

    auto sender = nested(r, "sender");
    if (!sender) return std::unexpected(sender.error());
    const std::string sender_schema = std::string(kBundleSchema) + ": sender";
    detail::DocumentReader s(sender_schema, **sender);
    if (auto ok = s.expect_members({"origin", "minisign_public_key", "log_key", "age_recipient"});
        !ok)
        return std::unexpected(ok.error());
    auto origin = s.string("origin");
    if (!origin) return std::unexpected(origin.error());
    if (!crypto::parse_svidok_device_origin(*origin)) {
        return bad(sender_schema, "origin", "must be svidok.device/ and 16 lowercase hex digits");
    }
    auto ms = read_minisign(s, "minisign_public_key");
    if (!ms) return std::unexpected(ms.error());
    auto log_key = read_verifier(s, "log_key", crypto::kNoteTypeEd25519);
    if (!log_key) return std::unexpected(log_key.error());
    if (log_key->name != *origin) return bad(sender_schema, "log_key", "must be named by origin");
    auto age = read_age(s, "age_recipient");
    if (!age) return std::unexpected(age.error());
    m.sender = SenderKeys{*origin, *ms, *log_key, *age};

    const Value& recipients = r.member("recipients");
    if (!recipients.is_array() || recipients.as_array().empty()) {
        return bad(kBundleSchema, "recipients", "must be a non-empty array");
    }
    for (const auto& item : recipients.as_array()) {
        auto key = item.is_string() ? crypto::X25519Recipient::parse(item.as_string())
                                    : Result<crypto::X25519Recipient>(std::unexpected(Error{}));
        if (!key || key->to_string() != item.as_string()) {
            return bad(kBundleSchema, "recipients", "must hold age recipients age1...");
        }
        if (std::ranges::find(m.recipients, *key) != m.recipients.end()) {
            return bad(kBundleSchema, "recipients", "names a recipient twice");
        }
        m.recipients.push_back(*key);
    }

    auto cp = nested(r, "checkpoint");
    if (!cp) return std::unexpected(cp.error());
    const std::string cp_schema = std::string(kBundleSchema) + ": checkpoint";
    detail::DocumentReader c(cp_schema, **cp);
    if (auto ok = c.expect_members({"size", "root"}); !ok) return std::unexpected(ok.error());
    auto size = c.integer("size", 1);
    if (!size) return std::unexpected(size.error());
    m.checkpoint_size = static_cast<std::uint64_t>(*size);
    auto root_text = c.string("root");
    if (!root_text) return std::unexpected(root_text.error());
    auto root = crypto::merkle_hash_from_base64(*root_text);
    if (!root) return bad(cp_schema, "root", "must be the Base64 of 32 bytes");
    m.checkpoint_root = *root;

    const Value& files = r.member("files");
    if (!files.is_array()) return bad(kBundleSchema, "files", "must be an array");
    if (files.as_array().size() > kMaxBundleFiles) {
        return bad(kBundleSchema, "files", "lists more files than a bundle may hold");
    }
    std::set<std::string, std::less<>> seen;
    const std::string file_schema = std::string(kBundleSchema) + ": files[]";
    for (const auto& item : files.as_array()) {
        if (!item.is_object()) return bad(kBundleSchema, "files", "must hold objects");
        detail::DocumentReader f(file_schema, item);
        if (auto ok = f.expect_members({"path", "size", "sha256"}); !ok) {
            return std::unexpected(ok.error());
        }
        auto path = f.string("path");
        auto fsize = f.integer("size", 0);
        auto sha = f.digest("sha256");
        if (!path) return std::unexpected(path.error());
        if (!fsize) return std::unexpected(fsize.error());
        if (!sha) return std::unexpected(sha.error());
        if (!is_file_path(*path)) {
            return bad(file_schema, "path", "\"" + *path + "\" is not a bundle entry name");
        }
        if (path->starts_with("attachments/") && *path != attachment_path(*sha)) {
            return bad(file_schema, "path", "\"" + *path + "\" is not named by its SHA-256");
        }
        if (!seen.insert(*path).second) {
            return bad(file_schema, "path", "\"" + *path + "\" is listed twice");
        }
        m.files.push_back(ManifestFile{*path, static_cast<std::uint64_t>(*fsize), *sha});
    }
    return m;
}

Result<std::string> Receipt::to_json() const {
    json::Array docs;
    for (const auto& d : documents) {
        docs.emplace_back(
            json::Object{{"record", format_record_id(d.record)},
                         {"kind", d.kind == LeafKind::withdrawal ? kKindWithdrawal : kKindRecord},
                         {"version", d.version},
                         {"sequence", static_cast<std::int64_t>(d.sequence)},
                         {"sha256", digest_value(d.sha256)}});
    }
    auto text = json::canonicalize(json::Object{
        {"schema", kReceiptSchema},
        {"bundle", format_bundle_id(bundle)},
        {"bundle_sha256", digest_value(bundle_sha256)},
        {"sender", sender},
        {"receiver", json::Object{{"minisign_public_key", receiver.minisign.to_base64()},
                                  {"cosigner_key", verifier_text(receiver.cosigner)},
                                  {"age_recipient", receiver.age.to_string()}}},
        {"received_at", received_at},
        {"documents", std::move(docs)},
        {"checkpoint", checkpoint},
    });
    if (!text) return text;
    if (auto back = parse(*text); !back) return std::unexpected(back.error());
    return text;
}

Result<Receipt> Receipt::parse(std::string_view text) {
    auto v = detail::read_canonical(kReceiptSchema, text);
    if (!v) return std::unexpected(v.error());
    detail::DocumentReader r(kReceiptSchema, *v);
    if (auto ok = r.expect_members({"schema", "bundle", "bundle_sha256", "sender", "receiver",
                                    "received_at", "documents", "checkpoint"});
        !ok)
        return std::unexpected(ok.error());
    Receipt rc;
    auto id = read_bundle_id(r);
    if (!id) return std::unexpected(id.error());
    rc.bundle = *id;
    auto sha = r.digest("bundle_sha256");
    if (!sha) return std::unexpected(sha.error());
    rc.bundle_sha256 = *sha;
    auto sender = r.string("sender");
    if (!sender) return std::unexpected(sender.error());
    if (!crypto::parse_svidok_device_origin(*sender)) {
        return bad(kReceiptSchema, "sender", "must be svidok.device/ and 16 lowercase hex digits");
    }
    rc.sender = *sender;

    auto receiver = nested(r, "receiver");
    if (!receiver) return std::unexpected(receiver.error());
    const std::string receiver_schema = std::string(kReceiptSchema) + ": receiver";
    detail::DocumentReader k(receiver_schema, **receiver);
    if (auto ok = k.expect_members({"minisign_public_key", "cosigner_key", "age_recipient"}); !ok) {
        return std::unexpected(ok.error());
    }
    auto ms = read_minisign(k, "minisign_public_key");
    if (!ms) return std::unexpected(ms.error());
    auto cosigner = read_verifier(k, "cosigner_key", crypto::kNoteTypeCosignatureV1);
    if (!cosigner) return std::unexpected(cosigner.error());
    auto age = read_age(k, "age_recipient");
    if (!age) return std::unexpected(age.error());
    rc.receiver = ReceiverKeys{*ms, *cosigner, *age};

    auto received = read_time(r, "received_at");
    if (!received) return std::unexpected(received.error());
    rc.received_at = *received;

    const Value& docs = r.member("documents");
    if (!docs.is_array()) return bad(kReceiptSchema, "documents", "must be an array");
    const std::string doc_schema = std::string(kReceiptSchema) + ": documents[]";
    for (const auto& item : docs.as_array()) {
        if (!item.is_object()) return bad(kReceiptSchema, "documents", "must hold objects");
        detail::DocumentReader d(doc_schema, item);
        if (auto ok = d.expect_members({"record", "kind", "version", "sequence", "sha256"}); !ok) {
            return std::unexpected(ok.error());
        }
        ReceivedDocument doc;
        auto rec = d.string("record");
        if (!rec) return std::unexpected(rec.error());
        auto rid = parse_record_id(*rec);
        if (!rid || format_record_id(*rid) != *rec) {
            return bad(doc_schema, "record", "must be 32 lowercase hex digits");
        }
        doc.record = *rid;
        auto kind = d.string("kind");
        if (!kind) return std::unexpected(kind.error());
        if (*kind == kKindRecord) {
            doc.kind = LeafKind::record_version;
        } else if (*kind == kKindWithdrawal) {
            doc.kind = LeafKind::withdrawal;
        } else {
            return bad(doc_schema, "kind", "must be \"record\" or \"withdrawal\"");
        }
        auto version = d.integer("version", 1);
        auto seq = d.integer("sequence", 0);
        auto dsha = d.digest("sha256");
        if (!version) return std::unexpected(version.error());
        if (!seq) return std::unexpected(seq.error());
        if (!dsha) return std::unexpected(dsha.error());
        doc.version = *version;
        doc.sequence = static_cast<std::uint64_t>(*seq);
        doc.sha256 = *dsha;
        if (!rc.documents.empty() && rc.documents.back().sequence >= doc.sequence) {
            return bad(doc_schema, "sequence", "documents must be in log order, each once");
        }
        rc.documents.push_back(doc);
    }
    auto cp = r.string("checkpoint");
    if (!cp) return std::unexpected(cp.error());
    rc.checkpoint = *cp;
    return rc;
}

}  // namespace svidok::forms
