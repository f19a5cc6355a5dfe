// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "itsim/serve/service.hpp"

namespace itsim::serve {

/// The HTTP side of `itsim serve`, on cpp-httplib: every request goes to Service::handle;
/// bodies over the service's max_body get 413 before they are read in full.
class HttpServer {
public:
  /// `threads`: connections served at once.
  explicit HttpServer(Service& service, int threads = 8);
  ~HttpServer();
  /// Binds `host`:`port` (port 0: a free port); returns the port. Throws itsim::Error when
  /// it cannot bind.
  int bind(const std::string& host, int port);
  /// Serves until stop(); call after bind().
  void listen();
  /// Makes listen() return (from any thread).
  void stop();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace itsim::serve
