/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every layer of kslab, for the module entry and the KUnit suites: the
 * public API (include/kslab.h, the one place it is declared) and each
 * layer's internal header. Files inside kslab/ include only their own
 * layer's header and those below it (see types.h).
 */
#ifndef KSLAB_KSLAB_H
#define KSLAB_KSLAB_H

#include "../include/kslab.h"
#include "types.h"
#include "check/check.h"
#include "core/core.h"
#include "api/api.h"
#include "observe/observe.h"

#endif /* KSLAB_KSLAB_H */
