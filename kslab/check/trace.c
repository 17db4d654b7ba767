// SPDX-License-Identifier: GPL-2.0
/*
 * Instantiates kslab's trace events (trace.h) and exports them to the
 * test module.
 */
#include <linux/module.h>

#include "check.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

EXPORT_TRACEPOINT_SYMBOL_GPL(kslab_alloc);
EXPORT_TRACEPOINT_SYMBOL_GPL(kslab_free);
EXPORT_TRACEPOINT_SYMBOL_GPL(kslab_violation);
