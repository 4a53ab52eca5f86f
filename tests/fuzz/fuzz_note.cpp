// SPDX-License-Identifier: GPL-3.0-or-later
// Signed notes and checkpoints (crypto/signed_note.h, crypto/checkpoint.h), as log verify,
// bundle import and receipt import read them, with the fixed device log key and cosigner of
// the seeds pinned, so valid signatures are checked and mutated ones refused. Checks: a note
// that formats parses back to itself; an opened checkpoint's body parses to the same
// checkpoint; a signature counted as verified is by a pinned key.
#include <algorithm>

#include "fuzz_support.h"

using namespace svidok;

SVIDOK_FUZZ_TARGET(note) {
    fuzz::init();
    const std::string_view in = fuzz::text(data, size);
    const auto& known = fuzz::note_verifiers();

    if (auto note = crypto::parse_note(in)) {
        if (auto f = crypto::format_note(*note)) {
            auto again = crypto::parse_note(*f);
            fuzz::require(again.has_value() && again->text == note->text &&
                          again->signatures == note->signatures);
        }
    }
    if (auto opened = crypto::open_note(in, known)) {
        fuzz::require(!opened->verified.empty());
        for (const auto& v : opened->verified) {
            fuzz::require(std::ranges::any_of(known, [&](const crypto::NoteVerifier& k) {
                return k.name == v.name && k.type == v.type;
            }));
        }
    }
    if (auto cp = crypto::open_checkpoint(in, known)) {
        fuzz::require(cp->checkpoint.origin == fuzz::device_origin());
        auto note = crypto::parse_note(in);
        fuzz::require(note.has_value());
        auto body = crypto::parse_checkpoint(note->text);
        fuzz::require(body.has_value() && *body == cp->checkpoint);
    }
    if (auto cp = crypto::parse_checkpoint(in)) {
        auto f = crypto::format_checkpoint(*cp);
        if (f) fuzz::require(*f == in);
    }
    (void)crypto::parse_verifier_key(in);
    (void)crypto::parse_svidok_device_origin(in);
    return 0;
}
