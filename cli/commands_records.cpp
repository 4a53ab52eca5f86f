// SPDX-License-Identifier: GPL-3.0-or-later
// record new | update | check | seal | amend | withdraw-consent | discard | list | show | export
// (docs/FORMAT.md section 9; sealed answers, 9.6).
#include <sys/stat.h>

#include <ostream>

#include "commands.h"
#include "crypto/encoding.h"
#include "crypto/minisign.h"
#include "forms/sealed.h"
#include "store/atomic_file.h"
#include "store/bundles.h"

namespace svidok::cli {
namespace {

namespace json = forms::json;

Result<json::Value> answers_arg(const Context& ctx) {
    auto file = ctx.args.value("--json");
    if (!file) return fail(Errc::usage, "give the answers with --json FILE");
    return read_json_file(*file);
}

void print_issues(std::ostream& err, const std::vector<forms::FieldIssue>& issues) {
    if (issues.empty()) return;
    err << "note: " << issues.size() << (issues.size() == 1 ? " field needs" : " fields need")
        << " attention before sealing:\n";
    for (const auto& i : issues) {
        err << "  " << (i.path.empty() ? "(answers)" : i.path) << ": " << i.message << '\n';
    }
}

void print_sealed(std::ostream& out, const store::RecordId& id, const store::SignedDocument& d) {
    out << "Sealed record " << forms::format_record_id(id) << " version " << d.version
        << " (log entry " << d.sequence << ")\nSHA-256: " << crypto::to_hex(d.sha256) << '\n';
}

json::Value form_ref(const forms::FormDefinition& f) {
    return json::Object{{"id", f.id()}, {"version", f.version()}, {"sha256", f.sha256_hex()}};
}

/// The JSON summary of one document (its stamp read back from the signed bytes).
Result<json::Value> document_json(const store::SignedDocument& d) {
    forms::SealStamp stamp;
    if (d.kind == forms::LeafKind::record_version) {
        auto doc = forms::parse_record(d.bytes);
        if (!doc) return std::unexpected(doc.error());
        stamp = doc->stamp;
    } else {
        auto doc = forms::parse_withdrawal(d.bytes);
        if (!doc) return std::unexpected(doc.error());
        stamp = doc->stamp;
    }
    return json::Object{{"version", d.version},
                        {"sequence", static_cast<std::int64_t>(d.sequence)},
                        {"sha256", crypto::to_hex(d.sha256)},
                        {"sealed_at", stamp.sealed_at},
                        {"utc_offset", stamp.utc_offset}};
}

/// The versions' summaries and the withdrawal's (null when none) of a record's documents.
Result<std::pair<json::Value, json::Value>> versions_json(
    const std::vector<store::SignedDocument>& docs) {
    json::Array versions;
    json::Value withdrawal;
    for (const auto& d : docs) {
        auto j = document_json(d);
        if (!j) return std::unexpected(std::move(j.error()).wrap("vault.db"));
        if (d.kind == forms::LeafKind::withdrawal) {
            withdrawal = std::move(*j);
        } else {
            versions.push_back(std::move(*j));
        }
    }
    return std::pair{json::Value(std::move(versions)), std::move(withdrawal)};
}

/// The version and withdrawal lines of `record show`, from its JSON.
void print_versions(std::ostream& o, const json::Value& out) {
    for (const auto& v : out.find("versions")->as_array()) {
        o << "Version " << v.find("version")->as_int() << ": sealed "
          << v.find("sealed_at")->as_string() << " (device offset "
          << v.find("utc_offset")->as_string() << "), log entry " << v.find("sequence")->as_int()
          << ", SHA-256 " << v.find("sha256")->as_string() << '\n';
    }
    if (const auto& w = *out.find("withdrawal"); !w.is_null()) {
        o << "Consent withdrawn: " << w.find("sealed_at")->as_string() << ", log entry "
          << w.find("sequence")->as_int() << '\n';
    }
}

std::string sealed_verdict(const forms::SealedReport& r) {
    switch (r.status) {
        case forms::SealedStatus::opened:
            return "opened and verified";
        case forms::SealedStatus::not_a_recipient:
            return "not opened: not sealed to this vault's key";
        case forms::SealedStatus::damaged:
            return "DAMAGED: " + r.problem;
    }
    return "DAMAGED";
}

/// `record show` of a record received from `origin`: its latest version with the sealed
/// answers opened with this vault's key (docs/FORMAT.md 9.6). Exit 1 when one is damaged.
Result<> show_received(Context& ctx, store::Bundles& bundles, const forms::FormRegistry& registry,
                       const std::string& origin, const store::RecordId& id) {
    auto r = bundles.open_received(origin, id);
    if (!r) return std::unexpected(r.error());
    auto versions = versions_json(r->documents);
    if (!versions) return std::unexpected(versions.error());
    const forms::RecordDocument& doc = r->latest;
    json::Array sealed;
    std::size_t damaged = 0;
    for (const auto& u : r->opened.units) {
        json::Value j = json::Object{{"path", u.path},
                                     {"field", u.field_key},
                                     {"status", forms::sealed_status_name(u.status)}};
        if (!u.problem.empty() && u.status == forms::SealedStatus::damaged) {
            j.set("problem", u.problem);
        }
        sealed.push_back(std::move(j));
        damaged += u.status == forms::SealedStatus::damaged ? 1 : 0;
    }
    json::Value out =
        json::Object{{"record", forms::format_record_id(id)},
                     {"origin", origin},
                     {"status", r->withdrawn ? "withdrawn" : "received"},
                     {"form", json::Object{{"id", doc.form_id},
                                           {"version", doc.form_version},
                                           {"sha256", crypto::to_hex(doc.form_sha256)}}},
                     {"versions", std::move(versions->first)},
                     {"withdrawal", std::move(versions->second)},
                     {"answers", r->opened.answers},
                     {"sealed", std::move(sealed)}};
    if (ctx.args.has("--json")) {
        ctx.io.out << json::pretty(out) << '\n';
    } else {
        auto& o = ctx.io.out;
        const forms::FormDefinition* form = registry.find(doc.form_sha256);
        o << "Record " << forms::format_record_id(id) << "\nReceived from: " << origin
          << "\nStatus:  " << (r->withdrawn ? "withdrawn" : "received")
          << "\nForm:    " << doc.form_id << " v" << doc.form_version << " ("
          << (form != nullptr ? form->title().in(forms::Language::en)
                              : std::string("its definition is not in this vault"))
          << ")\n";
        print_versions(o, out);
        if (!r->opened.units.empty()) {
            o << "Sealed answers, opened with this vault's key:\n";
            for (const auto& u : r->opened.units) {
                o << "  " << u.path << ": " << sealed_verdict(u) << '\n';
            }
        }
        o << "\nAnswers (latest version received; signatures verified on import):\n"
          << json::pretty(forms::with_sealed_placeholders(r->opened.answers)) << '\n';
    }
    if (damaged > 0) {
        std::string message = std::to_string(damaged);
        message += damaged == 1 ? " sealed answer is" : " sealed answers are";
        message += " damaged: not the value the device sealed for this record and field";
        return fail(Errc::integrity, std::move(message),
                    "the record's signature is valid, so the sending device signed it so; ask the "
                    "sender how the record was amended");
    }
    return {};
}

json::Value info_json(const store::RecordInfo& info) {
    return json::Object{{"record", forms::format_record_id(info.id)},
                        {"status", store::record_status_name(info.status)},
                        {"form", form_ref(*info.form)},
                        {"versions", info.versions},
                        {"draft", info.has_draft},
                        {"created_at", info.created_at},
                        {"updated_at", info.updated_at}};
}

}  // namespace

Result<> cmd_record_new(Context& ctx) {
    auto answers = answers_arg(ctx);
    if (!answers) return std::unexpected(answers.error());
    auto form_id = ctx.args.value("--form");
    if (!form_id)
        return fail(Errc::usage, "give the form with --form ID",
                    "`svidok-cli form list` shows them");
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    const auto* form = (*s)->registry.find(*form_id);
    if (form == nullptr)
        return fail(Errc::not_found, "no form " + *form_id, "`svidok-cli form list` shows them");
    auto id = (*s)->records->create_draft(*form, *answers);
    if (!id) return std::unexpected(id.error());
    ctx.io.out << forms::format_record_id(*id) << '\n';
    auto issues = (*s)->records->check_draft(*id);
    if (!issues) return std::unexpected(issues.error());
    print_issues(ctx.io.err, *issues);
    return {};
}

Result<> cmd_record_update(Context& ctx) {
    auto answers = answers_arg(ctx);
    if (!answers) return std::unexpected(answers.error());
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    const store::RecordId& id = (*s)->record;
    auto issues = (*s)->records->update_draft(id, *answers);
    if (!issues) return std::unexpected(issues.error());
    ctx.io.out << "Draft " << forms::format_record_id(id) << " saved.\n";
    print_issues(ctx.io.err, *issues);
    return {};
}

Result<> cmd_record_check(Context& ctx) {
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    const store::RecordId& id = (*s)->record;
    auto issues = (*s)->records->check_draft(id);
    if (!issues) return std::unexpected(issues.error());
    if (issues->empty()) {
        ctx.io.out << "Ready to seal.\n";
        return {};
    }
    print_issues(ctx.io.out, *issues);
    return fail(Errc::invalid, std::to_string(issues->size()) + " fields need attention");
}

Result<> cmd_record_seal(Context& ctx) {
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    const store::RecordId& id = (*s)->record;
    auto sealed = (*s)->records->seal(id);
    if (!sealed) return std::unexpected(sealed.error());
    print_sealed(ctx.io.out, id, *sealed);
    return {};
}

Result<> cmd_record_amend(Context& ctx) {
    if (!ctx.args.has("--json")) {
        auto s = ctx.open_record();
        if (!s) return std::unexpected(s.error());
        const store::RecordId& id = (*s)->record;
        if (auto r = (*s)->records->begin_amendment(id); !r) return r;
        ctx.io.out << "Amendment draft opened for record " << forms::format_record_id(id)
                   << ": a copy of its latest answers.\nChange it with `record update`, add files "
                      "with `attach`, then seal it with `record seal` as the next version.\n";
        return {};
    }
    auto answers = answers_arg(ctx);
    if (!answers) return std::unexpected(answers.error());
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    const store::RecordId& id = (*s)->record;
    auto sealed = (*s)->records->amend(id, *answers);
    if (!sealed) return std::unexpected(sealed.error());
    print_sealed(ctx.io.out, id, *sealed);
    return {};
}

Result<> cmd_record_withdraw(Context& ctx) {
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    const store::RecordId& id = (*s)->record;
    auto signed_doc = (*s)->records->withdraw_consent(id);
    if (!signed_doc) return std::unexpected(signed_doc.error());
    ctx.io.out << "Withdrawal of consent signed for record " << forms::format_record_id(id)
               << " (version " << signed_doc->version << ", log entry " << signed_doc->sequence
               << ").\nThe record is kept and marked withdrawn.\n";
    return {};
}

Result<> cmd_record_discard(Context& ctx) {
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    const store::RecordId& id = (*s)->record;
    if (auto r = (*s)->records->discard_draft(id); !r) return r;
    ctx.io.out << "Draft of record " << forms::format_record_id(id) << " deleted.\n";
    return {};
}

Result<> cmd_record_list(Context& ctx) {
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    auto list = (*s)->records->list();
    if (!list) return std::unexpected(list.error());
    if (ctx.args.has("--json")) {
        json::Array out;
        for (const auto& info : *list) out.push_back(info_json(info));
        ctx.io.out << json::pretty(json::Value(std::move(out))) << '\n';
        return {};
    }
    if (list->empty()) {
        ctx.io.out << "No records yet. Start one with `svidok-cli record new`.\n";
        return {};
    }
    for (const auto& info : *list) {
        std::string status(store::record_status_name(info.status));
        status.resize(10, ' ');
        ctx.io.out << forms::format_record_id(info.id) << "  " << status << "  v" << info.versions
                   << "  " << info.form->id() << "  " << info.updated_at << '\n';
    }
    return {};
}

Result<> cmd_record_show(Context& ctx) {
    if (ctx.args.positional.empty()) return fail(Errc::usage, "which record? give its id");
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    auto& records = *(*s)->records;
    auto resolved = records.resolve(ctx.args.positional.front());
    if (!resolved) {
        if (resolved.error().code != Errc::not_found) return std::unexpected(resolved.error());
        // Not one of this vault's records: perhaps one received in a bundle.
        store::Bundles bundles(records);
        auto received = bundles.find_received(ctx.args.positional.front());
        if (!received) return std::unexpected(received.error());
        if (received->empty()) return std::unexpected(resolved.error());
        if (received->size() > 1) {
            return fail(Errc::usage,
                        "several received records start with " + ctx.args.positional.front(),
                        "give more digits of the id");
        }
        return show_received(ctx, bundles, (*s)->registry, received->front().first,
                             received->front().second);
    }
    const store::RecordId& id = *resolved;
    auto info = records.info(id);
    auto docs = records.documents(id);
    auto answers = records.answers(id);
    if (!info) return std::unexpected(info.error());
    if (!docs) return std::unexpected(docs.error());
    if (!answers) return std::unexpected(answers.error());

    auto versions = versions_json(*docs);
    if (!versions) return std::unexpected(versions.error());
    json::Value out = info_json(*info);
    out.set("versions", std::move(versions->first));
    out.set("withdrawal", std::move(versions->second));
    out.set("answers", std::move(*answers));
    if (ctx.args.has("--json")) {
        ctx.io.out << json::pretty(out) << '\n';
        return {};
    }
    auto& o = ctx.io.out;
    o << "Record " << forms::format_record_id(id)
      << "\nStatus:  " << store::record_status_name(info->status)
      << "\nForm:    " << info->form->id() << " v" << info->form->version() << " ("
      << info->form->title().in(forms::Language::en) << ")\n"
      << "Created: " << info->created_at << "\nUpdated: " << info->updated_at << '\n';
    print_versions(o, out);
    auto delivery = store::Bundles(records).delivery(id);
    if (!delivery) return std::unexpected(delivery.error());
    if (!delivery->recipients.empty() && delivery->documents > 0) {
        o << "Delivery (" << delivery->documents << " signed documents):\n";
        for (const auto& r : delivery->recipients) {
            o << "  " << r.recipient << (r.custodian ? " (must confirm before purging)" : "")
              << ": sent " << r.sent << ", confirmed " << r.confirmed << "\n";
        }
    }
    const std::size_t sealed = forms::count_sealed_markers(*out.find("answers"));
    if (sealed > 0) {
        o << "Sealed for the legal team: " << sealed << (sealed == 1 ? " answer" : " answers")
          << "; this device cannot show " << (sealed == 1 ? "it" : "them") << ".\n";
    }
    o << (info->has_draft ? "\nAnswers (draft, not signed):\n" : "\nAnswers (latest version):\n")
      << json::pretty(forms::with_sealed_placeholders(*out.find("answers"))) << '\n';
    return {};
}

Result<> cmd_record_export(Context& ctx) {
    auto out_dir = ctx.args.value("--out");
    if (!out_dir) return fail(Errc::usage, "give the destination with --out DIR");
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    const store::RecordId& id = (*s)->record;
    auto docs = (*s)->records->documents(id);
    if (!docs) return std::unexpected(docs.error());
    if (docs->empty()) {
        return fail(Errc::invalid, "record " + forms::format_record_id(id) + " is a draft",
                    "seal it first; only signed versions are exported");
    }
    auto identity = (*s)->vault.identity();
    if (!identity) return std::unexpected(identity.error());
    const std::filesystem::path dir(*out_dir);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(Errc::io, "cannot create " + dir.string() + ": " + ec.message());

    const std::string base = forms::format_record_id(id);
    std::vector<std::pair<std::string, std::string>> files;  // name, bytes
    for (const auto& d : *docs) {
        std::string name = d.kind == forms::LeafKind::withdrawal
                               ? base + "-withdrawal.json"
                               : base + "-v" + std::to_string(d.version) + ".json";
        files.emplace_back(name + ".minisig", d.minisig);
        files.emplace_back(std::move(name), d.bytes);
    }
    const crypto::minisign::PublicKey pub = identity->signing_public_key();
    const std::string key_file = "device-" + crypto::to_hex(pub.key_id) + ".pub";
    files.emplace_back(key_file, pub.to_file());
    for (const auto& [name, bytes] : files) {
        if (auto r = store::write_file_atomic(dir / name, crypto::as_bytes(bytes)); !r) return r;
        ctx.io.out << (dir / name).string() << '\n';
    }
    ctx.io.err << "warning: the .json files hold the testimony in plaintext (all but its sealed "
                  "answers); keep them only on an encrypted disk the legal team controls.\n"
               << "Check a version with: minisign -Vm " << (dir / (base + "-v1.json")).string()
               << " -p " << (dir / key_file).string() << '\n';
    return {};
}

}  // namespace svidok::cli
