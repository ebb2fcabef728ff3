#include "gilguard/stats/estimators.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace gilguard::stats {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// Median of a scratch vector, reordering it: O(n) with nth_element.
double median_in_place(std::vector<double>& values) {
  if (values.empty()) return k_nan;
  const std::size_t n = values.size();
  const std::size_t mid = n / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (n % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return lower + (upper - lower) / 2;
}

}  // namespace

double mean(const std::vector<double>& values) {
  if (values.empty()) return k_nan;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double sample_sd(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  const double centre = mean(values);
  double sum_sq = 0;
  for (const double v : values) sum_sq += (v - centre) * (v - centre);
  return std::sqrt(sum_sq / static_cast<double>(values.size() - 1));
}

double quantile(std::vector<double> values, double p) {
  if (values.empty()) return k_nan;
  std::sort(values.begin(), values.end());
  p = std::clamp(p, 0.0, 1.0);
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto lower = static_cast<std::size_t>(std::floor(h));
  if (lower + 1 >= values.size()) return values.back();
  const double fraction = h - static_cast<double>(lower);
  return values[lower] + fraction * (values[lower + 1] - values[lower]);
}

double median(std::vector<double> values) { return median_in_place(values); }

std::vector<double> walsh_averages(const std::vector<double>& values) {
  std::vector<double> averages;
  averages.reserve(values.size() * (values.size() + 1) / 2);
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = i; j < values.size(); ++j) {
      averages.push_back(values[i] + (values[j] - values[i]) / 2);
    }
  }
  return averages;
}

double hodges_lehmann(const std::vector<double>& values) {
  std::vector<double> averages = walsh_averages(values);
  return median_in_place(averages);
}

}  // namespace gilguard::stats
