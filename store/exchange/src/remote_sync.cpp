// SPDX-License-Identifier: GPL-3.0-or-later
// Remotes in the vault and one sync step through a mailbox (docs/FORMAT.md 14.3).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "bundle_internal.h"
#include "sealed_file.h"
#include "store/clock.h"
#include "store/remotes.h"
#include "store/vault.h"
#include "transport/ssh_key.h"
#include "vault_layer.h"

namespace svidok::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kOriginPrefix = "svidok.device/";
/// The largest bundle the legal side fetches: a bound for an untrusted part list.
constexpr std::uint64_t kMaxBundleBytes = 64ull << 30;
/// A bundle's .minisig (12.7's limit).
constexpr std::uint64_t kMaxSignatureBytes = 16ull << 10;
/// A receipt is small (padded to 1 MiB, section 12.6).
constexpr std::uint64_t kMaxReceiptBytes = 16ull << 20;

std::string device_of(std::string_view origin) {
    return std::string(origin.substr(std::min(origin.size(), kOriginPrefix.size())));
}

bool is_device(std::string_view name) {
    return name.size() == 16 && std::ranges::all_of(name, [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

/// "<32 hex>.age"
std::optional<forms::BundleId> bundle_file_id(std::string_view name) {
    if (!name.ends_with(forms::kBundleSuffix)) return std::nullopt;
    auto id = forms::parse_bundle_id(name.substr(0, name.size() - forms::kBundleSuffix.size()));
    if (!id) return std::nullopt;
    return *id;
}

/// Creates a spool folder; in a dry run only names it.
Result<fs::path> ensure_dir(const fs::path& dir, bool dry = false) {
    if (dry) return dir;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return fail(Errc::io, "sync.spool", {{"path", dir.string()}},
                    "cannot create " + dir.string() + ": " + ec.message(),
                    "check the vault folder's space and permissions");
    }
    fs::permissions(dir, fs::perms::owner_all, ec);
    return dir;
}

bool present(const fs::path& p) {
    std::error_code ec;
    return fs::exists(p, ec);
}

std::unexpected<Error> not_found(std::string_view name) {
    return fail(Errc::not_found, "remote.not_found", {{"name", std::string(name)}},
                "there is no remote named " + std::string(name),
                "`svidok-cli remote list` shows the remotes");
}

Result<Remote> read_remote(const Stmt& st) {
    Remote r;
    r.name = st.column_text(0);
    r.url = st.column_text(1);
    r.proxy = st.column_text(2);
    r.pin = st.column_text(3);
    r.added_at = st.column_text(4);
    auto scheme = transport::parse_scheme(r.url);
    if (!scheme) return std::unexpected(scheme.error());
    r.scheme = *scheme;
    return r;
}

constexpr const char* kRemoteColumns = "SELECT name, url, proxy, pin, added_at FROM remotes";

/// Both files of a bundle ("<id>.age.minisig", then "<id>.age") published in `listing`.
struct BundleOnServer {
    forms::BundleId id;
    transport::Published signature;
    transport::Published file;
};
std::vector<BundleOnServer> bundles_in(const std::vector<std::string>& listing) {
    const auto pub = transport::published(listing);
    std::vector<BundleOnServer> out;
    for (const auto& p : pub) {
        auto id = bundle_file_id(p.name);
        if (!id) continue;
        const std::string sig = p.name + std::string(forms::kSignatureSuffix);
        auto s = std::ranges::find(pub, sig, &transport::Published::name);
        if (s == pub.end()) continue;
        out.push_back({*id, *s, p});
    }
    return out;
}

}  // namespace

Result<Remote> Remotes::add(std::string_view name, std::string_view url, std::string_view proxy,
                            std::string_view pin, const crypto::SecureBuffer* password) {
    if (!detail::valid_local_name(name)) {
        return fail(Errc::usage, "remote.bad_name", {{"name", std::string(name)}},
                    "a remote's name is 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
    }
    auto scheme = transport::parse_scheme(url);
    if (!scheme) return std::unexpected(scheme.error());
    if (!proxy.empty() && !proxy.starts_with("socks5h://")) {
        return fail(Errc::usage, "transport.bad_proxy", {{"proxy", std::string(proxy)}},
                    "the proxy must be socks5h://HOST:PORT (names resolved by the proxy)",
                    "for Tor: --proxy socks5h://127.0.0.1:9050");
    }
    const bool ssh = *scheme == transport::Scheme::sftp;
    if (!pin.starts_with(ssh ? "SHA256:" : "sha256//")) {
        return fail(Errc::usage, "remote.bad_pin", {{"pin", std::string(pin)}},
                    std::string("the server's key must be given as ") +
                        (ssh ? "SHA256:<Base64> (ssh-keygen -l)" : "sha256//<Base64>"));
    }
    crypto::SecureBuffer secret;
    if (ssh) {
        secret = transport::new_ssh_seed();
    } else if (password == nullptr || password->empty()) {
        return fail(Errc::usage, "remote.no_password", {{"name", std::string(name)}},
                    "a WebDAV remote needs the account's password");
    } else {
        secret = crypto::SecureBuffer::copy_of(password->span());
    }
    Db& db = detail::database(records_->vault());
    if (get(name)) {
        return fail(Errc::exists, "remote.exists", {{"name", std::string(name)}},
                    "there is already a remote named " + std::string(name),
                    "remove it first, or choose another name");
    }
    const std::string now = utc_now();
    if (auto r = detail::exec_bound(
            db,
            "INSERT INTO remotes (name, url, proxy, pin, secret, added_at) VALUES (?,?,?,?,?,?)",
            [&](Stmt& st) {
                st.bind(1, name).bind(2, url).bind(3, proxy).bind(4, pin);
                st.bind_blob(5, secret.span()).bind(6, now);
            });
        !r)
        return std::unexpected(r.error());
    return Remote{
        std::string(name), std::string(url), std::string(proxy), std::string(pin), now, *scheme};
}

Result<std::vector<Remote>> Remotes::list() {
    auto st =
        detail::database(records_->vault()).prepare(std::string(kRemoteColumns) + " ORDER BY name");
    if (!st) return std::unexpected(st.error());
    return collect_rows<Remote>(*st, read_remote);
}

Result<Remote> Remotes::get(std::string_view name) {
    auto st = detail::database(records_->vault())
                  .prepare(std::string(kRemoteColumns) + " WHERE name = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, name);
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return not_found(name);
    return read_remote(*st);
}

Result<> Remotes::remove(std::string_view name) {
    if (auto r = get(name); !r) return std::unexpected(r.error());
    return detail::exec_bound(detail::database(records_->vault()),
                              "DELETE FROM remotes WHERE name = ?",
                              [&](Stmt& st) { st.bind(1, name); });
}

namespace {

Result<crypto::SecureBuffer> remote_secret(Db& db, std::string_view name) {
    auto st = db.prepare("SELECT secret FROM remotes WHERE name = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, name);
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return not_found(name);
    return st->column_secret(0);
}

}  // namespace

Result<std::string> Remotes::ssh_public_key(std::string_view name) {
    auto remote = get(name);
    if (!remote) return std::unexpected(remote.error());
    if (remote->scheme != transport::Scheme::sftp) {
        return fail(Errc::usage, "remote.not_ssh", {{"name", std::string(name)}},
                    "the remote " + std::string(name) + " is a WebDAV server: it has no SSH key");
    }
    auto seed = remote_secret(detail::database(records_->vault()), name);
    if (!seed) return std::unexpected(seed.error());
    return transport::ssh_public_key_line(*seed, "svidok-" + std::string(name));
}

Result<MailboxSyncResult> Remotes::sync(std::string_view name, const MailboxSyncOptions& options,
                                        const transport::Timeouts& timeouts) {
    auto remote = get(name);
    if (!remote) return std::unexpected(remote.error());
    auto secret = remote_secret(detail::database(records_->vault()), name);
    if (!secret) return std::unexpected(secret.error());
    auto box = transport::open_server({remote->url, remote->proxy, remote->pin, timeouts}, *secret);
    if (!box) return std::unexpected(box.error());
    return sync_mailbox(**box, records_->vault().dir() / "spool" / remote->name, options);
}

Result<MailboxSyncResult> Remotes::sync_folder(const fs::path& folder,
                                               const MailboxSyncOptions& options) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        return fail(Errc::not_found, "sync.no_folder", {{"folder", folder.string()}},
                    "there is no folder " + folder.string(),
                    "plug in the stick or create the shared folder first");
    }
    auto box = transport::open_folder(folder);
    return sync_mailbox(*box, records_->vault().dir() / "spool" / "folder", options);
}

Result<MailboxSyncResult> Remotes::sync_mailbox(transport::Mailbox& box, const fs::path& spool,
                                                const MailboxSyncOptions& options) {
    Db& db = detail::database(records_->vault());
    Bundles bundles(*records_);
    auto self = records_->vault().identity();
    if (!self) return std::unexpected(self.error());
    const std::string own = device_of(self->log_origin());
    const crypto::X25519Recipient own_age{self->x25519_pk()};
    box.set_progress(options.transfer_progress);
    MailboxSyncResult result;
    const bool dry = options.dry_run;
    // The server (its pinned key) and the account are checked before anything changes in the
    // vault: a refused server leaves it byte for byte as it was.
    if (auto root = box.list(""); !root) return std::unexpected(root.error());
    const std::string outbox = "outbox/" + own, receipts = "receipts/" + own,
                      archive = "archive/" + own;
    auto out_dir = ensure_dir(spool / "out", options.dry_run);
    if (!out_dir) return std::unexpected(out_dir.error());

    // --- field side: export what is undelivered, publish every bundle in the spool ---
    if (!dry) {
        auto made = detail::export_pending(bundles, options.to, *out_dir, options.progress);
        if (!made) return std::unexpected(made.error());
        result.exported = *made;
    }
    std::vector<fs::path> pending;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(*out_dir, ec)) {
        const std::string n = e.path().filename().string();
        if (bundle_file_id(n) &&
            present(e.path().string() + std::string(forms::kSignatureSuffix))) {
            pending.push_back(e.path());
        }
    }
    std::ranges::sort(pending);
    if (!pending.empty()) {
        if (dry) {
            for (const auto& p : pending) result.planned.push_back("send " + p.filename().string());
        } else {
            if (auto r = box.make_dirs(outbox); !r) return std::unexpected(r.error());
            auto listing = box.list(outbox);
            if (!listing) return std::unexpected(listing.error());
            for (const auto& p : pending) {
                const fs::path sig = p.string() + std::string(forms::kSignatureSuffix);
                // The signature first: a published .age always has its .minisig (12.1).
                for (const auto& f : {sig, p}) {
                    auto sent = transport::send_file(box, f, outbox, f.filename().string(),
                                                     *listing, options.part_bytes);
                    if (!sent) return std::unexpected(sent.error());
                }
                ::unlink(p.c_str());
                ::unlink(sig.c_str());
                result.published.push_back(p.filename().string());
            }
        }
    }

    // --- field side: the receipts this vault waits for ---
    auto awaited = detail::awaited_receipts(db);
    if (!awaited) return std::unexpected(awaited.error());
    if (!awaited->empty()) {
        std::set<std::string> wanted;
        for (const auto& a : *awaited) wanted.insert(a.file_name());
        auto listing = box.list(receipts);
        if (!listing) return std::unexpected(listing.error());
        auto in_dir = ensure_dir(spool / "in" / own, dry);
        if (!in_dir) return std::unexpected(in_dir.error());
        for (const auto& p : transport::published(*listing)) {
            if (!wanted.contains(p.name)) continue;
            if (dry) {
                result.planned.push_back("fetch receipt " + p.name);
                continue;
            }
            auto got = transport::fetch_file(box, receipts, p, *in_dir, kMaxReceiptBytes);
            if (!got && got.error().code != Errc::io && got.error().code != Errc::usage) {
                result.problems.push_back(p.name + ": " + got.error().message);
                continue;  // damaged or oversized on the server: left there
            }
            if (!got) return std::unexpected(got.error());
            auto imported = bundles.import_receipt(got->file);
            if (!imported) {
                result.problems.push_back(p.name + ": " + imported.error().message);
                continue;  // kept in the spool and on the server for a person to look at
            }
            result.receipts.push_back(*imported);
            ::unlink(got->file.c_str());
            if (auto r = box.make_dirs(archive); !r) return std::unexpected(r.error());
            if (auto r = transport::move_published(box, receipts, p, archive, *listing); !r) {
                return std::unexpected(r.error());
            }
            ++result.archived;
        }
    }

    // --- legal side: bundles from every other device ---
    auto devices = box.list("outbox");
    if (!devices) return std::unexpected(devices.error());
    for (const auto& dev : *devices) {
        if (!is_device(dev) || dev == own) continue;
        const std::string dev_outbox = "outbox/" + dev, dev_receipts = "receipts/" + dev,
                          dev_archive = "archive/" + dev;
        auto listing = box.list(dev_outbox);
        if (!listing) return std::unexpected(listing.error());
        const auto found = bundles_in(*listing);
        if (found.empty()) continue;
        auto rlisting = box.list(dev_receipts);
        if (!rlisting) return std::unexpected(rlisting.error());
        const auto rpub = transport::published(*rlisting);
        auto in_dir = ensure_dir(spool / "in" / dev, dry);
        if (!in_dir) return std::unexpected(in_dir.error());
        auto receipt_dir = ensure_dir(spool / "receipts" / dev, dry);
        if (!receipt_dir) return std::unexpected(receipt_dir.error());
        bool dirs_made = false;
        for (const auto& b : found) {
            const std::string receipt_name = forms::receipt_file_name(b.id, own_age);
            const fs::path local_receipt = *receipt_dir / receipt_name;
            const fs::path not_ours = *in_dir / (b.file.name + ".not-addressed");
            if (present(not_ours)) continue;
            const bool receipt_on_server =
                std::ranges::find(rpub, receipt_name, &transport::Published::name) != rpub.end();
            if (dry) {
                if (!receipt_on_server && !present(local_receipt)) {
                    result.planned.push_back("fetch bundle " + dev + "/" + b.file.name);
                }
                continue;
            }
            if (!dirs_made) {
                if (auto r = box.make_dirs(dev_receipts); !r) return std::unexpected(r.error());
                if (auto r = box.make_dirs(dev_archive); !r) return std::unexpected(r.error());
                dirs_made = true;
            }
            if (!receipt_on_server && !present(local_receipt)) {
                // Fetch (resuming what an earlier run kept) and import.
                // A network failure ends the run; a file the server holds damaged or oversized
                // is that bundle's problem, reported and left.
                const auto bad = [&](const Error& e) {
                    if (e.code == Errc::io || e.code == Errc::usage) return false;
                    result.problems.push_back(dev + "/" + b.file.name + ": " + e.message);
                    return true;
                };
                auto sig = transport::fetch_file(box, dev_outbox, b.signature, *in_dir,
                                                 kMaxSignatureBytes);
                if (!sig && bad(sig.error())) continue;
                if (!sig) return std::unexpected(sig.error());
                auto file =
                    transport::fetch_file(box, dev_outbox, b.file, *in_dir, kMaxBundleBytes);
                if (!file && bad(file.error())) continue;
                if (!file) return std::unexpected(file.error());
                Bundles::ImportOptions im;
                im.trust_fingerprint = options.trust_fingerprint;
                im.receipt_dir = *receipt_dir;
                im.progress = options.progress;
                auto got = bundles.import_bundle(file->file, im);
                if (!got && got.error().message == detail::kNotAddressedMessage) {
                    // For another recipient: remember, so it is not fetched again.
                    std::ofstream(not_ours).flush();
                    ::unlink(file->file.c_str());
                    ::unlink(sig->file.c_str());
                    continue;
                }
                if (!got) {
                    // Kept in the spool (not fetched again) and on the server, for a person.
                    result.problems.push_back(dev + "/" + b.file.name + ": " + got.error().message);
                    continue;
                }
                if (got->already_imported || got->receipt.empty()) {
                    result.problems.push_back(
                        dev + "/" + b.file.name +
                        ": imported before, but its receipt is not in "
                        "the spool; the bundle stays on the server" +
                        (got->receipt_problem.empty() ? "" : ": " + got->receipt_problem));
                    ::unlink(file->file.c_str());
                    ::unlink(sig->file.c_str());
                    continue;
                }
                result.imported.push_back(*got);
                ::unlink(file->file.c_str());
                ::unlink(sig->file.c_str());
            }
            // The receipt is published before the bundle leaves the outbox.
            if (!receipt_on_server) {
                auto sent = transport::send_file(box, local_receipt, dev_receipts, receipt_name,
                                                 *rlisting, options.part_bytes);
                if (!sent) return std::unexpected(sent.error());
                ::unlink(local_receipt.c_str());
                ++result.receipts_published;
            }
            for (const auto& f : {b.file, b.signature}) {
                if (auto r = transport::move_published(box, dev_outbox, f, dev_archive, *listing);
                    !r) {
                    return std::unexpected(r.error());
                }
            }
            ++result.archived;
        }
    }
    result.transfer = box.stats();
    return result;
}

}  // namespace svidok::store
