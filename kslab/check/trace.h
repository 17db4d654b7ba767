/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kslab trace events, modelled on kmem:kmalloc and kmem:kfree
 * (include/trace/events/kmem.h): kslab:kslab_alloc, kslab:kslab_free and
 * kslab:kslab_violation, for tracefs, trace-cmd and perf.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kslab

#if !defined(KSLAB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define KSLAB_TRACE_H

#include <linux/tracepoint.h>
#include <trace/events/mmflags.h>

TRACE_EVENT(kslab_alloc,

	TP_PROTO(unsigned long call_site, const void *ptr, const char *cache,
		 size_t bytes_req, size_t bytes_alloc, gfp_t gfp_flags,
		 int node),

	TP_ARGS(call_site, ptr, cache, bytes_req, bytes_alloc, gfp_flags, node),

	TP_STRUCT__entry(
		__field(unsigned long,	call_site)
		__field(const void *,	ptr)
		__string(cache,		cache)
		__field(size_t,		bytes_req)
		__field(size_t,		bytes_alloc)
		__field(unsigned long,	gfp_flags)
		__field(int,		node)
	),

	TP_fast_assign(
		__entry->call_site	= call_site;
		__entry->ptr		= ptr;
		KSLAB_ASSIGN_STR(cache, cache);
		__entry->bytes_req	= bytes_req;
		__entry->bytes_alloc	= bytes_alloc;
		__entry->gfp_flags	= (__force unsigned long)gfp_flags;
		__entry->node		= node;
	),

	TP_printk("call_site=%pS ptr=%p cache=%s bytes_req=%zu bytes_alloc=%zu gfp_flags=%s node=%d",
		  (void *)__entry->call_site, __entry->ptr, __get_str(cache),
		  __entry->bytes_req, __entry->bytes_alloc,
		  show_gfp_flags(__entry->gfp_flags), __entry->node)
);

TRACE_EVENT(kslab_free,

	TP_PROTO(unsigned long call_site, const void *ptr, const char *cache),

	TP_ARGS(call_site, ptr, cache),

	TP_STRUCT__entry(
		__field(unsigned long,	call_site)
		__field(const void *,	ptr)
		__string(cache,		cache)
	),

	TP_fast_assign(
		__entry->call_site	= call_site;
		__entry->ptr		= ptr;
		KSLAB_ASSIGN_STR(cache, cache);
	),

	TP_printk("call_site=%pS ptr=%p cache=%s",
		  (void *)__entry->call_site, __entry->ptr, __get_str(cache))
);

TRACE_EVENT(kslab_violation,

	TP_PROTO(const char *finding, unsigned long call_site, const void *ptr,
		 const char *cache, int offset),

	TP_ARGS(finding, call_site, ptr, cache, offset),

	TP_STRUCT__entry(
		__string(finding,	finding)
		__field(unsigned long,	call_site)
		__field(const void *,	ptr)
		__string(cache,		cache)
		__field(int,		offset)
	),

	TP_fast_assign(
		KSLAB_ASSIGN_STR(finding, finding);
		__entry->call_site	= call_site;
		__entry->ptr		= ptr;
		KSLAB_ASSIGN_STR(cache, cache);
		__entry->offset		= offset;
	),

	TP_printk("finding=%s call_site=%pS ptr=%p cache=%s offset=%d",
		  __get_str(finding), (void *)__entry->call_site, __entry->ptr,
		  __get_str(cache), __entry->offset)
);

#endif /* KSLAB_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
