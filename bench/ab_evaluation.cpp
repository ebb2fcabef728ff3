// ab_evaluation: how often the A/B verdict (`gilguard check --base-gil --base-ft`) raises a false
// alarm, and how often it catches a drop, on A/B rounds recorded by `gilguard run --base-gil
// --base-ft` with the same interpreters on both sides (A/A).
//
// Each trial takes n rounds of one recorded file (a contiguous window, or with --random n rounds
// drawn without replacement) and judges them with stats::compare_ab: as recorded (A/A), and with
// the head's free-threaded speedups at the gated thread counts scaled by 1 - d for each injected
// drop d (the head's threaded time stretched by 1 / (1 - d)). With --sequential the run grows
// from the stopping rule's first look, one round at a time, until stats::may_stop_ab says stop
// or n rounds are reached, as `check --time-budget` does (asking every --look-every rounds). A
// regression in A/A is a false alarm; in a drop trial it is a detection. The seconds a round took
// (the sum of its children's wall times) turn rounds into a time budget.
//
//   ab_evaluation --results ab-01.json [--results ab-02.json] [--rounds 40] [--trials 1000]
//                 [--drops 0.02,0.03,0.05,0.1] [--threshold 0.02] [--sequential] [--random]
//                 [--no-regression-stop] [--stop-regression-confidence 0.999]
//
// See docs/evaluation.md ("A/B") for the commands and the numbers. Built by CMake with:
//   add_executable(ab_evaluation bench/ab_evaluation.cpp)
//   target_link_libraries(ab_evaluation PRIVATE gilguard_lib gilguard_warnings CLI11::CLI11)

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/stats/ab.hpp"
#include "gilguard/stats/estimators.hpp"

namespace {

using gilguard::Flavor;
using gilguard::Sample;
using gilguard::Side;
using gilguard::Verdict;
namespace stats = gilguard::stats;

// One recorded round: its samples (both sides, every cell) and the seconds it took.
struct Round {
  std::vector<Sample> samples;
  double seconds = 0;
};

std::vector<Round> rounds_of(const gilguard::RunResult& result) {
  std::map<int, Round> by_round;
  for (const auto& s : result.samples) {
    if (s.round < 1) continue;
    auto& round = by_round[s.round];
    round.samples.push_back(s);
    round.seconds += s.wall_seconds;
  }
  std::vector<Round> out;
  for (auto& [number, round] : by_round) out.push_back(std::move(round));
  return out;
}

// The samples of `rounds`, renumbered 1..n, with the head's free-threaded speedups at gated
// thread counts scaled by 1 - drop.
std::vector<Sample> trial_samples(const std::vector<const Round*>& rounds, double drop) {
  std::vector<Sample> out;
  int number = 0;
  for (const Round* round : rounds) {
    ++number;
    for (Sample s : round->samples) {
      s.round = number;
      if (drop > 0 && s.cell.side == Side::head && s.cell.flavor == Flavor::ft &&
          s.cell.threads > 1 && s.cell.gated)
        s.t_par /= 1 - drop;
      out.push_back(std::move(s));
    }
  }
  return out;
}

struct Tally {
  int trials = 0;
  int regression = 0;
  int pass = 0;
  int inconclusive = 0;
  double rounds = 0;   // mean rounds used (sequential)
  double seconds = 0;  // mean seconds of rounds used
};

std::vector<double> parse_list(const std::string& text) {
  std::vector<double> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stod(item));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A/B verdict evaluation on recorded A/A rounds (docs/evaluation.md, \"A/B\")"};
  std::vector<std::string> files;
  int rounds = 40;
  int trials = 1000;
  std::string drops_text = "0.02,0.03,0.05,0.1";
  double threshold = stats::k_default_ab_threshold;
  bool sequential = false;
  bool random = false;
  int look_every = 10;
  std::uint64_t seed = 1;
  app.add_option("--results", files,
                 "A/B results files (A/A: the same interpreters as head "
                 "and base)")
      ->required();
  app.add_option("--rounds", rounds, "Rounds per trial (the most, with --sequential)");
  app.add_option("--trials", trials, "Trials per file and condition");
  app.add_option("--drops", drops_text, "Injected drops of the free-threaded speedup");
  app.add_option("--threshold", threshold, "The A/B threshold, a fraction");
  app.add_flag("--sequential", sequential, "Grow each trial until the stopping rule stops it");
  app.add_option("--look-every", look_every,
                 "With --sequential: ask the stopping rule every this many rounds (check asks "
                 "after every round; every 10th keeps 1000 trials of 500 rounds to minutes)");
  app.add_flag("--random", random, "Draw rounds at random instead of a contiguous window");
  app.add_option("--seed", seed, "Seed of the draws");
  bool no_regression_stop = false;
  app.add_flag("--no-regression-stop", no_regression_stop,
               "With --sequential: stop early only for a pass, as before issue 20");
  double stop_regression_confidence = stats::AbOptions{}.stop_regression_confidence;
  app.add_option("--stop-regression-confidence", stop_regression_confidence,
                 "With --sequential: the interval an early stop for a regression needs past the "
                 "line");
  CLI11_PARSE(app, argc, argv);

