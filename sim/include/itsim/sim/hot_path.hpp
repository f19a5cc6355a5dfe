// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Marks a small function on the per-event path (scheduling, popping, a station's job
/// handling) that must be inlined into its caller. GCC's size heuristics otherwise leave
/// some of them as calls, each saving and restoring registers once per event, which costs
/// more than the work they do. Only for functions that run once or twice per event.
#if defined(__GNUC__) || defined(__clang__)
#define ITSIM_HOT_INLINE [[gnu::always_inline]] inline
#elif defined(_MSC_VER)
#define ITSIM_HOT_INLINE __forceinline
#else
#define ITSIM_HOT_INLINE inline
#endif
