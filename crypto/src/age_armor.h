// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private: the age ASCII armor, strict PEM (RFC 7468 section 3) with label "AGE ENCRYPTED FILE":
// padded base64 in 64-column lines, the last line 1..64 columns. The reader also accepts CRLF
// (consistently) and whitespace before and after the block, nothing else.

#include <string>

#include "crypto/age.h"

namespace svidok::crypto::age {

inline constexpr std::string_view kArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
inline constexpr std::string_view kArmorEnd = "-----END AGE ENCRYPTED FILE-----";
inline constexpr std::size_t kArmorLineBytes = 48;  // decoded bytes per full line

class ArmorWriter {
public:
    /// Writes the begin line on the first write. `sink` must outlive the writer.
    explicit ArmorWriter(const ByteSink* sink) : sink_(sink) {}
    [[nodiscard]] Result<> write(ByteView data);
    [[nodiscard]] Result<> finish();

private:
    std::array<unsigned char, kArmorLineBytes> pending_{};
    std::size_t pending_size_ = 0;
    bool begun_ = false;
    std::string text_;
    const ByteSink* sink_;
};

class ArmorReader {
public:
    /// Decoded bytes go to `out`; its errors are passed back unchanged.
    explicit ArmorReader(const ByteSink* out) : out_(out) {}
    /// Errors: Errc::corrupt "age armor: ..." or the output's error.
    [[nodiscard]] Result<> feed(ByteView text);
    /// Checks that the end line was seen. Errors: Errc::corrupt "age armor: ...".
    [[nodiscard]] Result<> finish();

private:
    enum class State { leading, begin_line, data, trailing };
    [[nodiscard]] Result<> line(std::string_view line);
    [[nodiscard]] Result<> data_line(std::string_view line);

    State state_ = State::leading;
    std::string line_;
    std::size_t whitespace_ = 0;
    bool crlf_ = false;
    bool last_line_seen_ = false;  // a short (or padded) line: only the end line may follow
    bool previous_newline_ = true;
    const ByteSink* out_;
};

}  // namespace svidok::crypto::age
