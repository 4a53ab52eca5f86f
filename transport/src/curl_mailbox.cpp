// SPDX-License-Identifier: GPL-3.0-or-later
// SFTP and WebDAV mailboxes through libcurl (SFTP by libssh2, HTTPS by OpenSSL); see
// docs/ARCHITECTURE.md for why libcurl. Only the requests of docs/FORMAT.md 14.3 are made:
// SFTP readdir, open/write/read, rename and mkdir; WebDAV PROPFIND (Depth 1), MKCOL, PUT, MOVE
// and GET.
#include <curl/curl.h>
#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "local_file.h"
#include "transport/mailbox.h"
#include "transport/ssh_key.h"

namespace svidok::transport {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSshPinPrefix = "SHA256:";
constexpr std::string_view kTlsPinPrefix = "sha256//";
constexpr std::size_t kMaxListingBytes = 16u << 20;

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// The parts of a URL this layer accepts (see parse_scheme).
struct Url {
    Scheme scheme{};
    std::string origin;  // "https://host:port", no user: the MOVE Destination's prefix
    std::string user;
    std::string host;  // "host:port"
    std::string path;  // absolute, ends with '/'
};

bool host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == ':' || c == '[' || c == ']';
}
bool path_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '/';
}
bool user_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

std::unexpected<Error> bad_url(std::string_view url, std::string_view why) {
    return fail(Errc::usage, "transport.bad_url", {{"url", std::string(url)}},
                "cannot use the server address " + std::string(url) + ": " + std::string(why),
                "give sftp://USER@HOST[:PORT]/PATH or https://[USER@]HOST[:PORT]/PATH");
}

Result<Url> parse_url(std::string_view url) {
    Url u;
    std::string_view rest;
    if (url.starts_with("sftp://")) {
        u.scheme = Scheme::sftp;
        rest = url.substr(7);
    } else if (url.starts_with("https://")) {
        u.scheme = Scheme::webdav;
        rest = url.substr(8);
    } else {
        return bad_url(url, "only sftp:// and https:// servers are supported");
    }
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return bad_url(url, "it has no path");
    std::string_view authority = rest.substr(0, slash);
    const std::string_view path = rest.substr(slash);
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        u.user = std::string(authority.substr(0, at));
        authority.remove_prefix(at + 1);
        if (u.user.empty() || !std::ranges::all_of(u.user, user_char)) {
            return bad_url(url,
                           "the user name has characters other than [A-Za-z0-9._-] "
                           "(a password never goes into the address)");
        }
    }
    if (authority.empty() || !std::ranges::all_of(authority, host_char)) {
        return bad_url(url, "the host name is malformed");
    }
    if (!std::ranges::all_of(path, path_char) || path.find("/../") != std::string_view::npos ||
        path.ends_with("/..")) {
        return bad_url(url, "the path may hold only [A-Za-z0-9._/-]");
    }
    if (u.scheme == Scheme::sftp && u.user.empty()) {
        return bad_url(url, "an SFTP address names its user: sftp://USER@HOST/PATH");
    }
    u.host = std::string(authority);
    u.origin = (u.scheme == Scheme::sftp ? "sftp://" : "https://") + u.host;
    u.path = std::string(path);
    if (!u.path.ends_with('/')) u.path += '/';
    return u;
}

std::string full_url(const Url& u, std::string_view rel) {
    std::string s = u.scheme == Scheme::sftp ? "sftp://" : "https://";
    if (!u.user.empty()) s += u.user + "@";
    return s + u.host + u.path + std::string(rel);
}

