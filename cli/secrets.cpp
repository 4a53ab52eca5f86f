// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/atomic_file.h"

namespace svidok::cli {
namespace {

// Reads from fd into a secure buffer until EOF or (for a terminal) end of line.
Result<crypto::SecureBuffer> read_fd(int fd, bool stop_at_newline, const std::string& what) {
    crypto::SecureBuffer buf(kMaxSecretBytes + 1);
    std::size_t n = 0;
    while (n < buf.size()) {
        unsigned char c = 0;
        ssize_t r = ::read(fd, &c, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return fail(Errc::io, "cannot read " + what + ": " + store::errno_text(errno));
        if (r == 0) break;
        if (stop_at_newline && (c == '\n' || c == '\r')) break;
        buf.data()[n++] = c;
        c = 0;
    }
    if (n > kMaxSecretBytes) return fail(Errc::invalid, what + " is longer than 1024 bytes");
    if (!stop_at_newline && n > 0 && buf.data()[n - 1] == '\n') --n;
    if (!stop_at_newline && n > 0 && buf.data()[n - 1] == '\r') --n;
    buf.truncate(n);
    if (n == 0) return fail(Errc::invalid, what + " is empty");
    return buf;
}

const char* prompt_text(SecretKind kind) {
    switch (kind) {
        case SecretKind::passphrase:
            return "Passphrase: ";
        case SecretKind::new_passphrase:
            return "New passphrase (at least 12 characters): ";
        case SecretKind::recovery_code:
            return "Recovery code: ";
        case SecretKind::new_duress_passphrase:
            return "Duress passphrase (at least 12 characters, not the vault's passphrase): ";
        case SecretKind::duress_passphrase:
            return "Duress passphrase (to keep it): ";
        case SecretKind::server_password:
            return "The server account's password: ";
    }
    return "";
}

class Tty {
public:
    Tty() : fd_(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) {}
    ~Tty() {
        if (echo_off_) tcsetattr(fd_, TCSAFLUSH, &saved_);
        if (fd_ >= 0) ::close(fd_);
    }
    Tty(const Tty&) = delete;
    Tty& operator=(const Tty&) = delete;
    [[nodiscard]] bool ok() const { return fd_ >= 0 && isatty(fd_); }
    void say(const char* s) const { say(std::string_view(s)); }
    void say(std::string_view s) const { (void)!::write(fd_, s.data(), s.size()); }
    Result<std::string> read_line() const {
        std::string line;
        for (;;) {
            char c = 0;
            ssize_t r = ::read(fd_, &c, 1);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0)
                return fail(Errc::io, "cannot read the terminal: " + store::errno_text(errno));
            if (r == 0 || c == '\n' || c == '\r') return line;
            if (line.size() < 256) line.push_back(c);
        }
    }
    Result<crypto::SecureBuffer> read_hidden(const std::string& what) {
        if (tcgetattr(fd_, &saved_) == 0) {
            termios t = saved_;
            t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            t.c_lflag |= ECHONL;
            echo_off_ = tcsetattr(fd_, TCSAFLUSH, &t) == 0;
        }
        auto r = read_fd(fd_, true, what);
        if (echo_off_) {
            tcsetattr(fd_, TCSAFLUSH, &saved_);
            echo_off_ = false;
        }
        return r;
    }

private:
    int fd_;
    termios saved_{};
    bool echo_off_ = false;
};

}  // namespace

Result<crypto::SecureBuffer> read_secret_file(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return fail(Errc::io,
                    "cannot open secret file " + path.string() + ": " + store::errno_text(errno));
    }
    auto r = read_fd(fd, false, "secret file " + path.string());
    ::close(fd);
    return r;
}

Result<crypto::SecureBuffer> prompt_on_terminal(SecretKind kind) {
    Tty tty;
    if (!tty.ok()) {
        return fail(Errc::usage, "no terminal to ask for the secret on",
                    "pass --passphrase-file FILE (or SVIDOK_PASSPHRASE_FILE); secrets are never "
                    "taken from the command line");
    }
    tty.say(prompt_text(kind));
    auto first = tty.read_hidden("the typed secret");
    const bool twice =
        kind == SecretKind::new_passphrase || kind == SecretKind::new_duress_passphrase;
    if (!first || !twice) return first;
    tty.say(kind == SecretKind::new_passphrase ? "Repeat the new passphrase: "
                                               : "Repeat the duress passphrase: ");
    auto second = tty.read_hidden("the typed secret");
    if (!second) return second;
    if (!first->equals(second->span())) {
        return fail(Errc::invalid, "the two passphrases differ", "type the same passphrase twice");
    }
    return first;
}

Result<std::string> ask_on_terminal(std::string_view question) {
    Tty tty;
    if (!tty.ok()) return fail(Errc::usage, "no terminal to ask on");
    tty.say(question);
    return tty.read_line();
}

}  // namespace svidok::cli
