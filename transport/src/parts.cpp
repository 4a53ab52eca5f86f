// SPDX-License-Identifier: GPL-3.0-or-later
// Parts, part lists and publishing by rename (docs/FORMAT.md 14.3).
#include "transport/parts.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <set>

#include "crypto/encoding.h"
#include "local_file.h"

namespace svidok::transport {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPartListMagic = "svidok-parts/1";

std::string join(std::string_view dir, std::string_view name) {
    return dir.empty() ? std::string(name) : std::string(dir) + "/" + std::string(name);
}

std::uint64_t part_count(std::uint64_t size, std::uint64_t part_bytes) {
    return (size + part_bytes - 1) / part_bytes;
}

/// SHA-256 of bytes [offset, offset + length) of a local file.
Result<crypto::Sha256Digest> hash_range(const fs::path& file, std::uint64_t offset,
                                        std::uint64_t length) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error("open", file, errno);
    crypto::Sha256 h;
    std::array<unsigned char, 1 << 16> buf{};
    while (length > 0) {
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), length));
        const ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(offset));
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            ::close(fd);
            return io_error("read", file, err);
        }
        h.update(crypto::ByteView(buf.data(), static_cast<std::size_t>(n)));
        offset += static_cast<std::uint64_t>(n);
        length -= static_cast<std::uint64_t>(n);
    }
    ::close(fd);
    return h.finish();
}

std::unexpected<Error> bad_list(std::string_view why) {
    return fail(Errc::corrupt, "transport.bad_part_list", {{"reason", std::string(why)}},
                "the part list on the server cannot be read: " + std::string(why),
                "the server's copy is damaged; the sender's next sync does not repair it, ask "
                "the sender to export again");
}

std::unexpected<Error> bad_part(std::string_view name) {
    return fail(Errc::integrity, "transport.bad_part", {{"file", std::string(name)}},
                std::string(name) + " on the server does not match its part list",
                "the server's copy was damaged or altered; it was left in place");
}

bool parse_u64(std::string_view s, std::uint64_t& v) {
    if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && p == s.data() + s.size();
}

bool parse_digest(std::string_view s, crypto::Sha256Digest& d) {
    if (s.size() != 64) return false;
    if (!std::ranges::all_of(
            s, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
        return false;
    auto bytes = crypto::from_hex(s);
    if (!bytes) return false;
    std::ranges::copy(*bytes, d.begin());
    return true;
}

/// Uploads bytes [offset, offset + length) of `local` to dir/name via dir/name.tmp.
Result<> publish(Mailbox& m, const fs::path& local, std::uint64_t offset, std::uint64_t length,
                 std::string_view dir, const std::string& name) {
    const std::string final_path = join(dir, name);
    const std::string temp = final_path + std::string(kTempSuffix);
    if (auto r = m.put(temp, local, offset, length); !r) return r;
    return m.rename(temp, final_path);
}

/// Fetches dir/name into `to` through `to`.partial, resuming a cut download.
Result<std::uint64_t> fetch_one(Mailbox& m, std::string_view dir, std::string_view name,
                                const fs::path& to, std::uint64_t max_bytes) {
    const fs::path partial = to.string() + ".partial";
    const std::uint64_t before = m.stats().bytes_down;
    const std::uint64_t have = file_size_or_zero(partial);
    if (auto r = m.get(join(dir, name), partial, have, max_bytes); !r) {
        if (r.error().kind == "transport.too_large") ::unlink(partial.c_str());
        return std::unexpected(r.error());
    }
    if (::rename(partial.c_str(), to.c_str()) != 0) return io_error("rename", partial, errno);
    return m.stats().bytes_down - before;
}

Result<std::string> read_text(const fs::path& file, std::uint64_t max) {
    if (file_size_or_zero(file) > max) return bad_list("larger than 1 MiB");
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return io_error("read", file, EIO);
    return text;
}

}  // namespace

std::string part_name(std::string_view name, std::uint64_t index) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ".p%05llu", static_cast<unsigned long long>(index));
    return std::string(name) + buf;
}

std::string format_part_list(const PartList& list) {
    std::string out = std::string(kPartListMagic) + "\nsize " + std::to_string(list.size) +
                      "\npart-size " + std::to_string(list.part_bytes) + "\nsha256 " +
                      crypto::to_hex(list.sha256) + "\n";
    for (const auto& d : list.parts) out += crypto::to_hex(d) + "\n";
    return out;
}

