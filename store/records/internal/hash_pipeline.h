// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the store layers (records, exchange): SHA-256 on a second thread, so hashing an
// attachment overlaps with its encryption or decryption instead of following it
// (docs/PERFORMANCE.md). The caller fills one of a few fixed 64 KiB buffers, submits it, and goes
// on using it read-only (encrypting it, writing it out) while the worker hashes it; a buffer is
// handed out again only after both are done. Memory: four chunks, whatever the file size.

#include <array>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "crypto/blob_stream.h"
#include "crypto/hash.h"

namespace svidok::store::detail {

class HashPipeline {
public:
    static constexpr std::size_t kSlots = 4;
    static constexpr std::size_t kChunk = crypto::blob::kChunkBytes;

    HashPipeline();
    HashPipeline(const HashPipeline&) = delete;
    HashPipeline& operator=(const HashPipeline&) = delete;
    ~HashPipeline();

    /// The buffer to fill next. Its previous content has been hashed, and the caller's use of
    /// it ended when it asked for the following buffer.
    [[nodiscard]] std::span<unsigned char, kChunk> next_buffer();
    /// Hands the first `n` bytes of the buffer from next_buffer() to the hashing thread. The
    /// caller may keep reading that buffer until its next call to next_buffer().
    void submit(std::size_t n);
    /// Waits for every submitted byte and returns the digest. Call once.
    [[nodiscard]] crypto::Sha256Digest finish();

private:
    void run();

    std::vector<unsigned char> buffers_;
    std::array<std::size_t, kSlots> sizes_{};
    std::uint64_t submitted_ = 0;  // guarded by mutex_
    std::uint64_t hashed_ = 0;     // guarded by mutex_
    bool stop_ = false;            // guarded by mutex_
    std::mutex mutex_;
    std::condition_variable cv_;
    crypto::Sha256 sha_;  // used by the worker only, until finish() has waited for it
    std::thread worker_;
};

}  // namespace svidok::store::detail
