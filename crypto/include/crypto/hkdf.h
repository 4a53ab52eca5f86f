// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// HKDF-SHA-256 (RFC 5869), built on libsodium's HMAC-SHA-256. age derives every key with it:
// stanza wrap keys, the header MAC key and the payload key.

#include <cstddef>
#include <span>

#include "crypto/encoding.h"

namespace svidok::crypto {

inline constexpr std::size_t kHkdfSha256HashBytes = 32;
/// RFC 5869 limits the output to 255 hash blocks.
inline constexpr std::size_t kHkdfSha256MaxOutputBytes = 255 * kHkdfSha256HashBytes;

/// Fills `out` with HKDF-Expand(HKDF-Extract(salt, ikm), info, out.size()). An empty salt is
/// the RFC's default (HashLen zero bytes). Aborts if `out` is empty or longer than
/// kHkdfSha256MaxOutputBytes (a caller bug, not an input error). Intermediate keys are wiped.
void hkdf_sha256(std::span<unsigned char> out, ByteView ikm, ByteView salt, ByteView info) noexcept;

}  // namespace svidok::crypto