/// An anonymous in-memory file holding the SSH private key for libssh2, which reads keys only
/// from a path: "/proc/self/fd/N" names it without it ever reaching a disk. It is overwritten
/// with zeros before it is closed.
class KeyFile {
public:
    KeyFile() = default;
    KeyFile(const KeyFile&) = delete;
    KeyFile& operator=(const KeyFile&) = delete;
    ~KeyFile() {
        if (fd_ < 0) return;
        const std::vector<char> zeros(size_, 0);
        [[maybe_unused]] auto w = ::pwrite(fd_, zeros.data(), zeros.size(), 0);
        ::close(fd_);
    }
    Result<> write(const crypto::SecureBuffer& bytes) {
        fd_ = ::memfd_create("svidok-ssh-key", MFD_CLOEXEC);
        if (fd_ < 0) return io_error("create", "an in-memory key file", errno);
        size_ = bytes.size();
        if (::pwrite(fd_, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
            return io_error("write", "an in-memory key file", errno);
        }
        path_ = "/proc/self/fd/" + std::to_string(fd_);
        return {};
    }
    [[nodiscard]] const char* path() const noexcept { return path_.c_str(); }

private:
    int fd_ = -1;
    std::size_t size_ = 0;
    std::string path_;
};

struct Slist {
    curl_slist* list = nullptr;
    ~Slist() { curl_slist_free_all(list); }
    void add(const std::string& s) { list = curl_slist_append(list, s.c_str()); }
};

/// The error of a failed request, by what the person can do about it.
std::unexpected<Error> classify(CURLcode code, long http, bool proxied, const char* errbuf,
                                std::string_view what, std::string_view server) {
    const std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(code);
    std::vector<ErrorArg> args{{"server", std::string(server)}, {"operation", std::string(what)}};
    const std::string ctx = std::string(what) + " on " + std::string(server) + ": ";
    if (code == CURLE_HTTP_RETURNED_ERROR) {
        args.push_back({"status", std::to_string(http)});
        if (http == 401) {
            return fail(Errc::auth_failed, "transport.auth_failed", args,
                        ctx + "the server refused the user name or password",
                        "check the account with the server's admin; remove and add the remote "
                        "again with the right password");
        }
        if (http == 507) {
            return fail(Errc::io, "transport.server_full", args,
                        ctx + "the server's disk is full (HTTP 507)",
                        "ask the server's admin for space; what was sent stays for the next sync");
        }
        if (http == 404) {
            return fail(Errc::not_found, "transport.not_found", args,
                        ctx + "the server has no such file or folder (HTTP 404)");
        }
        return fail(Errc::io, "transport.server_refused", args,
                    ctx + "the server refused the request (HTTP " + std::to_string(http) + ")",
                    "check the address and the account's rights with the server's admin");
    }
    args.push_back({"detail", detail});
    switch (code) {
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return fail(Errc::integrity, "transport.server_key_changed", args,
                        ctx +
                            "the server's key is not the one pinned when the remote was added; "
                            "nothing was sent",
                        "someone may be in between; compare the server's key with its admin by "
                        "phone before removing and adding the remote again");
        case CURLE_LOGIN_DENIED:
            return fail(Errc::auth_failed, "transport.auth_failed", args,
                        ctx + "the server refused this vault's key or password",
                        "give the server's admin the key `svidok-cli remote key NAME` prints");
        case CURLE_OPERATION_TIMEDOUT:
            return fail(Errc::io, "transport.timeout", args,
                        ctx + "the connection stalled and timed out",
                        "try again when the connection is better; what was sent stays");
        case CURLE_REMOTE_DISK_FULL:
            return fail(Errc::io, "transport.server_full", args, ctx + "the server's disk is full",
                        "ask the server's admin for space; what was sent stays for the next sync");
        case CURLE_REMOTE_FILE_NOT_FOUND:
            return fail(Errc::not_found, "transport.not_found", args,
                        ctx + "the server has no such file or folder");
        case CURLE_ABORTED_BY_CALLBACK:
            return cancelled();
        case CURLE_PROXY:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return fail(Errc::io, "transport.proxy_refused", args,
                        ctx + "the proxy refused the connection: " + detail,
                        "check that the proxy (Tor) is running and can reach the server");
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
            if (proxied) {
                return fail(Errc::io, "transport.proxy_refused", args,
                            ctx + "cannot reach the proxy: " + detail,
                            "check that the proxy (Tor) is running");
            }
            return fail(Errc::io, "transport.unreachable", args, ctx + "cannot connect: " + detail,
                        "check the address and the network");
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_SSH:
        case CURLE_UPLOAD_FAILED:
            return fail(Errc::io, "transport.connection_lost", args,
                        ctx + "the connection broke off: " + detail,
                        "run sync again: what arrived stays, only the rest is sent");
        default:
            return fail(Errc::io, "transport.failed", args, ctx + detail);
    }
}

class CurlMailbox final : public Mailbox {
public:
    CurlMailbox(Server server, Url url) : server_(std::move(server)), url_(std::move(url)) {}
    ~CurlMailbox() override {
        if (h_) curl_easy_cleanup(h_);
    }

