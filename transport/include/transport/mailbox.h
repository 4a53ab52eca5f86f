// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A mailbox (docs/FORMAT.md 14.3): a directory tree on an SFTP server, a WebDAV collection or a
// local folder, through which opaque files move. This layer knows nothing of bundles or
// records: it lists, uploads, renames and downloads files by '/'-separated relative paths whose
// segments are 1-128 bytes of [A-Za-z0-9._-] (anything else is refused before it reaches a
// server or the file system).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "crypto/secure_buffer.h"

namespace svidok::transport {

/// Bytes moved through one mailbox, for progress and for the tests' resume measurements.
struct TransferStats {
    std::uint64_t bytes_up = 0;    // file bytes sent in completed and cut uploads
    std::uint64_t bytes_down = 0;  // file bytes received
    std::uint64_t files_up = 0;    // uploads completed
    std::uint64_t files_down = 0;  // downloads completed
};

/// Called as bytes move; returning false cancels the transfer (Errc::usage "cancelled").
using TransferProgressFn = std::function<bool(const TransferStats&)>;

class Mailbox {
public:
    virtual ~Mailbox() = default;
    /// The names in `dir` ("" is the root), sorted, without "." and "..". A directory that does
    /// not exist lists as empty.
    [[nodiscard]] virtual Result<std::vector<std::string>> list(std::string_view dir) = 0;
    /// Creates `dir` and every missing parent; one that exists is fine.
    [[nodiscard]] virtual Result<> make_dirs(std::string_view dir) = 0;
    /// Uploads `length` bytes of `local` from `offset` to `path`, replacing what is there.
    [[nodiscard]] virtual Result<> put(std::string_view path, const std::filesystem::path& local,
                                       std::uint64_t offset, std::uint64_t length) = 0;
    /// Renames `from` to `to` (which must not exist: servers differ on replacing).
    [[nodiscard]] virtual Result<> rename(std::string_view from, std::string_view to) = 0;
    /// Appends the bytes of `path` from `offset` on to the file `local` (created 0600 when
    /// missing): with `offset` = the size `local` has, a cut download resumes. A server that
    /// sends more than `limit` bytes in all is cut off: Errc::invalid "transport.too_large".
    [[nodiscard]] virtual Result<> get(std::string_view path, const std::filesystem::path& local,
                                       std::uint64_t offset, std::uint64_t limit) = 0;

    [[nodiscard]] const TransferStats& stats() const noexcept { return stats_; }
    void set_progress(TransferProgressFn fn) { progress_ = std::move(fn); }

protected:
    TransferStats stats_;
    TransferProgressFn progress_;
};

/// Checks a relative mailbox path (see above). Errc::invalid "transport.bad_name".
[[nodiscard]] Result<> check_path(std::string_view path);

/// A local folder (a USB stick, a synced folder) as a mailbox. Renames are rename(2) and every
/// file is fsynced before it is renamed.
[[nodiscard]] std::unique_ptr<Mailbox> open_folder(const std::filesystem::path& root);

/// How long a network operation may stall.
struct Timeouts {
    std::chrono::seconds connect{30};
    /// A transfer slower than 1 byte/s for this long is cut ("transport.timeout").
    std::chrono::seconds stall{60};
};

/// A server: sftp://USER@HOST[:PORT]/ABSOLUTE/PATH or https://[USER@]HOST[:PORT]/PATH.
struct Server {
    std::string url;
    /// "" or socks5h://HOST:PORT (names are resolved by the proxy: no DNS query leaves the
    /// machine).
    std::string proxy;
    /// The pinned key (docs/FORMAT.md 14.3): "SHA256:<Base64>" (SSH host key) or
    /// "sha256//<Base64>" (TLS public key). Required: no connection is made without one.
    std::string pin;
    Timeouts timeouts;
};

/// What the URL names.
enum class Scheme { sftp, webdav };
/// Errc::usage "transport.bad_url" for anything but the two forms above (no query, fragment,
/// password in the URL, or path characters outside [A-Za-z0-9._/-]).
[[nodiscard]] Result<Scheme> parse_scheme(std::string_view url);

/// Connects to `server` with `secret`: for SFTP the 32-byte Ed25519 seed of its SSH key, for
/// WebDAV the password. The secret is copied into locked memory the mailbox owns. Errors (all
/// with kinds "transport.*"): see docs/SERVER.md; nothing is sent before the server's key
/// matched the pin.
[[nodiscard]] Result<std::unique_ptr<Mailbox>> open_server(const Server& server,
                                                           const crypto::SecureBuffer& secret);

/// The server's key, fetched without trusting it, for the person to compare before pinning.
struct ServerKey {
    std::string pin;          // the form Server::pin takes
    std::string description;  // what it is: "SSH host key (ssh-ed25519)", "TLS public key"
};
/// Connects to `url` (through `proxy`) only far enough to see the server's key.
[[nodiscard]] Result<ServerKey> fetch_server_key(std::string_view url, std::string_view proxy,
                                                 const Timeouts& timeouts = {});

}  // namespace svidok::transport
