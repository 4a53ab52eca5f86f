// SPDX-License-Identifier: GPL-3.0-or-later
// The tar reader of bundle and receipt import (store/tar.h Reader) over the input bytes, as
// SealedFileReader hands it the decrypted stream (here in 4 KiB pieces), and the bundle's
// content parsers on the entries import reads whole: manifest.json, receipt.json, their
// .minisig files, log/checkpoint, record and withdrawal documents, inclusion and consistency
// proofs. Checks: an entry's data never exceeds its header's size; an entry path is one
// valid_path() accepts; parsed documents encode back to their exact bytes.
#include <algorithm>
#include <vector>

#include "forms/bundle_documents.h"
#include "forms/log_leaf.h"
#include "forms/record.h"
#include "fuzz_support.h"
#include "store/tar.h"

using namespace svidok;

namespace {

constexpr std::size_t kPiece = 4096;
constexpr std::size_t kMaxWhole = 1u << 20;  // entries read whole (import's limits are larger)
constexpr std::size_t kMaxEntries = 4096;

template <class Doc>
void round_trip(std::string_view bytes) {
    if (auto doc = Doc::parse(bytes)) {
        auto enc = doc->to_json();
        fuzz::require(enc.has_value() && *enc == bytes);
    }
}

void parse_entry(std::string_view path, std::string_view bytes) {
    if (path == forms::kManifestPath) {
        round_trip<forms::Manifest>(bytes);
    } else if (path == forms::kReceiptPath) {
        round_trip<forms::Receipt>(bytes);
    } else if (path.ends_with(forms::kSignatureSuffix)) {
        (void)crypto::minisign::parse_signature(bytes);
    } else if (path == forms::kCheckpointPath) {
        (void)crypto::open_checkpoint(bytes, fuzz::note_verifiers());
    } else if (path.ends_with(".inclusion.json")) {
        round_trip<forms::InclusionProof>(bytes);
    } else if (path.starts_with("log/consistency-")) {
        round_trip<forms::ConsistencyProof>(bytes);
    } else if (path.ends_with("-withdrawal.json")) {
        (void)forms::parse_withdrawal(bytes);
    } else if (path.starts_with("records/")) {
        if (auto doc = forms::parse_record(bytes)) {
            auto enc = forms::encode_record(*doc);
            fuzz::require(enc.has_value() && *enc == bytes);
        }
    }
}

}  // namespace

SVIDOK_FUZZ_TARGET(tar) {
    fuzz::init();
    const auto input = fuzz::bytes(data, size);
    std::size_t at = 0;
    store::tar::Reader reader([&]() -> Result<crypto::ByteView> {
        const std::size_t n = std::min(kPiece, input.size() - at);
        const auto piece = input.subspan(at, n);
        at += n;
        return piece;
    });
    std::vector<unsigned char> buf(kPiece);
    for (std::size_t entries = 0; entries < kMaxEntries; ++entries) {
        auto e = reader.next();
        if (!e) {
            fuzz::require(!e.error().message.empty());
            return 0;
        }
        if (!*e) {
            fuzz::require(reader.end_offset().has_value() && *reader.end_offset() <= size);
            return 0;
        }
        fuzz::require(store::tar::valid_path((*e)->path));
        std::string whole;
        std::uint64_t got = 0;
        for (;;) {
            auto n = reader.read(buf);
            if (!n) return 0;
            if (*n == 0) break;
            got += *n;
            if (whole.size() + *n <= kMaxWhole) whole.append(buf.begin(), buf.begin() + *n);
        }
        fuzz::require(got == (*e)->size);
        if (got <= kMaxWhole) parse_entry((*e)->path, whole);
    }
    return 0;
}
