// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Slow work (key derivation, sealing, attachment intake, export, import, verification, audit)
// runs on a worker thread; the frame polls for the result and never blocks (Tracy's shape).
// Cancelling is the work's own business (Model passes a flag to the library's progress
// callbacks); a Job only runs, reports and hands back.

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "crypto/error.h"

namespace svidok::app {

template <class T>
class Job {
public:
    Job() = default;
    Job(const Job&) = delete;
    Job& operator=(const Job&) = delete;
    ~Job() {
        if (thread_.joinable()) thread_.join();
    }

    /// Starts `work` on a new thread. `expected` is how long it should take, for the progress
    /// bar of work that cannot report progress itself (Argon2id).
    void start(std::move_only_function<Result<T>()> work, std::chrono::milliseconds expected) {
        if (thread_.joinable()) thread_.join();
        done_ = false;
        result_.reset();
        started_ = std::chrono::steady_clock::now();
        expected_ = expected;
        running_ = true;
        thread_ = std::thread([this, w = std::move(work)]() mutable {
            auto r = w();
            std::lock_guard lock(mutex_);
            result_.emplace(std::move(r));
            done_ = true;
        });
    }

    [[nodiscard]] bool running() const noexcept { return running_; }

    /// Fraction in [0, 0.95] from elapsed over expected time while running.
    [[nodiscard]] float progress() const noexcept {
        if (!running_) return 0.f;
        auto elapsed = std::chrono::steady_clock::now() - started_;
        double f =
            std::chrono::duration<double>(elapsed) / std::chrono::duration<double>(expected_);
        return static_cast<float>(f > 0.95 ? 0.95 : f);
    }

    /// The result once the work has finished (then the job is idle again).
    [[nodiscard]] std::optional<Result<T>> take() {
        if (!done_) return std::nullopt;
        thread_.join();
        std::lock_guard lock(mutex_);
        running_ = false;
        done_ = false;
        auto r = std::move(result_);
        result_.reset();
        return r;
    }

    /// Waits for running work to end and drops its result (the panic wipe: the keys are
    /// gone already, and the work must let go of the vault before its files are removed).
    void abandon() {
        if (thread_.joinable()) thread_.join();
        std::lock_guard lock(mutex_);
        running_ = false;
        done_ = false;
        result_.reset();
    }

private:
    std::thread thread_;
    std::mutex mutex_;
    std::atomic<bool> done_{false};
    bool running_ = false;
    std::optional<Result<T>> result_;
    std::chrono::steady_clock::time_point started_;
    std::chrono::milliseconds expected_{1000};
};

}  // namespace svidok::app
