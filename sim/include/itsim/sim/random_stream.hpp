// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

namespace itsim::sim {

/// 64-bit FNV-1a hash of a byte string. Used to turn stream names into seeds and for
/// run fingerprints; unlike std::hash it is the same on every platform and compiler.
constexpr std::uint64_t fnv1a64(std::string_view s, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// Feeds the 8 bytes of v (little-endian order) into an FNV-1a state.
constexpr std::uint64_t fnv1a64_u64(std::uint64_t v, std::uint64_t h) {
  for (int i = 0; i < 8; ++i) {
    h ^= (v >> (8 * i)) & 0xffU;
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Derives the 64-bit seed of a named stream (docs/random-streams.md):
///   seed = mix(mix(mix(master) ^ (replication + 1) * golden) ^ fnv1a64(name))
/// where mix is the SplitMix64 finaliser and golden = 0x9e3779b97f4a7c15. Only integer
/// arithmetic, so every platform derives the same seed.
constexpr std::uint64_t derive_stream_seed(std::uint64_t master_seed, std::uint64_t replication,
                                           std::string_view name) {
  constexpr std::uint64_t golden = 0x9e3779b97f4a7c15ULL;
  std::uint64_t s = splitmix64_mix(master_seed);
  s = splitmix64_mix(s ^ ((replication + 1) * golden));
  return splitmix64_mix(s ^ fnv1a64(name));
}

/// One independent random stream: xoshiro256++ (Blackman & Vigna 2019), period 2^256 - 1,
/// its state filled from the stream seed by SplitMix64 as its authors recommend.
///
/// Every random source in a model owns its own stream, named after its purpose
/// ("demand.arrivals", "pool.l1.service"), so that changing how one source draws never
/// shifts the numbers another source sees: that is what makes common random numbers
/// between operating models work. The stream counts its draws for diagnostics and
/// fingerprints.
class RandomStream {
public:
  /// A stream seeded directly (tests, tools). Models use Simulation::stream(name).
  explicit RandomStream(std::uint64_t seed) { reseed(seed); }
  /// The stream `name` of replication `replication` under master seed `master_seed`.
  RandomStream(std::uint64_t master_seed, std::uint64_t replication, std::string_view name)
      : RandomStream(derive_stream_seed(master_seed, replication, name)) {}

  /// Restarts the stream from `seed`.
  void reseed(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& word : s_) {
      x += 0x9e3779b97f4a7c15ULL;
      word = splitmix64_mix(x);
    }
    draws_ = 0;
  }

  /// Next raw 64-bit output.
  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    ++draws_;
    return result;
  }

  /// Uniform on [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Uniform on the open interval (0, 1): safe to take a logarithm of. 52 bits plus a half
  /// step, so that k + 0.5 is exact and the result lies in [2^-53, 1 - 2^-53].
  double uniform_open01() { return (static_cast<double>(next_u64() >> 12) + 0.5) * 0x1.0p-52; }
  /// Uniform integer on [0, n) without modulo bias (Lemire 2019). n must be > 0.
  std::uint64_t uniform_index(std::uint64_t n);

  /// Number of 64-bit words drawn since seeding.
  std::uint64_t draws() const { return draws_; }

private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4] = {};
  std::uint64_t draws_ = 0;
};

} // namespace itsim::sim
