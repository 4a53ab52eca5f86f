// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reaching into an answers object by the path notation of docs/FORMS.md 3.7
// ("victims[1].age_at_time"), for the forms tests.

#include <algorithm>
#include <string>
#include <string_view>

#include "forms/json.h"
#include "test_support.h"

namespace svidok::test {

/// The member `key` of the object `obj`, added as null when missing.
inline forms::json::Value& member(forms::json::Value& obj, std::string_view key) {
    REQUIRE(obj.is_object());
    for (auto& [k, v] : obj.as_object()) {
        if (k == key) return v;
    }
    obj.as_object().emplace_back(std::string(key), forms::json::Value{});
    return obj.as_object().back().second;
}

/// The value at `path`. With `create`, missing object members are added (as null); without,
/// a missing one gives nullptr.
inline forms::json::Value* walk(forms::json::Value& root, std::string_view path, bool create) {
    forms::json::Value* cur = &root;
    std::size_t i = 0;
    while (cur != nullptr && i < path.size()) {
        if (path[i] == '.') ++i;
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            const std::size_t index = std::stoul(std::string(path.substr(i + 1, close - i - 1)));
            cur = cur->is_array() && index < cur->as_array().size() ? &cur->as_array()[index]
                                                                    : nullptr;
            i = close + 1;
        } else {
            const std::size_t end = std::min(path.find_first_of(".[", i), path.size());
            const std::string_view key = path.substr(i, end - i);
            cur = create || (cur->is_object() && cur->find(key) != nullptr) ? &member(*cur, key)
                                                                            : nullptr;
            i = end;
        }
    }
    return cur;
}

}  // namespace svidok::test
