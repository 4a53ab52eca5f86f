// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The safety page: seal recipients, the failed-attempt limit, the duress passphrase and the
// panic wipe. Each setting says what it protects against and what it risks.

#include "model.h"
#include "widgets.h"
#include "wipe_confirm.h"

namespace svidok::app {

struct SafetyPage {
    int wipe_after = -1;  // the slider; -1 until read from the model
    SecretField duress, duress_repeat;
    bool duress_destroys = false;
    WipeConfirm wipe;
    /// `prepare_decoy` is set when the person asks to prepare the decoy's records (the Ui then
    /// locks and shows the unlock screen for the decoy).
    void draw(Model& model, bool& prepare_decoy);
};

}  // namespace svidok::app
