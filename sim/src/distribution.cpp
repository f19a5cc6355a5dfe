// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/distribution.hpp"

#include "itsim/sim/error.hpp"
#include "itsim/sim/format.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>

// The golden tests pin every variate to the last bit, so the compiler must not fuse a * b + c
// into one rounding where the target has FMA: every itsim target is built with
// -ffp-contract=off (cmake/ItsimTargetOptions.cmake).

namespace itsim::sim {

namespace {

using Kind = Distribution::Kind;

[[noreturn]] void fail(std::string_view dist, std::string_view what, double got) {
  throw ModelError(std::string(dist) + ": " + std::string(what) + ", got " + format_double(got));
}

void require_finite(std::string_view dist, std::string_view param, double v) {
  if (!std::isfinite(v)) fail(dist, std::string(param) + " must be finite", v);
}

void require_positive(std::string_view dist, std::string_view param, double v) {
  if (!std::isfinite(v)) fail(dist, std::string(param) + " must be finite and > 0", v);
  if (!(v > 0)) fail(dist, std::string(param) + " must be > 0", v);
}

void require_non_negative(std::string_view dist, std::string_view param, double v) {
  if (!std::isfinite(v)) fail(dist, std::string(param) + " must be finite and >= 0", v);
  if (!(v >= 0)) fail(dist, std::string(param) + " must be >= 0", v);
}

// Wichura (1988), Algorithm AS 241, PPND16: rational approximations on three ranges.
constexpr double a0 = 3.3871328727963666080e0;
constexpr double a1 = 1.3314166789178437745e+2;
constexpr double a2 = 1.9715909503065514427e+3;
constexpr double a3 = 1.3731693765509461125e+4;
constexpr double a4 = 4.5921953931549871457e+4;
constexpr double a5 = 6.7265770927008700853e+4;
constexpr double a6 = 3.3430575583588128105e+4;
constexpr double a7 = 2.5090809287301226727e+3;
constexpr double b1 = 4.2313330701600911252e+1;
constexpr double b2 = 6.8718700749205790830e+2;
constexpr double b3 = 5.3941960214247511077e+3;
constexpr double b4 = 2.1213794301586595867e+4;
constexpr double b5 = 3.9307895800092710610e+4;
constexpr double b6 = 2.8729085735721942674e+4;
constexpr double b7 = 5.2264952788528545610e+3;
constexpr double c0 = 1.42343711074968357734e0;
constexpr double c1 = 4.63033784615654529590e0;
constexpr double c2 = 5.76949722146069140550e0;
constexpr double c3 = 3.64784832476320460504e0;
constexpr double c4 = 1.27045825245236838258e0;
constexpr double c5 = 2.41780725177450611770e-1;
constexpr double c6 = 2.27238449892691845833e-2;
constexpr double c7 = 7.74545014278341407640e-4;
constexpr double d1 = 2.05319162663775882187e0;
constexpr double d2 = 1.67638483018380384940e0;
constexpr double d3 = 6.89767334985100004550e-1;
constexpr double d4 = 1.48103976427480074590e-1;
constexpr double d5 = 1.51986665636164571966e-2;
constexpr double d6 = 5.47593808499534494600e-4;
constexpr double d7 = 1.05075007164441684324e-9;
constexpr double e0 = 6.65790464350110377720e0;
constexpr double e1 = 5.46378491116411436990e0;
constexpr double e2 = 1.78482653991729133580e0;
constexpr double e3 = 2.96560571828504891230e-1;
constexpr double e4 = 2.65321895265761230930e-2;
constexpr double e5 = 1.24266094738807843860e-3;
constexpr double e6 = 2.71155556874348757815e-5;
constexpr double e7 = 2.01033439929228813265e-7;
constexpr double f1 = 5.99832206555887937690e-1;
constexpr double f2 = 1.36929880922735805310e-1;
constexpr double f3 = 1.48753612908506148525e-2;
constexpr double f4 = 7.86869131145613259100e-4;
constexpr double f5 = 1.84631831751005468180e-5;
constexpr double f6 = 1.42151175831644588870e-7;
constexpr double f7 = 2.04426310338993978564e-15;

} // namespace

double standard_normal_quantile(double p) {
  if (!(p >= 0 && p <= 1)) return std::numeric_limits<double>::quiet_NaN();
  if (p == 0) return -std::numeric_limits<double>::infinity();
  if (p == 1) return std::numeric_limits<double>::infinity();
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q * (((((((a7 * r + a6) * r + a5) * r + a4) * r + a3) * r + a2) * r + a1) * r + a0) /
           (((((((b7 * r + b6) * r + b5) * r + b4) * r + b3) * r + b2) * r + b1) * r + 1.0);
  }
  double r = std::sqrt(-std::log(q < 0 ? p : 1.0 - p));
  double x = 0;
  if (r <= 5.0) {
    r -= 1.6;
    x = (((((((c7 * r + c6) * r + c5) * r + c4) * r + c3) * r + c2) * r + c1) * r + c0) /
        (((((((d7 * r + d6) * r + d5) * r + d4) * r + d3) * r + d2) * r + d1) * r + 1.0);
  } else {
    r -= 5.0;
    x = (((((((e7 * r + e6) * r + e5) * r + e4) * r + e3) * r + e2) * r + e1) * r + e0) /
        (((((((f7 * r + f6) * r + f5) * r + f4) * r + f3) * r + f2) * r + f1) * r + 1.0);
  }
  return q < 0 ? -x : x;
}

