// SPDX-License-Identifier: GPL-3.0-or-later
// Strict JSON (forms/json.h) and the signed record documents read from it (forms/record.h), as
// record import and verification read them. Checks: a value that parses canonicalizes to bytes
// that are canonical and parse back to a value with the same canonical form; bytes is_canonical()
// accepts parse and canonicalize to themselves; a record or withdrawal document that parses encodes
// back to the same bytes (documents are canonical JSON).
#include "forms/json.h"
#include "forms/record.h"
#include "fuzz_support.h"

using namespace svidok;

SVIDOK_FUZZ_TARGET(json) {
    fuzz::init();
    const std::string_view in = fuzz::text(data, size);

    auto value = forms::json::parse(in);
    const bool canonical = forms::json::is_canonical(in);
    if (value) {
        auto c = forms::json::canonicalize(*value);
        if (c) {
            fuzz::require(forms::json::is_canonical(*c));
            auto again = forms::json::parse(*c);  // members in canonical order now
            fuzz::require(again.has_value());
            auto c2 = forms::json::canonicalize(*again);
            fuzz::require(c2.has_value() && *c2 == *c);
            if (canonical) fuzz::require(*c == in);
        }
    } else {
        fuzz::require(!value.error().message.empty());
    }
    if (canonical) fuzz::require(value.has_value());

    if (auto doc = forms::parse_record(in)) {
        auto enc = forms::encode_record(*doc);
        fuzz::require(enc.has_value() && *enc == in);
    }
    if (auto w = forms::parse_withdrawal(in)) {
        auto enc = forms::encode_withdrawal(*w);
        fuzz::require(enc.has_value() && *enc == in);
    }
    return 0;
}
