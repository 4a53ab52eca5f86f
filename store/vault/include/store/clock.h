// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one clock of every store layer: the times written into the vault, records, logs,
// bundles and receipts all come from here. It reads the device clock unless a test replaces
// it with ScopedClock, so a test can fix the time it checks.

#include <ctime>
#include <string>
#include <utility>

namespace svidok::store {

/// Seconds since the Unix epoch.
using ClockFn = std::time_t (*)() noexcept;

/// The time now: the device clock, or the clock a ScopedClock set.
[[nodiscard]] std::time_t clock_now() noexcept;

/// clock_now() as UTC "YYYY-MM-DDThh:mm:ssZ".
[[nodiscard]] std::string utc_now();

/// clock_now() as UTC time and the local zone offset ("+02:00"), as a seal stamp holds them
/// (docs/FORMAT.md 9.2).
[[nodiscard]] std::pair<std::string, std::string> stamp_now();

/// Replaces the clock of this process while it lives, for tests; the previous clock comes back
/// when it is destroyed. Set it before the code under test starts threads that read the clock.
class ScopedClock {
public:
    explicit ScopedClock(ClockFn clock) noexcept;
    ~ScopedClock();
    ScopedClock(const ScopedClock&) = delete;
    ScopedClock& operator=(const ScopedClock&) = delete;

private:
    ClockFn previous_;
};

}  // namespace svidok::store