double sample_standard_normal(RandomStream& rng) {
  return standard_normal_quantile(rng.uniform_open01());
}

// Sampling constants c_[] per kind:
//   deterministic  c0 = value
//   uniform        c0 = min, c1 = max - min
//   exponential    c0 = mean
//   lognormal      c0 = mu, c1 = sigma
//   gamma          c0 = d = a - 1/3 and c1 = 1 / sqrt(9 d) for a = shape (shape >= 1) or
//                  shape + 1 (shape < 1); c2 = 1 / shape when shape < 1, else 0; c3 = scale
//   weibull        c0 = scale, c1 = 1 / shape
//   triangular     c0 = min, c1 = max, c2 = F(mode) = (mode - min) / (max - min),
//                  c3 = (max - min) * (mode - min), c4 = (max - min) * (max - mode)
//   empirical      c0 = n - 1 (interpolated)

Distribution Distribution::deterministic(double value) {
  require_finite("deterministic", "value", value);
  Distribution d(Kind::deterministic, Form::plain);
  d.param_[0] = value;
  d.c_[0] = value;
  d.mean_ = value;
  d.variance_ = 0;
  return d;
}

Distribution Distribution::uniform(double min, double max) {
  require_finite("uniform", "min", min);
  require_finite("uniform", "max", max);
  if (!(min <= max)) fail("uniform", "max must be >= min (" + format_double(min) + ")", max);
  const double width = max - min;
  if (!std::isfinite(width)) fail("uniform", "max - min must be finite", width);
  Distribution d(Kind::uniform, Form::plain);
  d.param_[0] = min;
  d.param_[1] = max;
  d.c_[0] = min;
  d.c_[1] = width;
  d.mean_ = min + width / 2;
  d.variance_ = width * width / 12;
  return d;
}

Distribution Distribution::exponential(double mean) {
  require_positive("exponential", "mean", mean);
  Distribution d(Kind::exponential, Form::plain);
  d.param_[0] = mean;
  d.c_[0] = mean;
  d.mean_ = mean;
  d.variance_ = mean * mean;
  return d;
}

Distribution Distribution::lognormal_mean_cv(double mean, double cv) {
  require_positive("lognormal", "mean", mean);
  require_positive("lognormal", "cv", cv);
  const double sigma2 = std::log1p(cv * cv);
  if (!std::isfinite(sigma2)) fail("lognormal", "cv too large (cv^2 overflows)", cv);
  Distribution d(Kind::lognormal, Form::mean_cv);
  d.param_[0] = mean;
  d.param_[1] = cv;
  d.c_[0] = std::log(mean) - sigma2 / 2;
  d.c_[1] = std::sqrt(sigma2);
  d.mean_ = mean;
  d.variance_ = (mean * cv) * (mean * cv);
  return d;
}

