// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/clock.h"

#include <atomic>
#include <chrono>

#include "forms/record.h"

namespace svidok::store {
namespace {

std::time_t device_clock() noexcept {
    return std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
}

// Atomic because the app reads the clock from its worker threads.
std::atomic<ClockFn> g_clock{&device_clock};

}  // namespace

std::time_t clock_now() noexcept {
    return g_clock.load()();
}

std::string utc_now() {
    return forms::device_clock_at(clock_now()).first;
}

std::pair<std::string, std::string> stamp_now() {
    return forms::device_clock_at(clock_now());
}

ScopedClock::ScopedClock(ClockFn clock) noexcept : previous_(g_clock.exchange(clock)) {}

ScopedClock::~ScopedClock() {
    g_clock.store(previous_);
}

}  // namespace svidok::store
