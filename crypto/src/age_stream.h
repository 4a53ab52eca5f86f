// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private: the age payload, ChaCha20-Poly1305 STREAM with 64 KiB chunks. Chunk i is sealed with
// nonce = 11-byte big-endian i || (0x01 for the final chunk, else 0x00). One chunk buffer per
// object, allocated once; chunks are sealed in place.

#include <cstdint>

#include "crypto/age.h"

namespace svidok::crypto::age {

inline constexpr std::size_t kSealedChunkBytes = kAgeChunkBytes + kAgeTagBytes;

/// payload key = HKDF-SHA-256(ikm = file key, salt = nonce, info = "payload").
[[nodiscard]] SecureBuffer payload_key(ByteView file_key, ByteView nonce);

class StreamWriter {
public:
    /// `sink` must outlive the writer.
    StreamWriter(SecureBuffer key, const ByteSink* sink);
    [[nodiscard]] Result<> write(ByteView plaintext);
    [[nodiscard]] Result<> finish();

private:
    /// Seals fill_ bytes from `plaintext` (the buffer itself, or caller input) into the buffer.
    [[nodiscard]] Result<> seal(const unsigned char* plaintext, bool last);
    SecureBuffer key_;
    SecureBuffer buf_;  // plaintext, then ciphertext || tag
    std::size_t fill_ = 0;
    std::uint64_t counter_ = 0;
    const ByteSink* sink_;
};

class StreamReader {
public:
    /// `sink` receives plaintext and must outlive the reader.
    StreamReader(SecureBuffer key, const ByteSink* sink);
    /// Errors: Errc::integrity for a chunk that does not authenticate or data after the final
    /// chunk; the sink's error.
    [[nodiscard]] Result<> feed(ByteView ciphertext);
    /// Errors: Errc::integrity for a missing, short or (after other chunks) empty final chunk.
    [[nodiscard]] Result<> finish();
    [[nodiscard]] std::uint64_t released() const noexcept { return released_; }

private:
    [[nodiscard]] Result<> open_full(const unsigned char* chunk);
    [[nodiscard]] Result<> release(std::size_t n);
    SecureBuffer key_;
    Bytes sealed_;        // one sealed chunk being collected
    SecureBuffer plain_;  // its plaintext, released to the sink
    std::size_t fill_ = 0;
    std::uint64_t counter_ = 0;
    std::uint64_t released_ = 0;
    bool done_ = false;
    const ByteSink* sink_;
};

}  // namespace svidok::crypto::age
