// SPDX-License-Identifier: GPL-3.0-or-later
// Receipts (forms/bundle_documents.h Receipt::parse, docs/FORMAT.md 13), as receipt import reads
// receipt.json once the receipt file is decrypted; the cosigned checkpoint it carries is opened
// with the seeds' pinned keys, and the input is also read as receipt.json.minisig. Checks: an
// accepted receipt encodes back to exactly its bytes (receipts are canonical JSON).
#include "forms/bundle_documents.h"
#include "fuzz_support.h"

using namespace svidok;

SVIDOK_FUZZ_TARGET(receipt) {
    fuzz::init();
    const std::string_view in = fuzz::text(data, size);
    if (auto receipt = forms::Receipt::parse(in)) {
        auto enc = receipt->to_json();
        fuzz::require(enc.has_value() && *enc == in);
        (void)crypto::open_checkpoint(receipt->checkpoint, fuzz::note_verifiers());
    } else {
        fuzz::require(!receipt.error().message.empty());
    }
    (void)crypto::minisign::parse_signature(in);
    return 0;
}
