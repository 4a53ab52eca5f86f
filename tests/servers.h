// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Real servers for the transport tests, started by the test as its own processes on 127.0.0.1
// with their own configuration, keys and certificate (Debian packages from scripts/setup):
// OpenSSH sshd with internal-sftp, Apache mod_dav and lighttpd mod_webdav over TLS, the
// microsocks SOCKS5 proxy, and a relay that cuts connections after a number of bytes.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "process.h"
#include "test_support.h"

namespace svidok::test {

/// A TCP port free at the moment of asking (the kernel picks it).
inline int free_port() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

/// A socket listening on a kernel-chosen loopback port: {fd, port}.
inline std::pair<int, int> listening_socket() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(s, 16) == 0);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    return {s, ntohs(a.sin_port)};
}

inline bool port_open(int port) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
}

inline void wait_for_port(int port, const fs::path& log) {
    for (int i = 0; i < 200; ++i) {
        if (port_open(port)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("server on port " << port << " did not start: "
                           << (fs::exists(log) ? read_file(log) : std::string("(no log)")));
}

/// Runs a shell command line of fixed test text (no secrets of the code under test).
inline std::string sh(const std::string& cmd, const fs::path& scratch) {
    auto r = run_process({"/bin/sh", "-c", cmd}, {}, scratch);
    REQUIRE_MESSAGE(r.exit_code == 0, cmd << ": " << r.err);
    return r.out;
}

inline std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

inline bool running_as_root() {
    return ::geteuid() == 0;
}

inline std::string user_name() {
    const passwd* pw = ::getpwuid(::geteuid());
    REQUIRE(pw != nullptr);
    return pw->pw_name;
}

/// OpenSSH's sshd with an SFTP-only account (internal-sftp), its own Ed25519 host key and an
/// authorized_keys file the test fills. The account is the user running the tests; sshd needs
/// no root for that (no privilege separation is needed to log in as oneself).
class SshServer {
public:
    explicit SshServer(const fs::path& dir, int port = 0)
        : dir_(dir), port_(port ? port : free_port()) {
        fs::create_directories(dir_ / "box");
        new_host_key();
        write_file(dir_ / "authorized_keys", "");
        fs::permissions(dir_ / "authorized_keys", fs::perms::owner_read | fs::perms::owner_write);
        write_file(dir_ / "sshd_config",
                   "Port " + std::to_string(port_) + "\nListenAddress 127.0.0.1\n" + "HostKey " +
                       (dir_ / "hostkey").string() + "\nPidFile " + (dir_ / "sshd.pid").string() +
                       "\nAuthorizedKeysFile " + (dir_ / "authorized_keys").string() +
                       "\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                       "UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n"
                       "Subsystem sftp internal-sftp\nForceCommand internal-sftp\n"
                       "AllowTcpForwarding no\nX11Forwarding no\nLogLevel VERBOSE\n");
        if (running_as_root()) fs::create_directories("/run/sshd");
    }
    void start() {
        proc_ =
            std::make_unique<Process>(std::vector<std::string>{"/usr/sbin/sshd", "-D", "-e", "-f",
                                                               (dir_ / "sshd_config").string()},
                                      std::vector<std::string>{}, dir_);
        wait_for_port(port_, dir_ / "none");
    }
    void stop() { proc_.reset(); }
    /// A fresh host key (the server "changed" under the client); restart to use it.
    void new_host_key() {
        fs::remove(dir_ / "hostkey");
        fs::remove(dir_ / "hostkey.pub");
        sh("ssh-keygen -q -t ed25519 -N '' -f " + (dir_ / "hostkey").string(), dir_);
    }
    /// The fingerprint ssh-keygen shows, "SHA256:...".
    [[nodiscard]] std::string fingerprint() const {
        const std::string out = sh("ssh-keygen -lf " + (dir_ / "hostkey.pub").string(), dir_);
        const auto a = out.find("SHA256:");
        return out.substr(a, out.find(' ', a) - a);
    }
    void authorize(const std::string& public_key_line) {
        std::ofstream(dir_ / "authorized_keys", std::ios::app) << public_key_line << "\n";
    }
    [[nodiscard]] std::string url() const { return url_via(port_); }
    [[nodiscard]] std::string url_via(int port) const {
        return "sftp://" + user_name() + "@127.0.0.1:" + std::to_string(port) +
               (dir_ / "box").string() + "/";
    }
    [[nodiscard]] fs::path root() const { return dir_ / "box"; }
    [[nodiscard]] int port() const { return port_; }

private:
    fs::path dir_;
    int port_;
    std::unique_ptr<Process> proc_;
};

/// A self-signed P-256 certificate for 127.0.0.1 and its public-key pin as curl computes it,
/// by the openssl tool (not by the code under test).
struct TestCertificate {
    fs::path cert, key;
    std::string pin;
    explicit TestCertificate(const fs::path& dir, const std::string& name = "server") {
        cert = dir / (name + "-cert.pem");
        key = dir / (name + "-key.pem");
        sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2"
           " -subj /CN=127.0.0.1 -keyout " +
               key.string() + " -out " + cert.string() + " 2>/dev/null",
           dir);
        pin = "sha256//" + trim(sh("openssl x509 -pubkey -noout -in " + cert.string() +
                                       " | openssl pkey -pubin -outform der"
                                       " | openssl dgst -sha256 -binary | base64",
                                   dir));
    }
};

/// A WebDAV server over TLS with one Basic-auth account.
class DavServer {
public:
    enum class Kind { apache, lighttpd };
    static constexpr const char* kUser = "field1";
    static constexpr const char* kPassword = "correct horse 7";

    DavServer(Kind kind, const fs::path& dir)
        : kind_(kind),
          dir_(dir),
          port_(free_port()),
          cert_(std::make_unique<TestCertificate>(dir)) {
        fs::create_directories(dir_ / "www" / "box");
        sh(std::string("htpasswd -b -c -m ") + (dir_ / "htpasswd").string() + " " + kUser + " '" +
               kPassword + "' 2>/dev/null",
           dir_);
        write_config();
    }
    void start() {
        // As root the servers drop to www-data, which then writes the files and the logs.
        if (running_as_root()) sh("chown -R www-data:www-data " + dir_.string(), dir_);
        std::vector<std::string> argv;
        if (kind_ == Kind::apache) {
            argv = {"/usr/sbin/apache2", "-X", "-f", (dir_ / "apache.conf").string()};
        } else {
            argv = {"/usr/sbin/lighttpd", "-D", "-f", (dir_ / "lighttpd.conf").string()};
        }
        proc_ = std::make_unique<Process>(argv, std::vector<std::string>{}, dir_);
        wait_for_port(port_, dir_ / "error.log");
    }
    void stop() { proc_.reset(); }
    /// Serves a new certificate (a new key) after a restart.
    void new_certificate() {
        cert_ = std::make_unique<TestCertificate>(dir_, "server" + std::to_string(++generation_));
        write_config();
    }
    [[nodiscard]] std::string url() const { return url_via(port_); }
    [[nodiscard]] std::string url_via(int port) const {
        return std::string("https://") + kUser + "@127.0.0.1:" + std::to_string(port) + "/box/";
    }
    [[nodiscard]] const std::string& pin() const { return cert_->pin; }
    [[nodiscard]] fs::path root() const { return dir_ / "www" / "box"; }
    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] const char* name() const {
        return kind_ == Kind::apache ? "apache mod_dav" : "lighttpd mod_webdav";
    }

private:
    void write_config() {
        const std::string d = dir_.string();
        if (kind_ == Kind::apache) {
            const std::string m = "/usr/lib/apache2/modules/";
            std::string conf;
            for (const char* mod : {"mpm_prefork", "authz_core", "authn_core", "authn_file",
                                    "auth_basic", "authz_user", "dav", "dav_fs", "ssl"}) {
                conf += std::string("LoadModule ") + mod + "_module " + m + "mod_" + mod + ".so\n";
            }
            conf += "ServerName 127.0.0.1\nListen 127.0.0.1:" + std::to_string(port_) +
                    "\nPidFile " + d + "/apache.pid\nErrorLog " + d +
                    "/error.log\nDefaultRuntimeDir " + d + "\nMutex file:" + d +
                    " default\nDAVLockDB " + d + "/www/davlock\nDocumentRoot " + d +
                    "/www\nSSLEngine on\nSSLCertificateFile " + cert_->cert.string() +
                    "\nSSLCertificateKeyFile " + cert_->key.string() +
                    "\nSSLSessionCache none\n"
                    "<Directory " +
                    d +
                    "/www>\n  Dav On\n  AuthType Basic\n  AuthName svidok\n"
                    "  AuthUserFile " +
                    d + "/htpasswd\n  Require valid-user\n</Directory>\n";
            if (running_as_root()) conf += "User www-data\nGroup www-data\n";
            write_file(dir_ / "apache.conf", conf);
        } else {
            write_file(
                dir_ / "lighttpd.conf",
                "server.document-root = \"" + d + "/www\"\nserver.port = " + std::to_string(port_) +
                    "\nserver.bind = \"127.0.0.1\"\n" +
                    "server.modules = (\"mod_webdav\", \"mod_auth\", \"mod_authn_file\","
                    " \"mod_openssl\")\nserver.errorlog = \"" +
                    d + "/error.log\"\n" + "ssl.engine = \"enable\"\nssl.pemfile = \"" +
                    cert_->cert.string() + "\"\nssl.privkey = \"" + cert_->key.string() + "\"\n" +
                    "webdav.activate = \"enable\"\nwebdav.is-readonly = \"disable\"\n" +
                    "auth.backend = \"htpasswd\"\nauth.backend.htpasswd.userfile = \"" + d +
                    "/htpasswd\"\nauth.require = (\"\" => (\"method\" => \"basic\", "
                    "\"realm\" => \"svidok\", \"require\" => \"valid-user\"))\n" +
                    (running_as_root() ? "server.username = \"www-data\"\n"
                                         "server.groupname = \"www-data\"\n"
                                       : ""));
        }
    }
    Kind kind_;
    fs::path dir_;
    int port_;
    std::unique_ptr<TestCertificate> cert_;
    int generation_ = 0;
    std::unique_ptr<Process> proc_;
};

