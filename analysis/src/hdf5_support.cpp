// SPDX-License-Identifier: Apache-2.0
#include "hdf5_support.hpp"

#include <string>
#include <vector>

namespace itsim::analysis::detail {

QuietHdf5Errors::QuietHdf5Errors() {
  if (H5Eget_auto2(H5E_DEFAULT, &func_, &data_) < 0) {
    func_ = nullptr;
    data_ = nullptr;
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietHdf5Errors::~QuietHdf5Errors() {
  H5Eset_auto2(H5E_DEFAULT, func_, data_);
}

namespace {

struct ErrorText {
  std::vector<std::string> lines; // most specific first
};

// One line from HDF5's description: its low-level I/O messages span lines and carry
// "time = ..., errno = 28, error message = 'No space left on device', buf = ..."; keep the
// lead and the system's message.
std::string tidy(std::string desc) {
  const std::string marker = "error message = '";
  if (const auto at = desc.find(marker); at != std::string::npos) {
    const auto begin = at + marker.size();
    const auto end = desc.find('\'', begin);
    const std::string system = desc.substr(begin, end == std::string::npos ? end : end - begin);
    desc = desc.substr(0, desc.find(':')) + ": " + system;
  }
  for (char& c : desc) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return desc;
}

herr_t collect(unsigned /*n*/, const H5E_error2_t* err, void* data) {
  auto* text = static_cast<ErrorText*>(data);
  std::string line = err->func_name != nullptr ? err->func_name : "?";
  if (err->desc != nullptr && err->desc[0] != '\0') line += ": " + tidy(err->desc);
  text->lines.push_back(std::move(line));
  return 0;
}

} // namespace

std::string hdf5_error_detail() {
  ErrorText text;
  // Upward: from the innermost function that detected the error out to the API call.
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &text);
  H5Eclear2(H5E_DEFAULT);
  if (text.lines.empty()) return "unknown HDF5 error";
  if (text.lines.size() == 1) return text.lines.front();
  return text.lines.front() + " (in " + text.lines.back() + ")";
}

H5Handle utf8_string_type() {
  H5Handle t(H5Tcopy(H5T_C_S1), H5Tclose);
  if (t.ok()) {
    H5Tset_size(t.get(), H5T_VARIABLE);
    H5Tset_cset(t.get(), H5T_CSET_UTF8);
  }
  return t;
}

} // namespace itsim::analysis::detail
