// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Hex and Base64 for public values (hashes, public keys, signatures). Secrets that need text
// form (the recovery code) have their own encoder writing into a SecureBuffer.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"

namespace svidok::crypto {

using Bytes = std::vector<unsigned char>;
using ByteView = std::span<const unsigned char>;

/// Views the bytes of a string (no copy).
[[nodiscard]] inline ByteView as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}
[[nodiscard]] inline std::string_view as_text(ByteView b) noexcept {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

/// Lowercase hex.
[[nodiscard]] std::string to_hex(ByteView bytes);
/// Accepts upper- or lowercase hex of even length, nothing else (no spaces, no prefix).
[[nodiscard]] Result<Bytes> from_hex(std::string_view hex);

/// Standard Base64 with padding (RFC 4648 section 4), as minisign and signed notes use.
[[nodiscard]] std::string to_base64(ByteView bytes);
/// Strict: canonical padded standard Base64 only; rejects whitespace and non-canonical tails.
[[nodiscard]] Result<Bytes> from_base64(std::string_view text);

/// Unpadded standard Base64 (RFC 4648 section 3.2), as the age header uses.
[[nodiscard]] std::string to_base64_unpadded(ByteView bytes);
/// Strict: rejects padding, whitespace and non-canonical trailing bits.
[[nodiscard]] Result<Bytes> from_base64_unpadded(std::string_view text);

/// Integer helpers for fixed byte layouts.
void store_le16(unsigned char* out, std::uint16_t v) noexcept;
void store_le32(unsigned char* out, std::uint32_t v) noexcept;
void store_le64(unsigned char* out, std::uint64_t v) noexcept;
[[nodiscard]] std::uint16_t load_le16(const unsigned char* in) noexcept;
[[nodiscard]] std::uint32_t load_le32(const unsigned char* in) noexcept;
[[nodiscard]] std::uint64_t load_le64(const unsigned char* in) noexcept;
void store_be32(unsigned char* out, std::uint32_t v) noexcept;
[[nodiscard]] std::uint32_t load_be32(const unsigned char* in) noexcept;
void store_be64(unsigned char* out, std::uint64_t v) noexcept;
[[nodiscard]] std::uint64_t load_be64(const unsigned char* in) noexcept;

}  // namespace svidok::crypto
