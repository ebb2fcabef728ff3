#pragma once

#include <vector>

// Point estimators used on log speedups and log overheads. Pure functions of their arguments.
namespace gilguard::stats {

// Arithmetic mean; NaN for an empty sample.
double mean(const std::vector<double>& values);

// Sample standard deviation with the n - 1 divisor; 0 for fewer than two values.
double sample_sd(const std::vector<double>& values);

// Sample quantile, Hyndman & Fan (1996) definition 7 (R's default): with the sorted values
// x_1 <= ... <= x_n and h = (n - 1) p, returns x_{floor(h)+1} + (h - floor(h)) (x_{floor(h)+2} -
// x_{floor(h)+1}). p is clamped to [0, 1]; NaN for an empty sample.
double quantile(std::vector<double> values, double p);

// Median (the mean of the two middle values when n is even); NaN for an empty sample.
double median(std::vector<double> values);

// The n (n + 1) / 2 Walsh averages (x_i + x_j) / 2 for i <= j.
std::vector<double> walsh_averages(const std::vector<double>& values);

// Hodges-Lehmann one-sample estimator of the centre of a symmetric distribution: the median of
// the Walsh averages (Hodges & Lehmann 1963, "Estimates of location based on rank tests", Ann.
// Math. Statist. 34(2):598-611). Efficiency 0.955 of the mean under normality, robust to up to
// 29% outliers. NaN for an empty sample.
double hodges_lehmann(const std::vector<double>& values);

}  // namespace gilguard::stats