/// microsocks on loopback; its stderr log names every connection it carries.
class SocksProxy {
public:
    explicit SocksProxy(const fs::path& dir) : dir_(dir), port_(free_port()) {
        proc_ = std::make_unique<Process>(
            std::vector<std::string>{"/usr/bin/microsocks", "-i", "127.0.0.1", "-p",
                                     std::to_string(port_)},
            std::vector<std::string>{}, dir_);
        wait_for_port(port_, dir_ / "none");
    }
    [[nodiscard]] std::string url() const { return "socks5h://127.0.0.1:" + std::to_string(port_); }
    /// Stops it and returns what it logged.
    std::string stop_and_log() {
        proc_->kill(SIGTERM);
        auto r = proc_->wait();
        return r.out + r.err;
    }
    [[nodiscard]] int port() const { return port_; }

private:
    fs::path dir_;
    int port_;
    std::unique_ptr<Process> proc_;
};

/// A TCP relay from a local port to `target` that cuts every connection once `cut_after` bytes
/// went from client to server in all (0: never), like a connection dropping mid-upload.
class FaultRelay {
public:
    FaultRelay(int target, std::uint64_t cut_after) : target_(target), cut_after_(cut_after) {
        std::tie(listen_, port_) = listening_socket();
        thread_ = std::thread([this] { run(); });
    }
    ~FaultRelay() {
        stop_ = true;
        thread_.join();
        ::close(listen_);
    }
    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] std::uint64_t bytes_up() const { return up_; }
    [[nodiscard]] bool cut() const { return cut_; }

