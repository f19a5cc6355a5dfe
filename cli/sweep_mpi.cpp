// SPDX-License-Identifier: Apache-2.0
#include "sweep_mpi.hpp"

#include "itsim/sim/error.hpp"

#ifdef ITSIM_WITH_MPI

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "itsim/analysis/results.hpp"
#include "itsim/experiments/journal.hpp"

namespace itsim::cli {

namespace {

constexpr int tag_request = 1; // worker -> 0: [runs done since last, failed since last]
constexpr int tag_work = 2;    // 0 -> worker: run index, or -1 to stop

/// Under mpirun? (OpenMPI and MPICH set these; a plain `itsim sweep` stays serial and
/// does not need an MPI runtime at all.)
bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
         std::getenv("PMIX_RANK") != nullptr;
}

} // namespace

MpiSession::MpiSession() {
  if (!launched_by_mpirun()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  initialised_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (initialised_) MPI_Finalize();
}

void MpiSession::barrier() const {
  if (initialised_) MPI_Barrier(MPI_COMM_WORLD);
}

void MpiSession::abort(int code) const {
  if (initialised_) MPI_Abort(MPI_COMM_WORLD, code);
}

void run_sweep_mpi(const MpiSession& mpi, const experiments::SweepPlan& plan,
                   std::span<const std::uint64_t> todo, const std::string& target,
                   const experiments::SchedulerOptions& options) {
  if (mpi.rank() == 0) {
    const auto started = std::chrono::steady_clock::now();
    auto last_report = started;
    std::size_t next = 0, done = 0, failed = 0;
    int stopped = 0;
    const int workers = mpi.size() - 1;
    while (stopped < workers) {
      long long counts[2] = {0, 0};
      MPI_Request request;
      MPI_Status status;
      MPI_Irecv(counts, 2, MPI_LONG_LONG, MPI_ANY_SOURCE, tag_request, MPI_COMM_WORLD, &request);
      int arrived = 0;
      // Poll gently: OpenMPI's blocking receive spins a core the workers need.
      while (MPI_Test(&request, &arrived, &status) == MPI_SUCCESS && arrived == 0) {
        if (options.interrupt != nullptr && options.interrupt->load()) {
          std::fprintf(stderr,
                       "\nitsim sweep: interrupted; finished runs are kept in "
                       "%s.journal.rank-*: continue with --resume\n",
                       target.c_str());
          MPI_Abort(MPI_COMM_WORLD, 130);
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      done += static_cast<std::size_t>(counts[0]);
      failed += static_cast<std::size_t>(counts[1]);
      long long work = -1;
      if (next < todo.size()) {
        work = static_cast<long long>(todo[next++]);
      } else {
        ++stopped;
      }
      MPI_Send(&work, 1, MPI_LONG_LONG, status.MPI_SOURCE, tag_work, MPI_COMM_WORLD);
      const auto now = std::chrono::steady_clock::now();
      if (options.progress && (std::chrono::duration<double>(now - last_report).count() >=
                                   options.progress_interval_s ||
                               stopped == workers)) {
        experiments::RunProgress p;
        p.done = done;
        p.total = todo.size();
        p.failed = failed;
        p.elapsed_s = std::chrono::duration<double>(now - started).count();
        options.progress(p);
        last_report = now;
      }
    }
  } else {
    experiments::JournalWriter journal(target + ".journal.rank-" + std::to_string(mpi.rank()),
                                       plan.id, plan.run_count());
    experiments::PointScenarios scenarios(plan);
    long long counts[2] = {0, 0};
    std::uint32_t held = UINT32_MAX; // the point whose scenario is loaded
    for (;;) {
      MPI_Send(counts, 2, MPI_LONG_LONG, 0, tag_request, MPI_COMM_WORLD);
      long long work = -1;
      MPI_Recv(&work, 1, MPI_LONG_LONG, 0, tag_work, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (work < 0) break;
      const auto index = static_cast<std::uint64_t>(work);
      const std::uint32_t point = plan.run(index).point;
      if (held != UINT32_MAX && held != point) scenarios.release(held);
      held = point;
      const experiments::RunRecord r =
          experiments::run_one(plan, index, scenarios, options.interrupt);
      journal.append(r);
      counts[0] = 1;
      counts[1] = r.status == analysis::run_status_ok ? 0 : 1;
    }
    journal.close();
  }
  MPI_Barrier(MPI_COMM_WORLD); // every journal complete before rank 0 reads them
}

} // namespace itsim::cli

#else // without MPI: one rank, and run_sweep_mpi is never called

namespace itsim::cli {

MpiSession::MpiSession() = default;
MpiSession::~MpiSession() = default;
void MpiSession::barrier() const {}
void MpiSession::abort(int) const {}

void run_sweep_mpi(const MpiSession&, const experiments::SweepPlan&, std::span<const std::uint64_t>,
                   const std::string&, const experiments::SchedulerOptions&) {
  throw Error("itsim was built without MPI (configure with -DITSIM_WITH_MPI=ON)");
}

} // namespace itsim::cli

#endif
