// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Files attached to records (docs/FORMAT.md section 11): streaming intake that hashes and
// encrypts in one read, listing, verification from the stored ciphertext, and extraction.
// Memory stays a few 64 KiB buffers whatever the file size.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/error.h"
#include "crypto/hash.h"
#include "store/records.h"

namespace svidok::store {

/// Called as bytes are processed with (done, total); returning false cancels (the operation
/// then fails with Errc::usage "cancelled" and changes nothing). Called from the working thread.
using ByteProgress = std::function<bool(std::uint64_t done, std::uint64_t total)>;

struct AttachmentInfo {
    crypto::Sha256Digest sha256{};
    std::string name;
    std::string media_type;
    std::uint64_t size = 0;
    bool location = false;  // the image carries GPS coordinates or other location data
    std::string added_at;
    std::vector<std::int64_t> sealed_in;  // the sealed versions that reference it
    bool in_draft = false;                // the draft references it
};

struct AttachOptions {
    std::string field;  // id of the `attachments` field; empty: the form's only one
    std::string name;   // the name to record; empty: the source file's name
    /// After the stored copy is read back and verified, overwrite the source with random bytes,
    /// fsync and remove it. On SSDs and journaling or copy-on-write file systems the old blocks
    /// may survive: this is not a guarantee, and callers must say so.
    bool delete_original = false;
    ByteProgress progress;
};

struct AttachResult {
    AttachmentInfo info;
    bool already_attached = false;  // the record held this file already; nothing was stored
    /// The type the name's extension suggests when it differs from the content's.
    std::optional<std::string> name_suggests;
    bool original_deleted = false;
    /// Why the original could not be deleted (the file is attached all the same).
    std::string original_problem;
};

/// One attachment's verification: nullopt when its stored ciphertext opens and its size and
/// SHA-256 match, else what is wrong.
struct AttachmentCheck {
    AttachmentInfo info;
    std::optional<Error> problem;
};

/// Attachment operations on the records of an open vault. Holds a reference to `records`.
class Attachments {
public:
    explicit Attachments(Records& records) noexcept : records_(&records) {}

    /// Reads `source` once, hashing and encrypting it into the vault, then records it in the
    /// draft (of a new record or of an amendment). Every failure (not a regular file,
    /// unreadable, changed while read, disk full, cancelled) leaves the draft and the vault
    /// directory as they were.
    [[nodiscard]] Result<AttachResult> attach(const RecordId& id,
                                              const std::filesystem::path& source,
                                              const AttachOptions& options = {});

    /// The record's files, in the order they were attached.
    [[nodiscard]] Result<std::vector<AttachmentInfo>> list(const RecordId& id);

    /// Decrypts and hashes every stored file of the record.
    [[nodiscard]] Result<std::vector<AttachmentCheck>> verify(const RecordId& id,
                                                              const ByteProgress& progress = {});

    /// The attachment of the record whose name (or SHA-256 hex, or a prefix of at least 8 hex
    /// digits of it) is `name`.
    [[nodiscard]] Result<AttachmentInfo> find(const RecordId& id, std::string_view name);

    /// Streams the verified plaintext of one file to `sink` in chunks of at most 64 KiB. The
    /// last call's bytes are only trustworthy once this returns success: on a damaged file it
    /// fails (Errc::integrity or corrupt) after the sink saw the bytes before the damage.
    [[nodiscard]] Result<> read(const RecordId& id, const crypto::Sha256Digest& sha256,
                                const std::function<Result<>(crypto::ByteView)>& sink,
                                const ByteProgress& progress = {});

    /// Writes one file's plaintext to `out`, which must not exist (mode 0600). On any failure
    /// the partial output is removed. The output is plaintext on disk: callers must say so.
    [[nodiscard]] Result<> extract(const RecordId& id, const crypto::Sha256Digest& sha256,
                                   const std::filesystem::path& out,
                                   const ByteProgress& progress = {});

    struct Row;

private:
    [[nodiscard]] Result<std::vector<Row>> referenced_rows(const RecordId& id);
    Records* records_;
};

}  // namespace svidok::store
