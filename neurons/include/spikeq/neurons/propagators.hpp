#pragma once
// Exact propagators for linear subthreshold dynamics (Rotter & Diesmann 1999).
// They are computed once on the host from the parameters and dt; the update
// itself only multiplies and adds. Written with expm1 and series so that they
// stay accurate when tau_m and tau_syn are close or equal (no singular limit).
#include <cmath>

namespace spikeq::neurons::propagators {

/// (1 - e^{-x}) / x, accurate for every x, including x -> 0.
inline double one_minus_exp_over_x(double x) {
  if (x == 0.0) return 1.0;
  return -std::expm1(-x) / x;
}

/// (1 - e^{-x}(1 + x)) / x^2, accurate for all x, including x -> 0.
inline double alpha_kernel_integral(double x) {
  if (std::fabs(x) < 0.1) {
    // sum_{n>=2} (-1)^n (n-1) x^n / n!, divided by x^2
    double term = 0.5;  // n = 2
    double sum = term;
    for (int n = 3; n < 20; ++n) {
      term *= -x / n;
      sum += term * (n - 1);
    }
    return sum;
  }
  return (-std::expm1(-x) - x * std::exp(-x)) / (x * x);
}

/// Membrane response at time h to a unit exponential current started at 0:
/// (1/C) * integral_0^h e^{-(h-s)/tau_m} e^{-s/tau_s} ds
/// = tau_s tau_m / (C (tau_m - tau_s)) (e^{-h/tau_m} - e^{-h/tau_s}).
inline double exp_current_to_voltage(double h, double tau_m, double tau_s, double C) {
  const double k = 1.0 / tau_s - 1.0 / tau_m;
  return std::exp(-h / tau_m) * h * one_minus_exp_over_x(k * h) / C;
}

/// Membrane response at time h to a unit alpha-current state (dI = 1, I = 0):
/// (1/C) * integral_0^h e^{-(h-s)/tau_m} s e^{-s/tau_s} ds.
inline double alpha_current_to_voltage(double h, double tau_m, double tau_s, double C) {
  const double k = 1.0 / tau_s - 1.0 / tau_m;
  return std::exp(-h / tau_m) * h * h * alpha_kernel_integral(k * h) / C;
}

/// Membrane response at time h to a constant unit current: tau_m/C (1 - e^{-h/tau_m}).
inline double constant_current_to_voltage(double h, double tau_m, double C) {
  return -std::expm1(-h / tau_m) * tau_m / C;
}

}  // namespace spikeq::neurons::propagators
