// SPDX-License-Identifier: GPL-3.0-or-later
// `verify BUNDLE`: the verification report of a bundle (docs/FORMAT.md 17, docs/VERIFYING.md).
#include <filesystem>
#include <system_error>

#include "commands.h"
#include "crypto/encoding.h"
#include "store/atomic_file.h"
#include "store/bundles.h"
#include "store/verification_report.h"

namespace svidok::cli {

Result<> cmd_verify(Context& ctx) {
    if (ctx.args.positional.empty()) {
        return fail(Errc::usage, "which bundle? give the .age file: verify BUNDLE",
                    "the bundle's .age.minisig file must lie beside it");
    }
    const auto format = ctx.args.value("--report");
    const auto out = ctx.args.value("--out");
    if (format && *format != "html" && *format != "json") {
        return fail(Errc::usage, "--report takes html or json, not \"" + *format + "\"");
    }
    if (format.has_value() != out.has_value()) {
        return fail(Errc::usage, "--report and --out go together: --report html|json --out FILE");
    }
    std::error_code ec;
    if (out &&
        std::filesystem::symlink_status(*out, ec).type() != std::filesystem::file_type::not_found) {
        return fail(Errc::exists, *out + " exists; the report is never written over a file",
                    "give another --out name");
    }
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    store::Bundles bundles(*(*s)->records);
    store::Bundles::VerifyOptions options;
    options.trust_fingerprint = ctx.args.value("--trust-fingerprint");
    options.unknown_sender = ctx.args.has("--unknown-sender");
    if (options.trust_fingerprint && options.unknown_sender) {
        return fail(Errc::usage, "choose one of --trust-fingerprint and --unknown-sender");
    }
    auto report = bundles.verify_bundle(ctx.args.positional.at(0), options);
    if (!report) return std::unexpected(report.error());
    if (out) {
        std::string text;
        if (*format == "json") {
            auto j = store::report_json(*report);
            if (!j) return std::unexpected(j.error());
            text = std::move(*j);
        } else {
            text = store::report_html(*report);
        }
        // Checked above too, before a second of Argon2id; a file appearing since is kept.
        if (auto w = store::write_new_file(*out, crypto::as_bytes(text)); !w) return w;
        ctx.io.out << "Wrote the " << *format << " report to " << *out << "\n";
    }
    ctx.io.out << store::report_text(*report);
    if (report->all_verified()) return {};
    return fail(Errc::integrity,
                "the bundle did not verify: " + std::to_string(report->failed_count()) +
                    " records failed, " + std::to_string(report->missing.size()) + " missing" +
                    (report->bundle_failed ? ", the bundle as a whole failed" : ""),
                "do not rely on the failed records; the report says what each failure means");
}

}  // namespace svidok::cli
