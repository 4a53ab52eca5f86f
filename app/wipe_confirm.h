// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The panic wipe's confirmation, shared by the unlock screen and the safety page.

#include "model.h"
#include "widgets.h"

namespace svidok::app {

/// The person types a word before the wipe button works.
struct WipeConfirm {
    bool open = false;
    TextField word;
    void draw(Model& model);
};

}  // namespace svidok::app
