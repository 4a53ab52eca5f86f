// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/tar.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <utility>

namespace svidok::store::tar {

namespace {

/// A name from an archive, safe to put in a message: printable ASCII kept, every other byte
/// escaped, long names cut. The archive may be hostile.
std::string quoted(std::string_view s) {
    constexpr std::size_t kShown = 120;
    constexpr const char* kHex = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size() && i < kShown; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    if (s.size() > kShown) out += "...";
    out += '"';
    return out;
}

/// libarchive's last message in this project's style (lowercase, no final period). It may
/// quote archive content, so it is escaped like a name.
std::string archive_message(archive* a) {
    const char* m = a != nullptr ? archive_error_string(a) : nullptr;
    if (m == nullptr || *m == '\0') return "libarchive gave no reason";
    std::string s = quoted(m);
    s = s.substr(1, s.size() - 2);  // the quotes
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s.size() > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z')
        s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}

bool path_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

constexpr std::uint64_t round_up(std::uint64_t n) noexcept {
    return (n + (kBlockBytes - 1)) / kBlockBytes * kBlockBytes;
}

}  // namespace

std::uint64_t entry_bytes(std::uint64_t size) noexcept {
    if (size > kMaxFileBytes) return std::numeric_limits<std::uint64_t>::max();
    // The pax record for the size is "NN size=N\n" with N of 10 to 19 digits: 19 to 28 bytes,
    // one data block. libarchive's pax-restricted writer adds nothing else for our entries
    // (mtime, atime and ctime are 0, no names, ids, flags, ACLs or xattrs).
    const std::uint64_t pax = size >= kPaxSizeThreshold ? kPaxSizeHeaderBytes : 0;
    return pax + kBlockBytes + round_up(size);
}

bool valid_path(std::string_view path) noexcept {
    if (path.empty() || path.size() > kMaxPathBytes) return false;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = path.find('/', start);
        const std::string_view part =
            path.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (part.empty() || part == "." || part == "..") return false;
        for (const char c : part)
            if (!path_char(c)) return false;
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Writer

struct Writer::State {
    crypto::ByteSink sink;
    archive* a = nullptr;
    std::optional<Error> error;  // the first failure: every later call returns it
    std::uint64_t written = 0;
    std::string path;             // the current file, for messages
    std::uint64_t remaining = 0;  // bytes the current file still needs
    bool has_file = false;
    bool finished = false;
    bool closed = false;   // archive_write_close() was called
    bool discard = false;  // being destroyed: nothing more reaches the sink

    State() = default;
    State(const State&) = delete;
    State& operator=(const State&) = delete;

    /// Whether a new entry or the end marker may follow: no earlier failure, not finished, and
    /// the current file complete.
    [[nodiscard]] Result<> between_entries() const {
        if (error) return std::unexpected(*error);
        if (finished) return fail(Errc::usage, "the tar archive is already finished");
        if (remaining > 0) {
            return fail(Errc::usage, "tar entry " + quoted(path) + " still lacks " +
                                         std::to_string(remaining) + " of its declared bytes");
        }
        return {};
    }

    ~State() {
        if (a == nullptr) return;
        if (!closed) {
            // Closing writes the end marker (and pads an unfinished file): an abandoned archive
            // must not look complete, and the sink's owner may be gone, so those writes fail
            // here. Closing still runs because it frees libarchive's output state; freeing
            // without it (archive_write_fail) leaks that.
            discard = true;
            (void)archive_write_close(a);
        }
        archive_write_free(a);
    }

    static la_ssize_t on_write(archive* a, void* client, const void* buffer,
                               std::size_t length) noexcept {
        auto* s = static_cast<State*>(client);
        if (s->discard) {
            archive_set_error(a, ECANCELED, "the tar writer was abandoned");
            return -1;
        }
        auto r = s->sink(crypto::ByteView(static_cast<const unsigned char*>(buffer), length));
        if (!r) {
            // Kept, so the caller gets the sink's own error rather than libarchive's summary.
            s->error = std::move(r.error());
            archive_set_error(a, EIO, "the sink failed");
            return -1;
        }
        s->written += length;
        return static_cast<la_ssize_t>(length);
    }

    [[nodiscard]] std::unexpected<Error> failure(const std::string& what) {
        if (!error) error = Error{Errc::internal, what + ": " + archive_message(a), {}};
        return std::unexpected(*error);
    }

    [[nodiscard]] Result<> end_file() {
        // Writes the padding now rather than with the next header, so bytes_written() counts
        // the whole entry.
        if (archive_write_finish_entry(a) != ARCHIVE_OK)
            return failure("cannot complete tar entry " + quoted(path));
        return {};
    }
};

Writer::Writer(std::unique_ptr<State> state) noexcept : s_(std::move(state)) {}
Writer::Writer(Writer&&) noexcept = default;
Writer& Writer::operator=(Writer&&) noexcept = default;
Writer::~Writer() = default;

Result<Writer> Writer::create(crypto::ByteSink sink) {
    if (!sink) return fail(Errc::usage, "a tar writer needs a sink");
    auto s = std::make_unique<State>();
    s->sink = std::move(sink);
    s->a = archive_write_new();
    if (s->a == nullptr) return fail(Errc::internal, "cannot start a tar writer (libarchive)");
    // Pax restricted is plain ustar unless an entry needs more; for our entries that is only a
    // size of 8 GiB or more. No blocking: bytes reach the sink as they are made and nothing
    // pads the archive after the end marker (tar's default is 10240-byte records).
    if (archive_write_set_format_pax_restricted(s->a) != ARCHIVE_OK ||
        archive_write_set_bytes_per_block(s->a, 0) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(s->a, 1) != ARCHIVE_OK)
        return fail(Errc::internal, "cannot set up the tar writer: " + archive_message(s->a));
    if (archive_write_open(s->a, s.get(), nullptr, &State::on_write, nullptr) != ARCHIVE_OK)
        return s->failure("cannot open the tar writer");
    return Writer(std::move(s));
}

Result<> Writer::begin_file(std::string_view path, std::uint64_t size) {
    State& s = *s_;
    if (auto r = s.between_entries(); !r) return r;
    if (!valid_path(path))
        return fail(Errc::usage, quoted(path) + " cannot name a file in a tar archive",
                    "use 1 to 100 characters of A-Z a-z 0-9 . _ - and /, without empty, '.' or "
                    "'..' components");
    if (size > kMaxFileBytes)
        return fail(Errc::usage, "tar entry " + quoted(path) + " is too large (" +
                                     std::to_string(size) + " bytes)");

    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        &archive_entry_free);
    if (!entry) return fail(Errc::internal, "cannot allocate a tar entry (libarchive)");
    std::string name(path);
    archive_entry_copy_pathname(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0600);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
    archive_entry_set_mtime(entry.get(), 0, 0);  // uid, gid 0 and no names: the defaults
    if (archive_write_header(s.a, entry.get()) != ARCHIVE_OK)
        return s.failure("cannot write the tar header of " + quoted(name));
    s.path = std::move(name);
    s.has_file = true;
    s.remaining = size;
    if (size == 0) return s.end_file();
    return {};
}

Result<> Writer::write(crypto::ByteView data) {
    State& s = *s_;
    if (s.error) return std::unexpected(*s.error);
    if (s.finished) return fail(Errc::usage, "the tar archive is already finished");
    if (!s.has_file) return fail(Errc::usage, "tar data written before any begin_file()");
    if (data.size() > s.remaining)
        return fail(Errc::usage, "writing " + std::to_string(data.size()) +
                                     " bytes would exceed the declared size of tar entry " +
                                     quoted(s.path) + " (" + std::to_string(s.remaining) +
                                     " bytes left)");
    if (data.empty()) return {};
    const la_ssize_t n = archive_write_data(s.a, data.data(), data.size());
    if (n < 0 || static_cast<std::size_t>(n) != data.size())
        return s.failure("cannot write the data of tar entry " + quoted(s.path));
    s.remaining -= data.size();
    if (s.remaining == 0) return s.end_file();
    return {};
}

Result<> Writer::finish() {
    State& s = *s_;
    if (auto r = s.between_entries(); !r) return r;
    s.closed = true;
    if (archive_write_close(s.a) != ARCHIVE_OK)
        return s.failure("cannot write the end of the tar archive");
    s.finished = true;
    return {};
}

std::uint64_t Writer::bytes_written() const noexcept {
    return s_ ? s_->written : 0;
}

// ---------------------------------------------------------------------------------------------
// Reader

struct Reader::State {
    Source source;
    archive* a = nullptr;
    bool opened = false;
    bool source_ended = false;
    std::optional<Error> source_error;  // returned as it is, whatever libarchive made of it
    std::optional<Error> error;         // the first failure: every later call returns it
    bool in_entry = false;
    std::string path;  // the current entry, for messages
    std::optional<std::uint64_t> end;

