// SPDX-License-Identifier: GPL-3.0-or-later
// remote add|list|remove|key and sync --remote (docs/FORMAT.md 14.3).
#include <chrono>
#include <ostream>

#include "commands.h"
#include "store/remotes.h"
#include "transport/mailbox.h"

namespace svidok::cli {
namespace {

/// Bytes, files and rate on stderr, one line updated at most twice a second.
transport::TransferProgressFn transfer_progress_to(std::ostream& err) {
    using Clock = std::chrono::steady_clock;
    return [&err, start = Clock::now(),
            last = Clock::time_point{}](const transport::TransferStats& s) mutable {
        const auto now = Clock::now();
        if (now - last < std::chrono::milliseconds(500)) return true;
        last = now;
        const double seconds = std::chrono::duration<double>(now - start).count();
        const auto rate = static_cast<std::uint64_t>(
            static_cast<double>(s.bytes_up + s.bytes_down) / (seconds > 0.001 ? seconds : 0.001));
        err << "\rsync: sent " << human_size(s.bytes_up) << ", received "
            << human_size(s.bytes_down) << ", " << s.files_up + s.files_down << " files, "
            << human_size(rate) << "/s   " << std::flush;
        return true;
    };
}

const char* kind_of(transport::Scheme s) {
    return s == transport::Scheme::sftp ? "SFTP" : "WebDAV";
}

}  // namespace

Result<> cmd_remote_add(Context& ctx) {
    if (ctx.args.positional.size() != 2) {
        return fail(Errc::usage, "give the remote's name and address: remote add NAME URL");
    }
    const std::string& name = ctx.args.positional[0];
    const std::string& url = ctx.args.positional[1];
    const std::string proxy = ctx.args.value("--proxy").value_or("");
    auto scheme = transport::parse_scheme(url);
    if (!scheme) return std::unexpected(scheme.error());
    // The password is asked before connecting, the vault opened last: nothing is stored
    // unless everything was confirmed.
    std::optional<crypto::SecureBuffer> password;
    if (*scheme == transport::Scheme::webdav) {
        auto p = ctx.secret(SecretKind::server_password, "--password-file");
        if (!p) return std::unexpected(p.error());
        password = std::move(*p);
    }
    auto key = transport::fetch_server_key(url, proxy);
    if (!key) return std::unexpected(key.error());
    ctx.io.out << "The server's " << key->description << ":\n  " << key->pin << "\n";
    if (auto given = ctx.args.value("--fingerprint")) {
        if (*given != key->pin) {
            return fail(Errc::integrity, "remote.fingerprint_mismatch",
                        {{"given", *given}, {"server", key->pin}},
                        "the server's key is not the fingerprint given; nothing was stored",
                        "someone may be in between: check the fingerprint with the server's "
                        "admin by phone");
        }
    } else {
        if (!ctx.io.ask) {
            return fail(Errc::usage, "not added: compare the key and confirm with --fingerprint",
                        "give the fingerprint the server's admin told you with --fingerprint");
        }
        auto answer = ctx.io.ask(
            "Is this the key the server's admin gave you? Type yes to keep "
            "it: ");
        if (!answer) return std::unexpected(answer.error());
        if (*answer != "yes") return fail(Errc::usage, "not added: the key was not confirmed");
    }
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    store::Remotes remotes(*(*s)->records);
    auto added = remotes.add(name, url, proxy, key->pin, password ? &*password : nullptr);
    if (!added) return std::unexpected(added.error());
    ctx.io.out << "Added remote " << added->name << " (" << kind_of(added->scheme) << ", "
               << added->url << (proxy.empty() ? "" : " through " + proxy) << ").\n";
    if (added->scheme == transport::Scheme::sftp) {
        auto line = remotes.ssh_public_key(name);
        if (!line) return std::unexpected(line.error());
        ctx.io.out << "Give the server's admin this SSH key for the account:\n" << *line << "\n";
    }
    return {};
}

Result<> cmd_remote_list(Context& ctx) {
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    store::Remotes remotes(*(*s)->records);
    auto all = remotes.list();
    if (!all) return std::unexpected(all.error());
    if (all->empty()) ctx.io.out << "No remotes.\n";
    for (const auto& r : *all) {
        ctx.io.out << r.name << "  " << kind_of(r.scheme) << "  " << r.url
                   << (r.proxy.empty() ? "" : "  via " + r.proxy) << "\n  key " << r.pin
                   << "  added " << r.added_at << "\n";
    }
    return {};
}

Result<> cmd_remote_remove(Context& ctx) {
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    store::Remotes remotes(*(*s)->records);
    if (auto r = remotes.remove(ctx.args.positional.at(0)); !r) return r;
    ctx.io.out << "Removed remote " << ctx.args.positional.at(0) << ".\n";
    return {};
}

Result<> cmd_remote_key(Context& ctx) {
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    store::Remotes remotes(*(*s)->records);
    auto line = remotes.ssh_public_key(ctx.args.positional.at(0));
    if (!line) return std::unexpected(line.error());
    ctx.io.out << *line << "\n";
    return {};
}

Result<> cmd_sync(Context& ctx) {
    const auto remote = ctx.args.value("--remote");
    const auto folder = ctx.args.value("--folder");
    if (remote.has_value() == folder.has_value()) {
        return fail(Errc::usage,
                    "give the shared folder with --folder DIR or a server with "
                    "--remote NAME");
    }
    auto s = ctx.open_records();
    if (!s) return std::unexpected(s.error());
    store::Remotes remotes(*(*s)->records);
    store::MailboxSyncOptions options;
    options.to = ctx.args.values("--to");
    options.trust_fingerprint = ctx.args.value("--trust-fingerprint");
    options.dry_run = ctx.args.has("--dry-run");
    options.progress = progress_to(ctx.io.err, "syncing");
    options.transfer_progress = transfer_progress_to(ctx.io.err);
    const std::string where = remote ? *remote : "the folder";
    auto r = remote ? remotes.sync(*remote, options) : remotes.sync_folder(*folder, options);
    ctx.io.err << "\n";
    if (!r) return std::unexpected(r.error());
    auto& out = ctx.io.out;
    for (const auto& p : r->planned) out << "Would " << p << "\n";
    for (const auto& x : r->exported) {
        out << "Exported bundle " << forms::format_bundle_id(x.bundle) << " (" << x.records
            << " records)\n";
    }
    for (const auto& p : r->published) out << "Sent bundle " << p << " to " << where << "\n";
    for (const auto& x : r->receipts) {
        if (!x.already_imported) {
            out << "Receipt from " << x.recipient << ": " << x.newly_delivered
                << " documents newly delivered\n";
        }
    }
    for (const auto& x : r->imported) print_import(out, x);
    if (r->receipts_published > 0) {
        out << "Sent " << r->receipts_published << " receipts to " << where
            << "; their bundles were archived there.\n";
    }
    for (const auto& p : r->problems) ctx.io.err << "svidok: warning: " << p << "\n";
    const auto& t = r->transfer;
    if (r->planned.empty() && r->published.empty() && r->receipts.empty() && r->imported.empty() &&
        r->receipts_published == 0 && r->problems.empty()) {
        out << (options.dry_run ? "Nothing would move.\n" : "Nothing new.\n");
    }
    if (remote && t.bytes_up + t.bytes_down > 0) {
        out << "Sent " << human_size(t.bytes_up) << ", received " << human_size(t.bytes_down)
            << ".\n";
    }
    if (!r->problems.empty()) {
        return fail(Errc::integrity, "sync.problems",
                    {{"count", std::to_string(r->problems.size())}},
                    std::to_string(r->problems.size()) + " files in " + where +
                        " could not be used (see above); they were left there for a person to "
                        "look at");
    }
    return {};
}

}  // namespace svidok::cli
