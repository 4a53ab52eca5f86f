// SPDX-License-Identifier: GPL-3.0-or-later
#include <algorithm>
#include <cstring>

#include "age_format.h"

namespace svidok::crypto::age {

namespace {

bool is_vchar(char c) noexcept {
    return c >= 0x21 && c <= 0x7e;
}

std::unexpected<Error> header_error(std::string message) {
    return fail(Errc::corrupt, "age header: " + message);
}

}  // namespace

void encode_stanza(const Stanza& stanza, std::string& out) {
    out += kStanzaPrefix;
    out += stanza.type;
    for (const auto& arg : stanza.args) {
        out += ' ';
        out += arg;
    }
    out += '\n';
    const std::string body = to_base64_unpadded(stanza.body);
    std::size_t pos = 0;
    for (; body.size() - pos >= kColumns; pos += kColumns) {
        out.append(body, pos, kColumns);
        out += '\n';
    }
    out.append(body, pos);
    out += '\n';
}

std::string encode_header_for_mac(std::span<const Stanza> stanzas) {
    std::string out(kVersionLine);
    out += '\n';
    for (const auto& s : stanzas) encode_stanza(s, out);
    out += kMacPrefix;
    return out;
}

Result<std::size_t> HeaderParser::feed(ByteView in) {
    std::size_t used = 0;
    while (used < in.size() && state_ != State::done) {
        const auto rest = as_text(in.subspan(used));
        const auto nl = rest.find('\n');
        const std::size_t take = nl == std::string_view::npos ? rest.size() : nl + 1;
        if (raw_.size() + take > kAgeMaxHeaderBytes) {
            return fail(Errc::invalid, "age header: longer than the 1 MiB limit");
        }
        raw_.append(rest.substr(0, take));
        used += take;
        // Reject a file that is not age at all on its first bytes, not after 1 MiB.
        if (state_ == State::version) {
            const std::size_t n = std::min(raw_.size(), kVersionPrefix.size());
            if (raw_.compare(0, n, kVersionPrefix.substr(0, n)) != 0) {
                return header_error("not an age file (no age-encryption.org version line)");
            }
        }
        if (nl == std::string_view::npos) break;
        const auto text = std::string_view(raw_).substr(line_start_, raw_.size() - 1 - line_start_);
        if (auto r = line(text); !r) return std::unexpected(std::move(r.error()));
        line_start_ = raw_.size();
    }
    return used;
}

Error HeaderParser::truncated() const {
    if (raw_.empty()) return header_error("empty file").error();
    return header_error(state_ == State::body ? "truncated inside a stanza body"
                                              : "truncated before the mac line")
        .error();
}

void HeaderParser::release() noexcept {
    raw_.clear();
    raw_.shrink_to_fit();
    mac_input_size_ = 0;
}

Result<> HeaderParser::line(std::string_view text) {
    switch (state_) {
        case State::version:
            if (text == kVersionLine) {
                state_ = State::stanza_or_mac;
                return {};
            }
            if (!text.starts_with(kVersionPrefix) || text.size() == kVersionPrefix.size() ||
                !std::ranges::all_of(text.substr(kVersionPrefix.size()), is_vchar)) {
                return header_error("malformed version line");
            }
            return fail(Errc::unsupported, "age header: unsupported format version",
                        "the file was written for another version of age");
        case State::stanza_or_mac:
            if (text.starts_with(kStanzaPrefix))
                return arguments(text.substr(kStanzaPrefix.size()));
            if (text.starts_with(kMacPrefix)) {
                if (stanzas_.empty()) return header_error("no recipient stanzas");
                constexpr std::size_t kMacChars = 43;
                if (text.size() != kMacPrefix.size() + 1 + kMacChars ||
                    text[kMacPrefix.size()] != ' ') {
                    return header_error("malformed mac line");
                }
                auto mac = from_base64_unpadded(text.substr(kMacPrefix.size() + 1));
                if (!mac || mac->size() != kMacBytes) return header_error("malformed mac encoding");
                std::memcpy(mac_.data(), mac->data(), kMacBytes);
                mac_input_size_ = line_start_ + kMacPrefix.size();
                state_ = State::done;
                return {};
            }
            return header_error("expected a recipient stanza or the mac line");
        case State::body:
            return body_line(text);
        case State::done:
            break;
    }
    return {};
}

Result<> HeaderParser::arguments(std::string_view text) {
    if (stanzas_.size() == kAgeMaxStanzas) {
        return fail(Errc::invalid, "age header: more than " + std::to_string(kAgeMaxStanzas) +
                                       " recipient stanzas");
    }
    Stanza s;
    bool first = true;
    std::size_t pos = 0;
    while (true) {
        const auto sp = text.find(' ', pos);
        const auto arg = text.substr(pos, sp == std::string_view::npos ? text.npos : sp - pos);
        if (arg.empty()) return header_error("empty stanza argument");
        for (char c : arg) {
            if (!is_vchar(c)) return header_error("invalid character in stanza argument");
        }
        if (first) {
            s.type = arg;
            first = false;
        } else {
            s.args.emplace_back(arg);
        }
        if (sp == std::string_view::npos) break;
        pos = sp + 1;
    }
    stanzas_.push_back(std::move(s));
    body_b64_.clear();
    state_ = State::body;
    return {};
}

Result<> HeaderParser::body_line(std::string_view text) {
    if (text.size() > kColumns) return header_error("stanza body line longer than 64 columns");
    for (char c : text) {
        if (!is_base64_char(c)) return header_error("invalid character in stanza body");
    }
    body_b64_ += text;
    if (text.size() == kColumns) return {};
    auto body = from_base64_unpadded(body_b64_);
    if (!body) return header_error("stanza body is not canonical base64");
    stanzas_.back().body = std::move(*body);
    state_ = State::stanza_or_mac;
    return {};
}

}  // namespace svidok::crypto::age
