// SPDX-License-Identifier: GPL-3.0-or-later
// Paths and URLs a mailbox accepts, and the local folder as a mailbox.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "local_file.h"
#include "transport/mailbox.h"

namespace svidok::transport {

namespace fs = std::filesystem;

namespace {

bool name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

class FolderMailbox final : public Mailbox {
public:
    explicit FolderMailbox(fs::path root) : root_(std::move(root)) {}

    Result<std::vector<std::string>> list(std::string_view dir) override {
        if (auto ok = check_dir(dir); !ok) return std::unexpected(ok.error());
        std::vector<std::string> names;
        std::error_code ec;
        const fs::path p = at(dir);
        if (!fs::exists(p, ec)) return names;
        for (const auto& e : fs::directory_iterator(p, ec)) {
            names.push_back(e.path().filename().string());
        }
        if (ec) return io_error("list", p, ec.value());
        std::ranges::sort(names);
        return names;
    }

    Result<> make_dirs(std::string_view dir) override {
        if (auto ok = check_dir(dir); !ok) return ok;
        fs::path p = root_;
        for (const auto& part : fs::path(dir)) {
            p /= part;
            if (::mkdir(p.c_str(), 0700) != 0 && errno != EEXIST) {
                return io_error("create", p, errno);
            }
        }
        return {};
    }

    Result<> put(std::string_view path, const fs::path& local, std::uint64_t offset,
                 std::uint64_t length) override {
        if (auto ok = check_path(path); !ok) return ok;
        const fs::path to = at(path);
        auto r = copy_range(local, offset, length, to, [&](std::uint64_t n) {
            stats_.bytes_up += n;
            return !progress_ || progress_(stats_);
        });
        if (!r) return r;
        ++stats_.files_up;
        return {};
    }

    Result<> rename(std::string_view from, std::string_view to) override {
        if (auto ok = check_path(from); !ok) return ok;
        if (auto ok = check_path(to); !ok) return ok;
        const fs::path a = at(from), b = at(to);
        // link + unlink refuses to replace, as an SFTP server does.
        if (::link(a.c_str(), b.c_str()) != 0) return io_error("rename", a, errno);
        if (::unlink(a.c_str()) != 0) return io_error("rename", a, errno);
        return sync_dir(b.parent_path());
    }

    Result<> get(std::string_view path, const fs::path& local, std::uint64_t offset,
                 std::uint64_t limit) override {
        if (auto ok = check_path(path); !ok) return ok;
        const fs::path from = at(path);
        struct stat st {};
        if (::stat(from.c_str(), &st) != 0) return io_error("read", from, errno);
        const auto size = static_cast<std::uint64_t>(st.st_size);
        if (size > limit) return too_large(path, limit);
        if (offset > size) offset = size;
        auto r = append_range(from, offset, size - offset, local, [&](std::uint64_t n) {
            stats_.bytes_down += n;
            return !progress_ || progress_(stats_);
        });
        if (!r) return r;
        ++stats_.files_down;
        return {};
    }

private:
    static Result<> check_dir(std::string_view dir) {
        return dir.empty() ? Result<>{} : check_path(dir);
    }
    fs::path at(std::string_view rel) const { return rel.empty() ? root_ : root_ / rel; }
    fs::path root_;
};

}  // namespace

Result<> check_path(std::string_view path) {
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = path.find('/', start);
        const std::string_view seg = path.substr(start, slash - start);
        if (seg.empty() || seg.size() > 128 || seg == "." || seg == ".." ||
            !std::ranges::all_of(seg, name_char)) {
            return fail(Errc::invalid, "transport.bad_name", {{"path", std::string(path)}},
                        "refusing the mailbox path \"" + std::string(path) +
                            "\": only names of [A-Za-z0-9._-] are used");
        }
        if (slash == std::string_view::npos) return {};
        start = slash + 1;
    }
}

std::unique_ptr<Mailbox> open_folder(const fs::path& root) {
    return std::make_unique<FolderMailbox>(root);
}

}  // namespace svidok::transport
