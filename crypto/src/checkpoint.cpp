// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/checkpoint.h"

#include <algorithm>

namespace svidok::crypto {

namespace {

// Strict decimal: no sign, no spaces, no leading zeros, no overflow (C2SP tlog-checkpoint).
bool parse_size(std::string_view s, std::uint64_t& out) noexcept {
    if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (~std::uint64_t{0} - d) / 10) return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

}  // namespace

std::string svidok_device_origin(const DeviceId& device_id) {
    return std::string(kSvidokOriginPrefix) + to_hex(device_id);
}

Result<DeviceId> parse_svidok_device_origin(std::string_view origin) {
    const std::string_view hex = origin.substr(std::min(origin.size(), kSvidokOriginPrefix.size()));
    if (!origin.starts_with(kSvidokOriginPrefix) || hex.size() != 2 * kDeviceIdBytes ||
        hex.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
        return fail(Errc::invalid, "origin is not \"svidok.device/\" and 16 lowercase hex digits");
    }
    DeviceId id{};
    auto bytes = from_hex(hex);
    std::copy(bytes->begin(), bytes->end(), id.begin());
    return id;
}

Result<std::string> format_checkpoint(const Checkpoint& checkpoint) {
    if (auto ok = check_note_key_name(checkpoint.origin); !ok) {
        return std::unexpected(std::move(ok.error()).wrap("checkpoint origin"));
    }
    std::string body = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                       merkle_hash_to_base64(checkpoint.root) + "\n";
    for (const std::string& line : checkpoint.extensions) {
        if (line.empty() || line.find('\n') != std::string::npos) {
            return fail(Errc::invalid, "checkpoint extension lines must be non-empty single lines");
        }
        body += line + "\n";
    }
    if (auto ok = check_note_text(body); !ok) {
        return std::unexpected(std::move(ok.error()).wrap("checkpoint"));
    }
    return body;
}

Result<Checkpoint> parse_checkpoint(std::string_view text) {
    if (auto ok = check_note_text(text); !ok) {
        return fail(Errc::corrupt, "checkpoint: " + ok.error().message);
    }
    std::vector<std::string_view> lines;
    for (std::string_view rest = text; !rest.empty();) {
        const std::size_t eol = rest.find('\n');  // text ends in '\n', so always found
        lines.push_back(rest.substr(0, eol));
        rest.remove_prefix(eol + 1);
    }
    if (lines.size() < 3) {
        return fail(Errc::corrupt, "checkpoint has " + std::to_string(lines.size()) +
                                       " lines; it needs origin, tree size and root hash");
    }
    Checkpoint cp;
    if (lines[0].empty()) return fail(Errc::corrupt, "checkpoint origin (line 1) is empty");
    cp.origin = lines[0];
    if (!parse_size(lines[1], cp.size)) {
        return fail(Errc::corrupt,
                    "checkpoint tree size (line 2) is not a decimal number "
                    "without leading zeros below 2^64");
    }
    auto root = merkle_hash_from_base64(lines[2]);
    if (!root) return std::unexpected(std::move(root.error()).wrap("checkpoint root (line 3)"));
    cp.root = *root;
    for (std::size_t i = 3; i < lines.size(); ++i) {
        if (lines[i].empty()) {
            return fail(Errc::corrupt,
                        "checkpoint extension line " + std::to_string(i + 1) + " is empty");
        }
        cp.extensions.emplace_back(lines[i]);
    }
    return cp;
}

Result<std::string> sign_checkpoint(const Checkpoint& checkpoint,
                                    const SecureBuffer& log_secret_key) {
    auto body = format_checkpoint(checkpoint);
    if (!body) return std::unexpected(std::move(body.error()));
    return sign_note(*body, checkpoint.origin, log_secret_key);
}

Result<std::string> cosign_checkpoint(std::string_view signed_checkpoint,
                                      std::string_view cosigner_name,
                                      const SecureBuffer& cosigner_secret_key,
                                      std::uint64_t timestamp) {
    auto note = parse_note(signed_checkpoint);
    if (!note) return std::unexpected(std::move(note.error()));
    if (auto cp = parse_checkpoint(note->text); !cp) return std::unexpected(std::move(cp.error()));
    return cosign_note(signed_checkpoint, cosigner_name, cosigner_secret_key, timestamp);
}

Result<OpenedCheckpoint> open_checkpoint(std::string_view signed_checkpoint,
                                         std::span<const NoteVerifier> known) {
    auto note = open_note(signed_checkpoint, known);
    if (!note) return std::unexpected(std::move(note.error()));
    auto cp = parse_checkpoint(note->text);
    if (!cp) return std::unexpected(std::move(cp.error()));
    OpenedCheckpoint out{std::move(*cp), {}};
    bool log_signed = false;
    for (VerifiedNoteSignature& sig : note->verified) {
        if (sig.type == kNoteTypeCosignatureV1) {
            out.cosignatures.push_back(std::move(sig));
        } else if (sig.name == out.checkpoint.origin) {
            log_signed = true;
        }
    }
    // A known key of one device must not vouch for another device's log, and a cosigner's
    // word is not the log's: only the origin's own key opens the checkpoint.
    if (!log_signed) {
        return fail(Errc::auth_failed,
                    "checkpoint of " + out.checkpoint.origin +
                        " is not signed by a known key "
                        "of that log",
                    "pin the device's log key after comparing fingerprints");
    }
    return out;
}

}  // namespace svidok::crypto
