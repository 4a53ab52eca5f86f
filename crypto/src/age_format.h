// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private: the age v1 header codec (version line, recipient stanzas, MAC line). Strict: only
// the canonical encoding parses, so the bytes covered by the MAC are exactly what a re-encoding
// would produce.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/age.h"

namespace svidok::crypto::age {

inline constexpr std::string_view kVersionLine = "age-encryption.org/v1";
inline constexpr std::string_view kVersionPrefix = "age-encryption.org/";
inline constexpr std::string_view kStanzaPrefix = "-> ";
inline constexpr std::string_view kMacPrefix = "---";
inline constexpr std::size_t kColumns = 64;  // base64 columns of stanza bodies and the armor
inline constexpr std::size_t kMacBytes = 32;

/// The base64 alphabet, checked before decoding: libsodium 1.0.18 decodes every byte >= 0x80
/// as '/', so its own validation is not enough where no canonical re-encoding follows.
[[nodiscard]] constexpr bool is_base64_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

struct Stanza {
    std::string type;               // the first argument
    std::vector<std::string> args;  // the remaining arguments
    Bytes body;
};

/// Appends "-> type args...\n" and the body in 64-column unpadded base64, ending with a line
/// shorter than 64 columns (empty if need be).
void encode_stanza(const Stanza& stanza, std::string& out);

/// The header up to and including "---": what the MAC covers.
[[nodiscard]] std::string encode_header_for_mac(std::span<const Stanza> stanzas);

/// Incremental strict header parser. Every error is a header failure.
class HeaderParser {
public:
    /// Consumes bytes of `in` up to the end of the MAC line; returns how many it used.
    [[nodiscard]] Result<std::size_t> feed(ByteView in);
    /// Called at end of input before the header completed: always an error saying where.
    [[nodiscard]] Error truncated() const;
    [[nodiscard]] bool complete() const noexcept { return state_ == State::done; }

    /// Valid once complete().
    [[nodiscard]] std::string_view mac_input() const noexcept {
        return std::string_view(raw_).substr(0, mac_input_size_);
    }
    [[nodiscard]] const std::array<unsigned char, kMacBytes>& mac() const noexcept { return mac_; }
    [[nodiscard]] const std::vector<Stanza>& stanzas() const noexcept { return stanzas_; }
    /// Frees the buffered header once it has been checked.
    void release() noexcept;

private:
    enum class State { version, stanza_or_mac, body, done };
    [[nodiscard]] Result<> line(std::string_view line);
    [[nodiscard]] Result<> arguments(std::string_view text);
    [[nodiscard]] Result<> body_line(std::string_view line);

    State state_ = State::version;
    std::string raw_;
    std::size_t line_start_ = 0;
    std::size_t mac_input_size_ = 0;
    std::string body_b64_;
    std::vector<Stanza> stanzas_;
    std::array<unsigned char, kMacBytes> mac_{};
};

}  // namespace svidok::crypto::age
