// SPDX-License-Identifier: Apache-2.0
// Private to itsim_analysis: RAII handles and error text for the HDF5 C API, shared by the
// results writer and reader. HDF5 types never leave analysis/src.
#pragma once

#include <hdf5.h>

#include <string>
#include <utility>

namespace itsim::analysis::detail {

/// Owns an HDF5 identifier and releases it with the matching H5*close function.
class H5Handle {
public:
  using Closer = herr_t (*)(hid_t);

  H5Handle() = default;
  H5Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  H5Handle(const H5Handle&) = delete;
  H5Handle& operator=(const H5Handle&) = delete;
  H5Handle(H5Handle&& o) noexcept
      : id_(std::exchange(o.id_, H5I_INVALID_HID)), closer_(o.closer_) {}
  H5Handle& operator=(H5Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
      closer_ = o.closer_;
    }
    return *this;
  }
  ~H5Handle() { reset(); }

  /// The identifier (negative when the call that made it failed).
  hid_t get() const { return id_; }
  /// Whether the identifier is valid (the creating call succeeded).
  bool ok() const { return id_ >= 0; }
  /// Closes now and returns the close function's status (0 when there was nothing to close).
  herr_t close() {
    herr_t status = 0;
    if (id_ >= 0 && closer_ != nullptr) status = closer_(id_);
    id_ = H5I_INVALID_HID;
    return status;
  }
  /// Closes, ignoring errors (destructors, failure paths).
  void reset() { (void)close(); }

private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Turns off HDF5's automatic error printing on this thread while alive (errors become
/// exceptions with hdf5_error_detail() instead) and restores the previous handler after.
class QuietHdf5Errors {
public:
  QuietHdf5Errors();
  ~QuietHdf5Errors();
  QuietHdf5Errors(const QuietHdf5Errors&) = delete;
  QuietHdf5Errors& operator=(const QuietHdf5Errors&) = delete;

private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

/// The most specific message of this thread's HDF5 error stack (e.g. "file write failed:
/// ... errno = 28, error message = 'No space left on device'") with the API function that
/// failed, then clears the stack. "unknown HDF5 error" when the stack is empty.
std::string hdf5_error_detail();

/// A variable-length UTF-8 string type (for attributes and string datasets).
H5Handle utf8_string_type();

} // namespace itsim::analysis::detail
