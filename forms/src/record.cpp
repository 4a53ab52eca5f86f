// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/record.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <initializer_list>

#include "crypto/checkpoint.h"
#include "crypto/encoding.h"
#include "document_reader.h"
#include "values.h"

namespace svidok::forms {
namespace {

namespace ms = crypto::minisign;
using detail::bad;
using detail::read_canonical;
using json::Value;

constexpr std::size_t kMaxMediaTypeBytes = 255;

std::string digest_hex(const crypto::Sha256Digest& d) {
    return crypto::to_hex(d);
}

bool is_utc_time(std::string_view t) noexcept {
    return t.size() == 20 && t.back() == 'Z' && detail::is_datetime(t);
}

bool is_utc_offset(std::string_view o) noexcept {
    return o.size() == 6 && detail::is_datetime(std::string("2000-01-01T00:00:00").append(o));
}

/// `type/subtype` in lower case, RFC 6838 restricted-name characters.
bool is_media_type(std::string_view t) noexcept {
    auto slash = t.find('/');
    if (t.empty() || t.size() > kMaxMediaTypeBytes || slash == std::string_view::npos ||
        slash == 0 || slash + 1 == t.size() || t.find('/', slash + 1) != std::string_view::npos) {
        return false;
    }
    return std::ranges::all_of(t, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               std::string_view("!#$&-^_.+/").find(c) != std::string_view::npos;
    });
}

/// The name rules of docs/FORMS.md 3.6.
bool is_attachment_name(std::string_view n) noexcept {
    return !n.empty() && n.size() <= 255 && n != "." && n != ".." &&
           n.find_first_of("/\\") == std::string_view::npos && !detail::has_control(n, false);
}

// ---- writing -------------------------------------------------------------------------------

Result<void> check_stamp(std::string_view schema, const SealStamp& s) {
    if (!crypto::parse_svidok_device_origin(s.device)) {
        return bad(schema, "device", "must be svidok.device/ and 16 lowercase hex digits");
    }
    if (s.sequence > static_cast<std::uint64_t>(json::kMaxSafeInteger)) {
        return bad(schema, "sequence", "out of range");
    }
    if (!is_utc_time(s.sealed_at)) return bad(schema, "sealed_at", "must be YYYY-MM-DDThh:mm:ssZ");
    if (!is_utc_offset(s.utc_offset)) return bad(schema, "utc_offset", "must be +hh:mm or -hh:mm");
    return {};
}

void put_stamp(json::Object& o, const SealStamp& s) {
    o.emplace_back("device", s.device);
    o.emplace_back("signer", crypto::to_hex(s.signer));
    o.emplace_back("sequence", static_cast<std::int64_t>(s.sequence));
    o.emplace_back("sealed_at", s.sealed_at);
    o.emplace_back("utc_offset", s.utc_offset);
}

Result<void> check_version(std::string_view schema, std::int64_t v) {
    if (v < 1 || v > json::kMaxSafeInteger) return bad(schema, "version", "must be at least 1");
    return {};
}

// ---- reading -------------------------------------------------------------------------------

Result<RecordId> read_record_id(const detail::DocumentReader& r) {
    auto s = r.string("record");
    if (!s) return std::unexpected(s.error());
    auto id = parse_record_id(*s);
    if (!id || format_record_id(*id) != *s) {
        return bad(r.schema(), "record", "must be 32 lowercase hex digits");
    }
    return id;
}

Result<SealStamp> read_stamp(const detail::DocumentReader& r) {
    SealStamp s;
    auto device = r.string("device");
    auto signer = r.string("signer");
    auto seq = r.integer("sequence", 0);
    auto at = r.string("sealed_at");
    auto offset = r.string("utc_offset");
    for (const auto* v : {&device, &signer, &at, &offset}) {
        if (!*v) return std::unexpected(v->error());
    }
    if (!seq) return std::unexpected(seq.error());
    auto raw = crypto::from_hex(*signer);
    if (!raw || raw->size() != s.signer.size() || crypto::to_hex(*raw) != *signer) {
        return bad(r.schema(), "signer", "must be 16 lowercase hex digits");
    }
    std::ranges::copy(*raw, s.signer.begin());
    s.device = *device;
    s.sequence = static_cast<std::uint64_t>(*seq);
    s.sealed_at = *at;
    s.utc_offset = *offset;
    if (auto ok = check_stamp(r.schema(), s); !ok) return std::unexpected(ok.error());
    return s;
}

Result<AttachmentRef> read_attachment(const Value& v) {
    detail::DocumentReader r("svidok-record/1 attachment", v);
    if (auto ok = r.expect_members({"name", "media_type", "size", "sha256"}); !ok) {
        return std::unexpected(ok.error());
    }
    auto name = r.string("name");
    auto type = r.string("media_type");
    auto size = r.integer("size", 0);
    auto sha = r.digest("sha256");
    if (!name) return std::unexpected(name.error());
    if (!type) return std::unexpected(type.error());
    if (!size) return std::unexpected(size.error());
    if (!sha) return std::unexpected(sha.error());
    return AttachmentRef{*name, *type, static_cast<std::uint64_t>(*size), *sha};
}

Result<void> check_attachments(const std::vector<AttachmentRef>& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& a = list[i];
        auto where = "attachments[" + std::to_string(i) + "]";
        if (!is_attachment_name(a.name))
            return bad(kRecordSchema, where + ".name", "not a valid file name");
        if (!is_media_type(a.media_type)) {
            return bad(kRecordSchema, where + ".media_type", "must be a lower-case media type");
        }
        if (a.size > static_cast<std::uint64_t>(json::kMaxSafeInteger)) {
            return bad(kRecordSchema, where + ".size", "out of range");
        }
        if (i > 0 && !(list[i - 1].sha256 < a.sha256)) {
            return bad(kRecordSchema, where, "must be in ascending order of sha256, each once");
        }
    }
    return {};
}

