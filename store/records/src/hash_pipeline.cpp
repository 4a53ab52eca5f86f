// SPDX-License-Identifier: GPL-3.0-or-later
#include "hash_pipeline.h"

namespace svidok::store::detail {

HashPipeline::HashPipeline() : buffers_(kSlots * kChunk), worker_([this] { run(); }) {}

HashPipeline::~HashPipeline() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
}

std::span<unsigned char, HashPipeline::kChunk> HashPipeline::next_buffer() {
    std::unique_lock lock(mutex_);
    // The slot handed out now last held submission (submitted_ - kSlots), which the caller
    // stopped using several calls ago: wait until the worker has hashed it too.
    cv_.wait(lock, [this] { return submitted_ - hashed_ < kSlots; });
    return std::span<unsigned char, kChunk>(buffers_.data() + (submitted_ % kSlots) * kChunk,
                                            kChunk);
}

void HashPipeline::submit(std::size_t n) {
    {
        std::lock_guard lock(mutex_);
        sizes_[submitted_ % kSlots] = n;
        ++submitted_;
    }
    cv_.notify_all();
}

crypto::Sha256Digest HashPipeline::finish() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return hashed_ == submitted_; });
    return sha_.finish();
}

void HashPipeline::run() {
    for (;;) {
        std::size_t slot = 0, n = 0;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return stop_ || hashed_ < submitted_; });
            if (hashed_ == submitted_) return;  // stopping with nothing left
            slot = hashed_ % kSlots;
            n = sizes_[slot];
        }
        sha_.update(std::span<const unsigned char>(buffers_.data() + slot * kChunk, n));
        {
            std::lock_guard lock(mutex_);
            ++hashed_;
        }
        cv_.notify_all();
    }
}

}  // namespace svidok::store::detail
