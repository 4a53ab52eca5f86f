// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reading a whole plaintext tar stream in tests (bundles, receipts) through store/tar.h.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/tar.h"
#include "test_support.h"

/// Every entry of `tar` as (path, bytes), in order; the stream must end exactly at its end
/// marker.
inline std::vector<std::pair<std::string, std::string>> tar_entries(std::string_view tar) {
    using namespace svidok;
    bool given = false;
    store::tar::Reader reader([&]() -> Result<crypto::ByteView> {
        if (given) return crypto::ByteView{};
        given = true;
        return crypto::ByteView(reinterpret_cast<const unsigned char*>(tar.data()), tar.size());
    });
    std::vector<std::pair<std::string, std::string>> out;
    for (;;) {
        auto e = reader.next();
        REQUIRE_MESSAGE(e.has_value(), (e ? "" : e.error().message));
        if (!*e) break;
        std::string data(static_cast<std::size_t>((*e)->size), '\0');
        std::size_t at = 0;
        while (at < data.size()) {
            auto n = reader.read(
                std::span(reinterpret_cast<unsigned char*>(data.data()) + at, data.size() - at));
            REQUIRE(n.has_value());
            REQUIRE(*n > 0);
            at += *n;
        }
        out.emplace_back((*e)->path, std::move(data));
    }
    REQUIRE(reader.end_offset() == tar.size());
    return out;
}