template <class Doc, class Parse>
Result<Doc> verify_document(std::string_view bytes, std::string_view minisig,
                            const ms::PublicKey& key, Parse parse,
                            std::string (*comment)(const RecordId&, std::int64_t)) {
    auto doc = parse(bytes);
    if (!doc) return std::unexpected(doc.error());
    if (doc->stamp.signer != key.key_id) {
        return fail(Errc::integrity, "signed with key id " + crypto::to_hex(doc->stamp.signer) +
                                         " but the public key given has key id " +
                                         crypto::to_hex(key.key_id));
    }
    auto sig = ms::parse_signature(minisig);
    if (!sig) return std::unexpected(std::move(sig.error()).wrap("signature"));
    if (sig->algorithm != ms::Algorithm::prehashed) {
        return fail(Errc::integrity, "the signature uses minisign's legacy algorithm",
                    "Svidok signs only in the prehashed (ED) format");
    }
    auto verified = ms::verify(key, crypto::as_bytes(bytes), minisig);
    if (!verified) return std::unexpected(verified.error());
    auto expected = comment(doc->record, doc->version);
    if (verified->trusted_comment != expected) {
        return fail(Errc::integrity,
                    "the signature's trusted comment is \"" + verified->trusted_comment +
                        "\", expected \"" + expected + "\"",
                    "the signature belongs to another record or version");
    }
    return doc;
}

}  // namespace

RecordId random_record_id() {
    RecordId id{};
    randombytes_buf(id.data(), id.size());
    return id;
}

std::string format_record_id(const RecordId& id) {
    return crypto::to_hex(id);
}

Result<RecordId> parse_record_id(std::string_view text) {
    auto raw = text.size() == 2 * kRecordIdBytes ? crypto::from_hex(text) : Result<crypto::Bytes>{};
    if (text.size() != 2 * kRecordIdBytes || !raw) {
        return fail(Errc::invalid, "a record id is 32 hex digits");
    }
    RecordId id{};
    std::ranges::copy(*raw, id.begin());
    return id;
}

std::pair<std::string, std::string> device_clock_now() {
    return device_clock_at(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()));
}

std::pair<std::string, std::string> device_clock_at(std::time_t t) {
    std::tm utc{}, local{};
    gmtime_r(&t, &utc);
    localtime_r(&t, &local);
    char at[32];
    std::strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &utc);
    // Offsets are below a day; clamp so the format stays two digits whatever the libc says.
    const long minutes = std::clamp(local.tm_gmtoff / 60, -(23L * 60 + 59), 23L * 60 + 59);
    const long abs_minutes = minutes < 0 ? -minutes : minutes;
    char offset[8];
    std::snprintf(offset, sizeof offset, "%c%02d:%02d", minutes < 0 ? '-' : '+',
                  static_cast<int>(abs_minutes / 60), static_cast<int>(abs_minutes % 60));
    return {at, offset};
}

