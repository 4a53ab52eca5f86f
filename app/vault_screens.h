// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The screens outside a session: creating or unlocking the vault, the wait while a lock lets
// running work end, and the recovery code shown once after creation.

#include "model.h"
#include "widgets.h"
#include "wipe_confirm.h"

namespace svidok::app {

/// Screen::create, Screen::unlock and Screen::locking.
struct VaultWindow {
    SecretField passphrase;
    SecretField repeat;
    bool focus_pending = true;
    bool caps_lock_on = false;
    bool decoy = false;  // the next unlock opens the decoy, to prepare its records
    WipeConfirm wipe;
    void draw(Model& model);

private:
    void draw_locking(Model& model);
    void draw_wipe(Model& model);
};

/// Screen::show_recovery_code.
struct RecoveryCodeWindow {
    bool written = false;
    void draw(Model& model);
};

}  // namespace svidok::app
