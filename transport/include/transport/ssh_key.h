// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The SSH key Svidok makes for an SFTP server: Ed25519, kept in the vault as its 32-byte seed.
// The private key file libssh2 reads is made in locked memory and handed over through an
// anonymous in-memory file, never a file on disk.

#include <string>
#include <string_view>

#include "crypto/error.h"
#include "crypto/secure_buffer.h"

namespace svidok::transport {

inline constexpr std::size_t kSshSeedBytes = 32;

/// A new random seed.
[[nodiscard]] crypto::SecureBuffer new_ssh_seed();
/// The OpenSSH public key line "ssh-ed25519 <Base64> <comment>" to hand to the server's admin.
/// Errc::usage for a seed that is not 32 bytes.
[[nodiscard]] Result<std::string> ssh_public_key_line(const crypto::SecureBuffer& seed,
                                                      std::string_view comment);
/// The unencrypted OpenSSH private key file ("openssh-key-v1") of `seed`, in locked memory.
[[nodiscard]] Result<crypto::SecureBuffer> ssh_private_key_file(const crypto::SecureBuffer& seed);

}  // namespace svidok::transport
