// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itsim/sim/error.hpp"

#include <string>

namespace itsim::report {

/// No headless browser to print with: the CLI exits with 69 (EX_UNAVAILABLE).
class BrowserUnavailableError : public Error {
public:
  using Error::Error;
};

/// The Chromium to print with: $ITSIM_CHROMIUM when set, else the first of chromium,
/// chromium-browser, google-chrome on PATH; "" when there is none.
std::string find_chromium();

/// Prints the HTML file `html_path` to `pdf_path` with headless Chromium (a fresh profile,
/// no network, A4). The PDF is printed under a temporary name beside `pdf_path` and renamed
/// when complete. Throws BrowserUnavailableError when find_chromium() finds none,
/// analysis::OutputCreateError when `pdf_path` cannot be created (or exists without
/// `force`), analysis::OutputWriteError when Chromium fails (its output in the message).
void print_pdf(const std::string& html_path, const std::string& pdf_path, bool force);

} // namespace itsim::report
