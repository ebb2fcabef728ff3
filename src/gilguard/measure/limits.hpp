#pragma once

#include <cstdint>

namespace gilguard::measure {

// Bounds accepted for --range: below the minimum the timings are noise; above the maximum a
// single child would run for hours.
inline constexpr std::int64_t k_min_range = 100;
inline constexpr std::int64_t k_max_range = 100'000'000;
// Largest thread count accepted for --threads.
inline constexpr int k_max_threads = 256;
// Largest --repeats: the regions one child alternates.
inline constexpr int k_max_repeats = 1000;

}  // namespace gilguard::measure
