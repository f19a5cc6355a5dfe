// SPDX-License-Identifier: Apache-2.0
#include "itsim/serve/http_server.hpp"

#include <httplib.h>

#include "itsim/sim/error.hpp"

namespace itsim::serve {

struct HttpServer::Impl {
  explicit Impl(Service& s) : service(s) {}
  Service& service;
  httplib::Server server;
};

HttpServer::HttpServer(Service& service, int threads) : impl_(std::make_unique<Impl>(service)) {
  httplib::Server& s = impl_->server;
  s.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(threads));
  };
  s.set_payload_max_length(service.options().max_body);
  const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    Request r;
    r.method = req.method;
    r.path = req.path;
    for (const auto& [k, v] : req.params)
      r.query.emplace(k, v);
    r.body = req.body;
    const Response out = impl_->service.handle(r);
    res.status = out.status;
    if (!out.filename.empty())
      res.set_header("Content-Disposition", "attachment; filename=\"" + out.filename + "\"");
    res.set_header("Cache-Control", "no-store");
    res.set_content(out.body, out.content_type.c_str());
  };
  s.Get(R"(/.*)", handler);
  s.Post(R"(/.*)", handler);
  // httplib answers 413 itself for a body over the limit; give it a JSON body too.
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 413)
      res.set_content("{\"error\":\"request body too large\"}", "application/json");
  });
}

HttpServer::~HttpServer() {
  stop();
}

int HttpServer::bind(const std::string& host, int port) {
  int bound = -1;
  if (port == 0)
    bound = impl_->server.bind_to_any_port(host);
  else if (impl_->server.bind_to_port(host, port))
    bound = port;
  if (bound <= 0)
    throw itsim::Error("cannot listen on " + host + ":" + std::to_string(port) +
                       " (in use, or not an address of this machine)");
  return bound;
}

void HttpServer::listen() {
  impl_->server.listen_after_bind();
}

void HttpServer::stop() {
  impl_->server.stop();
}

} // namespace itsim::serve
