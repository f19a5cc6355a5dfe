// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/random_stream.hpp"

namespace itsim::sim {

namespace {
__extension__ typedef unsigned __int128 u128; // GCC and Clang both provide it
} // namespace

std::uint64_t RandomStream::uniform_index(std::uint64_t n) {
  // Lemire's nearly divisionless method on 128-bit products.
  std::uint64_t x = next_u64();
  u128 m = static_cast<u128>(x) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      x = next_u64();
      m = static_cast<u128>(x) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

} // namespace itsim::sim
