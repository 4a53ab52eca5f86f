// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The recovery code: 160 random bits a person writes on paper at `init`, in nine groups of
// four Crockford Base32 characters, the last group a check so a typo is told apart from a
// wrong code (docs/FORMAT.md section 2).

#include <string_view>

#include "crypto/error.h"
#include "crypto/secure_buffer.h"

namespace svidok::store {

inline constexpr std::size_t kRecoverySecretBytes = 20;
inline constexpr std::size_t kRecoveryCodeChars = 44;  // 36 symbols + 8 dashes

/// A fresh random recovery secret.
[[nodiscard]] crypto::SecureBuffer generate_recovery_secret();

/// "XXXX-XXXX-...-CCCC" text of a secret (in secure memory).
[[nodiscard]] crypto::SecureBuffer format_recovery_code(const crypto::SecureBuffer& secret);

/// Parses typed text: case, spaces and dashes are ignored, O reads as 0, I and L as 1.
/// Errc::invalid with "mistyped" when the check group does not match, or the length or a
/// character is wrong.
[[nodiscard]] Result<crypto::SecureBuffer> parse_recovery_code(std::string_view text);

}  // namespace svidok::store
