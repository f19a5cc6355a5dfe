// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itsim/sim/error.hpp"

namespace itsim::scenarios {

/// An input file that cannot be read at all: missing, a directory, or no permission. The
/// message reads `PATH: cannot read: <strerror>`. Distinct from ScenarioError (a file that
/// was read but is not a valid scenario) because the CLI maps it to exit code 66
/// (EX_NOINPUT) rather than 65 (EX_DATAERR).
class InputError : public Error {
public:
  using Error::Error;
};

} // namespace itsim::scenarios
