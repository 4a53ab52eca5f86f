// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/record_print.h"

#include "forms/html.h"

namespace svidok::forms {
namespace {

void cell(std::string& out, std::string_view tag, std::string_view text,
          std::string_view cls = {}) {
    out += '<';
    out += tag;
    if (!cls.empty()) {
        out += " class=\"";
        out += cls;
        out += '"';
    }
    out += '>';
    html::append_escaped(out, text);
    out += "</";
    out += tag;
    out += '>';
}

void row(std::string& out, std::string_view label, std::string_view value,
         std::string_view cls = {}) {
    out += "<tr>";
    cell(out, "th", label);
    cell(out, "td", value, cls);
    out += "</tr>\n";
}

std::string quoted(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    out += '\'';
    return out;
}

std::string_view sealed_class(SealedStatus s) {
    return s == SealedStatus::opened ? "ok" : s == SealedStatus::damaged ? "fail" : "warn";
}

std::string sealed_meaning(SealedStatus s) {
    switch (s) {
        case SealedStatus::opened:
            return "opened with this vault's key and checked against its commitment";
        case SealedStatus::not_a_recipient:
            return "sealed to another key: this vault cannot read it";
        case SealedStatus::damaged:
            return "damaged: it does not open or does not match its commitment";
    }
    return {};
}

}  // namespace

std::vector<VerificationStep> verification_steps(const PrintedRecord& r) {
    std::vector<VerificationStep> out;
    const std::string key = quoted(r.minisign_key);
    for (const auto& d : r.documents) {
        const std::string comment = d.withdrawal ? "svidok withdrawal " : "svidok record ";
        out.push_back({"The device's signature of " + d.file + " and its trusted comment",
                       "minisign -QHVm " + quoted(d.file) + " -P " + key,
                       comment + r.record_id + " v" + std::to_string(d.version)});
        out.push_back({"The SHA-256 of " + d.file, "sha256sum " + quoted(d.file),
                       d.sha256_hex + "  " + d.file});
        if (!d.previous_hex.empty()) {
            out.push_back({"The version before it, named inside " + d.file,
                           "python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))"
                           "[\"previous\"])' " +
                               quoted(d.file),
                           d.previous_hex});
        }
    }
    return out;
}

std::string record_printout(const PrintedRecord& r) {
    std::string out;
    const FormDefinition& form = *r.form;
    const std::string title = "Record " + r.record_id;
    html::begin_document(out, title, language_code(r.lang));
    out += "<h1>";
    html::append_escaped(out, form.title().in(r.lang));
    out += "</h1>\n<table>\n";
    row(out, "Record", r.record_id, "mono");
    row(out, "Form",
        form.id() + " v" + std::to_string(form.version()) + ", SHA-256 " + form.sha256_hex(),
        "mono");
    row(out, "Device (log origin)", r.origin, "mono");
    row(out, "Device signing key", r.minisign_key + " (key id " + r.minisign_key_id + ")", "mono");
    row(out, "Source", r.received ? "received in a verified bundle" : "this vault's own record");
    if (r.withdrawn) {
        row(out, "Consent", "withdrawn: a signed withdrawal follows the versions", "fail");
    }
    row(out, "Log", r.log_note);
    out += "</table>\n";

    // Answers: the main table as label / value, each repeat as a table of its own.
    out += "<h2>Answers (latest version)</h2>\n<table>\n";
    if (!r.tables.empty() && !r.tables[0].rows.empty()) {
        const auto& t = r.tables[0];
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (t.columns[c].key.ends_with("#code") || t.columns[c].key.ends_with("#rows")) {
                continue;
            }
            row(out, t.columns[c].header, t.rows[0][c]);
        }
    }
    out += "</table>\n";
    for (std::size_t i = 1; i < r.tables.size(); ++i) {
        const auto& t = r.tables[i];
        out += "<h2>";
        html::append_escaped(out, t.title);
        out += "</h2>\n";
        if (t.rows.empty()) {
            out += "<p class=\"meaning\">No rows.</p>\n";
            continue;
        }
        out += "<table>\n<tr>";
        for (std::size_t c = 1; c < t.columns.size(); ++c) {  // the record id is above
            if (t.columns[c].key.ends_with("#code")) continue;
            cell(out, "th", t.columns[c].header);
        }
        out += "</tr>\n";
        for (const auto& rw : t.rows) {
            out += "<tr>";
            for (std::size_t c = 1; c < t.columns.size(); ++c) {
                if (t.columns[c].key.ends_with("#code")) continue;
                cell(out, "td", rw[c]);
            }
            out += "</tr>\n";
        }
        out += "</table>\n";
    }

    if (!r.sealed.empty()) {
        out += "<h2>Sealed answers</h2>\n<table>\n";
        for (const auto& s : r.sealed) {
            std::string text = sealed_meaning(s.status);
            if (!s.problem.empty()) text += " (" + s.problem + ")";
            row(out, s.path, text, sealed_class(s.status));
        }
        out += "</table>\n";
    }

    out += "<h2>Signed documents</h2>\n";
    for (const auto& d : r.documents) {
        out += "<div class=\"record\">\n<table>\n";
        row(out, "Document",
            d.withdrawal ? "withdrawal of consent (after version " + std::to_string(d.version) + ")"
                         : "version " + std::to_string(d.version));
        row(out, "File", d.file, "mono");
        row(out, "Signed at (device clock, UTC)", d.sealed_at);
        row(out, "Log entry", std::to_string(d.sequence));
        row(out, "SHA-256", d.sha256_hex, "mono");
        if (!d.previous_hex.empty()) row(out, "Previous version SHA-256", d.previous_hex, "mono");
        out += "</table>\n<p>Signature (the .minisig file):</p>\n<pre>";
        html::append_escaped(out, d.minisig);
        out += "</pre>\n</div>\n";
    }

    out += "<h2>How to verify this independently</h2>\n<p>";
    if (r.received) {
        out +=
            "Unpack the bundle this record came in with stock tools as docs/VERIFYING.md "
            "steps 1 and 2 say (<span class=\"mono\">minisign -HVm \"$ID.age\" -x "
            "\"$ID.age.minisig\" -P KEY</span>, <span class=\"mono\">age -d -i key.txt -o "
            "\"$ID.tar\" \"$ID.age\"</span>, <span class=\"mono\">mkdir \"$ID\" &amp;&amp; tar "
            "-xf \"$ID.tar\" -C \"$ID\"</span>), then in the folder <span "
            "class=\"mono\">$ID</span>";
    } else {
        out += "On the device, <span class=\"mono\">svidok-cli record export ";
        html::append_escaped(out, r.record_id);
        out += " --out DIR</span> writes the signed documents; then in DIR";
    }
    out +=
        " run each command below (minisign 0.11, GNU coreutils, Python 3). Each must exit "
        "with status 0 and print exactly the line shown. The key must be the one the "
        "device's owner read out to you, not one taken from this page alone.</p>\n";
    for (const auto& s : verification_steps(r)) {
        out += "<p>";
        html::append_escaped(out, s.what);
        out += ":</p>\n<pre>$ ";
        html::append_escaped(out, s.command);
        out += '\n';
        html::append_escaped(out, s.expect);
        out += "</pre>\n";
    }
    out +=
        "<p class=\"meaning\">A matching SHA-256 and signature prove that the document is "
        "the one the device signed, byte for byte. This page is a rendering of it: the "
        "signed JSON file is the evidence.</p>\n";
    html::end_document(out);
    return out;
}

}  // namespace svidok::forms
