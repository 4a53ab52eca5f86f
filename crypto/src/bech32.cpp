// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/bech32.h"

#include <array>
#include <cstdint>
#include <cstdlib>

namespace svidok::crypto {

namespace {

constexpr std::string_view kAlphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::array<std::uint32_t, 5> kGenerator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                     0x2a1462b3};
constexpr std::uint32_t kBech32Constant = 1;  // Bech32m would use 0x2bc830a3

std::uint32_t polymod_step(std::uint32_t chk, unsigned value) noexcept {
    const std::uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffffU) << 5) ^ value;
    for (std::size_t i = 0; i < kGenerator.size(); ++i) {
        if (((top >> i) & 1U) != 0) chk ^= kGenerator[i];
    }
    return chk;
}

bool is_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) noexcept {
    return c >= 'a' && c <= 'z';
}
char to_lower(char c) noexcept {
    return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}
char to_upper(char c) noexcept {
    return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}
bool is_printable(char c) noexcept {
    return c >= 33 && c <= 126;
}

// The checksum always covers the lowercase hrp, whatever case the string is written in.
std::uint32_t checksum_after_hrp(std::string_view hrp) noexcept {
    std::uint32_t chk = 1;
    for (char c : hrp) chk = polymod_step(chk, static_cast<unsigned char>(to_lower(c)) >> 5);
    chk = polymod_step(chk, 0);
    for (char c : hrp) chk = polymod_step(chk, static_cast<unsigned char>(to_lower(c)) & 31U);
    return chk;
}

int alphabet_value(char c) noexcept {
    const auto pos = kAlphabet.find(to_lower(c));
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

std::size_t groups_for_bytes(std::size_t n) noexcept {
    return (n * 8 + 4) / 5;
}

// Validates everything but the expected hrp; returns the separator position.
Result<std::size_t> check(std::string_view text) {
    bool lower = false;
    bool upper = false;
    for (char c : text) {
        if (!is_printable(c))
            return fail(Errc::corrupt, "bech32: character outside printable ascii");
        lower = lower || is_lower(c);
        upper = upper || is_upper(c);
    }
    if (lower && upper) return fail(Errc::corrupt, "bech32: mixed case");
    const auto sep = text.rfind(kBech32Separator);
    if (sep == std::string_view::npos) return fail(Errc::corrupt, "bech32: missing separator '1'");
    if (sep == 0) return fail(Errc::corrupt, "bech32: empty human-readable part");
    const std::size_t chars = text.size() - sep - 1;
    if (chars < kBech32ChecksumChars) return fail(Errc::corrupt, "bech32: checksum too short");

    std::uint32_t chk = checksum_after_hrp(text.substr(0, sep));
    for (char c : text.substr(sep + 1)) {
        const int v = alphabet_value(c);
        if (v < 0) return fail(Errc::corrupt, "bech32: character outside the bech32 alphabet");
        chk = polymod_step(chk, static_cast<unsigned>(v));
    }
    if (chk != kBech32Constant) return fail(Errc::corrupt, "bech32: checksum mismatch");

    // The data groups must convert to whole bytes with at most 4 zero padding bits.
    const std::size_t data_chars = chars - kBech32ChecksumChars;
    const std::size_t pad_bits = data_chars * 5 % 8;
    if (pad_bits >= 5) return fail(Errc::corrupt, "bech32: invalid padding");
    if (pad_bits > 0) {
        const int data_last = alphabet_value(text[sep + data_chars]);
        if ((data_last & ((1 << pad_bits) - 1)) != 0) {
            return fail(Errc::corrupt, "bech32: non-zero padding");
        }
    }
    return sep;
}

// Converts the data characters (already validated) to bytes in `out`.
void unpack(std::string_view data_chars, std::span<unsigned char> out) noexcept {
    unsigned acc = 0;
    unsigned bits = 0;
    std::size_t k = 0;
    for (char c : data_chars) {
        acc = ((acc << 5) | static_cast<unsigned>(alphabet_value(c))) & 0xfffU;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out[k++] = static_cast<unsigned char>(acc >> bits);
        }
    }
}

}  // namespace

std::size_t bech32_encoded_size(std::size_t hrp_size, std::size_t data_size) noexcept {
    return hrp_size + 1 + groups_for_bytes(data_size) + kBech32ChecksumChars;
}

void bech32_encode_into(std::span<char> out, std::string_view hrp, ByteView data) noexcept {
    if (hrp.empty() || out.size() != bech32_encoded_size(hrp.size(), data.size())) std::abort();
    bool lower = false;
    bool upper = false;
    for (char c : hrp) {
        if (!is_printable(c)) std::abort();
        lower = lower || is_lower(c);
        upper = upper || is_upper(c);
    }
    if (lower && upper) std::abort();

    std::size_t k = 0;
    for (char c : hrp) out[k++] = c;
    out[k++] = kBech32Separator;
    std::uint32_t chk = checksum_after_hrp(hrp);
    auto put = [&](unsigned v) {
        chk = polymod_step(chk, v);
        out[k++] = upper ? to_upper(kAlphabet[v]) : kAlphabet[v];
    };
    unsigned acc = 0;
    unsigned bits = 0;
    for (unsigned char b : data) {
        acc = ((acc << 8) | b) & 0xfffU;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            put((acc >> bits) & 31U);
        }
    }
    if (bits > 0) put((acc << (5 - bits)) & 31U);
    for (std::size_t i = 0; i < kBech32ChecksumChars; ++i) chk = polymod_step(chk, 0);
    chk ^= kBech32Constant;
    for (std::size_t i = 0; i < kBech32ChecksumChars; ++i) {
        const char c = kAlphabet[(chk >> (5 * (kBech32ChecksumChars - 1 - i))) & 31U];
        out[k++] = upper ? to_upper(c) : c;
    }
}

std::string bech32_encode(std::string_view hrp, ByteView data) {
    std::string out(bech32_encoded_size(hrp.size(), data.size()), '\0');
    bech32_encode_into(out, hrp, data);
    return out;
}

Result<Bech32Parts> bech32_decode(std::string_view text) {
    auto sep = check(text);
    if (!sep) return std::unexpected(std::move(sep.error()));
    const auto data_chars = text.substr(*sep + 1, text.size() - *sep - 1 - kBech32ChecksumChars);
    Bech32Parts parts{std::string(text.substr(0, *sep)), Bytes(data_chars.size() * 5 / 8)};
    unpack(data_chars, parts.data);
    return parts;
}

Result<std::size_t> bech32_decode_into(std::string_view text, std::string_view hrp,
                                       std::span<unsigned char> out) {
    auto sep = check(text);
    if (!sep) return std::unexpected(std::move(sep.error()));
    if (text.substr(0, *sep) != hrp) return fail(Errc::corrupt, "bech32: unexpected prefix");
    const auto data_chars = text.substr(*sep + 1, text.size() - *sep - 1 - kBech32ChecksumChars);
    const std::size_t n = data_chars.size() * 5 / 8;
    if (n > out.size()) return fail(Errc::corrupt, "bech32: data longer than expected");
    unpack(data_chars, out.first(n));
    return n;
}

}  // namespace svidok::crypto
