// SPDX-License-Identifier: GPL-3.0-or-later
// Form definition parsing (forms/form.h parse_definition), as the registry reads a definition
// file: JSON, schema, fields, vocabularies, conditions, legal rules and the example, which must
// validate. Checks: an accepted definition keeps its exact bytes and the SHA-256 of them, its
// example is an object, and every field lookup by id finds that field.
#include "crypto/hash.h"
#include "forms/form.h"
#include "fuzz_support.h"

using namespace svidok;

SVIDOK_FUZZ_TARGET(form) {
    fuzz::init();
    const std::string_view in = fuzz::text(data, size);
    auto form = forms::parse_definition("fuzz.json", in);
    if (!form) {
        fuzz::require(!form.error().message.empty());
        return 0;
    }
    fuzz::require(form->bytes() == in);
    fuzz::require(form->sha256() == crypto::sha256(fuzz::bytes(data, size)));
    fuzz::require(form->example().is_object());
    for (std::size_t i = 0; i < form->fields().size(); ++i) {
        fuzz::require(form->find_field(form->fields()[i].id) == &form->fields()[i]);
    }
    return 0;
}
