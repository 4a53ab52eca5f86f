// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/wipe.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "fault_injection.h"
#include "file_io.h"
#include "store/atomic_file.h"
#include "store/guard.h"
#include "store/vault_paths.h"
#include "vault_internal.h"
#include "vault_layer.h"

namespace svidok::store {
namespace fs = std::filesystem;

namespace {

using clk = std::chrono::steady_clock;

bool present(const fs::path& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0;
}

// Opens without following a symbolic link: the wipe never writes outside the vault.
Result<> overwrite_in_place(const fs::path& p) {
    Fd fd(::open(p.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) {
        return fail(Errc::io,
                    "cannot open " + p.string() + " to overwrite it: " + errno_text(errno));
    }
    if (auto r = detail::overwrite_file(fd.get(), p); !r) return r;
    if (::close(fd.release()) != 0) {
        return fail(Errc::io, "cannot overwrite " + p.string() + ": " + errno_text(errno));
    }
    return {};
}

// Unlinks `p` when it exists; a failure is noted in `problems`.
void remove_noting(const fs::path& p, std::vector<std::string>& problems) {
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) {
        problems.push_back("cannot remove " + p.string() + ": " + errno_text(errno));
    }
}

}  // namespace

// The old key slots must not survive in blocks the file system still owns. (On flash or
// copy-on-write storage the drive or file system may keep old blocks all the same:
// docs/SECURITY.md.)
Result<> detail::overwrite_file(int fd, const fs::path& p) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        return fail(Errc::io, p.string() + " is not a regular file");
    }
    std::array<unsigned char, 4096> noise{};
    for (off_t off = 0; off < st.st_size;) {
        const auto n = static_cast<std::size_t>(
            std::min<off_t>(st.st_size - off, static_cast<off_t>(noise.size())));
        randombytes_buf(noise.data(), n);
        const int injected = fault::injected(fault::Op::write, p.c_str());
        if (injected != 0) errno = injected;
        const ssize_t w = injected != 0 ? -1 : ::pwrite(fd, noise.data(), n, off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0)
            return fail(Errc::io, "cannot overwrite " + p.string() + ": " + errno_text(errno));
        off += w;
    }
    sodium_memzero(noise.data(), noise.size());
    return sync_file(fd, p);
}

Result<> destroy_key_file(const fs::path& dir) {
    const fs::path keys = dir / kVaultKeysName;
    fs::path tmp = keys;
    tmp += ".tmp";
    const bool has_keys = present(keys), has_tmp = present(tmp);
    if (!has_keys && !has_tmp) {
        return fail(Errc::not_found, "there is no vault.keys in " + dir.string());
    }
    // Every file is overwritten and unlinked even when an earlier one fails: the more of the
    // keys is gone, the better; the first failure is what is reported.
    Result<> first{};
    auto note = [&](Result<> r) {
        if (!r && first) first = std::move(r);
    };
    for (const auto& p : {keys, tmp}) {
        if (p == keys ? !has_keys : !has_tmp) continue;
        note(overwrite_in_place(p));
        if (::unlink(p.c_str()) != 0 && errno != ENOENT) {
            note(fail(Errc::io, "cannot remove " + p.string() + ": " + errno_text(errno)));
        }
    }
    note(fsync_directory(dir));
    return first;
}

bool holds_vault(const fs::path& dir) {
    fs::path keys_tmp = dir / kVaultKeysName;
    keys_tmp += ".tmp";
    return present(dir / kVaultKeysName) || present(keys_tmp) || present(dir / kVaultDbName) ||
           present(dir / kVaultAltDbName);
}

Result<WipeReport> wipe_vault(const fs::path& dir) {
    const auto start = clk::now();
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return fail(Errc::not_found, "no vault at " + dir.string(),
                    "check the path given with --vault");
    }
    if (!holds_vault(dir)) {
        return fail(Errc::not_found,
                    dir.string() + " does not hold a Svidok vault; nothing was deleted",
                    "check the path given with --vault");
    }
    fs::path keys_tmp = dir / kVaultKeysName;
    keys_tmp += ".tmp";
    const bool has_keys = present(dir / kVaultKeysName) || present(keys_tmp);

    // Step 1: the keys. Nothing else is touched before it, so the time to unrecoverable does
    // not depend on the size of the vault.
    Result<> keys = has_keys ? destroy_key_file(dir) : Result<>{};
    WipeReport report;
    report.unrecoverable_after = clk::now() - start;

    // Step 2: the ciphertext, down to the directory.
    auto& problems = report.not_removed;
    for (const char* name : {kVaultDbName, "vault.db-journal", kVaultAltDbName,
                             "vault.alt.db-journal", "vault.db.partial", "vault.db.partial-journal",
                             "vault.alt.db.partial", "vault.alt.db.partial-journal"}) {
        remove_noting(dir / name, problems);
    }
    // The files of the layers above: whatever is in the directory goes, unread.
    const fs::path files = detail::files_dir(dir);
    if (present(files)) {
        std::error_code ec;
        fs::directory_iterator it(files, ec);
        if (ec) problems.push_back("cannot list " + files.string() + ": " + ec.message());
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            remove_noting(it->path(), problems);
        }
        if (::rmdir(files.c_str()) != 0 && errno != ENOENT) {
            problems.push_back("cannot remove " + files.string() + ": " + errno_text(errno));
        }
    }
    fs::path guard_tmp = dir / kVaultGuardName;
    guard_tmp += ".tmp";
    for (const auto& p : {dir / kVaultGuardName, guard_tmp, dir / kVaultLockName}) {
        remove_noting(p, problems);
    }
    if (auto r = fsync_directory(dir); !r) problems.push_back(r.error().message);
    if (::rmdir(dir.c_str()) == 0) {
        report.directory_removed = true;
        fs::path clean = dir.lexically_normal();
        if (!clean.has_filename()) clean = clean.parent_path();  // "v/" names "v"
        const fs::path parent = clean.has_parent_path() ? clean.parent_path() : fs::path(".");
        (void)fsync_directory(parent);  // the vault's data is gone either way
    }
    report.total = clk::now() - start;
    if (!keys) {
        return fail(Errc::io,
                    "the key file could not be destroyed (" + keys.error().message +
                        "); the other files were removed, but the key slots may still be "
                        "readable on the disk",
                    "if the laptop may be taken, power it off: full-disk encryption then "
                    "protects what is left");
    }
    return report;
}

}  // namespace svidok::store
