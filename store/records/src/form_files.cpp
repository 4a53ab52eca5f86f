// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/form_files.h"

#include <algorithm>
#include <vector>

#include "crypto/encoding.h"
#include "forms/form.h"
#include "store/atomic_file.h"

namespace svidok::store {

Result<void> load_form_directory(forms::FormRegistry& registry, const std::filesystem::path& dir) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".json" && it->is_regular_file(ec))
            files.push_back(it->path());
    }
    if (ec) {
        return fail(Errc::io,
                    "cannot read the forms directory " + dir.string() + ": " + ec.message());
    }
    std::ranges::sort(files);
    std::vector<forms::FormDefinition> parsed;
    for (const auto& file : files) {
        auto bytes = read_small_file(file, forms::kMaxDefinitionBytes);
        if (!bytes) return std::unexpected(bytes.error());
        auto form = forms::parse_definition(file.filename().string(), crypto::as_text(*bytes));
        if (!form) return std::unexpected(form.error());
        parsed.push_back(std::move(*form));
    }
    // Check every clash before adding anything, so a failed call adds nothing.
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        const auto& form = parsed[i];
        auto clashes = [&](const forms::FormDefinition& other) {
            return other.id() == form.id() && other.version() == form.version() &&
                   other.sha256() != form.sha256();
        };
        const auto* present = registry.find(form.id(), form.version());
        if ((present != nullptr && clashes(*present)) ||
            std::any_of(parsed.begin(), parsed.begin() + static_cast<std::ptrdiff_t>(i), clashes)) {
            return fail(Errc::exists,
                        form.file_name() + ": another definition of " + form.id() + " version " +
                            std::to_string(form.version()) + " is already loaded",
                        "a changed form needs a new version number");
        }
    }
    for (auto& form : parsed) {
        if (auto r = registry.add(std::move(form)); !r) return r;
    }
    return {};
}

}  // namespace svidok::store