    Result<> init(const crypto::SecureBuffer& secret) {
        global_init();
        h_ = curl_easy_init();
        if (!h_) return fail(Errc::internal, "transport.init", {}, "libcurl failed to start");
        if (url_.scheme == Scheme::sftp) {
            auto file = ssh_private_key_file(secret);
            if (!file) return std::unexpected(file.error());
            return key_.write(*file);
        }
        // libcurl takes the password as a C string: a NUL-terminated copy in locked memory.
        password_ = crypto::SecureBuffer(secret.size() + 1);
        std::memcpy(password_.data(), secret.data(), secret.size());
        return {};
    }

    Result<std::vector<std::string>> list(std::string_view dir) override {
        if (!dir.empty()) {
            if (auto ok = check_path(dir); !ok) return std::unexpected(ok.error());
        }
        const std::string rel = dir.empty() ? std::string() : std::string(dir) + "/";
        std::string body;
        Slist headers;
        prepare(rel);
        curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, &append_text);
        curl_easy_setopt(h_, CURLOPT_WRITEDATA, &body);
        static constexpr char kPropfind[] =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            "<propfind xmlns=\"DAV:\"><prop><resourcetype/></prop></propfind>";
        if (url_.scheme == Scheme::sftp) {
            curl_easy_setopt(h_, CURLOPT_DIRLISTONLY, 1L);
        } else {
            curl_easy_setopt(h_, CURLOPT_CUSTOMREQUEST, "PROPFIND");
            headers.add("Depth: 1");
            headers.add("Content-Type: application/xml; charset=utf-8");
            curl_easy_setopt(h_, CURLOPT_HTTPHEADER, headers.list);
            curl_easy_setopt(h_, CURLOPT_POSTFIELDS, kPropfind);
            curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE, static_cast<long>(sizeof kPropfind - 1));
        }
        if (auto r = perform("list " + rel); !r) {
            if (r.error().code == Errc::not_found) return std::vector<std::string>{};
            return std::unexpected(r.error());
        }
        std::vector<std::string> names =
            url_.scheme == Scheme::sftp ? sftp_names(body) : dav_names(body, url_.path + rel);
        std::ranges::sort(names);
        return names;
    }

    Result<> make_dirs(std::string_view dir) override {
        if (auto ok = check_path(dir); !ok) return ok;
        std::string prefix;
        std::size_t start = 0;
        while (start <= dir.size()) {
            const std::size_t slash = std::min(dir.find('/', start), dir.size());
            prefix = std::string(dir.substr(0, slash));
            start = slash + 1;
            if (auto r = make_dir(prefix); !r) return r;
        }
        return {};
    }

    Result<> put(std::string_view path, const fs::path& local, std::uint64_t offset,
                 std::uint64_t length) override {
        if (auto ok = check_path(path); !ok) return ok;
        Source src{this, ::open(local.c_str(), O_RDONLY | O_CLOEXEC), offset, length};
        if (src.fd < 0) return io_error("open", local, errno);
        prepare(std::string(path));
        curl_easy_setopt(h_, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h_, CURLOPT_READFUNCTION, &read_source);
        curl_easy_setopt(h_, CURLOPT_READDATA, &src);
        curl_easy_setopt(h_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(length));
        curl_easy_setopt(h_, CURLOPT_NEW_FILE_PERMS, 0600L);
        auto r = perform("upload " + std::string(path));
        ::close(src.fd);
        if (!r) return r;
        ++stats_.files_up;
        return {};
    }

    Result<> rename(std::string_view from, std::string_view to) override {
        if (auto ok = check_path(from); !ok) return ok;
        if (auto ok = check_path(to); !ok) return ok;
        Slist cmds;
        if (url_.scheme == Scheme::sftp) {
            cmds.add("rename " + url_.path + std::string(from) + " " + url_.path + std::string(to));
            return quote(cmds, "rename " + std::string(from));
        }
        prepare(std::string(from));
        curl_easy_setopt(h_, CURLOPT_CUSTOMREQUEST, "MOVE");
        curl_easy_setopt(h_, CURLOPT_NOBODY, 1L);
        cmds.add("Destination: " + url_.origin + url_.path + std::string(to));
        cmds.add("Overwrite: F");
        curl_easy_setopt(h_, CURLOPT_HTTPHEADER, cmds.list);
        return perform("rename " + std::string(from));
    }

    Result<> get(std::string_view path, const fs::path& local, std::uint64_t offset,
                 std::uint64_t limit) override {
        if (auto ok = check_path(path); !ok) return ok;
        Sink sink{this, ::open(local.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600),
                  offset, offset, limit};
        if (sink.fd < 0) return io_error("create", local, errno);
        prepare(std::string(path));
        curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, &write_sink);
        curl_easy_setopt(h_, CURLOPT_WRITEDATA, &sink);
        if (offset > 0) {
            curl_easy_setopt(h_, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(offset));
        }
        auto r = perform("download " + std::string(path));
        const bool synced = ::fsync(sink.fd) == 0;
        ::close(sink.fd);
        if (sink.over) return too_large(path, limit);
        if (!r) return r;
        if (!synced) return io_error("write", local, errno);
        ++stats_.files_down;
        return {};
    }

    /// Sets up the handle for a request to `rel` under the root.
    void prepare(const std::string& rel) {
        curl_easy_reset(h_);
        errbuf_[0] = '\0';
        url_text_ = full_url(url_, rel);
        apply_common(h_, url_text_, server_.proxy, server_.timeouts, errbuf_);
        curl_easy_setopt(h_, CURLOPT_XFERINFOFUNCTION, &on_progress);
        curl_easy_setopt(h_, CURLOPT_XFERINFODATA, this);
        curl_easy_setopt(h_, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, &discard);  // status pages of PUT and MOVE
        if (url_.scheme == Scheme::sftp) {
            curl_easy_setopt(h_, CURLOPT_SSH_AUTH_TYPES, static_cast<long>(CURLSSH_AUTH_PUBLICKEY));
            curl_easy_setopt(h_, CURLOPT_SSH_PRIVATE_KEYFILE, key_.path());
            curl_easy_setopt(h_, CURLOPT_SSH_PUBLIC_KEYFILE, "");  // derived from the private
            const std::string_view pin = std::string_view(server_.pin).substr(kSshPinPrefix.size());
            pin_text_ = std::string(pin);
            curl_easy_setopt(h_, CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, pin_text_.c_str());
        } else {
            // The pin is the server's authentication: a self-signed certificate of the legal
            // team's own server is as good as a CA's, and a CA cannot vouch for a different key.
            curl_easy_setopt(h_, CURLOPT_PINNEDPUBLICKEY, server_.pin.c_str());
            curl_easy_setopt(h_, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
            curl_easy_setopt(h_, CURLOPT_PASSWORD, reinterpret_cast<const char*>(password_.data()));
            curl_easy_setopt(h_, CURLOPT_FAILONERROR, 1L);
        }
    }

    /// The options every request and the key probe share.
    static void apply_common(CURL* h, const std::string& url, const std::string& proxy,
                             const Timeouts& t, char* errbuf) {
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "sftp,https");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(t.connect.count()));
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(t.stall.count()));
        // "" turns off the *_proxy environment variables too: only the configured proxy is used.
        curl_easy_setopt(h, CURLOPT_PROXY, proxy.c_str());
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }

