// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"

namespace itsim::serve {

/// How `itsim serve` runs comparisons (docs/serve.md).
struct ServiceOptions {
  /// Worker threads of one comparison; 0: all hardware threads.
  unsigned threads = 0;
  /// Comparisons running at once, stale ones winding down included; a lever change that
  /// finds none free within `queue_wait_s` gets 503.
  std::size_t max_comparisons = 2;
  double queue_wait_s = 2;
  /// Largest request body accepted (the HTTP server answers 413 beyond it).
  std::size_t max_body = 16 * 1024;
  /// Finished comparisons kept for their results and downloads (the latest ones).
  std::size_t keep_comparisons = 6;
  /// The scenario as the command line named it, and the program's version, for the
  /// results file's provenance.
  std::string scenario_path;
  std::string itsim_version;
  std::string git_describe;
};

/// One HTTP request as the service sees it: no sockets, so that tests drive it directly.
struct Request {
  std::string method; ///< "GET", "POST"
  std::string path;   ///< "/api/run"
  std::map<std::string, std::string> query;
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  /// Sent as an attachment under this name when not empty (downloads).
  std::string filename;
};

/// The live what-if service: the scenario's levers, comparisons started by lever changes
/// (each with common random numbers; a new one cancels the stale ones), snapshots of the
/// replications finished so far, and the downloads. Thread-safe: the HTTP server calls
/// handle() from several threads.
///
///   GET  /                      the page
///   GET  /api/levers            the levers, their defaults and the values of the latest
///                               comparison
///   POST /api/run               body {"lever": value, ...} -> 202 {"job": ID}; 400 with
///                               {"errors": [{"lever", "message"}]}; 503 when busy
///   GET  /api/result?job=ID[&have=K]  the snapshot (state, runs and replications done,
///                               answer, KPI table, charts; board and charts left out when
///                               the snapshot still has K replications)
///   GET  /download/scenario.yaml|results.h5|board.html?job=ID  (default: the latest)
class Service {
public:
  Service(scenarios::ComposedScenario composed, scenarios::LoadedScenario base,
          ServiceOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  Response handle(const Request& request);
  /// Cancels every comparison and waits for them; handle() answers 503 afterwards.
  void stop();
  /// Comparisons whose runs have not all stopped yet.
  std::size_t running() const;
  const ServiceOptions& options() const;

  struct Impl;

private:
  std::unique_ptr<Impl> impl_;
};

/// The live page: the board pack's styles and the inlined Vega, Vega-Lite and vega-embed,
/// with the script that builds the controls from /api/levers and polls /api/result.
std::string live_page(const std::string& title);

} // namespace itsim::serve
