// SPDX-License-Identifier: GPL-3.0-or-later
// The verification report's renderers and the meaning of each finding (docs/FORMAT.md 17).
#include "store/verification_report.h"

#include <algorithm>
#include <array>
#include <utility>

#include "forms/html.h"
#include "forms/json.h"

namespace svidok::store {
namespace {

namespace json = forms::json;
namespace html = forms::html;

struct Meaning {
    std::string_view code;
    std::string_view meaning;
};

// Keep in step with docs/FORMAT.md 17.3.
constexpr std::array kMeanings{
    Meaning{"bundle.signature",
            "The bundle file is not what its sender signed (or its signature file is damaged or "
            "missing): nothing in it can be attributed to the sender."},
    Meaning{"bundle.not_addressed",
            "The bundle was encrypted for another vault: this vault cannot open or check it."},
    Meaning{"bundle.decrypt",
            "The encrypted file was altered, truncated or extended after it was made: its "
            "content cannot be trusted."},
    Meaning{"bundle.malformed",
            "The bundle's content does not follow the format: it was damaged or built by "
            "something other than Svidok."},
    Meaning{"bundle.manifest",
            "The bundle's table of contents is not signed by the sender or does not match what "
            "the bundle holds: files were added, removed, reordered or altered."},
    Meaning{"bundle.this_vault",
            "The bundle was made by this vault itself: there is nothing to "
            "verify against another party."},
    Meaning{"sender.keys",
            "The bundle claims a sender pinned in this vault but carries other keys: the "
            "sender's device may be compromised or impersonated."},
    Meaning{"sender.unconfirmed",
            "The sender is not pinned in this vault: the signatures verify against the keys the "
            "bundle carries, which proves integrity but not who made it until a person compares "
            "the fingerprint with the sender out of band."},
    Meaning{"checkpoint.invalid",
            "The sender's log checkpoint is missing, not signed by the sender's log key, or "
            "differs from the one the manifest states: no record's place in the log can be "
            "shown."},
    Meaning{"log.rollback",
            "The sender's log is shorter than one received before: an older bundle delivered "
            "late, or records were deleted from the sender's log."},
    Meaning{"log.fork",
            "The sender's log is not an extension of the one received before: entries were "
            "deleted or rewritten after delivery. Earlier evidence and this bundle contradict "
            "each other."},
    Meaning{"log.missing",
            "The sender's signed log has an entry that is in neither this bundle nor this vault: "
            "a record sealed on the device was withheld or lost. The records present remain "
            "valid."},
    Meaning{"record.signature",
            "The record was altered after sealing or was not sealed by the sender's key: its "
            "content cannot be attributed to the sender."},
    Meaning{"record.malformed", "The record's bytes are not a well-formed Svidok document."},
    Meaning{"record.inclusion",
            "The record's proof of inclusion in the sender's log does not verify: the record "
            "cannot be shown to be part of the sender's signed history."},
    Meaning{"record.hash",
            "A file of the record differs from the one the sender's signed manifest lists: it "
            "was altered in transit or storage."},
    Meaning{"record.chain",
            "The record's versions do not form an unbroken chain: a version is missing or was "
            "replaced, so its history cannot be shown complete."},
    Meaning{"record.rewritten",
            "This version differs from the one this vault received before under the same "
            "identity: the sender's copy was rewritten after delivery."},
    Meaning{"attachment.hash",
            "The attached file is not the one the sealed record lists: it was altered, and the "
            "record's signature does not cover these bytes."},
    Meaning{"attachment.missing",
            "The sealed record lists a file that is neither in the bundle nor in this vault."},
    Meaning{"attachment.unlisted",
            "The bundle carries a file no record lists: it is not part of the sealed evidence."},
    Meaning{"vault.nothing_received",
            "This vault has received no bundle: there is nothing from "
            "another party to verify."},
    Meaning{"check.error",
            "The check itself could not be completed (for example a read error): "
            "nothing is proven either way until it runs to the end."},
};

std::string severity_name(Finding::Severity s) {
    return s == Finding::Severity::fail ? "fail" : "warn";
}

json::Value finding_json(const Finding& f) {
    return json::Object{{"code", f.code},
                        {"meaning", f.meaning},
                        {"message", f.message},
                        {"severity", severity_name(f.severity)}};
}

json::Value findings_json(const std::vector<Finding>& fs) {
    json::Array out;
    for (const auto& f : fs) out.push_back(finding_json(f));
    return out;
}

json::Value opt_int(const std::optional<std::uint64_t>& v) {
    if (!v) return nullptr;
    return static_cast<std::int64_t>(*v);
}

json::Value record_json(const ReportRecord& r) {
    json::Array chain;
    for (auto v : r.chain) chain.emplace_back(v);
    json::Array atts;
    for (const auto& a : r.attachments) {
        atts.push_back(json::Object{{"name", a.name},
                                    {"sha256", a.sha256},
                                    {"size", static_cast<std::int64_t>(a.size)},
                                    {"status", a.status}});
    }
    json::Array custody;
    for (const auto& e : r.custody) {
        custody.push_back(json::Object{{"at", e.at}, {"event", e.what}});
    }
    return json::Object{
        {"attachments", std::move(atts)},
        {"chain", std::move(chain)},
        {"custody", std::move(custody)},
        {"findings", findings_json(r.findings)},
        {"form", r.form},
        {"form_version", r.form_version},
        {"id", r.id},
        {"inclusion", r.inclusion},
        {"kind", r.kind},
        {"log_index", opt_int(r.log_index)},
        {"sha256", r.sha256},
        {"signature", r.signature},
        {"signer_fingerprint", r.signer_fingerprint},
        {"signer_key", r.signer_key},
        {"status", r.verified() ? "verified" : "failed"},
        {"version", r.version},
    };
}

void cell(std::string& out, std::string_view text, std::string_view cls = {}) {
    out += cls.empty() ? "<td>" : "<td class=\"" + std::string(cls) + "\">";
    html::append_escaped(out, text);
    out += "</td>";
}

void row(std::string& out, std::string_view label, std::string_view value,
         std::string_view cls = {}) {
    out += "<tr><th>";
    html::append_escaped(out, label);
    out += "</th>";
    cell(out, value, cls);
    out += "</tr>\n";
}

std::string_view status_class(std::string_view status) {
    if (status == "verified" || status == "held before") return "ok";
    if (status == "not checked" || status.empty()) return "warn";
    return "fail";
}

void findings_html(std::string& out, const std::vector<Finding>& fs) {
    for (const auto& f : fs) {
        out += "<p class=\"";
        out += f.severity == Finding::Severity::fail ? "fail" : "warn";
        out += "\">";
        html::append_escaped(out, f.severity == Finding::Severity::fail ? "FAILED: " : "NOTE: ");
        html::append_escaped(out, f.message);
        out += " <span class=\"mono\">[";
        html::append_escaped(out, f.code);
        out += "]</span></p>\n<p class=\"meaning\">";
        html::append_escaped(out, f.meaning);
        out += "</p>\n";
    }
}

std::string join_versions(const std::vector<std::int64_t>& chain) {
    std::string s;
    for (auto v : chain) {
        if (!s.empty()) s += " → ";
        s += 'v';
        s += std::to_string(v);
    }
    return s;
}

}  // namespace

bool ReportRecord::verified() const noexcept {
    return signature == "verified" && inclusion == "verified" &&
           std::ranges::none_of(
               findings, [](const Finding& f) { return f.severity == Finding::Severity::fail; });
}

std::uint64_t Report::verified_count() const noexcept {
    return static_cast<std::uint64_t>(
        std::ranges::count_if(records, [](const ReportRecord& r) { return r.verified(); }));
}

std::uint64_t Report::failed_count() const noexcept {
    return records.size() - verified_count();
}

bool Report::all_verified() const noexcept {
    return !bundle_failed && failed_count() == 0 && missing.empty() &&
           std::ranges::none_of(
               findings, [](const Finding& f) { return f.severity == Finding::Severity::fail; });
}

std::string finding_meaning(std::string_view code) {
    for (const auto& m : kMeanings) {
        if (m.code == code) return std::string(m.meaning);
    }
    return {};
}

Finding make_finding(std::string code, std::string message, Finding::Severity severity) {
    Finding f{severity, std::move(code), std::move(message), {}};
    f.meaning = finding_meaning(f.code);
    return f;
}

Result<std::string> report_json(const Report& r) {
    json::Array records;
    for (const auto& rec : r.records) records.push_back(record_json(rec));
    json::Array missing;
    for (auto m : r.missing) missing.emplace_back(static_cast<std::int64_t>(m));
    json::Array cosigs;
    for (const auto& c : r.cosignatures) cosigs.emplace_back(c);
    json::Value checkpoint = nullptr;
    if (r.checkpoint_size) {
        checkpoint = json::Object{{"cosignatures", std::move(cosigs)},
                                  {"note", r.checkpoint_note},
                                  {"root", r.checkpoint_root},
                                  {"signer", r.checkpoint_signer},
                                  {"size", static_cast<std::int64_t>(*r.checkpoint_size)}};
    }
    json::Value doc = json::Object{
        {"bundle", r.bundle_id},
        {"checkpoint", std::move(checkpoint)},
        {"created_at", r.created_at},
        {"findings", findings_json(r.findings)},
        {"format", "svidok verification report"},
        {"generated_at", r.generated_at},
        {"records", std::move(records)},
        {"sender",
         json::Object{{"fingerprint", r.sender_fingerprint}, {"origin", r.sender_origin}}},
        {"source", r.source},
        {"subject", r.subject},
        {"summary", json::Object{{"bundle_failed", r.bundle_failed},
                                 {"failed", static_cast<std::int64_t>(r.failed_count())},
                                 {"missing", static_cast<std::int64_t>(r.missing.size())},
                                 {"missing_log_indices", std::move(missing)},
                                 {"records", static_cast<std::int64_t>(r.records.size())},
                                 {"verdict", r.all_verified() ? "verified" : "failed"},
                                 {"verified", static_cast<std::int64_t>(r.verified_count())}}},
        {"version", 1},
    };
    auto text = json::canonicalize(doc);
    if (!text) return std::unexpected(text.error());
    return *text + "\n";
}

std::string report_html(const Report& r) {
    std::string out;
    html::begin_document(out, "Svidok verification report", "en");
    out += "<h1>Svidok verification report</h1>\n";
    if (r.all_verified()) {
        out += "<p class=\"ok\">Everything verified.</p>\n";
    } else {
        out += "<p class=\"fail\">Verification FAILED: see the findings below.</p>\n";
    }
    out += "<h2>Summary</h2>\n<table>\n";
    row(out, "Verified", r.source == "bundle" ? "bundle " + r.subject : "vault " + r.subject);
    row(out, "Report made at", r.generated_at);
    if (!r.bundle_id.empty()) row(out, "Bundle id", r.bundle_id, "mono");
    if (!r.created_at.empty()) row(out, "Bundle made at", r.created_at);
    if (!r.sender_origin.empty()) row(out, "Sender", r.sender_origin, "mono");
    if (!r.sender_fingerprint.empty()) row(out, "Sender fingerprint", r.sender_fingerprint, "mono");
    row(out, "Records verified", std::to_string(r.verified_count()),
        r.verified_count() == r.records.size() ? "ok" : "");
    row(out, "Records failed", std::to_string(r.failed_count()), r.failed_count() ? "fail" : "ok");
    {
        std::string m = std::to_string(r.missing.size());
        if (!r.missing.empty()) {
            m += " (log indices";
            for (auto i : r.missing) {
                m += ' ';
                m += std::to_string(i);
            }
            m += ")";
        }
        row(out, "Log entries missing", m, r.missing.empty() ? "ok" : "fail");
    }
    row(out, "Bundle as a whole", r.bundle_failed ? "FAILED" : "verified",
        r.bundle_failed ? "fail" : "ok");
    if (r.checkpoint_size) {
        row(out, "Checkpoint size", std::to_string(*r.checkpoint_size));
        row(out, "Checkpoint root", r.checkpoint_root, "mono");
        row(out, "Checkpoint signed by", r.checkpoint_signer, "mono");
        std::string cos;
        for (const auto& c : r.cosignatures) cos += (cos.empty() ? "" : "; ") + c;
        row(out, "Cosignatures", cos.empty() ? "none in this bundle" : cos, "mono");
    }
    out += "</table>\n";
    if (!r.findings.empty()) {
        out += "<h2>Findings about the whole</h2>\n";
        findings_html(out, r.findings);
    }
    if (r.checkpoint_size) {
        out += "<h2>The sender's signed checkpoint</h2>\n<pre class=\"mono\">";
        html::append_escaped(out, r.checkpoint_note);
        out += "</pre>\n";
    }
    for (const auto& rec : r.records) {
        out += "<div class=\"record\">\n<h2>Record ";
        html::append_escaped(out, rec.id);
        out += rec.kind == "withdrawal" ? " (withdrawal of version " : " (version ";
        out += std::to_string(rec.version);
        out += ")</h2>\n<table>\n";
        row(out, "Status", rec.verified() ? "verified" : "FAILED", rec.verified() ? "ok" : "fail");
        row(out, "Version chain", join_versions(rec.chain));
        if (!rec.form.empty()) {
            std::string form = rec.form;
            form += " version ";
            form += std::to_string(rec.form_version);
            row(out, "Form", form);
        }
        row(out, "Signer key", rec.signer_key, "mono");
        row(out, "Signer fingerprint", rec.signer_fingerprint, "mono");
        row(out, "Signature", rec.signature, status_class(rec.signature));
        row(out, "SHA-256 of the canonical bytes", rec.sha256, "mono");
        row(out, "Log index", rec.log_index ? std::to_string(*rec.log_index) : "unknown");
        row(out, "Inclusion in the checkpoint", rec.inclusion, status_class(rec.inclusion));
        out += "</table>\n";
        if (!rec.attachments.empty()) {
            out +=
                "<table>\n<tr><th>Attachment</th><th>Size</th><th>SHA-256</th><th>Status</th>"
                "</tr>\n";
            for (const auto& a : rec.attachments) {
                out += "<tr>";
                cell(out, a.name);
                cell(out, std::to_string(a.size));
                cell(out, a.sha256, "mono");
                cell(out, a.status, status_class(a.status));
                out += "</tr>\n";
            }
            out += "</table>\n";
        }
        if (!rec.custody.empty()) {
            out += "<table>\n<tr><th>When (UTC)</th><th>Custody</th></tr>\n";
            for (const auto& e : rec.custody) {
                out += "<tr>";
                cell(out, e.at.empty() ? "-" : e.at);
                cell(out, e.what);
                out += "</tr>\n";
            }
            out += "</table>\n";
        }
        findings_html(out, rec.findings);
        out += "</div>\n";
    }
    html::end_document(out);
    return out;
}

std::string report_text(const Report& r) {
    std::string out = r.all_verified() ? "verified" : "FAILED";
    out += ": " + std::to_string(r.verified_count()) + " records verified, " +
           std::to_string(r.failed_count()) + " failed, " + std::to_string(r.missing.size()) +
           " missing";
    if (r.checkpoint_size)
        out += " (checkpoint of " + std::to_string(*r.checkpoint_size) + " entries)";
    out += "\n";
    auto list = [&](const std::vector<Finding>& fs, const std::string& prefix) {
        for (const auto& f : fs) {
            out += prefix + (f.severity == Finding::Severity::fail ? "FAILED " : "note ") + f.code +
                   ": " + f.message + "\n    " + f.meaning + "\n";
        }
    };
    list(r.findings, "  ");
    for (const auto& rec : r.records) list(rec.findings, "  record " + rec.id + ": ");
    return out;
}

}  // namespace svidok::store