private:
    struct Source {
        CurlMailbox* self;
        int fd;
        std::uint64_t offset;
        std::uint64_t left;
    };
    struct Sink {
        CurlMailbox* self;
        int fd;
        std::uint64_t skip;   // a server that ignored the range sends these bytes again
        std::uint64_t total;  // bytes of the file held, the offset included
        std::uint64_t limit;
        bool checked = false;
        bool over = false;
    };

    static std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }
    static std::size_t append_text(char* p, std::size_t size, std::size_t n, void* ud) {
        auto* s = static_cast<std::string*>(ud);
        if (s->size() + size * n > kMaxListingBytes) return 0;
        s->append(p, size * n);
        return size * n;
    }
    static std::size_t read_source(char* p, std::size_t size, std::size_t n, void* ud) {
        auto* s = static_cast<Source*>(ud);
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(size * n, s->left));
        if (want == 0) return 0;
        const ssize_t got = ::pread(s->fd, p, want, static_cast<off_t>(s->offset));
        if (got <= 0) return CURL_READFUNC_ABORT;
        s->offset += static_cast<std::uint64_t>(got);
        s->left -= static_cast<std::uint64_t>(got);
        s->self->stats_.bytes_up += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
    }
    static std::size_t write_sink(char* p, std::size_t size, std::size_t n, void* ud) {
        auto* s = static_cast<Sink*>(ud);
        std::size_t len = size * n;
        if (!s->checked) {
            s->checked = true;
            long code = 0;
            curl_easy_getinfo(s->self->h_, CURLINFO_RESPONSE_CODE, &code);
            if (code != 200) s->skip = 0;  // 206, or SFTP which reads from the offset
        }
        const std::size_t drop = static_cast<std::size_t>(std::min<std::uint64_t>(s->skip, len));
        s->skip -= drop;
        s->total += len - drop;
        if (s->total > s->limit) {  // a hostile or broken server: stop reading at once
            s->over = true;
            return 0;
        }
        for (std::size_t done = drop; done < len;) {
            const ssize_t w = ::write(s->fd, p + done, len - done);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) return 0;  // libcurl reports CURLE_WRITE_ERROR
            done += static_cast<std::size_t>(w);
        }
        s->self->stats_.bytes_down += len - drop;
        return len;
    }
    static int on_progress(void* ud, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
        auto* self = static_cast<CurlMailbox*>(ud);
        return self->progress_ && !self->progress_(self->stats_) ? 1 : 0;
    }

    Result<> perform(const std::string& what) {
        const CURLcode code = curl_easy_perform(h_);
        if (code == CURLE_OK) return {};
        long http = 0;
        curl_easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &http);
        return classify(code, http, !server_.proxy.empty(), errbuf_, what, url_.origin);
    }

    /// SFTP commands (mkdir, rename) run before an empty listing of the root.
    Result<> quote(const Slist& cmds, const std::string& what) {
        std::string discard;
        prepare("");
        curl_easy_setopt(h_, CURLOPT_QUOTE, cmds.list);
        curl_easy_setopt(h_, CURLOPT_NOBODY, 1L);
        curl_easy_setopt(h_, CURLOPT_DIRLISTONLY, 1L);
        curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, &append_text);
        curl_easy_setopt(h_, CURLOPT_WRITEDATA, &discard);
        return perform(what);
    }

    Result<> make_dir(const std::string& rel) {
        if (url_.scheme == Scheme::sftp) {
            Slist cmds;
            cmds.add("*mkdir " + url_.path + rel);  // '*': an existing folder is fine
            return quote(cmds, "create folder " + rel);
        }
        prepare(rel + "/");
        curl_easy_setopt(h_, CURLOPT_CUSTOMREQUEST, "MKCOL");
        curl_easy_setopt(h_, CURLOPT_NOBODY, 1L);
        curl_easy_setopt(h_, CURLOPT_FAILONERROR, 0L);
        if (auto r = perform("create folder " + rel); !r) return r;
        long code = 0;
        curl_easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &code);
        if (code == 201 || code == 405) return {};  // created, or there already
        char none[1] = {'\0'};
        return classify(CURLE_HTTP_RETURNED_ERROR, code, false, none, "create folder " + rel,
                        url_.origin);
    }

    static std::vector<std::string> sftp_names(const std::string& body) {
        std::vector<std::string> names;
        std::size_t start = 0;
        while (start < body.size()) {
            std::size_t nl = body.find('\n', start);
            if (nl == std::string::npos) nl = body.size();
            std::string name = body.substr(start, nl - start);
            if (name.ends_with('\r')) name.pop_back();
            start = nl + 1;
            if (name != "." && name != ".." && check_path(name)) names.push_back(std::move(name));
        }
        return names;
    }

    /// The last segments of the <href>s of a PROPFIND response (any namespace prefix), except
    /// the collection's own. Names outside check_path are left out, never decoded further.
    static std::vector<std::string> dav_names(const std::string& body, const std::string& self) {
        std::vector<std::string> names;
        const auto strip = [](std::string s) {
            while (s.size() > 1 && s.ends_with('/')) s.pop_back();
            return s;
        };
        const std::string own = strip(self);
        for (std::size_t at = body.find("href>"); at != std::string::npos;
             at = body.find("href>", at + 5)) {
            if (at == 0 || (body[at - 1] != '<' && body[at - 1] != ':')) continue;
            const std::size_t open = body.rfind('<', at);
            if (open == std::string::npos || body[open + 1] == '/') continue;
            const std::size_t end = body.find('<', at + 5);
            if (end == std::string::npos) break;
            std::string href = body.substr(at + 5, end - at - 5);
            if (const std::size_t scheme = href.find("://"); scheme != std::string::npos) {
                const std::size_t path = href.find('/', scheme + 3);
                href = path == std::string::npos ? "/" : href.substr(path);
            }
            href = strip(href);
            if (href == own) continue;
            const std::size_t slash = href.rfind('/');
            std::string name = href.substr(slash == std::string::npos ? 0 : slash + 1);
            if (check_path(name)) names.push_back(std::move(name));
        }
        return names;
    }

    Server server_;
    Url url_;
    CURL* h_ = nullptr;
    KeyFile key_;
    crypto::SecureBuffer password_;
    std::string url_text_;
    std::string pin_text_;
    char errbuf_[CURL_ERROR_SIZE] = {};
};

