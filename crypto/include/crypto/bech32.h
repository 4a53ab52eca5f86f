// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Bech32 (BIP-173 checksum, not Bech32m) as age uses it for keys: no length limit, the string is
// all lowercase or all uppercase, and the checksum is always computed over the lowercase
// human-readable part (hrp). The *_into functions never allocate, so secret keys can be encoded
// into and decoded from a SecureBuffer without a copy in ordinary memory.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "crypto/encoding.h"
#include "crypto/error.h"

namespace svidok::crypto {

inline constexpr char kBech32Separator = '1';
inline constexpr std::size_t kBech32ChecksumChars = 6;

/// Length of the string bech32_encode_into() writes for `hrp_size` characters of hrp and
/// `data_size` bytes of data.
[[nodiscard]] std::size_t bech32_encoded_size(std::size_t hrp_size, std::size_t data_size) noexcept;

/// Writes hrp || '1' || data in 5-bit groups (zero padded) || checksum into `out`, which must
/// be exactly bech32_encoded_size() long. The output is uppercase when the hrp has uppercase
/// letters, lowercase otherwise. Aborts on an empty or mixed-case hrp, an hrp character outside
/// 33..126, or a wrongly sized `out`: all caller bugs.
void bech32_encode_into(std::span<char> out, std::string_view hrp, ByteView data) noexcept;

/// bech32_encode_into() for public data.
[[nodiscard]] std::string bech32_encode(std::string_view hrp, ByteView data);

/// A decoded Bech32 string: hrp exactly as written (case preserved) and the data bytes.
struct Bech32Parts {
    std::string hrp;
    Bytes data;
};

/// Decodes and checks a Bech32 string of any length. Errors (Errc::corrupt): mixed case,
/// missing separator, empty hrp or one with characters outside 33..126, a character outside
/// the Bech32 alphabet, checksum mismatch, more than 4 padding bits or non-zero padding.
/// Messages never quote the input, which may be a secret key.
[[nodiscard]] Result<Bech32Parts> bech32_decode(std::string_view text);

/// Decodes `text` whose hrp must equal `hrp` exactly (case-sensitive) into `out`, returning the
/// number of bytes written. Errors as bech32_decode(), plus Errc::corrupt when the hrp differs
/// or the data does not fit in `out`. Nothing is written to `out` unless the string is valid.
[[nodiscard]] Result<std::size_t> bech32_decode_into(std::string_view text, std::string_view hrp,
                                                     std::span<unsigned char> out);

}  // namespace svidok::crypto