Result<PartList> parse_part_list(std::string_view text) {
    if (text.size() > kMaxPartListBytes) return bad_list("larger than 1 MiB");
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        if (nl == std::string_view::npos) return bad_list("the last line does not end");
        lines.push_back(text.substr(0, nl));
        text.remove_prefix(nl + 1);
    }
    if (lines.size() < 4 || lines[0] != kPartListMagic) return bad_list("not svidok-parts/1");
    PartList list;
    const auto field = [&](std::string_view line, std::string_view key) -> std::string_view {
        if (!line.starts_with(key) || line.size() <= key.size() || line[key.size()] != ' ')
            return {};
        return line.substr(key.size() + 1);
    };
    if (!parse_u64(field(lines[1], "size"), list.size) || list.size == 0) {
        return bad_list("bad size line");
    }
    if (!parse_u64(field(lines[2], "part-size"), list.part_bytes) ||
        list.part_bytes < kMinPartBytes || list.part_bytes > kMaxPartBytes) {
        return bad_list("bad part-size line");
    }
    if (!parse_digest(field(lines[3], "sha256"), list.sha256)) return bad_list("bad sha256 line");
    if (lines.size() - 4 != part_count(list.size, list.part_bytes)) {
        return bad_list("the number of parts does not match the size");
    }
    for (std::size_t i = 4; i < lines.size(); ++i) {
        crypto::Sha256Digest d{};
        if (!parse_digest(lines[i], d)) return bad_list("bad part line");
        list.parts.push_back(d);
    }
    return list;
}

std::vector<Published> published(const std::vector<std::string>& listing) {
    const std::set<std::string> names(listing.begin(), listing.end());
    std::vector<Published> out;
    for (const auto& n : names) {
        if (n.ends_with(kTempSuffix)) continue;
        if (n.ends_with(kPartListSuffix)) {
            const std::string base = n.substr(0, n.size() - kPartListSuffix.size());
            if (!base.empty() && !names.contains(base)) out.push_back({base, true});
        } else {
            out.push_back({n, false});
        }
    }
    // Part names "<name>.p00000" are not files of their own: drop those whose list is there.
    std::erase_if(out, [&](const Published& p) {
        const std::size_t dot = p.name.rfind(".p");
        return !p.in_parts && dot != std::string::npos && p.name.size() - dot == 7 &&
               names.contains(p.name.substr(0, dot) + std::string(kPartListSuffix));
    });
    std::ranges::sort(out, {}, &Published::name);
    return out;
}

Result<SendResult> send_file(Mailbox& m, const fs::path& local, std::string_view dir,
                             std::string_view name_view, const std::vector<std::string>& listing,
                             std::uint64_t part_bytes) {
    const std::string name(name_view);
    const std::string list_name = name + std::string(kPartListSuffix);
    const std::set<std::string> have(listing.begin(), listing.end());
    const std::uint64_t size = file_size_or_zero(local);
    SendResult result;
    result.parts = size <= part_bytes ? 1 : part_count(size, part_bytes);
    if (have.contains(name) || have.contains(list_name)) {
        result.already_published = true;
        return result;
    }
    const std::uint64_t before = m.stats().bytes_up;
    if (size <= part_bytes) {
        if (auto r = publish(m, local, 0, size, dir, name); !r) return std::unexpected(r.error());
        result.parts_sent = 1;
        result.bytes_sent = m.stats().bytes_up - before;
        return result;
    }
    PartList list;
    list.size = size;
    list.part_bytes = part_bytes;
    auto whole = hash_range(local, 0, size);
    if (!whole) return std::unexpected(whole.error());
    list.sha256 = *whole;
    for (std::uint64_t i = 0; i < result.parts; ++i) {
        const std::uint64_t offset = i * part_bytes;
        const std::uint64_t length = std::min(part_bytes, size - offset);
        auto digest = hash_range(local, offset, length);
        if (!digest) return std::unexpected(digest.error());
        list.parts.push_back(*digest);
        const std::string part = part_name(name, i);
        if (have.contains(part)) continue;  // sent whole by an earlier run
        if (auto r = publish(m, local, offset, length, dir, part); !r) {
            return std::unexpected(r.error());
        }
        ++result.parts_sent;
    }
    // The list is written beside the file (ciphertext metadata only) and published last.
    const fs::path list_file = local.string() + std::string(kPartListSuffix);
    {
        std::ofstream out(list_file, std::ios::binary | std::ios::trunc);
        out << format_part_list(list);
        if (!out.flush()) return io_error("write", list_file, EIO);
    }
    auto r = publish(m, list_file, 0, file_size_or_zero(list_file), dir, list_name);
    ::unlink(list_file.c_str());
    if (!r) return std::unexpected(r.error());
    result.bytes_sent = m.stats().bytes_up - before;
    return result;
}