Result<std::string> encode_record(const RecordDocument& doc) {
    if (auto r = check_version(kRecordSchema, doc.version); !r) return std::unexpected(r.error());
    if ((doc.version == 1) != !doc.previous.has_value()) {
        return bad(kRecordSchema, "previous", "must be null exactly for version 1");
    }
    if (!detail::is_form_id(doc.form_id) || doc.form_version < 1) {
        return bad(kRecordSchema, "form", "invalid form id or version");
    }
    if (!doc.answers.is_object()) {
        return bad(kRecordSchema, "answers", "must be an object");
    }
    if (auto r = check_stamp(kRecordSchema, doc.stamp); !r) return std::unexpected(r.error());
    if (auto r = check_attachments(doc.attachments); !r) return std::unexpected(r.error());

    json::Array attachments;
    for (const auto& a : doc.attachments) {
        attachments.emplace_back(json::Object{{"name", a.name},
                                              {"media_type", a.media_type},
                                              {"size", static_cast<std::int64_t>(a.size)},
                                              {"sha256", digest_hex(a.sha256)}});
    }
    json::Object o{
        {"schema", kRecordSchema},
        {"record", format_record_id(doc.record)},
        {"version", doc.version},
        {"previous", doc.previous ? Value(digest_hex(*doc.previous)) : Value()},
        {"form", json::Object{{"id", doc.form_id},
                              {"version", doc.form_version},
                              {"sha256", digest_hex(doc.form_sha256)}}},
        {"answers", doc.answers},
        {"attachments", std::move(attachments)},
    };
    put_stamp(o, doc.stamp);
    return json::canonicalize(Value(std::move(o)));
}

Result<std::string> encode_withdrawal(const WithdrawalDocument& doc) {
    if (auto r = check_version(kWithdrawalSchema, doc.version); !r)
        return std::unexpected(r.error());
    if (auto r = check_stamp(kWithdrawalSchema, doc.stamp); !r) return std::unexpected(r.error());
    json::Object o{
        {"schema", kWithdrawalSchema},
        {"record", format_record_id(doc.record)},
        {"version", doc.version},
        {"version_sha256", digest_hex(doc.version_sha256)},
    };
    put_stamp(o, doc.stamp);
    return json::canonicalize(Value(std::move(o)));
}

Result<RecordDocument> parse_record(std::string_view bytes) {
    auto v = read_canonical(kRecordSchema, bytes);
    if (!v) return std::unexpected(v.error());
    detail::DocumentReader r(kRecordSchema, *v);
    if (auto ok = r.expect_members({"schema", "record", "version", "previous", "form", "answers",
                                    "attachments", "device", "signer", "sequence", "sealed_at",
                                    "utc_offset"});
        !ok) {
        return std::unexpected(ok.error());
    }
    RecordDocument doc;
    auto id = read_record_id(r);
    auto version = r.integer("version", 1);
    auto stamp = read_stamp(r);
    if (!id) return std::unexpected(id.error());
    if (!version) return std::unexpected(version.error());
    if (!stamp) return std::unexpected(stamp.error());
    doc.record = *id;
    doc.version = *version;
    doc.stamp = std::move(*stamp);

    if (r.member("previous").is_null()) {
        if (doc.version != 1) return bad(kRecordSchema, "previous", "missing for an amendment");
    } else {
        auto prev = r.digest("previous");
        if (!prev) return std::unexpected(prev.error());
        if (doc.version == 1) return bad(kRecordSchema, "previous", "must be null for version 1");
        doc.previous = *prev;
    }

    detail::DocumentReader form("svidok-record/1 form", r.member("form"));
    if (auto ok = form.expect_members({"id", "version", "sha256"}); !ok)
        return std::unexpected(ok.error());
    auto form_id = form.string("id");
    auto form_version = form.integer("version", 1);
    auto form_sha = form.digest("sha256");
    if (!form_id) return std::unexpected(form_id.error());
    if (!form_version) return std::unexpected(form_version.error());
    if (!form_sha) return std::unexpected(form_sha.error());
    if (!detail::is_form_id(*form_id)) return bad(kRecordSchema, "form.id", "not a form id");
    doc.form_id = *form_id;
    doc.form_version = *form_version;
    doc.form_sha256 = *form_sha;

    const Value& answers = r.member("answers");
    if (!answers.is_object()) return bad(kRecordSchema, "answers", "must be an object");
    doc.answers = answers;

    const Value& atts = r.member("attachments");
    if (!atts.is_array()) return bad(kRecordSchema, "attachments", "must be an array");
    for (const auto& a : atts.as_array()) {
        auto ref = read_attachment(a);
        if (!ref) return std::unexpected(ref.error());
        doc.attachments.push_back(std::move(*ref));
    }
    if (auto ok = check_attachments(doc.attachments); !ok) return std::unexpected(ok.error());
    return doc;
}