Distribution Distribution::lognormal_median_sigma(double median, double sigma) {
  require_positive("lognormal", "median", median);
  require_non_negative("lognormal", "sigma", sigma);
  Distribution d(Kind::lognormal, Form::median_sigma);
  d.param_[0] = median;
  d.param_[1] = sigma;
  d.c_[0] = std::log(median);
  d.c_[1] = sigma;
  const double sigma2 = sigma * sigma;
  d.mean_ = median * std::exp(sigma2 / 2);
  d.variance_ = d.mean_ * d.mean_ * std::expm1(sigma2);
  return d;
}

namespace {

void set_gamma_constants(double shape, double scale, double* c) {
  const double a = shape < 1 ? shape + 1 : shape;
  c[0] = a - 1.0 / 3.0;
  c[1] = 1.0 / std::sqrt(9.0 * c[0]);
  c[2] = shape < 1 ? 1.0 / shape : 0.0;
  c[3] = scale;
}

} // namespace

Distribution Distribution::gamma(double shape, double scale) {
  require_positive("gamma", "shape", shape);
  require_positive("gamma", "scale", scale);
  Distribution d(Kind::gamma, Form::plain);
  d.param_[0] = shape;
  d.param_[1] = scale;
  set_gamma_constants(shape, scale, d.c_);
  d.mean_ = shape * scale;
  d.variance_ = shape * scale * scale;
  return d;
}

Distribution Distribution::gamma_mean_cv(double mean, double cv) {
  require_positive("gamma", "mean", mean);
  require_positive("gamma", "cv", cv);
  const double cv2 = cv * cv;
  const double shape = 1.0 / cv2;
  const double scale = mean * cv2;
  if (!(std::isfinite(shape) && shape > 0 && std::isfinite(scale) && scale > 0)) {
    fail("gamma", "cv out of range (shape 1/cv^2 or scale mean*cv^2 not a finite number > 0)", cv);
  }
  Distribution d(Kind::gamma, Form::mean_cv);
  d.param_[0] = mean;
  d.param_[1] = cv;
  set_gamma_constants(shape, scale, d.c_);
  d.mean_ = mean;
  d.variance_ = (mean * cv) * (mean * cv);
  return d;
}

Distribution Distribution::weibull(double shape, double scale) {
  require_positive("weibull", "shape", shape);
  require_positive("weibull", "scale", scale);
  Distribution d(Kind::weibull, Form::plain);
  d.param_[0] = shape;
  d.param_[1] = scale;
  d.c_[0] = scale;
  d.c_[1] = 1.0 / shape;
  const double g1 = std::tgamma(1.0 + 1.0 / shape);
  const double g2 = std::tgamma(1.0 + 2.0 / shape);
  d.mean_ = scale * g1;
  d.variance_ = scale * scale * (g2 - g1 * g1);
  return d;
}

Distribution Distribution::triangular(double min, double mode, double max) {
  require_finite("triangular", "min", min);
  require_finite("triangular", "mode", mode);
  require_finite("triangular", "max", max);
  if (!(min < max)) fail("triangular", "max must be > min (" + format_double(min) + ")", max);
  if (!(min <= mode && mode <= max)) {
    fail("triangular",
         "mode must be in [min, max] = [" + format_double(min) + ", " + format_double(max) + "]",
         mode);
  }
  const double width = max - min;
  if (!std::isfinite(width)) fail("triangular", "max - min must be finite", width);
  Distribution d(Kind::triangular, Form::plain);
  d.param_[0] = min;
  d.param_[1] = mode;
  d.param_[2] = max;
  d.c_[0] = min;
  d.c_[1] = max;
  d.c_[2] = (mode - min) / width;
  d.c_[3] = width * (mode - min);
  d.c_[4] = width * (max - mode);
  d.mean_ = (min + mode + max) / 3;
  // Var = (a^2 + b^2 + c^2 - ab - ac - bc) / 18, written in differences from min for accuracy.
  const double m = mode - min;
  d.variance_ = (width * width - width * m + m * m) / 18;
  return d;
}