struct Probe {
    crypto::Bytes host_key;
    int type = 0;
};

int capture_host_key(void* ud, int type, const char* key, std::size_t len) {
    auto* p = static_cast<Probe*>(ud);
    p->type = type;
    p->host_key.assign(key, key + len);
    return CURLKHMATCH_MISMATCH;  // seen: go no further
}

Result<std::string> tls_pin(CURL* h, std::string_view url) {
    curl_certinfo* info = nullptr;
    curl_easy_getinfo(h, CURLINFO_CERTINFO, &info);
    if (!info || info->num_of_certs < 1) {
        return fail(Errc::io, "transport.no_certificate", {{"server", std::string(url)}},
                    "the server " + std::string(url) + " showed no TLS certificate");
    }
    for (curl_slist* s = info->certinfo[0]; s; s = s->next) {
        const std::string_view field = s->data;
        if (!field.starts_with("Cert:")) continue;
        const std::string pem(field.substr(5));
        BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
        X509* cert = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
        BIO_free(bio);
        if (!cert) break;
        unsigned char* der = nullptr;
        const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
        X509_free(cert);
        if (len <= 0) break;
        const auto digest = crypto::sha256(crypto::ByteView(der, static_cast<std::size_t>(len)));
        OPENSSL_free(der);
        return std::string(kTlsPinPrefix) + crypto::to_base64(digest);
    }
    return fail(Errc::corrupt, "transport.bad_certificate", {{"server", std::string(url)}},
                "the TLS certificate of " + std::string(url) + " cannot be read");
}

}  // namespace