Result<FetchResult> fetch_file(Mailbox& m, std::string_view dir, const Published& file,
                               const fs::path& spool, std::uint64_t max_bytes) {
    const fs::path target = spool / file.name;
    FetchResult result;
    result.file = target;
    // Only a complete, checked file ever gets its final name here: kept from an earlier run
    // (a bundle that failed to import stays for a person and is not fetched again).
    if (file_size_or_zero(target) > 0) return result;
    if (!file.in_parts) {
        auto n = fetch_one(m, dir, file.name, target, max_bytes);
        if (!n) return std::unexpected(n.error());
        result.bytes_fetched = *n;
        return result;
    }
    const std::string list_name = file.name + std::string(kPartListSuffix);
    const fs::path list_file = spool / list_name;
    if (file_size_or_zero(list_file) == 0) {
        auto n = fetch_one(m, dir, list_name, list_file, kMaxPartListBytes);
        if (!n) return std::unexpected(n.error());
        result.bytes_fetched += *n;
    }
    auto text = read_text(list_file, kMaxPartListBytes);
    if (!text) return std::unexpected(text.error());
    auto list = parse_part_list(*text);
    if (!list) return std::unexpected(list.error());
    if (list->size > max_bytes) {
        return fail(Errc::invalid, "transport.too_large",
                    {{"file", file.name}, {"bytes", std::to_string(list->size)}},
                    file.name + " is " + std::to_string(list->size) +
                        " bytes, more than this side accepts");
    }
    for (std::uint64_t i = 0; i < list->parts.size(); ++i) {
        const std::string part = part_name(file.name, i);
        const fs::path local = spool / part;
        const std::uint64_t expect = std::min(list->part_bytes, list->size - i * list->part_bytes);
        if (file_size_or_zero(local) == expect) {  // kept from an earlier run
            auto digest = hash_range(local, 0, expect);
            if (!digest) return std::unexpected(digest.error());
            if (*digest == list->parts[i]) continue;
            ::unlink(local.c_str());
        }
        for (int attempt = 0;; ++attempt) {
            auto n = fetch_one(m, dir, part, local, expect);
            if (!n) return std::unexpected(n.error());
            result.bytes_fetched += *n;
            auto digest = hash_range(local, 0, file_size_or_zero(local));
            if (!digest) return std::unexpected(digest.error());
            if (file_size_or_zero(local) == expect && *digest == list->parts[i]) break;
            ::unlink(local.c_str());
            if (attempt == 1) return bad_part(part);
        }
    }
    // Assemble, check the whole, then drop the parts.
    const fs::path assembling = target.string() + ".partial";
    ::unlink(assembling.c_str());
    for (std::uint64_t i = 0; i < list->parts.size(); ++i) {
        const fs::path local = spool / part_name(file.name, i);
        if (auto r = append_range(local, 0, file_size_or_zero(local), assembling, {}); !r) {
            return std::unexpected(r.error());
        }
    }
    auto whole = hash_range(assembling, 0, file_size_or_zero(assembling));
    if (!whole) return std::unexpected(whole.error());
    if (*whole != list->sha256) {
        ::unlink(assembling.c_str());
        return bad_part(file.name);
    }
    if (::rename(assembling.c_str(), target.c_str()) != 0) {
        return io_error("rename", assembling, errno);
    }
    for (std::uint64_t i = 0; i < list->parts.size(); ++i) {
        ::unlink((spool / part_name(file.name, i)).c_str());
    }
    ::unlink(list_file.c_str());
    return result;
}

Result<> move_published(Mailbox& m, std::string_view dir, const Published& file,
                        std::string_view to_dir, const std::vector<std::string>& listing) {
    const auto move = [&](const std::string& n) { return m.rename(join(dir, n), join(to_dir, n)); };
    if (!file.in_parts) return move(file.name);
    if (auto r = move(file.name + std::string(kPartListSuffix)); !r) return r;
    const std::string prefix = file.name + ".p";
    for (const auto& n : listing) {
        if (n.starts_with(prefix) && n.size() == prefix.size() + 5 && !n.ends_with(kTempSuffix)) {
            if (auto r = move(n); !r) return r;
        }
    }
    return {};
}

}  // namespace svidok::transport