Distribution Distribution::empirical(std::vector<double> data, EmpiricalMode mode) {
  const bool interpolated = mode == EmpiricalMode::interpolated;
  const std::size_t needed = interpolated ? 2 : 1;
  if (data.size() < needed) {
    throw ModelError(
        std::string(interpolated ? "empirical (interpolated)" : "empirical (resample)") +
        ": needs at least " + std::to_string(needed) +
        (needed == 1 ? " data point, got " : " data points, got ") + std::to_string(data.size()));
  }
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (!std::isfinite(data[i]))
      fail("empirical", "data[" + std::to_string(i) + "] must be finite", data[i]);
  }
  std::sort(data.begin(), data.end());
  const std::size_t n = data.size();

  Distribution d(Kind::empirical, interpolated ? Form::interpolated : Form::resample);
  d.param_[0] = static_cast<double>(n);
  d.param_[1] = data.front();
  d.param_[2] = data.back();
  if (interpolated) {
    // n - 1 segments of probability 1 / (n - 1) each, uniform within.
    const double segments = static_cast<double>(n - 1);
    d.c_[0] = segments;
    double sum = 0;
    for (std::size_t i = 0; i + 1 < n; ++i)
      sum += (data[i] + data[i + 1]) / 2;
    const double m = sum / segments;
    double sq = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const double a = data[i] - m;
      const double b = data[i + 1] - m;
      sq += (a * a + a * b + b * b) / 3;
    }
    d.mean_ = m;
    d.variance_ = sq / segments;
  } else {
    const double count = static_cast<double>(n);
    double sum = 0;
    for (const double x : data)
      sum += x;
    const double m = sum / count;
    double sq = 0;
    for (const double x : data)
      sq += (x - m) * (x - m);
    d.mean_ = m;
    d.variance_ = sq / count;
  }
  d.data_ = std::make_shared<const std::vector<double>>(std::move(data));
  return d;
}

