// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Tests only: a SQLite VFS that wraps the default ("unix") one and asks the store's fault seam
// (store/src/fault_injection.h) before every xWrite, xSync, xRead and xTruncate, so a test can
// fail the Nth call as a failing disk (EIO: SQLITE_IOERR_*) or a full one (ENOSPC: SQLITE_FULL)
// would. SQLCipher encrypts in its pager codec, above the VFS, so the shim sees the encrypted
// pages and journal exactly as the disk would. It is registered as the default VFS by
// install(), which a test calls after the first vault is open (SQLite must be initialised with
// the store's wiping allocator first); nothing shipped ever registers it.

#include <sqlite3.h>

#include <cerrno>
#include <cstring>

#include "fault_injection.h"

namespace svidok::test::fault_vfs {

struct File {
    sqlite3_file base;
    sqlite3_file* real;  // the unix VFS's file, allocated right after this struct
    const char* name;
};

inline sqlite3_vfs*& real_vfs() {
    static sqlite3_vfs* v = nullptr;
    return v;
}

inline sqlite3_file* real(sqlite3_file* f) {
    return reinterpret_cast<File*>(f)->real;
}

/// 0 to go on, or the SQLite code for the injected errno.
inline int injected(store::fault::Op op, sqlite3_file* f, int eio_code) {
    const int err = store::fault::injected(op, reinterpret_cast<File*>(f)->name);
    if (err == 0) return SQLITE_OK;
    return err == ENOSPC ? SQLITE_FULL : eio_code;
}

inline int x_close(sqlite3_file* f) {
    const int rc = real(f)->pMethods != nullptr ? real(f)->pMethods->xClose(real(f)) : SQLITE_OK;
    f->pMethods = nullptr;
    return rc;
}
inline int x_read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
    if (int rc = injected(store::fault::Op::read, f, SQLITE_IOERR_READ); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xRead(real(f), p, n, off);
}
inline int x_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
    if (int rc = injected(store::fault::Op::write, f, SQLITE_IOERR_WRITE); rc != SQLITE_OK)
        return rc;
    return real(f)->pMethods->xWrite(real(f), p, n, off);
}
inline int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (int rc = injected(store::fault::Op::write, f, SQLITE_IOERR_TRUNCATE); rc != SQLITE_OK)
        return rc;
    return real(f)->pMethods->xTruncate(real(f), size);
}
inline int x_sync(sqlite3_file* f, int flags) {
    if (int rc = injected(store::fault::Op::sync, f, SQLITE_IOERR_FSYNC); rc != SQLITE_OK)
        return rc;
    return real(f)->pMethods->xSync(real(f), flags);
}
inline int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    return real(f)->pMethods->xFileSize(real(f), size);
}
inline int x_lock(sqlite3_file* f, int l) {
    return real(f)->pMethods->xLock(real(f), l);
}
inline int x_unlock(sqlite3_file* f, int l) {
    return real(f)->pMethods->xUnlock(real(f), l);
}
inline int x_check_reserved_lock(sqlite3_file* f, int* out) {
    return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
inline int x_file_control(sqlite3_file* f, int op, void* arg) {
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}
inline int x_sector_size(sqlite3_file* f) {
    return real(f)->pMethods->xSectorSize(real(f));
}
inline int x_device_characteristics(sqlite3_file* f) {
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
inline int x_shm_map(sqlite3_file* f, int i, int sz, int extend, void volatile** p) {
    return real(f)->pMethods->xShmMap(real(f), i, sz, extend, p);
}
inline int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
inline void x_shm_barrier(sqlite3_file* f) {
    real(f)->pMethods->xShmBarrier(real(f));
}
inline int x_shm_unmap(sqlite3_file* f, int del) {
    return real(f)->pMethods->xShmUnmap(real(f), del);
}
inline int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** pp) {
    return real(f)->pMethods->xFetch(real(f), off, n, pp);
}
inline int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
    return real(f)->pMethods->xUnfetch(real(f), off, p);
}

inline const sqlite3_io_methods kMethods{3,
                                         x_close,
                                         x_read,
                                         x_write,
                                         x_truncate,
                                         x_sync,
                                         x_file_size,
                                         x_lock,
                                         x_unlock,
                                         x_check_reserved_lock,
                                         x_file_control,
                                         x_sector_size,
                                         x_device_characteristics,
                                         x_shm_map,
                                         x_shm_lock,
                                         x_shm_barrier,
                                         x_shm_unmap,
                                         x_fetch,
                                         x_unfetch};

inline int x_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    auto* file = reinterpret_cast<File*>(f);
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    file->name = name != nullptr ? name : "(temporary)";
    f->pMethods = nullptr;
    (void)vfs;
    const int rc = real_vfs()->xOpen(real_vfs(), name, file->real, flags, out_flags);
    // SQLite calls xClose only when pMethods is set, so a failed open leaves it null.
    if (file->real->pMethods != nullptr) f->pMethods = &kMethods;
    return rc;
}

/// Registers the shim as the default VFS (once). SQLite must already be initialised.
inline void install() {
    static sqlite3_vfs shim = [] {
        real_vfs() = sqlite3_vfs_find("unix");
        sqlite3_vfs v = *real_vfs();
        v.zName = "svidok-fault";
        v.szOsFile = static_cast<int>(sizeof(File)) + real_vfs()->szOsFile;
        v.xOpen = x_open;
        v.pNext = nullptr;
        return v;
    }();
    static const int rc = sqlite3_vfs_register(&shim, 1);
    (void)rc;
}

}  // namespace svidok::test::fault_vfs