    explicit State(Source src) : source(std::move(src)) {}
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State() {
        if (a != nullptr) archive_read_free(a);
    }

    static la_ssize_t on_read(archive* a, void* client, const void** buffer) noexcept {
        auto* s = static_cast<State*>(client);
        *buffer = nullptr;
        if (s->source_error) {
            archive_set_error(a, EIO, "the source failed");
            return -1;
        }
        if (s->source_ended) return 0;
        auto r = s->source();
        if (!r) {
            s->source_error = std::move(r.error());
            archive_set_error(a, EIO, "the source failed");
            return -1;
        }
        if (r->empty()) {
            s->source_ended = true;
            return 0;
        }
        *buffer = r->data();
        return static_cast<la_ssize_t>(r->size());
    }

    /// Records the failure (the source's own error when it failed, since libarchive may report
    /// that as a truncation or ignore it) and returns it.
    [[nodiscard]] std::unexpected<Error> failure(Errc code, std::string message) {
        if (!error) error = source_error ? *source_error : Error{code, std::move(message), {}};
        in_entry = false;
        return std::unexpected(*error);
    }

    [[nodiscard]] Result<> open() {
        opened = true;
        a = archive_read_new();
        if (a == nullptr) return failure(Errc::internal, "cannot start a tar reader (libarchive)");
        // The tar format alone, and no filter: only libarchive's pass-through reads the bytes.
        if (archive_read_support_format_tar(a) != ARCHIVE_OK)
            return failure(Errc::internal, "cannot set up the tar reader: " + archive_message(a));
        if (archive_read_open(a, this, nullptr, &State::on_read, nullptr) != ARCHIVE_OK)
            return failure(Errc::corrupt,
                           "the data is not a tar archive (" + archive_message(a) + ")");
        return {};
    }

