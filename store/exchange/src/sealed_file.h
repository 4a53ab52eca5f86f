// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to the exchange layer: the encrypted container shared by bundles and receipts
// (docs/FORMAT.md 12.1-12.6). A tar stream inside an age v1 file, written under a temporary name
// and renamed when complete, read back through the age decryptor without any plaintext reaching the
// disk. Both sides hash the ciphertext as it passes (BLAKE2b-512 for the minisign signature,
// SHA-256 for receipts), so a file is read or written once.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "crypto/age.h"
#include "crypto/error.h"
#include "crypto/hash.h"
#include "file_io.h"
#include "store/tar.h"

namespace svidok::store::detail {

/// Digests of an encrypted file's exact bytes: BLAKE2b-512 for its minisign signature; SHA-256
/// (receipts name a bundle by it) only when read.
struct FileDigests {
    crypto::Blake2b512Digest blake2b{};
    crypto::Sha256Digest sha256{};  // SealedFileReader only
    std::uint64_t bytes = 0;
};

class SealedFileWriter {
public:
    /// Creates `<final name>.tmp` in `dir` (which must exist), mode 0600.
    [[nodiscard]] static Result<std::unique_ptr<SealedFileWriter>> create(
        const std::filesystem::path& dir, const std::string& final_name,
        std::span<const crypto::X25519Recipient> recipients);

    [[nodiscard]] tar::Writer& tar() noexcept { return *tar_; }
    /// Adds one whole small file.
    [[nodiscard]] Result<> add(std::string_view path, std::string_view bytes);
    /// Pads the tar stream to its bucket (12.6), ends it, ends the age file, fsyncs.
    [[nodiscard]] Result<FileDigests> finish();
    /// Renames the finished file to its final name and fsyncs the directory.
    [[nodiscard]] Result<std::filesystem::path> publish();
    /// Tar bytes before padding (valid after finish()).
    [[nodiscard]] std::uint64_t content_bytes() const noexcept { return content_bytes_; }

    SealedFileWriter(const SealedFileWriter&) = delete;
    SealedFileWriter& operator=(const SealedFileWriter&) = delete;
    /// Removes the temporary file unless published.
    ~SealedFileWriter();

private:
    SealedFileWriter() = default;
    [[nodiscard]] Result<> write_out(crypto::ByteView bytes);

    std::filesystem::path dir_;
    std::filesystem::path temp_;
    std::string final_name_;
    Fd fd_;
    std::unique_ptr<crypto::AgeEncryptor> age_;
    std::unique_ptr<tar::Writer> tar_;
    crypto::Blake2b512 blake_;
    std::uint64_t bytes_ = 0;
    std::uint64_t content_bytes_ = 0;
    bool published_ = false;
};

/// Reports progress through a file: (bytes read, file size); false cancels.
using FileProgress = std::function<bool(std::uint64_t done, std::uint64_t total)>;

class SealedFileReader {
public:
    /// Opens `path` for decryption with `identities` (referenced; must outlive the reader).
    [[nodiscard]] static Result<std::unique_ptr<SealedFileReader>> open(
        const std::filesystem::path& path, std::span<const crypto::X25519Identity> identities,
        FileProgress progress = {});

    [[nodiscard]] tar::Reader& tar() noexcept { return *tar_; }
    /// The next entry, which must be `path` (when non-empty) with at most `max_size` bytes.
    [[nodiscard]] Result<tar::Reader::Entry> expect(std::string_view path, std::uint64_t max_size);
    /// Reads the current entry whole (after expect()).
    [[nodiscard]] Result<std::string> read_all(const tar::Reader::Entry& entry);
    /// After the last entry: `padding` of zero bytes, the end marker, nothing after it, the age
    /// file ended correctly. Only then is any of the content authenticated as a whole.
    [[nodiscard]] Result<FileDigests> finish();
    [[nodiscard]] std::uint64_t file_size() const noexcept { return size_; }

    SealedFileReader(const SealedFileReader&) = delete;
    SealedFileReader& operator=(const SealedFileReader&) = delete;
    ~SealedFileReader();

private:
    SealedFileReader() = default;
    [[nodiscard]] Result<crypto::ByteView> pull();

    std::filesystem::path path_;
    Fd fd_;
    std::uint64_t size_ = 0;
    std::uint64_t read_ = 0;
    bool input_done_ = false;
    std::unique_ptr<crypto::AgeDecryptor> age_;
    std::unique_ptr<tar::Reader> tar_;
    std::vector<unsigned char> in_;
    std::vector<unsigned char> pending_;  // plaintext the decryptor released
    std::vector<unsigned char> current_;  // handed to the tar reader
    std::uint64_t plaintext_ = 0;
    crypto::Blake2b512 blake_;
    crypto::Sha256 sha_;
    FileProgress progress_;
};

/// The message of a file that is encrypted to other keys (sync skips such files silently).
inline constexpr std::string_view kNotAddressedMessage =
    "the file is not addressed to this vault (no recipient stanza opens with its key)";

/// Error messages of the age layer in bundle terms.
[[nodiscard]] Error explain_age_error(Error e, crypto::AgeFailure failure);

}  // namespace svidok::store::detail
