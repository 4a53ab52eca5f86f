// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the store layers (records and exchange): the encrypted blob files of attachments
// and received files in the vault's files directory (detail::files_dir), and how leftovers of a
// crash are removed (docs/FORMAT.md 11.1 and 11.3).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/blob_stream.h"
#include "crypto/error.h"
#include "crypto/hash.h"
#include "crypto/secure_buffer.h"
#include "db.h"
#include "file_io.h"
#include "vault_layer.h"

namespace svidok::store::detail {

inline constexpr std::string_view kPartialSuffix = ".partial";

/// The blob file names the `attachments` and `received_files` rows of `db` name.
[[nodiscard]] Result<std::vector<std::string>> blob_names(Db& db);

/// Removes every `*.partial` file in the files directory and, when `known` is given, every blob
/// file whose name it does not hold. Run at every open, so nothing a crash left survives it. Both
/// databases of a vault share attachments/ (FORMAT.md 16): `known` must hold the names of
/// both, and an open that cannot read both passes nullptr (partial files only).
[[nodiscard]] Result<> remove_orphan_blobs(const std::filesystem::path& vault_dir,
                                           const std::set<std::string>* known);

/// Reads, decrypts and checks one stored blob file (FORMAT.md 11.2) of `size` plaintext bytes
/// that must hash to `sha256`, giving each chunk's plaintext to `sink` (may be empty). `what`
/// names the file in errors ("attachment povistka.jpg").
[[nodiscard]] Result<> read_blob_file(
    const std::filesystem::path& vault_dir, const std::string& what, const std::string& blob_name,
    const crypto::SecureBuffer& key, std::uint64_t size, const crypto::Sha256Digest& sha256,
    const std::function<Result<>(crypto::ByteView)>& sink,
    const std::function<bool(std::uint64_t, std::uint64_t)>& progress);

/// Unlinks blob files whose rows were deleted and committed. Best effort: one that stays is an
/// orphan, removed at the next open.
void remove_blobs(const std::filesystem::path& vault_dir, const std::vector<std::string>& names);

/// Writes one new blob file (FORMAT.md 11.2, 11.3): `attachments/<random id>.partial` under a
/// fresh random key, then publish() syncs it and renames it to its final name. Until keep() is
/// called, the destructor removes whatever file it made, so a failed operation leaves nothing.
class BlobFileWriter {
public:
    /// Creates attachments/ if needed and the partial file.
    [[nodiscard]] static Result<BlobFileWriter> create(const std::filesystem::path& vault_dir);
    /// Encrypts and writes one chunk: exactly crypto::blob::kChunkBytes unless `last`.
    [[nodiscard]] Result<> push(crypto::ByteView chunk, bool last);
    [[nodiscard]] bool finished() const noexcept { return writer_->finished(); }
    /// After the last chunk: fsync, close, rename to the final name, fsync the directory.
    [[nodiscard]] Result<> publish();
    /// The file now belongs to a committed row.
    void keep() noexcept { keep_ = true; }
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] const crypto::SecureBuffer& key() const noexcept { return key_; }

    BlobFileWriter(BlobFileWriter&&) noexcept;
    BlobFileWriter& operator=(BlobFileWriter&&) = delete;
    BlobFileWriter(const BlobFileWriter&) = delete;
    ~BlobFileWriter();

private:
    BlobFileWriter(std::filesystem::path dir, std::string name, crypto::SecureBuffer key,
                   const crypto::blob::BlobId& id, Fd fd);
    std::filesystem::path dir_;
    std::string name_;
    crypto::SecureBuffer key_;
    std::unique_ptr<crypto::blob::Writer> writer_;  // not movable itself
    Fd fd_;
    std::filesystem::path path_;  // the partial file, then the final one
    std::vector<unsigned char> sealed_;
    bool keep_ = false;
};

}  // namespace svidok::store::detail
