// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <stdexcept>
#include <string>

// Messages name offending values with format_double.
#include "itsim/sim/format.hpp"

namespace itsim {

/// Root of every exception itsim throws on purpose. The CLI catches it, prints what(),
/// and maps the concrete type to an exit code; anything else is an internal error.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Misuse of the engine or a model: scheduling in the past, a negative duration, a
/// distribution parameter out of range. The message names the offending value.
class ModelError : public Error {
public:
  using Error::Error;
};

/// An invalid scenario file; the message starts with `path:line:col: key.path:`.
class ScenarioError : public Error {
public:
  using Error::Error;
};

/// Failure to create or write an output file.
class OutputError : public Error {
public:
  using Error::Error;
};

} // namespace itsim

/// Invariant check, active in Debug and sanitizer builds (where NDEBUG is not defined).
/// A failed invariant is a bug in itsim, never bad input: bad input throws an Error.
#ifndef NDEBUG
#include <cstdio>
#include <cstdlib>
#define ITSIM_ASSERT(cond)                                                                         \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: internal invariant failed: %s\n", __FILE__, __LINE__, #cond);   \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)
#else
#define ITSIM_ASSERT(cond) ((void)0)
#endif
