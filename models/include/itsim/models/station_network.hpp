// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "itsim/sim/arrival_process.hpp"
#include "itsim/sim/distribution.hpp"
#include "itsim/sim/simulation.hpp"
#include "itsim/sim/station.hpp"
#include "itsim/sim/statistics.hpp"

namespace itsim::models {

/// A stream of jobs entering the network: one job class.
struct SourceSpec {
  std::string name = "source";
  /// Renewal arrivals: time between arrivals in hours (exponential for Poisson).
  sim::Distribution interarrival_h = sim::Distribution::exponential(1.0);
  /// When set, arrivals follow this non-homogeneous Poisson process instead.
  std::optional<sim::ArrivalProcess> process;
  std::uint32_t first_station = 0;
  std::uint8_t priority = 0; ///< 0 is the most urgent class
  /// Servers working on one job at once (sim::JobRequest::crew); stations it visits need a
  /// StationConfig::max_crew at least this large.
  std::uint8_t crew = 1;
  /// Tier of its jobs (sim::JobRequest::tier): a lower tier is served first.
  std::uint8_t tier = 0;
  /// Time a job waits in a queue before leaving, in hours; none means infinite patience.
  std::optional<sim::Distribution> patience_h;
};

/// A station of the network and where its jobs go next.
struct NetworkStationSpec {
  sim::StationConfig config;
  /// Service time in hours, per source (one entry: the same for every source).
  std::vector<sim::Distribution> service_h;
  /// routing[j]: probability of going to station j after service here; what is left of 1
  /// leaves the network. Covers tandem lines, Jackson networks and rework loops.
  std::vector<double> routing;
};

/// A queueing network: sources feeding stations connected by probabilistic routing. It
/// is the plain form of what operating models build (pools, desks, escalation), used to
/// check the engine against queueing theory.
struct NetworkSpec {
  std::vector<SourceSpec> sources;
  std::vector<NetworkStationSpec> stations;
  /// Statistics are reset at this time (hours); events before it are warm-up.
  double warmup_h = 0;
  /// The run ends at this time (hours).
  double horizon_h = 1000;
};

/// Outcomes of one job class (one source).
struct ClassResults {
  std::uint64_t arrivals = 0;     ///< jobs created after warm-up
  std::uint64_t completed = 0;    ///< jobs that left after service, after warm-up
  std::uint64_t reneged = 0;      ///< jobs that abandoned a queue, after warm-up
  sim::RunningStats sojourn_h;    ///< time in the network of completed jobs
  double wait_h_total = 0;        ///< total queueing time of completed jobs, hours
  std::uint64_t visits_total = 0; ///< station visits of completed jobs

  /// Mean queueing time per completed job, hours (NaN when none completed).
  double wait_mean_h() const { return wait_h_total / static_cast<double>(completed); }
  /// Mean station visits per completed job (NaN when none completed).
  double visits_mean() const {
    return static_cast<double>(visits_total) / static_cast<double>(completed);
  }
};

/// Outcomes of one station.
struct StationResults {
  std::string name;
  double wait_mean_h = 0;
  double p_wait = 0; ///< share of started jobs that had to queue
  double queue_length_mean = 0;
  double busy_mean = 0;
  double utilisation = 0;
  std::uint64_t arrivals = 0;
  std::uint64_t completions = 0;
  std::uint64_t reneges = 0;
  std::uint64_t preemptions = 0;
};

/// Everything one replication of a network reports.
struct NetworkResults {
  std::vector<ClassResults> classes;
  std::vector<StationResults> stations;
  double observed_h = 0;         ///< horizon minus warm-up
  double in_system_mean = 0;     ///< time-average number of jobs in the network (L)
  std::uint64_t events = 0;      ///< events processed
  std::uint64_t fingerprint = 0; ///< trajectory hash (when enabled)
};

/// The event handler that runs a NetworkSpec on a Simulation.
class StationNetwork final : public sim::EventHandler {
public:
  /// Validates `spec` (throws itsim::ModelError naming the bad entry) and registers itself.
  StationNetwork(sim::Simulation& sim, NetworkSpec spec);
  /// Schedules the first arrivals, shift changes and the warm-up reset.
  void start();
  void handle(const sim::Event& event) override;
  std::string_view handler_name() const override { return "station network"; }
  /// Results so far (call after the run).
  NetworkResults results() const;

private:
  enum Kind : sim::EventKind { kind_arrival = 0, kind_warmup = 1 };
  // One job in the network; 32 bytes.
  struct Job {
    sim::SimTime created;
    double wait_h = 0;
    sim::SimDuration patience = sim::SimDuration::max(); // max(): waits forever
    std::uint32_t source = 0;
    std::uint32_t visits = 0;
  };
  struct SourceState {
    sim::RandomStream arrivals;
    sim::RandomStream patience;
    // The spec's, next to the streams the hot path reads anyway:
    std::uint8_t priority;
    std::uint8_t crew;
    std::uint8_t tier;
    bool has_process;  // a non-homogeneous arrival process, not renewal interarrivals
    bool has_patience; // jobs renege
  };
  struct StationState {
    sim::RandomStream service;
    sim::RandomStream routing;
    sim::DiscreteChoice next; // outcomes 0..n-1: stations; n: leave
    bool always_leaves;       // no routing: skip the draw
    // The service time of every source when they share one (the usual case), else null:
    // the spec's per-source list applies.
    const sim::Distribution* shared_service;
  };

  std::uint32_t new_job();
  void schedule_next_arrival(std::uint32_t source);
  void on_arrival(std::uint32_t source);
  void send_to(std::uint32_t job, std::uint32_t station);
  void on_station_outcome(std::uint32_t station, const sim::StationOutcome& outcome);
  void leave(std::uint32_t job);
  void reset_statistics();

  sim::Simulation& sim_;
  NetworkSpec spec_;
  sim::HandlerId id_;
  std::vector<sim::Station> stations_;
  std::vector<SourceState> source_state_;
  std::vector<StationState> station_state_;
  std::vector<Job> jobs_;
  std::vector<std::uint32_t> free_jobs_;
  std::vector<ClassResults> classes_;
  sim::TimeWeighted in_system_;
  std::uint32_t in_system_count_ = 0;
  sim::SimTime stats_start_;
  sim::SimTime horizon_;
};

/// Runs one replication of `spec` and returns its results; `fingerprint` turns on the
/// trajectory hash.
NetworkResults run_network(const NetworkSpec& spec, std::uint64_t master_seed,
                           std::uint64_t replication, bool fingerprint = false);

} // namespace itsim::models