  std::vector<std::vector<Round>> recorded;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    auto result = gilguard::baseline::results_from_json_text(text.str());
    if (!result) {
      fmt::print(stderr, "{}: {}\n", file, result.error().message);
      return 2;
    }
    if (!result->is_ab()) {
      fmt::print(stderr, "{}: not an A/B run (record one with gilguard run --base-gil --base-ft)\n",
                 file);
      return 2;
    }
    auto file_rounds = rounds_of(*result);
    if (static_cast<int>(file_rounds.size()) < rounds) {
      fmt::print(stderr, "{}: {} rounds, fewer than --rounds {}\n", file, file_rounds.size(),
                 rounds);
      return 2;
    }
    recorded.push_back(std::move(file_rounds));
  }

  stats::AbOptions options;
  options.threshold = threshold;
  options.max_gated_threads = 2;
  options.stop_for_regression = !no_regression_stop;
  options.stop_regression_confidence = stop_regression_confidence;
  std::vector<double> conditions{0.0};
  for (const double d : parse_list(drops_text)) conditions.push_back(d);
  std::map<double, Tally> tallies;
  std::mt19937_64 rng(seed);

  for (int t = 0; t < trials; ++t) {
    const auto& file = recorded[static_cast<std::size_t>(t) % recorded.size()];
    std::vector<const Round*> chosen;
    if (random) {
      std::vector<std::size_t> index(file.size());
      for (std::size_t i = 0; i < index.size(); ++i) index[i] = i;
      std::shuffle(index.begin(), index.end(), rng);
      for (int i = 0; i < rounds; ++i) chosen.push_back(&file[index[static_cast<std::size_t>(i)]]);
    } else {
      const auto start = std::uniform_int_distribution<std::size_t>(
          0, file.size() - static_cast<std::size_t>(rounds))(rng);
      for (int i = 0; i < rounds; ++i) chosen.push_back(&file[start + static_cast<std::size_t>(i)]);
    }
    for (const double drop : conditions) {
      int used = rounds;
      Verdict verdict = Verdict::inconclusive;
      if (sequential) {
        for (used = options.stop_min_rounds; used <= rounds;
             used = used == rounds ? rounds + 1 : std::min(rounds, used + look_every)) {
          const std::vector<const Round*> part(chosen.begin(), chosen.begin() + used);
          if (used == rounds || stats::may_stop_ab(trial_samples(part, drop), options)) {
            verdict = stats::compare_ab(trial_samples(part, drop), options).overall;
            break;
          }
        }
      } else {
        verdict = stats::compare_ab(trial_samples(chosen, drop), options).overall;
      }
      auto& tally = tallies[drop];
      ++tally.trials;
      tally.regression += verdict == Verdict::regression ? 1 : 0;
      tally.pass += verdict == Verdict::pass || verdict == Verdict::improvement ? 1 : 0;
      tally.inconclusive += verdict == Verdict::inconclusive ? 1 : 0;
      tally.rounds += used;
      for (int i = 0; i < used; ++i) tally.seconds += chosen[static_cast<std::size_t>(i)]->seconds;
    }
  }

  fmt::print("{} files, {} trials each condition, {} rounds{}, {} draws, threshold {:g}%\n",
             files.size(), trials, rounds, sequential ? " at most (stopping rule)" : "",
             random ? "random" : "contiguous", threshold * 100);
  fmt::print("| injected drop | regression | pass | inconclusive | mean rounds | mean seconds |\n");
  fmt::print("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (const auto& [drop, tally] : tallies) {
    const double n = tally.trials;
    fmt::print("| {:g}% | {:.1f}% | {:.1f}% | {:.1f}% | {:.1f} | {:.0f} |\n", drop * 100,
               100.0 * tally.regression / n, 100.0 * tally.pass / n, 100.0 * tally.inconclusive / n,
               tally.rounds / n, tally.seconds / n);
  }
  return 0;
}