Result<WithdrawalDocument> parse_withdrawal(std::string_view bytes) {
    auto v = read_canonical(kWithdrawalSchema, bytes);
    if (!v) return std::unexpected(v.error());
    detail::DocumentReader r(kWithdrawalSchema, *v);
    if (auto ok = r.expect_members({"schema", "record", "version", "version_sha256", "device",
                                    "signer", "sequence", "sealed_at", "utc_offset"});
        !ok) {
        return std::unexpected(ok.error());
    }
    auto id = read_record_id(r);
    auto version = r.integer("version", 1);
    auto sha = r.digest("version_sha256");
    auto stamp = read_stamp(r);
    if (!id) return std::unexpected(id.error());
    if (!version) return std::unexpected(version.error());
    if (!sha) return std::unexpected(sha.error());
    if (!stamp) return std::unexpected(stamp.error());
    return WithdrawalDocument{*id, *version, *sha, std::move(*stamp)};
}

std::string record_trusted_comment(const RecordId& id, std::int64_t version) {
    return "svidok record " + format_record_id(id) + " v" + std::to_string(version);
}

std::string withdrawal_trusted_comment(const RecordId& id, std::int64_t version) {
    return "svidok withdrawal " + format_record_id(id) + " v" + std::to_string(version);
}

Result<std::string> sign_document(const ms::SigningKey& key, std::string_view bytes,
                                  std::string_view trusted_comment) {
    return ms::sign(key, crypto::as_bytes(bytes), trusted_comment,
                    "signature from svidok device key " + ms::format_key_id(key.key_id()));
}

Result<ms::Signature> document_signature(std::string_view minisig) {
    auto sig = ms::parse_signature(minisig);
    if (!sig) return std::unexpected(sig.error());
    return sig->signature;
}

Result<RecordDocument> verify_record(std::string_view bytes, std::string_view minisig,
                                     const ms::PublicKey& key) {
    return verify_document<RecordDocument>(bytes, minisig, key, parse_record,
                                           record_trusted_comment);
}

Result<WithdrawalDocument> verify_withdrawal(std::string_view bytes, std::string_view minisig,
                                             const ms::PublicKey& key) {
    return verify_document<WithdrawalDocument>(bytes, minisig, key, parse_withdrawal,
                                               withdrawal_trusted_comment);
}

Result<void> check_chain_link(const RecordDocument& prev, const crypto::Sha256Digest& prev_sha256,
                              const RecordDocument& next) {
    auto where = "version " + std::to_string(next.version);
    if (next.record != prev.record)
        return fail(Errc::integrity, where + " belongs to another record");
    if (next.version != prev.version + 1) {
        return fail(Errc::integrity,
                    where + " does not follow version " + std::to_string(prev.version));
    }
    if (!next.previous || *next.previous != prev_sha256) {
        return fail(Errc::integrity,
                    where + " does not name the SHA-256 of version " + std::to_string(prev.version),
                    "an earlier version was replaced or the chain was reordered");
    }
    if (next.form_id != prev.form_id || next.stamp.device != prev.stamp.device) {
        return fail(Errc::integrity, where + " changes the form or the device of the record");
    }
    return {};
}

}  // namespace svidok::forms