private:
    struct Pair {
        int client, server;
    };
    void run() {
        std::vector<Pair> pairs;
        std::vector<char> buf(1 << 16);
        while (!stop_) {
            std::vector<pollfd> fds{{listen_, POLLIN, 0}};
            for (const auto& p : pairs) {
                fds.push_back({p.client, POLLIN, 0});
                fds.push_back({p.server, POLLIN, 0});
            }
            if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
            if (fds[0].revents & POLLIN) {
                const int c = ::accept(listen_, nullptr, nullptr);
                const int s = ::socket(AF_INET, SOCK_STREAM, 0);
                sockaddr_in a{};
                a.sin_family = AF_INET;
                a.sin_port = htons(static_cast<std::uint16_t>(target_));
                a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                if (c >= 0 && ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
                    pairs.push_back({c, s});
                } else {
                    ::close(c);
                    ::close(s);
                }
                continue;
            }
            std::vector<bool> dead(pairs.size(), false);
            for (std::size_t i = 0; i < pairs.size(); ++i) {
                for (int dir = 0; dir < 2; ++dir) {
                    const auto& f = fds[1 + 2 * i + dir];
                    if (!(f.revents & (POLLIN | POLLHUP | POLLERR))) continue;
                    std::size_t want = buf.size();
                    if (dir == 0 && cut_after_ > 0)
                        want = std::min<std::uint64_t>(want, cut_after_ - up_);
                    const ssize_t n = ::read(f.fd, buf.data(), want);
                    const int to = dir == 0 ? pairs[i].server : pairs[i].client;
                    if (n <= 0 ||
                        ::send(to, buf.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) {
                        dead[i] = true;
                        continue;
                    }
                    if (dir == 0) up_ += static_cast<std::uint64_t>(n);
                }
                if (cut_after_ > 0 && up_ >= cut_after_) {
                    cut_ = true;
                    dead[i] = true;
                }
            }
            for (std::size_t i = pairs.size(); i-- > 0;) {
                if (!dead[i] && !(cut_ && cut_after_ > 0)) continue;
                ::shutdown(pairs[i].client, SHUT_RDWR);
                ::close(pairs[i].client);
                ::close(pairs[i].server);
                pairs.erase(pairs.begin() + static_cast<std::ptrdiff_t>(i));
            }
        }
        for (const auto& p : pairs) {
            ::close(p.client);
            ::close(p.server);
        }
    }
    int target_;
    std::uint64_t cut_after_;
    int listen_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> up_{0};
    std::atomic<bool> cut_{false};
    std::thread thread_;
};

}  // namespace svidok::test