double Distribution::sample_other(RandomStream& rng) const {
  switch (kind_) {
  case Kind::deterministic:
    return c_[0];
  case Kind::uniform:
    return c_[0] + c_[1] * rng.uniform01();
  case Kind::exponential:
    return -c_[0] * std::log(rng.uniform_open01());
  case Kind::lognormal:
    return std::exp(c_[0] + c_[1] * sample_standard_normal(rng));
  case Kind::gamma: {
    // Marsaglia & Tsang (2000), "A simple method for generating gamma variables".
    const double dd = c_[0];
    const double cc = c_[1];
    double v = 0;
    for (;;) {
      double x = 0;
      do {
        x = sample_standard_normal(rng);
        v = 1.0 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = rng.uniform_open01();
      const double x2 = x * x;
      if (u < 1.0 - 0.0331 * (x2 * x2)) break;
      if (std::log(u) < 0.5 * x2 + dd * (1.0 - v + std::log(v))) break;
    }
    double g = dd * v;
    // Shape < 1: Gamma(a) = Gamma(a + 1) * U^(1/a).
    if (c_[2] != 0) g *= std::pow(rng.uniform_open01(), c_[2]);
    return g * c_[3];
  }
  case Kind::weibull:
    return c_[0] * std::pow(-std::log(rng.uniform_open01()), c_[1]);
  case Kind::triangular: {
    const double u = rng.uniform01();
    if (u < c_[2]) return c_[0] + std::sqrt(u * c_[3]);
    return c_[1] - std::sqrt((1.0 - u) * c_[4]);
  }
  case Kind::empirical: {
    const std::vector<double>& x = *data_;
    if (form_ == Form::resample) return x[static_cast<std::size_t>(rng.uniform_index(x.size()))];
    // Law (sec. 6.2.4): P = (n - 1) U, I = floor(P), X = x_I + (P - I)(x_{I+1} - x_I).
    const double p = rng.uniform01() * c_[0];
    std::size_t i = static_cast<std::size_t>(p);
    if (i + 1 >= x.size()) i = x.size() - 2; // unreachable: U < 1; kept as a guard
    const double frac = p - static_cast<double>(i);
    // frac * width >= 0 keeps the result >= x_i; the min keeps rounding from passing x_{i+1}.
    return std::min(x[i] + frac * (x[i + 1] - x[i]), x[i + 1]);
  }
  }
  ITSIM_ASSERT(false);
  return 0;
}

std::string Distribution::describe() const {
  const auto f = [](double v) { return format_double(v); };
  switch (kind_) {
  case Kind::deterministic:
    return "deterministic(value=" + f(param_[0]) + ")";
  case Kind::uniform:
    return "uniform(min=" + f(param_[0]) + ", max=" + f(param_[1]) + ")";
  case Kind::exponential:
    return "exponential(mean=" + f(param_[0]) + ")";
  case Kind::lognormal:
    if (form_ == Form::mean_cv) {
      return "lognormal(mean=" + f(param_[0]) + ", cv=" + f(param_[1]) + ")";
    }
    return "lognormal(median=" + f(param_[0]) + ", sigma=" + f(param_[1]) + ")";
  case Kind::gamma:
    if (form_ == Form::mean_cv) {
      return "gamma(mean=" + f(param_[0]) + ", cv=" + f(param_[1]) + ")";
    }
    return "gamma(shape=" + f(param_[0]) + ", scale=" + f(param_[1]) + ")";
  case Kind::weibull:
    return "weibull(shape=" + f(param_[0]) + ", scale=" + f(param_[1]) + ")";
  case Kind::triangular:
    return "triangular(min=" + f(param_[0]) + ", mode=" + f(param_[1]) + ", max=" + f(param_[2]) +
           ")";
  case Kind::empirical:
    return std::string("empirical(") + (form_ == Form::resample ? "resample" : "interpolated") +
           ", n=" + f(param_[0]) + ", min=" + f(param_[1]) + ", max=" + f(param_[2]) + ")";
  }
  ITSIM_ASSERT(false);
  return "?";
}

DiscreteChoice::DiscreteChoice(std::vector<double> weights) {
  const std::size_t n = weights.size();
  if (n == 0) throw ModelError("DiscreteChoice: needs at least one weight, got none");
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = weights[i];
    const std::string name = "weights[" + std::to_string(i) + "]";
    if (!std::isfinite(w)) fail("DiscreteChoice", name + " must be finite and >= 0", w);
    if (!(w >= 0)) fail("DiscreteChoice", name + " must be >= 0", w);
    sum += w;
  }
  if (!(sum > 0)) {
    throw ModelError("DiscreteChoice: weights must not all be zero, got " + std::to_string(n) +
                     " zero weights");
  }
  if (!std::isfinite(sum)) fail("DiscreteChoice", "weights must have a finite sum", sum);

  // Vose (1991): scale to mean 1, then pair each column below 1 with one above it.
  probability_.resize(n);
  std::vector<double> scaled(n);
  std::vector<std::size_t> small;
  std::vector<std::size_t> large;
  const double count = static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    probability_[i] = weights[i] / sum;
    scaled[i] = probability_[i] * count;
    (scaled[i] < 1.0 ? small : large).push_back(i);
  }
  table_.assign(n, Column{1.0, 0});
  for (std::size_t i = 0; i < n; ++i)
    table_[i].alias = i;
  while (!small.empty() && !large.empty()) {
    const std::size_t s = small.back();
    small.pop_back();
    const std::size_t l = large.back();
    table_[s] = Column{scaled[s], l};
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left is 1 up to rounding and keeps its own column (threshold 1 from assign). A
  // zero weight cannot be left over: that would take a rounding error of a whole unit.
#ifndef NDEBUG
  for (const std::size_t s : small)
    ITSIM_ASSERT(probability_[s] > 0);
#endif
}

std::size_t DiscreteChoice::sample(RandomStream& rng) const {
  const std::size_t n = table_.size();
  const double x = rng.uniform01() * static_cast<double>(n);
  std::size_t i = static_cast<std::size_t>(x);
  if (i >= n) i = n - 1; // unreachable: u < 1 and u * n rounds below n; kept as a guard
  const double frac = x - static_cast<double>(i);
  const Column& c = table_[i];
  return frac < c.threshold ? i : c.alias;
}

double DiscreteChoice::probability(std::size_t i) const {
  ITSIM_ASSERT(i < probability_.size());
  return probability_[i];
}

} // namespace itsim::sim
