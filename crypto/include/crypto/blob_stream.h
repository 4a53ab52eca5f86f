// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The encrypted attachment file of docs/FORMAT.md section 11.2: a 32-byte file header, a
// libsodium secretstream (XChaCha20-Poly1305) header, and 64 KiB chunks, each authenticated
// with the file header as associated data, the last one tagged FINAL. No I/O here: callers feed
// chunks and write or read the bytes themselves, so memory stays one chunk whatever the size.

#include <sodium.h>

#include <array>
#include <cstdint>

#include "crypto/encoding.h"
#include "crypto/error.h"
#include "crypto/secure_buffer.h"

namespace svidok::crypto::blob {

inline constexpr std::size_t kChunkBytes = 65536;
inline constexpr std::size_t kChunkOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;
inline constexpr std::size_t kSealedChunkBytes = kChunkBytes + kChunkOverhead;
inline constexpr std::size_t kFileHeaderBytes = 32;
inline constexpr std::size_t kHeaderBytes =
    kFileHeaderBytes + crypto_secretstream_xchacha20poly1305_HEADERBYTES;  // 56
inline constexpr std::size_t kKeyBytes = crypto_secretstream_xchacha20poly1305_KEYBYTES;
inline constexpr std::uint16_t kVersion = 1;

using BlobId = std::array<unsigned char, 16>;
using Header = std::array<unsigned char, kHeaderBytes>;

/// The exact blob file size for `plaintext_size` bytes (FORMAT.md 11.2).
[[nodiscard]] constexpr std::uint64_t sealed_size(std::uint64_t plaintext_size) noexcept {
    return kHeaderBytes + plaintext_size + kChunkOverhead * (plaintext_size / kChunkBytes + 1);
}

/// A fresh random key for one blob, in secure memory.
[[nodiscard]] SecureBuffer new_key();

/// Encrypts one blob. push() takes chunks of exactly kChunkBytes until the last, which has
/// fewer (possibly none) and is pushed with `last` = true; then the writer is finished.
class Writer {
public:
    /// `key` must be kKeyBytes long and outlive nothing: it is copied into the stream state.
    Writer(const SecureBuffer& key, const BlobId& id) noexcept;
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer();

    /// The 56 bytes the file starts with.
    [[nodiscard]] const Header& header() const noexcept { return header_; }
    /// Seals `chunk` into `out` (chunk.size() + kChunkOverhead bytes); returns that size.
    /// Aborts on misuse (a short chunk that is not the last, pushing after the last).
    std::size_t push(ByteView chunk, bool last,
                     std::span<unsigned char, kSealedChunkBytes> out) noexcept;
    [[nodiscard]] bool finished() const noexcept { return finished_; }

private:
    crypto_secretstream_xchacha20poly1305_state state_;
    Header header_{};
    bool finished_ = false;
};

/// Decrypts one blob, checking every rule of FORMAT.md 11.2 except the total size and hash
/// (the caller's, who knows them). Errors say which chunk failed and why.
class Reader {
public:
    /// Checks the header (magic, version, reserved bytes, blob id) and opens the stream.
    /// Errc::corrupt for a malformed header, Errc::integrity for another blob's id.
    [[nodiscard]] static Result<Reader> open(const SecureBuffer& key, const BlobId& expected,
                                             ByteView header);
    Reader(Reader&&) noexcept;
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    Reader& operator=(Reader&&) = delete;
    ~Reader();

    /// Opens the next sealed chunk (kSealedChunkBytes for every chunk but the last, which is
    /// shorter) into `out`; returns the plaintext size. After the last chunk finished() is true
    /// and the caller must find no more bytes.
    [[nodiscard]] Result<std::size_t> pull(ByteView sealed,
                                           std::span<unsigned char, kChunkBytes> out);
    [[nodiscard]] bool finished() const noexcept { return finished_; }

private:
    Reader() noexcept = default;
    crypto_secretstream_xchacha20poly1305_state state_{};
    std::array<unsigned char, kFileHeaderBytes> ad_{};
    std::uint64_t index_ = 0;
    bool finished_ = false;
};

}  // namespace svidok::crypto::blob
