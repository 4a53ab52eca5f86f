// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/builtin.h"

namespace svidok::forms {
namespace {
#include "forms/builtin_definitions.inc"
}  // namespace

std::span<const EmbeddedDefinition> builtin_definitions() noexcept {
    return {kBuiltinDefinitions, std::size(kBuiltinDefinitions) - 1};
}

}  // namespace svidok::forms
