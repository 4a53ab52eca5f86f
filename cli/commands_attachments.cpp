// SPDX-License-Identifier: GPL-3.0-or-later
// attach | attachment list | verify | extract (docs/FORMAT.md section 11).
#include <ostream>

#include "commands.h"
#include "crypto/encoding.h"
#include "store/attachments.h"

namespace svidok::cli {
namespace {

namespace json = forms::json;

/// The path the second positional argument names, or a usage error saying what it is for.
Result<std::string> second_arg(const Context& ctx, const char* what) {
    if (ctx.args.positional.size() < 2) return fail(Errc::usage, std::string("give the ") + what);
    return ctx.args.positional[1];
}

constexpr const char* kLocationWarning =
    "warning: %s carries location data (GPS coordinates): it may show where the photo was "
    "taken, such as the witness's home. The file is kept unaltered, as evidence must be; take "
    "care where it is shown or shared.\n";

json::Value info_json(const store::AttachmentInfo& a) {
    json::Array sealed;
    for (auto v : a.sealed_in) sealed.emplace_back(v);
    return json::Object{{"name", a.name},
                        {"sha256", crypto::to_hex(a.sha256)},
                        {"media_type", a.media_type},
                        {"size", static_cast<std::int64_t>(a.size)},
                        {"location", a.location},
                        {"added_at", a.added_at},
                        {"sealed_in", std::move(sealed)},
                        {"in_draft", a.in_draft}};
}

}  // namespace

std::string human_size(std::uint64_t bytes) {
    static constexpr std::array<const char*, 4> kUnits{"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) return std::to_string(bytes) + " B";
    double v = static_cast<double>(bytes);
    std::size_t u = 0;
    for (v /= 1024; v >= 1024 && u + 1 < kUnits.size(); v /= 1024) ++u;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
    return buf;
}

Result<> cmd_attach(Context& ctx) {
    auto file = second_arg(ctx, "file to attach: attach ID FILE");
    if (!file) return std::unexpected(file.error());
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    store::Attachments attachments(*(*s)->records);
    store::AttachOptions options;
    options.field = ctx.args.value("--field").value_or("");
    options.name = ctx.args.value("--name").value_or("");
    options.delete_original = ctx.args.has("--delete-original");
    auto r = attachments.attach((*s)->record, *file, options);
    if (!r) return std::unexpected(r.error());
    const auto& a = r->info;
    if (r->already_attached) {
        ctx.io.out << "Record " << forms::format_record_id((*s)->record)
                   << " already holds this file as " << a.name << "; nothing new was stored.\n";
    } else {
        ctx.io.out << "Attached " << a.name << " to record "
                   << forms::format_record_id((*s)->record) << "\n  type    " << a.media_type
                   << "\n  size    " << a.size << " bytes (" << human_size(a.size)
                   << ")\n  SHA-256 " << crypto::to_hex(a.sha256) << '\n';
    }
    if (r->name_suggests) {
        ctx.io.err << "note: the name suggests " << *r->name_suggests << " but the content is "
                   << a.media_type << "; the content's type is recorded.\n";
    }
    if (a.location) {
        char buf[512];
        std::snprintf(buf, sizeof buf, kLocationWarning, a.name.c_str());
        ctx.io.err << buf;
    }
    if (options.delete_original) {
        if (r->original_deleted) {
            ctx.io.err << "The original " << *file
                       << " was overwritten and removed after the stored "
                          "copy was verified.\nwarning: on SSDs, flash drives and journaling or "
                          "copy-on-write file systems, overwriting does not guarantee that the old "
                          "contents are gone from the disk.\n";
        } else if (r->already_attached) {
            ctx.io.err << "The original " << *file << " was kept: nothing new was stored.\n";
        } else {
            ctx.io.err << "warning: the file is attached, but the original was not deleted: "
                       << r->original_problem << '\n';
        }
    }
    return {};
}

Result<> cmd_attachment_list(Context& ctx) {
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    store::Attachments attachments(*(*s)->records);
    auto list = attachments.list((*s)->record);
    if (!list) return std::unexpected(list.error());
    if (ctx.args.has("--json")) {
        json::Array out;
        for (const auto& a : *list) out.push_back(info_json(a));
        ctx.io.out << json::pretty(json::Value(std::move(out))) << '\n';
        return {};
    }
    if (list->empty()) {
        ctx.io.out << "No files attached. Add one with `svidok-cli attach ID FILE`.\n";
        return {};
    }
    for (const auto& a : *list) {
        std::string where;
        for (auto v : a.sealed_in)
            where += (where.empty() ? "sealed in v" : ", v") + std::to_string(v);
        if (a.in_draft) where += where.empty() ? "draft" : ", draft";
        if (where.empty()) where = "not referenced";
        ctx.io.out << crypto::to_hex(a.sha256) << "  " << human_size(a.size) << "  " << a.media_type
                   << "  " << a.name << "  (" << where << (a.location ? "; has location data" : "")
                   << ")\n";
    }
    return {};
}

Result<> cmd_attachment_verify(Context& ctx) {
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    store::Attachments attachments(*(*s)->records);
    auto checks = attachments.verify((*s)->record);
    if (!checks) return std::unexpected(checks.error());
    std::size_t bad = 0;
    for (const auto& c : *checks) {
        if (c.problem) {
            ++bad;
            ctx.io.out << "FAILED  " << c.info.name << ": " << c.problem->message << '\n';
        } else {
            ctx.io.out << "ok      " << c.info.name << "  " << crypto::to_hex(c.info.sha256)
                       << '\n';
        }
    }
    if (bad > 0) {
        return fail(Errc::integrity,
                    std::to_string(bad) + " of " + std::to_string(checks->size()) +
                        " attached files failed verification",
                    "the stored copy was damaged or altered; the SHA-256 in the signed record "
                    "still identifies the original, so restore the vault from a backup");
    }
    ctx.io.out << checks->size() << (checks->size() == 1 ? " file" : " files")
               << " verified: each decrypts and matches the SHA-256 recorded at intake.\n";
    return {};
}

Result<> cmd_attachment_extract(Context& ctx) {
    auto name = second_arg(ctx, "file's name: attachment extract ID NAME --out PATH");
    if (!name) return std::unexpected(name.error());
    auto out = ctx.args.value("--out");
    if (!out) return fail(Errc::usage, "give the output file with --out PATH");
    auto s = ctx.open_record();
    if (!s) return std::unexpected(s.error());
    store::Attachments attachments(*(*s)->records);
    auto info = attachments.find((*s)->record, *name);
    if (!info) return std::unexpected(info.error());
    if (auto r = attachments.extract((*s)->record, info->sha256, *out); !r) return r;
    ctx.io.out << "Wrote " << *out << " (" << info->size << " bytes, SHA-256 "
               << crypto::to_hex(info->sha256) << ", verified)\n";
    ctx.io.err << "warning: " << *out
               << " is plaintext on disk, outside the vault. Delete it when "
                  "done, and keep it only on an encrypted disk.\n";
    if (info->location) {
        char buf[512];
        std::snprintf(buf, sizeof buf, kLocationWarning, info->name.c_str());
        ctx.io.err << buf;
    }
    return {};
}

}  // namespace svidok::cli
