// SPDX-License-Identifier: GPL-3.0-or-later
#include "args.h"

namespace svidok::cli {

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
    auto it = options.find(name);
    if (it == options.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
    auto it = options.find(name);
    return it == options.end() ? std::vector<std::string>{} : it->second;
}

Result<ParsedArgs> parse_args(std::span<const std::string_view> args,
                              std::span<const OptionSpec> specs, std::size_t max_positional) {
    ParsedArgs out;
    bool options_done = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view a = args[i];
        if (options_done || a.size() < 2 || a.substr(0, 2) != "--") {
            if (a.size() > 1 && a[0] == '-' && !options_done && a != "-") {
                return fail(Errc::usage, "unknown option " + std::string(a));
            }
            out.positional.emplace_back(a);
            continue;
        }
        if (a == "--") {
            options_done = true;
            continue;
        }
        std::string_view name = a;
        std::optional<std::string_view> inline_value;
        if (auto eq = a.find('='); eq != std::string_view::npos) {
            name = a.substr(0, eq);
            inline_value = a.substr(eq + 1);
        }
        const OptionSpec* spec = nullptr;
        for (const auto& s : specs) {
            if (s.name == name) spec = &s;
        }
        if (spec == nullptr) return fail(Errc::usage, "unknown option " + std::string(name));
        auto& slot = out.options[std::string(name)];
        if (!slot.empty() && !spec->repeatable) {
            return fail(Errc::usage, "option " + std::string(name) + " given twice");
        }
        if (!spec->takes_value) {
            if (inline_value)
                return fail(Errc::usage, "option " + std::string(name) + " takes no value");
            slot.emplace_back();
            continue;
        }
        if (inline_value) {
            slot.emplace_back(*inline_value);
        } else if (i + 1 < args.size()) {
            slot.emplace_back(args[++i]);
        } else {
            return fail(Errc::usage, "option " + std::string(name) + " needs a value");
        }
    }
    if (out.positional.size() > max_positional) {
        return fail(Errc::usage, "unexpected argument " + out.positional[max_positional]);
    }
    return out;
}

}  // namespace svidok::cli
