// SPDX-License-Identifier: Apache-2.0
// `itsim serve SCENARIO.yaml`: the live what-if page (docs/serve.md). The work is in the
// serve module (serve/: levers, the service, the HTTP server); this file parses the
// options, loads the scenario, prints the URL and stops cleanly on SIGINT or SIGTERM.
#include <boost/program_options.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/serve/http_server.hpp"
#include "itsim/serve/service.hpp"
#include "itsim/sim/error.hpp"
#include "options.hpp"

namespace itsim::cli {

namespace po = boost::program_options;

namespace {

std::atomic<int> stop_signal{0};

extern "C" void on_stop_signal(int signal) {
  stop_signal.store(signal);
}

} // namespace

int serve_command(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string host = "127.0.0.1";
  std::int64_t port = 8080;
  std::int64_t max_comparisons = 2;
  po::options_description opts(
      "usage: itsim serve SCENARIO.yaml [--port 8080] [--host H] [-j N] [--max-comparisons N]\n\n"
      "Serves the live what-if page (docs/serve.md): the board pack's answer, key figures and\n"
      "charts for the scenario, with controls for its `levers:`. Moving a lever reruns the\n"
      "comparison (common random numbers, the same numbers as `itsim run SCENARIO --set\n"
      "KEY=VALUE`); results stream in as replications finish. Listens on 127.0.0.1 unless\n"
      "--host is given; prints the URL; Ctrl-C (SIGINT) or SIGTERM stops it.\n\n"
      "options");
  opts.add_options()("help,h", "show this help")(
      "port,p", po::value<std::int64_t>(&port)->default_value(8080),
      "TCP port; 0 picks a free one (printed)")(
      "host", po::value<std::string>(&host),
      "address to listen on (default 127.0.0.1, this machine only); anything else lets "
      "other machines reach the page")("threads,j", po::value<std::int64_t>(),
                                       "worker threads of a comparison (default: all cores)")(
      "max-comparisons", po::value<std::int64_t>(&max_comparisons)->default_value(2),
      "comparisons running at once, stale ones winding down included; a change beyond "
      "them waits up to 2 s, then gets HTTP 503")(
      "files", po::value<std::vector<std::string>>(&files), "scenario file");
  const std::optional<po::variables_map> parsed = parse_options(args, opts);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  if (files.size() != 1) throw po::error("expected exactly one scenario file");
  if (port < 0 || port > 65535) throw po::error("--port must be in 0..65535");
  if (max_comparisons < 1 || max_comparisons > 64)
    throw po::error("--max-comparisons must be in 1..64");

  scenarios::Diagnostics diags;
  std::optional<scenarios::ComposedScenario> composed =
      scenarios::ComposedScenario::open(files.front(), diags);
  std::optional<scenarios::LoadedScenario> base;
  if (composed) base = composed->load({}, diags);
  if (const std::string text = diags.format_all(); !text.empty())
    std::fprintf(stderr, "%s\n", text.c_str());
  if (!base) return exit_invalid_scenario;
  if (base->scenario.levers.empty())
    std::fprintf(stderr,
                 "itsim serve: warning: %s declares no `levers:`; the page shows the "
                 "comparison without controls (docs/serve.md)\n",
                 files.front().c_str());

  serve::ServiceOptions options;
  options.threads = threads_option(vm);
  options.max_comparisons = static_cast<std::size_t>(max_comparisons);
  options.scenario_path = files.front();
  options.itsim_version = ITSIM_VERSION;
  options.git_describe = ITSIM_GIT_DESCRIBE;
  serve::Service service(std::move(*composed), std::move(*base), options);
  serve::HttpServer http(service);
  int bound = 0;
  try {
    bound = http.bind(host, static_cast<int>(port));
  } catch (const itsim::Error& e) {
    std::fprintf(stderr, "itsim serve: %s\n", e.what());
    return exit_unavailable;
  }
  if (vm.count("host") && host != "127.0.0.1" && host != "localhost" && host != "::1")
    std::fprintf(stderr,
                 "itsim serve: warning: listening on %s: other machines can reach this page "
                 "and start comparisons on it (no authentication)\n",
                 host.c_str());
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::printf("itsim serve: http://%s:%d/ (Ctrl-C stops it)\n", shown.c_str(), bound);
  std::fflush(stdout);

  stop_signal.store(0);
  const auto previous_int = std::signal(SIGINT, on_stop_signal);
  const auto previous_term = std::signal(SIGTERM, on_stop_signal);
  std::atomic<bool> listening_done{false};
  std::thread watcher([&] {
    while (stop_signal.load() == 0 && !listening_done.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    http.stop();
  });
  http.listen();
  listening_done.store(true);
  watcher.join();
  service.stop();
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  std::fprintf(stderr, "itsim serve: stopped%s\n",
               stop_signal.load() == SIGTERM  ? " (SIGTERM)"
               : stop_signal.load() == SIGINT ? " (SIGINT)"
                                              : "");
  return exit_ok;
}

} // namespace itsim::cli
