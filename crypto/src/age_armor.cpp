// SPDX-License-Identifier: GPL-3.0-or-later
#include "age_armor.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "age_format.h"

namespace svidok::crypto::age {

namespace {

static_assert(kArmorLineBytes / 3 * 4 == kColumns);

bool is_outer_whitespace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::unexpected<Error> armor_error(std::string message) {
    return fail(Errc::corrupt, "age armor: " + message);
}

// Longest line the reader buffers: the begin line, or 64 columns, plus a CR.
constexpr std::size_t kMaxLine = std::max(kArmorBegin.size(), kColumns) + 1;

}  // namespace

Result<> ArmorWriter::write(ByteView data) {
    text_.clear();
    if (!begun_) {
        text_ += kArmorBegin;
        text_ += '\n';
        begun_ = true;
    }
    char line[kColumns + 1];
    auto emit_line = [&](const unsigned char* bytes) {
        sodium_bin2base64(line, sizeof line, bytes, kArmorLineBytes,
                          sodium_base64_VARIANT_ORIGINAL);
        text_.append(line, kColumns);
        text_ += '\n';
    };
    if (pending_size_ > 0 && !data.empty()) {
        const std::size_t n = std::min(data.size(), kArmorLineBytes - pending_size_);
        std::memcpy(pending_.data() + pending_size_, data.data(), n);
        pending_size_ += n;
        data = data.subspan(n);
        if (pending_size_ == kArmorLineBytes) {
            emit_line(pending_.data());
            pending_size_ = 0;
        }
    }
    for (; data.size() >= kArmorLineBytes; data = data.subspan(kArmorLineBytes))
        emit_line(data.data());
    if (!data.empty()) std::memcpy(pending_.data() + pending_size_, data.data(), data.size());
    pending_size_ += data.size();
    if (text_.empty()) return {};
    return (*sink_)(as_bytes(text_));
}

Result<> ArmorWriter::finish() {
    if (auto r = write({}); !r) return r;
    text_.clear();
    if (pending_size_ > 0) {
        text_ += to_base64(ByteView(pending_.data(), pending_size_));
        text_ += '\n';
        pending_size_ = 0;
    }
    text_ += kArmorEnd;
    text_ += '\n';
    return (*sink_)(as_bytes(text_));
}

Result<> ArmorReader::feed(ByteView bytes) {
    auto text = as_text(bytes);
    while (!text.empty()) {
        if (state_ == State::leading || state_ == State::trailing) {
            const char c = text.front();
            if (is_outer_whitespace(c)) {
                if (++whitespace_ > kAgeMaxArmorWhitespace) {
                    return armor_error("more than 1024 bytes of whitespace around the armor");
                }
                previous_newline_ = c == '\n';
                text.remove_prefix(1);
                continue;
            }
            if (state_ == State::trailing) return armor_error("data after the end line");
            if (!previous_newline_) return armor_error("text before the begin line");
            state_ = State::begin_line;
        }
        const auto nl = text.find('\n');
        const auto piece = text.substr(0, nl);
        if (line_.size() + piece.size() > kMaxLine) return armor_error("line too long");
        line_ += piece;
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
        if (auto r = line(line_); !r) return r;
        line_.clear();
    }
    return {};
}

Result<> ArmorReader::finish() {
    // The end line may lack its line ending; nothing else may be left unterminated.
    std::string_view last = line_;
    if (crlf_ && last.ends_with('\r')) last.remove_suffix(1);
    if (state_ == State::data && last == kArmorEnd) {
        state_ = State::trailing;
        line_.clear();
    }
    switch (state_) {
        case State::leading:
            return armor_error("no begin line");
        case State::begin_line:
            return armor_error("truncated begin line");
        case State::data:
            return armor_error("truncated: no end line");
        case State::trailing:
            return {};
    }
    return {};
}

Result<> ArmorReader::line(std::string_view text) {
    if (state_ == State::begin_line) {
        crlf_ = text.ends_with('\r');
    }
    // Every line must end like the begin line did, so the armor has one encoding.
    if (text.ends_with('\r') != crlf_) return armor_error("mixed line endings");
    if (crlf_) text.remove_suffix(1);
    if (state_ == State::begin_line) {
        if (text != kArmorBegin) return armor_error("invalid begin line");
        state_ = State::data;
        return {};
    }
    if (text == kArmorEnd) {
        state_ = State::trailing;
        whitespace_ = 0;
        previous_newline_ = true;
        return {};
    }
    return data_line(text);
}

Result<> ArmorReader::data_line(std::string_view text) {
    if (last_line_seen_) return armor_error("data after the short final line");
    if (text.empty()) return armor_error("empty line");
    if (text.size() > kColumns) return armor_error("line longer than 64 columns");
    const bool padded = text.back() == '=';
    if (text.size() == kColumns && !padded) {
        if (!std::ranges::all_of(text, is_base64_char)) return armor_error("invalid base64");
        std::array<unsigned char, kArmorLineBytes> bytes{};
        std::size_t n = 0;
        const char* end = nullptr;
        if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &n,
                              &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
            n != kArmorLineBytes || end != text.data() + text.size()) {
            return armor_error("invalid base64");
        }
        return (*out_)(bytes);
    }
    last_line_seen_ = true;
    if (text.size() % 4 != 0) return armor_error("final line is not padded base64");
    auto bytes = from_base64(text);
    if (!bytes) return armor_error("final line is not canonical base64");
    return (*out_)(*bytes);
}

}  // namespace svidok::crypto::age
