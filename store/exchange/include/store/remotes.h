// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Remotes and sync through a mailbox (docs/FORMAT.md 14.3): an SFTP or WebDAV server kept in
// the vault with its pinned key and this vault's credentials for it, and one sync step that
// sends bundles and fetches receipts (field side) or fetches, imports and acknowledges bundles
// (legal side) through any mailbox. A thin caller of Bundles' export, import and receipts.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "crypto/secure_buffer.h"
#include "store/bundles.h"
#include "store/records.h"
#include "transport/mailbox.h"
#include "transport/parts.h"

namespace svidok::store {

/// A server as the vault keeps it; the secret never leaves the vault except into the transport.
struct Remote {
    std::string name;
    std::string url;
    std::string proxy;  // "" or socks5h://HOST:PORT
    std::string pin;    // docs/FORMAT.md 14.3
    std::string added_at;
    transport::Scheme scheme{};
};

struct MailboxSyncOptions {
    std::vector<std::string> to;                   // field side: recipients; empty: every recipient
    std::optional<std::string> trust_fingerprint;  // legal side: a sender not pinned yet
    bool dry_run = false;  // list only: report what would move, send and change nothing
    std::uint64_t part_bytes = transport::kPartBytes;
    BundleProgressFn progress;                        // export and import
    transport::TransferProgressFn transfer_progress;  // bytes on the wire
};

struct MailboxSyncResult {
    std::vector<Bundles::ExportResult> exported;   // field: the bundles made by this run
    std::vector<std::string> published;            // field: bundle files sent ("<id>.age")
    std::vector<Bundles::ReceiptResult> receipts;  // field: receipts imported
    std::vector<Bundles::ImportResult> imported;   // legal: bundles imported
    std::uint64_t receipts_published = 0;          // legal
    std::uint64_t archived = 0;         // bundles (legal) and receipts (field) moved to archive/
    std::vector<std::string> planned;   // dry run: what would move
    std::vector<std::string> problems;  // files that failed, with why; the others went on
    transport::TransferStats transfer;
};

class Remotes {
public:
    /// Holds a reference to `records` (and through it the vault); it must outlive this.
    explicit Remotes(Records& records) noexcept : records_(&records) {}

    /// Keeps a remote with the pin the person compared (transport::fetch_server_key). For an
    /// sftp:// URL a new Ed25519 SSH key is made (its public half: ssh_public_key()); for an
    /// https:// URL `password` is the WebDAV password. Errors: Errc::usage for a malformed
    /// name, URL, proxy or pin, or a missing password ("remote.*" kinds); Errc::exists for a
    /// name already used.
    [[nodiscard]] Result<Remote> add(std::string_view name, std::string_view url,
                                     std::string_view proxy, std::string_view pin,
                                     const crypto::SecureBuffer* password);
    [[nodiscard]] Result<std::vector<Remote>> list();
    /// Errc::not_found "remote.not_found".
    [[nodiscard]] Result<Remote> get(std::string_view name);
    /// Forgets the remote and its credentials; its spool stays until emptied by hand.
    [[nodiscard]] Result<> remove(std::string_view name);
    /// The OpenSSH public key line for the server's admin. Errc::usage for a WebDAV remote.
    [[nodiscard]] Result<std::string> ssh_public_key(std::string_view name);

    /// One sync with the named remote, its spool in <vault>/spool/<name>/. Network failures
    /// return the transport's error ("transport.*" kinds) and leave what was sent in place.
    [[nodiscard]] Result<MailboxSyncResult> sync(std::string_view name,
                                                 const MailboxSyncOptions& options,
                                                 const transport::Timeouts& timeouts = {});
    /// The same through a shared folder (a USB stick, a Syncthing or Nextcloud folder), with
    /// the same layout; its spool is <vault>/spool/folder/. Errc::not_found "sync.no_folder".
    [[nodiscard]] Result<MailboxSyncResult> sync_folder(const std::filesystem::path& folder,
                                                        const MailboxSyncOptions& options);
    /// The same through any mailbox (a folder, or a server opened by the caller).
    [[nodiscard]] Result<MailboxSyncResult> sync_mailbox(transport::Mailbox& mailbox,
                                                         const std::filesystem::path& spool,
                                                         const MailboxSyncOptions& options);

private:
    Records* records_;
};

}  // namespace svidok::store
