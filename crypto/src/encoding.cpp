// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/encoding.h"

#include <sodium.h>

namespace svidok::crypto {

std::string to_hex(ByteView bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.pop_back();
    return out;
}

Result<Bytes> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) return fail(Errc::corrupt, "hex string has odd length");
    if (hex.empty()) return Bytes{};  // sodium_hex2bin must not see a null output pointer
    Bytes out(hex.size() / 2);
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
        len != out.size() || end != hex.data() + hex.size()) {
        return fail(Errc::corrupt, "invalid hex string");
    }
    return out;
}

namespace {

std::string b64_encode(ByteView bytes, int variant) {
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
    out.pop_back();  // the terminating NUL counted by sodium_base64_encoded_len
    return out;
}

Result<Bytes> b64_decode(std::string_view text, int variant) {
    Bytes out(text.size() / 4 * 3 + 3);
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                          variant) != 0 ||
        end != text.data() + text.size()) {
        return fail(Errc::corrupt, "invalid base64");
    }
    out.resize(len);
    // libsodium accepts non-zero trailing bits; re-encoding catches non-canonical input.
    if (b64_encode(out, variant) != text) return fail(Errc::corrupt, "non-canonical base64");
    return out;
}

}  // namespace

std::string to_base64(ByteView bytes) {
    return b64_encode(bytes, sodium_base64_VARIANT_ORIGINAL);
}
Result<Bytes> from_base64(std::string_view text) {
    return b64_decode(text, sodium_base64_VARIANT_ORIGINAL);
}
std::string to_base64_unpadded(ByteView bytes) {
    return b64_encode(bytes, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}
Result<Bytes> from_base64_unpadded(std::string_view text) {
    return b64_decode(text, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

void store_le16(unsigned char* out, std::uint16_t v) noexcept {
    for (int i = 0; i < 2; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}
void store_le32(unsigned char* out, std::uint32_t v) noexcept {
    for (int i = 0; i < 4; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}
void store_le64(unsigned char* out, std::uint64_t v) noexcept {
    for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint16_t load_le16(const unsigned char* in) noexcept {
    return static_cast<std::uint16_t>(in[0] | (in[1] << 8));
}
std::uint32_t load_le32(const unsigned char* in) noexcept {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | in[i];
    return v;
}
std::uint64_t load_le64(const unsigned char* in) noexcept {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
    return v;
}
void store_be64(unsigned char* out, std::uint64_t v) noexcept {
    for (int i = 0; i < 8; ++i) out[7 - i] = static_cast<unsigned char>(v >> (8 * i));
}

void store_be32(unsigned char* out, std::uint32_t v) noexcept {
    for (int i = 0; i < 4; ++i) out[3 - i] = static_cast<unsigned char>(v >> (8 * i));
}

std::uint32_t load_be32(const unsigned char* in) noexcept {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | in[i];
    return v;
}

std::uint64_t load_be64(const unsigned char* in) noexcept {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
    return v;
}

}  // namespace svidok::crypto
