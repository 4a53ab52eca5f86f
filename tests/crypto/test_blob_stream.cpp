// SPDX-License-Identifier: GPL-3.0-or-later
// The attachment blob format (docs/FORMAT.md 11.2) in memory: exact layout and sizes, and every
// way a stored blob can be wrong: another key, another blob's id, a changed header, a chunk
// removed, repeated, reordered or cut, and bytes after the final chunk.

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "crypto/blob_stream.h"

using namespace svidok;
using namespace svidok::crypto;

namespace {

using Bytes = std::vector<unsigned char>;

Bytes random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    Bytes b(n);
    for (auto& c : b) c = static_cast<unsigned char>(rng());
    return b;
}

struct Sealed {
    Bytes header;
    std::vector<Bytes> chunks;
    Bytes file() const {
        Bytes out = header;
        for (const auto& c : chunks) out.insert(out.end(), c.begin(), c.end());
        return out;
    }
};

Sealed seal(const SecureBuffer& key, const blob::BlobId& id, const Bytes& plain) {
    blob::Writer w(key, id);
    Sealed s{Bytes(w.header().begin(), w.header().end()), {}};
    Bytes out(blob::kSealedChunkBytes);
    std::size_t off = 0;
    for (;;) {
        const std::size_t n = std::min(blob::kChunkBytes, plain.size() - off);
        const bool last = n < blob::kChunkBytes;
        const std::size_t m = w.push(ByteView(plain.data() + off, n), last,
                                     std::span<unsigned char, blob::kSealedChunkBytes>(out));
        s.chunks.emplace_back(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(m));
        off += n;
        if (last) break;
    }
    CHECK(w.finished());
    return s;
}

/// Opens a whole blob the way the store reads it; the plaintext or the first error.
Result<Bytes> open(const SecureBuffer& key, const blob::BlobId& id, const Bytes& file) {
    auto r = blob::Reader::open(key, id,
                                ByteView(file).first(std::min(file.size(), blob::kHeaderBytes)));
    if (!r) return std::unexpected(r.error());
    Bytes plain, buf(blob::kChunkBytes);
    std::size_t off = blob::kHeaderBytes;
    while (!r->finished()) {
        if (off >= file.size()) return fail(Errc::integrity, "ends before its final chunk");
        const std::size_t n = std::min(blob::kSealedChunkBytes, file.size() - off);
        auto m = r->pull(ByteView(file.data() + off, n),
                         std::span<unsigned char, blob::kChunkBytes>(buf));
        if (!m) return std::unexpected(m.error());
        plain.insert(plain.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*m));
        off += n;
    }
    if (off != file.size()) return fail(Errc::corrupt, "bytes after the final chunk");
    return plain;
}

const blob::BlobId kId{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

}  // namespace

TEST_CASE("sizes and layout follow FORMAT.md 11.2") {
    auto key = blob::new_key();
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, blob::kChunkBytes - 1, blob::kChunkBytes,
                          blob::kChunkBytes + 1, 3 * blob::kChunkBytes}) {
        CAPTURE(n);
        const Bytes plain = random_bytes(n, static_cast<unsigned>(n));
        const Sealed s = seal(key, kId, plain);
        const Bytes file = s.file();
        CHECK(file.size() == blob::sealed_size(n));
        CHECK(s.chunks.size() == n / blob::kChunkBytes + 1);
        CHECK(std::string(file.begin(), file.begin() + 8) == "SVIDOKAT");
        CHECK(file[8] == 1);
        CHECK(file[9] == 0);
        for (int i = 10; i < 16; ++i) CHECK(file[static_cast<std::size_t>(i)] == 0);
        CHECK(Bytes(file.begin() + 16, file.begin() + 32) == Bytes(kId.begin(), kId.end()));
        auto back = open(key, kId, file);
        REQUIRE_MESSAGE(back, (back ? "" : back.error().message));
        CHECK(*back == plain);
    }
    // Keys are fresh each time, so two blobs of the same content differ entirely.
    const Bytes plain = random_bytes(1000, 9);
    CHECK(seal(blob::new_key(), kId, plain).file() != seal(blob::new_key(), kId, plain).file());
}

TEST_CASE("every altered, cut, reordered or foreign blob is refused") {
    auto key = blob::new_key();
    const Bytes plain = random_bytes(3 * blob::kChunkBytes + 100, 5);
    const Sealed s = seal(key, kId, plain);
    const Bytes good = s.file();
    REQUIRE(open(key, kId, good));

    auto refused = [&](const Bytes& file, Errc code, std::string_view text) {
        auto r = open(key, kId, file);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == code);
        CHECK_MESSAGE(r.error().message.find(text) != std::string::npos, r.error().message);
    };
    // Every byte of the header and a spread of chunk bytes.
    for (std::size_t pos = 0; pos < good.size(); pos += (pos < 64 ? 1 : 4099)) {
        CAPTURE(pos);
        Bytes bad = good;
        bad[pos] ^= 0x80;
        CHECK_FALSE(open(key, kId, bad));
    }
    Bytes magic = good;
    magic[0] = 'X';
    refused(magic, Errc::corrupt, "does not start with SVIDOKAT");
    Bytes version = good;
    version[8] = 2;
    refused(version, Errc::unsupported, "format version 2");
    Bytes reserved = good;
    reserved[12] = 1;
    refused(reserved, Errc::corrupt, "reserved");
    auto other_id = kId;
    other_id[0] ^= 1;
    auto r = open(key, other_id, good);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("belongs to another attachment") != std::string::npos);
    refused(Bytes(good.begin(), good.begin() + 40), Errc::corrupt, "truncated inside its header");
    CHECK_FALSE(open(blob::new_key(), kId, good));

    auto with_chunks = [&](std::vector<std::size_t> order) {
        Sealed t{s.header, {}};
        for (auto i : order) t.chunks.push_back(s.chunks[i]);
        return t.file();
    };
    refused(with_chunks({1, 0, 2, 3}), Errc::integrity, "chunk 0");
    refused(with_chunks({0, 2, 3}), Errc::integrity, "chunk 1");        // one removed
    refused(with_chunks({0, 0, 1, 2, 3}), Errc::integrity, "chunk 1");  // one repeated
    refused(with_chunks({0, 1, 2}), Errc::integrity, "ends before its final chunk");
    Bytes extra = good;
    extra.push_back(0);
    refused(extra, Errc::integrity, "chunk 3 of the encrypted file does not authenticate");
    Bytes cut = good;
    cut.resize(cut.size() - 5);
    refused(cut, Errc::integrity, "does not authenticate");
    // A chunk re-sealed from another blob with the same key and id still fails: the stream
    // header differs, so the nonces do.
    const Sealed other = seal(key, kId, plain);
    Sealed mixed = s;
    mixed.chunks[1] = other.chunks[1];
    refused(mixed.file(), Errc::integrity, "chunk 1");
}