Result<Scheme> parse_scheme(std::string_view url) {
    auto u = parse_url(url);
    if (!u) return std::unexpected(u.error());
    return u->scheme;
}

Result<std::unique_ptr<Mailbox>> open_server(const Server& server,
                                             const crypto::SecureBuffer& secret) {
    auto url = parse_url(server.url);
    if (!url) return std::unexpected(url.error());
    const std::string_view prefix = url->scheme == Scheme::sftp ? kSshPinPrefix : kTlsPinPrefix;
    if (!server.pin.starts_with(prefix) || server.pin.size() <= prefix.size()) {
        return fail(Errc::usage, "transport.no_pin", {{"server", server.url}},
                    "the remote " + server.url + " has no pinned key of the right kind",
                    "remove the remote and add it again");
    }
    if (!server.proxy.empty() && !server.proxy.starts_with("socks5h://")) {
        return fail(Errc::usage, "transport.bad_proxy", {{"proxy", server.proxy}},
                    "the proxy must be socks5h://HOST:PORT (names resolved by the proxy)");
    }
    auto box = std::make_unique<CurlMailbox>(server, *url);
    if (auto r = box->init(secret); !r) return std::unexpected(r.error());
    return box;
}

Result<ServerKey> fetch_server_key(std::string_view url_text, std::string_view proxy,
                                   const Timeouts& timeouts) {
    auto url = parse_url(url_text);
    if (!url) return std::unexpected(url.error());
    if (!proxy.empty() && !proxy.starts_with("socks5h://")) {
        return fail(Errc::usage, "transport.bad_proxy", {{"proxy", std::string(proxy)}},
                    "the proxy must be socks5h://HOST:PORT (names resolved by the proxy)");
    }
    global_init();
    CURL* h = curl_easy_init();
    if (!h) return fail(Errc::internal, "transport.init", {}, "libcurl failed to start");
    char errbuf[CURL_ERROR_SIZE] = {};
    const std::string full = full_url(*url, "");
    const std::string proxy_text(proxy);
    CurlMailbox::apply_common(h, full, proxy_text, timeouts, errbuf);
    Probe probe;
    if (url->scheme == Scheme::sftp) {
        curl_easy_setopt(h, CURLOPT_SSH_KNOWNHOSTS, "/dev/null");
        curl_easy_setopt(h, CURLOPT_SSH_HOSTKEYFUNCTION, &capture_host_key);
        curl_easy_setopt(h, CURLOPT_SSH_HOSTKEYDATA, &probe);
        curl_easy_setopt(h, CURLOPT_SSH_AUTH_TYPES, static_cast<long>(CURLSSH_AUTH_PUBLICKEY));
        curl_easy_setopt(h, CURLOPT_DIRLISTONLY, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    }
    const CURLcode code = curl_easy_perform(h);
    Result<ServerKey> result;
    if (url->scheme == Scheme::sftp) {
        if (probe.host_key.empty()) {
            result = classify(code, 0, !proxy.empty(), errbuf, "fetch the host key", url->origin);
        } else {
            const auto digest = crypto::sha256(probe.host_key);
            result = ServerKey{
                std::string(kSshPinPrefix) + crypto::to_base64_unpadded(digest),
                probe.type == CURLKHTYPE_ED25519 ? "SSH host key (ssh-ed25519)" : "SSH host key"};
        }
    } else if (code != CURLE_OK) {
        result = classify(code, 0, !proxy.empty(), errbuf, "fetch the certificate", url->origin);
    } else {
        auto pin = tls_pin(h, url->origin);
        if (pin) {
            result = ServerKey{*pin, "TLS public key (SHA-256 of the certificate's key)"};
        } else {
            result = std::unexpected(pin.error());
        }
    }
    curl_easy_cleanup(h);
    return result;
}

}  // namespace svidok::transport
