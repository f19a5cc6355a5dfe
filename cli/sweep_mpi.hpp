// SPDX-License-Identifier: Apache-2.0
// `itsim sweep` under MPI (an optional build: -DITSIM_WITH_MPI=ON). Rank 0 hands runs out
// one at a time to the other ranks as they ask, so fast and slow runs balance; every
// worker appends its finished runs to its own journal (FILE.journal.rank-R: its shard,
// never a shared or parallel HDF5 file), and rank 0 merges the journals into the results
// file at the end. Without MPI (or outside mpirun) the session is one rank.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "itsim/experiments/sweep_plan.hpp"
#include "itsim/experiments/sweep_runner.hpp"

namespace itsim::cli {

/// MPI_Init / MPI_Finalize around a command, when built with MPI and started by mpirun.
class MpiSession {
public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  /// Waits for every rank (nothing without MPI).
  void barrier() const;
  /// Ends every rank of the job with `code` (MPI_Abort): an error on one rank must not leave
  /// the others waiting for it. Without MPI, does nothing.
  void abort(int code) const;

private:
  int rank_ = 0;
  int size_ = 1;
  bool initialised_ = false;
};

/// Runs `todo` across the ranks of `mpi` (rank 0 coordinates and reports progress; ranks
/// 1..N-1 run and journal to TARGET.journal.rank-R). Returns on every rank when all runs
/// are journalled. Throws itsim::Error("interrupted") when interrupted; an MPI build only.
void run_sweep_mpi(const MpiSession& mpi, const experiments::SweepPlan& plan,
                   std::span<const std::uint64_t> todo, const std::string& target,
                   const experiments::SchedulerOptions& options);

} // namespace itsim::cli
