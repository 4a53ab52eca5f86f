// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/blob_stream.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace svidok::crypto::blob {
namespace {

constexpr std::array<unsigned char, 8> kMagic{'S', 'V', 'I', 'D', 'O', 'K', 'A', 'T'};

[[noreturn]] void misuse(const char* what) noexcept {
    std::fprintf(stderr, "svidok: blob writer misuse: %s\n", what);
    std::abort();
}

std::string chunk_name(std::uint64_t index) {
    return "chunk " + std::to_string(index);
}

}  // namespace

SecureBuffer new_key() {
    SecureBuffer key(kKeyBytes);
    crypto_secretstream_xchacha20poly1305_keygen(key.data());
    return key;
}

Writer::Writer(const SecureBuffer& key, const BlobId& id) noexcept {
    if (key.size() != kKeyBytes) misuse("key size");
    std::ranges::copy(kMagic, header_.begin());
    header_[8] = static_cast<unsigned char>(kVersion & 0xff);
    header_[9] = static_cast<unsigned char>(kVersion >> 8);
    std::ranges::copy(id, header_.begin() + 16);
    crypto_secretstream_xchacha20poly1305_init_push(&state_, header_.data() + kFileHeaderBytes,
                                                    key.data());
}

Writer::~Writer() {
    sodium_memzero(&state_, sizeof state_);
}

std::size_t Writer::push(ByteView chunk, bool last,
                         std::span<unsigned char, kSealedChunkBytes> out) noexcept {
    if (finished_) misuse("push after the last chunk");
    if (last ? chunk.size() >= kChunkBytes : chunk.size() != kChunkBytes) {
        misuse("chunk size");
    }
    unsigned long long n = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &state_, out.data(), &n, chunk.data(), chunk.size(), header_.data(), kFileHeaderBytes,
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
             : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    finished_ = last;
    return static_cast<std::size_t>(n);
}

Result<Reader> Reader::open(const SecureBuffer& key, const BlobId& expected, ByteView header) {
    if (key.size() != kKeyBytes) return fail(Errc::internal, "attachment key has the wrong size");
    if (header.size() < kHeaderBytes) {
        return fail(Errc::corrupt, "the encrypted file is truncated inside its header");
    }
    if (!std::equal(kMagic.begin(), kMagic.end(), header.begin())) {
        return fail(Errc::corrupt, "the encrypted file does not start with SVIDOKAT");
    }
    const unsigned version = header[8] | (static_cast<unsigned>(header[9]) << 8);
    if (version != kVersion) {
        return fail(Errc::unsupported,
                    "the encrypted file has format version " + std::to_string(version));
    }
    if (!std::all_of(header.begin() + 10, header.begin() + 16,
                     [](unsigned char b) { return b == 0; })) {
        return fail(Errc::corrupt, "the encrypted file's reserved header bytes are not zero");
    }
    if (!std::equal(expected.begin(), expected.end(), header.begin() + 16)) {
        return fail(Errc::integrity, "the encrypted file belongs to another attachment");
    }
    Reader r;
    std::copy_n(header.begin(), kFileHeaderBytes, r.ad_.begin());
    if (crypto_secretstream_xchacha20poly1305_init_pull(&r.state_, header.data() + kFileHeaderBytes,
                                                        key.data()) != 0) {
        return fail(Errc::corrupt, "the encrypted file's stream header is invalid");
    }
    return r;
}

Reader::Reader(Reader&& o) noexcept
    : state_(o.state_), ad_(o.ad_), index_(o.index_), finished_(o.finished_) {
    sodium_memzero(&o.state_, sizeof o.state_);
}

Reader::~Reader() {
    sodium_memzero(&state_, sizeof state_);
}

Result<std::size_t> Reader::pull(ByteView sealed, std::span<unsigned char, kChunkBytes> out) {
    if (finished_) {
        return fail(Errc::corrupt, "the encrypted file has bytes after its final chunk");
    }
    if (sealed.size() < kChunkOverhead || sealed.size() > kSealedChunkBytes) {
        return fail(Errc::corrupt, "the encrypted file is truncated in " + chunk_name(index_));
    }
    unsigned long long n = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&state_, out.data(), &n, &tag, sealed.data(),
                                                   sealed.size(), ad_.data(), ad_.size()) != 0) {
        return fail(Errc::integrity,
                    chunk_name(index_) +
                        " of the encrypted file does not "
                        "authenticate: its bytes were altered, removed or reordered");
    }
    const bool full = sealed.size() == kSealedChunkBytes;
    if (full && tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
        return fail(Errc::corrupt, chunk_name(index_) + " of the encrypted file has the wrong tag");
    }
    if (!full && tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
        return fail(Errc::corrupt, "the encrypted file is truncated after " + chunk_name(index_));
    }
    finished_ = !full;
    ++index_;
    return static_cast<std::size_t>(n);
}

}  // namespace svidok::crypto::blob
