#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "gilguard/core/comparison.hpp"

// In which function (issue 23): sampled CPU time of the threaded workers against the process
// workers on the same chunks, per function; the functions whose share grew most.
namespace gilguard::stats {

// Samples per function of one side (threads or processes). Native functions count each sample's
// leaf frame; Python functions each sample's innermost Python frame; each kind is shared out
// over its own total.
struct FunctionSamples {
  std::map<std::string, double> native;
  std::map<std::string, double> python;
  double samples = 0;         // every sample of the side
  double python_samples = 0;  // those with a Python frame
};

// The `top` functions whose share grew most from the processes to the threads (threads' share
// minus processes' share, largest first; only those that grew by at least `min_growth`).
std::vector<FunctionShare> grown_functions(const FunctionSamples& threads,
                                           const FunctionSamples& processes, std::size_t top = 5,
                                           double min_growth = 0.01);

}  // namespace gilguard::stats
