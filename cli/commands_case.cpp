// SPDX-License-Identifier: GPL-3.0-or-later
// Moving testimonies into a legal team's work (docs/FORMAT.md 18): the case export and the
// court printout. Both write plaintext: the export asks for --i-understand-plaintext first.
#include "commands.h"
#include "crypto/encoding.h"
#include "store/atomic_file.h"
#include "store/case_export.h"

namespace svidok::cli {
namespace {

constexpr std::string_view kPlaintextWarning =
    "The case export is NOT encrypted. It writes the testimonies, the witnesses' sealed\n"
    "answers this vault can open (real names, contacts, addresses) and the attached files in\n"
    "plaintext into the folder you name. Anyone who can read that folder, or the disk it is\n"
    "on, can read them. Write it only to an encrypted disk of a machine you control, and\n"
    "delete it when the case system has imported it.\n";

Result<forms::Language> language_option(const Context& ctx, forms::Language fallback) {
    auto code = ctx.args.value("--lang");
    if (!code) return fallback;
    auto lang = forms::language_from_code(*code);
    if (!lang) return fail(Errc::usage, "unknown language " + *code, "use uk, ru or en");
    return *lang;
}

}  // namespace

Result<> cmd_export_case(Context& ctx) {
    auto out = ctx.args.value("--out");
    if (!out) return fail(Errc::usage, "give a new folder for the export with --out DIR");
    store::CaseExportOptions o;
    o.out = *out;
    const std::string format = ctx.args.value("--format").value_or("csv");
    if (format == "csv") {
        o.format = store::CaseFormat::csv;
    } else if (format == "json") {
        o.format = store::CaseFormat::json;
    } else {
        return fail(Errc::usage, "unknown format " + format, "use --format csv or --format json");
    }
    auto lang = language_option(ctx, forms::Language::uk);
    if (!lang) return std::unexpected(lang.error());
    o.lang = *lang;
    o.bom = ctx.args.has("--bom");
    if (auto f = ctx.args.value("--form")) o.form = *f;
    if (!ctx.args.has("--i-understand-plaintext")) {
        ctx.io.err << kPlaintextWarning;
        return fail(Errc::usage, "nothing was written",
                    "add --i-understand-plaintext to write the plaintext export");
    }
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    store::CaseExport ce(*(*s)->records);
    auto r = ce.write(o);
    if (!r) return std::unexpected(r.error());
    auto& os = ctx.io.out;
    os << "Wrote a PLAINTEXT case export to " << o.out.string() << "\n  records     " << r->records
       << "\n  left out    " << r->withdrawn_left_out << " (consent withdrawn)\n  files       "
       << r->attachments << " (" << human_size(r->attachment_bytes) << ")\n";
    for (const auto& f : r->files) os << "  table       " << f.string() << '\n';
    if (r->sealed_cells > 0) {
        os << "  sealed      " << r->sealed_cells << " answers this vault cannot open\n";
    }
    if (r->failed_verification > 0) {
        os << "  FAILED      " << r->failed_verification
           << " records did not verify: see their verification column\n";
        return fail(Errc::integrity, "some records did not verify; the export was written");
    }
    return {};
}

Result<> cmd_record_print(Context& ctx) {
    if (ctx.args.positional.empty()) return fail(Errc::usage, "which record? give its id");
    auto out = ctx.args.value("--out");
    if (!out) return fail(Errc::usage, "give the page to write with --out FILE.html");
    auto lang = language_option(ctx, forms::Language::uk);
    if (!lang) return std::unexpected(lang.error());
    const std::filesystem::path path(*out);
    // Checked before the vault is opened (a second of Argon2id) as well as when writing.
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
        return fail(Errc::exists, path.string() + " already exists",
                    "Svidok never overwrites a file; choose another name");
    }
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    store::CaseExport ce(*(*s)->records);
    auto rec = ce.find(ctx.args.positional.front());
    if (!rec) return std::unexpected(rec.error());
    auto page = ce.printout(*rec, *lang);
    if (!page) return std::unexpected(page.error());
    if (auto w = store::write_new_file(path, crypto::as_bytes(*page)); !w) return w;
    ctx.io.out << "Wrote " << path.string() << " (plaintext: the record's answers"
               << (rec->opened.units.empty() ? "" : ", sealed answers opened where possible")
               << ")\n";
    return {};
}

}  // namespace svidok::cli