    [[nodiscard]] std::unexpected<Error> refuse(const std::string& why) {
        return failure(Errc::corrupt, "tar entry " + quoted(path) + " " + why);
    }

    /// The entry must be one Writer could have made.
    [[nodiscard]] Result<> check(archive_entry* entry) {
        if (archive_entry_hardlink(entry) != nullptr)
            return refuse("is a hard link, not a regular file");
        switch (archive_entry_filetype(entry)) {
            case AE_IFREG:
                break;
            case AE_IFDIR:
                return refuse("is a directory, not a regular file");
            case AE_IFLNK:
                return refuse("is a symbolic link, not a regular file");
            case AE_IFIFO:
                return refuse("is a fifo, not a regular file");
            case AE_IFCHR:
            case AE_IFBLK:
                return refuse("is a device, not a regular file");
            default:
                return refuse("is not a regular file");
        }
        // libarchive presents a GNU sparse file as a regular file with a map of data regions.
        if (archive_entry_sparse_count(entry) > 0) return refuse("is a sparse file");
        if (!valid_path(path))
            return refuse(
                "has a path Svidok never writes (absolute, with '.', '..' or empty "
                "components, longer than 100 bytes or outside [A-Za-z0-9._/-])");
        if (archive_entry_size_is_set(entry) == 0 || archive_entry_size(entry) < 0)
            return refuse("has no valid size");
        return {};
    }
};

Reader::Reader(Source source) : s_(std::make_unique<State>(std::move(source))) {}
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

Result<std::optional<Reader::Entry>> Reader::next() {
    State& s = *s_;
    if (s.error) return std::unexpected(*s.error);
    if (s.end) return std::nullopt;
    if (!s.opened) {
        if (auto r = s.open(); !r) return std::unexpected(r.error());
    }
    if (s.in_entry) {
        s.in_entry = false;
        if (archive_read_data_skip(s.a) != ARCHIVE_OK || s.source_error)
            return s.failure(Errc::corrupt, "tar entry " + quoted(s.path) +
                                                " is truncated: " + archive_message(s.a));
    }
    archive_entry* entry = nullptr;
    const int r = archive_read_next_header(s.a, &entry);
    if (s.source_error) return s.failure(Errc::io, {});
    if (r == ARCHIVE_EOF) {
        // libarchive also ends quietly at a block boundary with no zero block or after only
        // one: a stream cut there (a bundle cut short) must not pass as complete. It consumes
        // both zero blocks of a proper marker and nothing after them.
        const la_int64_t marker = archive_read_header_position(s.a);
        const la_int64_t after = archive_filter_bytes(s.a, 0);
        if (marker < 0 || after - marker != static_cast<la_int64_t>(kEndOfArchiveBytes))
            return s.failure(Errc::corrupt,
                             "the tar archive ends without its end-of-archive marker "
                             "(it is truncated)");
        s.end = static_cast<std::uint64_t>(after);
        return std::nullopt;
    }
    const char* name = entry != nullptr ? archive_entry_pathname(entry) : nullptr;
    if (r != ARCHIVE_OK) {
        // A warning too: it means libarchive guessed or dropped something in the header.
        const std::string where =
            name != nullptr && *name != '\0' ? " at tar entry " + quoted(name) : "";
        return s.failure(Errc::corrupt,
                         "the tar archive is damaged" + where + ": " + archive_message(s.a));
    }
    s.path = name != nullptr ? name : "";
    if (auto ok = s.check(entry); !ok) return std::unexpected(ok.error());
    s.in_entry = true;
    return Entry{s.path, static_cast<std::uint64_t>(archive_entry_size(entry))};
}

Result<std::size_t> Reader::read(std::span<unsigned char> out) {
    State& s = *s_;
    if (s.error) return std::unexpected(*s.error);
    if (!s.in_entry) return fail(Errc::usage, "tar data read without a current entry");
    if (out.empty()) return 0;
    const la_ssize_t n = archive_read_data(s.a, out.data(), out.size());
    if (n < 0 || s.source_error)
        return s.failure(Errc::corrupt, "tar entry " + quoted(s.path) +
                                            " is truncated or damaged: " + archive_message(s.a));
    return static_cast<std::size_t>(n);
}

std::optional<std::uint64_t> Reader::end_offset() const noexcept {
    return s_ ? s_->end : std::nullopt;
}

}  // namespace svidok::store::tar
