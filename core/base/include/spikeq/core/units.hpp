#pragma once
// Unit literals that convert to spikeq's internal units:
// ms, mV, pA, nS, pF and Hz. `using namespace spikeq::literals;` then `20.0_ms`, `1_s`.
namespace spikeq::literals {

// time -> ms
constexpr double operator""_ms(long double v) { return static_cast<double>(v); }
constexpr double operator""_ms(unsigned long long v) { return static_cast<double>(v); }
constexpr double operator""_s(long double v) { return static_cast<double>(v) * 1e3; }
constexpr double operator""_s(unsigned long long v) { return static_cast<double>(v) * 1e3; }
// potential -> mV
constexpr double operator""_mV(long double v) { return static_cast<double>(v); }
constexpr double operator""_mV(unsigned long long v) { return static_cast<double>(v); }
// current -> pA
constexpr double operator""_pA(long double v) { return static_cast<double>(v); }
constexpr double operator""_pA(unsigned long long v) { return static_cast<double>(v); }
constexpr double operator""_nA(long double v) { return static_cast<double>(v) * 1e3; }
constexpr double operator""_nA(unsigned long long v) { return static_cast<double>(v) * 1e3; }
// conductance -> nS
constexpr double operator""_nS(long double v) { return static_cast<double>(v); }
constexpr double operator""_nS(unsigned long long v) { return static_cast<double>(v); }
// capacitance -> pF
constexpr double operator""_pF(long double v) { return static_cast<double>(v); }
constexpr double operator""_pF(unsigned long long v) { return static_cast<double>(v); }
// rate -> Hz
constexpr double operator""_Hz(long double v) { return static_cast<double>(v); }
constexpr double operator""_Hz(unsigned long long v) { return static_cast<double>(v); }

}  // namespace spikeq::literals
