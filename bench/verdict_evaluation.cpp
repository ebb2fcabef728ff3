// verdict_evaluation: how often the verdict raises a false alarm, and how often it catches a
// drop, on rounds recorded by `gilguard run` (or on synthetic rounds of a given noise).
//
// Each trial draws disjoint sets of rounds: K "baseline" runs of n rounds each (summarized as a
// baseline stores them) and one "this run" of n rounds. The run is compared with the baseline as
// it is (A/A: the same interpreters on both sides) and with its free-threaded speedups at the
// gated thread counts scaled by 1 - d for each injected drop d. The overall verdict is counted:
// a regression in A/A is a false alarm; in a drop trial it is a detection.
//
//   verdict_evaluation --results results.json [--results more.json] [--trials 1000] ...
//   verdict_evaluation --synthetic-sigma 0.07 [--drift 0.02] ...
//   verdict_evaluation --leave-one-machine-out --results bench/data/machines/*/r-*.json ...
//
// With --leave-one-machine-out each results file is one run and its machine is the name of the
// folder it is in (a trailing "-pyX.Y" dropped, so machines/f-py3.14 is machine f), or NAME in
// `--results NAME=PATH`: each trial leaves one machine out, takes one of its files as this run
// and draws the baseline's runs from the other machines only, so the verdict meets the
// machine-to-machine spread a fresh runner brings. A baseline only ever holds runs of the same
// Python version, workload and range as this run (the baseline key), and by default of the same
// timing: rounds recorded before issue 19 (machines a-d: threads started inside the region) and
// after it (e, f: warmed workers timed by their own clocks) are not mixed unless --mix-timing.
//
// Every rate is reported with its count, the effective number of independent trials and the
// one-sided 95% Clopper-Pearson upper bound at that number (stats/binomial.hpp). Trials reuse
// the same recorded rounds, so they are not independent: the effective number is the smaller of
// the trials and the distinct "this run" sets they drew (the files taken as this run with
// --by-file and --leave-one-machine-out; the disjoint runs the pool holds otherwise; synthetic
// trials are independent), and the bound is computed at the observed share of that number.
//
// See docs/statistics.md ("Evaluation") for the commands and the numbers. Built by CMake with:
//   add_executable(verdict_evaluation bench/verdict_evaluation.cpp)
//   target_link_libraries(verdict_evaluation PRIVATE gilguard_lib gilguard_warnings CLI11::CLI11)

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/stats/binomial.hpp"
#include "gilguard/stats/bootstrap.hpp"
#include "gilguard/stats/compare.hpp"

namespace {

using gilguard::BaselineRun;
using gilguard::Flavor;
using gilguard::MetricId;
using gilguard::MetricKind;
using gilguard::MetricSamples;
using gilguard::Verdict;
namespace stats = gilguard::stats;

// One measured round: the value of each metric in it.
using Round = std::map<MetricId, double>;

struct Options {
  std::vector<std::string> results;
  double synthetic_sigma = 0;
  double synthetic_overhead_sigma = -1;  // < 0: same as synthetic_sigma
  double drift = 0;                      // synthetic: sd of a run's offset, log scale
  int trials = 1000;
  int rounds = 10;        // n: rounds per run
  int baseline_runs = 5;  // K
  std::vector<double> drops = {0.025, 0.05, 0.10, 0.20};
  bool contiguous = false;         // blocks of consecutive rounds instead of random rounds
  bool by_file = false;            // each results file is one run, as recorded
  bool leave_machine_out = false;  // baseline from other machines than this run's
  bool raw_only = false;           // leave out the relative metric: gate the raw speedup
  bool mix_timing = false;         // leave one machine out: baselines across timings too
  int sequential_max = 0;  // > 0: grow "this run" from min_rounds until may_stop or this many
  std::uint64_t seed = 1;
  int usable_cpus = 0;  // 0: from the results file (synthetic: 2)
  int jobs = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  stats::CompareOptions compare;
};

// Rounds of a results file: stats::metric_samples on each round's samples.
std::vector<Round> rounds_of(const gilguard::RunResult& result, bool raw_only) {
  std::map<int, std::vector<gilguard::Sample>> by_round;
  for (const gilguard::Sample& sample : result.samples) by_round[sample.round].push_back(sample);
  std::vector<Round> out;
  for (const auto& [round, samples] : by_round) {
    if (round < 1) continue;
    Round values;
    for (const MetricSamples& metric : stats::metric_samples(samples)) {
      if (raw_only && metric.id.kind == MetricKind::relative) continue;
      if (metric.values.size() == 1) values[metric.id] = metric.values.front();
    }
    if (!values.empty()) out.push_back(std::move(values));
  }
  return out;
}

// The first `count` of the indices 0..size-1 in a random order (a partial Fisher-Yates shuffle).
std::vector<std::size_t> first_of_a_shuffle(std::size_t size, std::size_t count,
                                            std::mt19937_64& engine) {
  std::vector<std::size_t> index(size);
  for (std::size_t i = 0; i < size; ++i) index[i] = i;
  for (std::size_t i = 0; i < count && i < size; ++i) {
    std::swap(index[i], index[i + stats::uniform_index(engine, size - i)]);
  }
  index.resize(std::min(count, size));
  return index;
}

double standard_normal(std::mt19937_64& engine) {
  constexpr std::uint64_t k_grid = 1ULL << 53;
  const double u1 = (static_cast<double>(stats::uniform_index(engine, k_grid)) + 0.5) / k_grid;
  const double u2 = (static_cast<double>(stats::uniform_index(engine, k_grid)) + 0.5) / k_grid;
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

// A synthetic run of n rounds: ft speedup at 2 threads ~1.8x, overhead ~1.1x, GIL speedup ~1x,
// each round's log value off by sigma * N(0,1), the whole run by drift * N(0,1).
std::vector<Round> synthetic_run(std::mt19937_64& engine, int n, const Options& options) {
  const double overhead_sigma = options.synthetic_overhead_sigma < 0
                                    ? options.synthetic_sigma
                                    : options.synthetic_overhead_sigma;
  const double offset_ft = options.drift * standard_normal(engine);
  const double offset_overhead = options.drift * standard_normal(engine);
  const double offset_gil = options.drift * standard_normal(engine);
  std::vector<Round> out;
  for (int i = 0; i < n; ++i) {
    Round round;
    round[MetricId{MetricKind::speedup, Flavor::ft, 2}] =
        1.8 * std::exp(offset_ft + options.synthetic_sigma * standard_normal(engine));
    round[MetricId{MetricKind::overhead, Flavor::ft, 1}] =
        1.1 * std::exp(offset_overhead + overhead_sigma * standard_normal(engine));
    round[MetricId{MetricKind::speedup, Flavor::gil, 2}] =
        std::exp(offset_gil + options.synthetic_sigma * standard_normal(engine));
    out.push_back(std::move(round));
  }
  return out;
}

std::vector<MetricSamples> to_samples(const std::vector<Round>& rounds) {
  std::map<MetricId, std::vector<double>> values;
  for (const Round& round : rounds) {
    for (const auto& [id, value] : round) values[id].push_back(value);
  }
  std::vector<MetricSamples> out;
  for (auto& [id, v] : values) out.push_back({id, std::move(v)});
  return out;
}

BaselineRun summarize_run(const std::vector<Round>& rounds, const Options& options) {
  BaselineRun run;
  for (const MetricSamples& metric : to_samples(rounds)) {
    run.metrics.emplace_back(metric.id,
                             stats::summarize(metric, options.compare.baseline_interval_confidence,
                                              options.compare.resamples, options.compare.seed));
  }
  return run;
}

// The current run with its free-threaded speedups at gated thread counts scaled by (1 - drop):
// a threaded region 1 / (1 - drop) times slower lowers the raw speedup and the speedup against
// processes alike.
std::vector<Round> with_drop(std::vector<Round> rounds, double drop,
                             const stats::CompareOptions& compare) {
  stats::CompareOptions raw = compare;
  raw.gate_raw_speedup = true;
  for (Round& round : rounds) {
    for (auto& [id, value] : round) {
      if (id.kind != MetricKind::overhead && stats::is_gating(id, raw)) value *= 1 - drop;
    }
  }
  return rounds;
}

// The verdicts of one trial and the rounds each used: A/A, then one per injected drop.
struct TrialOutcome {
  // The file taken as this run (--by-file, --leave-one-machine-out) and the baseline's files,
  // sorted: what tells trials that drew the same recorded rounds apart.
  std::optional<std::size_t> current_file;
  std::vector<std::size_t> baseline_files;
  std::pair<Verdict, int> aa{Verdict::no_baseline, 0};
  std::vector<MetricId> aa_inconclusive;  // the gating metrics A/A left inconclusive
  std::vector<std::pair<Verdict, int>> dropped;
};

struct Tally {
  std::map<Verdict, int> verdicts;
  long rounds_used = 0;
  int trials = 0;

  void add(Verdict verdict, int rounds) {
    ++verdicts[verdict];
    rounds_used += rounds;
    ++trials;
  }
  int count(Verdict verdict) const {
    const auto it = verdicts.find(verdict);
    return it == verdicts.end() ? 0 : it->second;
  }
  double rate(Verdict verdict) const {
    return trials == 0 ? 0.0 : static_cast<double>(count(verdict)) / trials;
  }
};

// One rate as the detection table prints it: "count share (<= one-sided 95% upper bound)", the
// bound at `effective` trials with the observed share.
std::string rate_cell(const Tally& tally, Verdict verdict, double effective) {
  const int k = tally.count(verdict);
  const double share = tally.rate(verdict);
  return fmt::format("{} {:.1f}% (<={:.1f}%)", k, 100 * share,
                     100 * stats::clopper_pearson_upper(share * effective, effective, 0.95));
}

// What one results file is, for the evaluation: its machine and the baseline key's parts.
struct FileFacts {
  std::string machine;        // NAME of NAME=PATH, else the folder (a trailing "-pyX.Y" dropped)
  std::string cpu;            // the CPU identity, when recorded
  std::string python;         // the free-threaded build's "X.Y"
  std::string workload;       // label and range
  bool new_timing = false;    // recorded after issue 19 (samples carry thread warm-up readings)
  bool has_relative = false;  // the speedup against processes was measured
};

// "NAME=PATH" -> {NAME, PATH}; a plain PATH -> {"", PATH}.
std::pair<std::string, std::string> split_named(const std::string& argument) {
  const auto eq = argument.find('=');
  if (eq == std::string::npos || argument.find('/') < eq) return {"", argument};
  return {argument.substr(0, eq), argument.substr(eq + 1)};
}

// The folder's name without a trailing "-pyX.Y" (bench/data/machines/f-py3.14 is machine f).
std::string machine_of_folder(const std::filesystem::path& path) {
  std::string name = path.parent_path().filename().string();
  const auto dash = name.rfind("-py");
  if (dash != std::string::npos && dash > 0 &&
      name.find_first_not_of("0123456789.", dash + 3) == std::string::npos) {
    name.resize(dash);
  }
  return name;
}

std::string major_minor(const std::string& version) {
  const auto first = version.find('.');
  if (first == std::string::npos) return version;
  const auto second = version.find('.', first + 1);
  return second == std::string::npos ? version : version.substr(0, second);
}

// The baseline key's parts that a baseline must share with this run, and the timing unless
// timings may be mixed.
std::string stratum_of(const FileFacts& facts, bool mix_timing) {
  return fmt::format("Python {}, {}{}", facts.python, facts.workload,
                     mix_timing         ? ""
                     : facts.new_timing ? ", new timing"
                                        : ", old timing");
}

// Compares `current` (or its growing prefixes, in sequential mode) and returns the overall
// verdict and the rounds it used.
std::pair<Verdict, int> judge(const std::vector<Round>& current,
                              const std::vector<BaselineRun>& history, const Options& options,
                              std::vector<MetricId>* inconclusive = nullptr) {
  int used = static_cast<int>(current.size());
  if (options.sequential_max > 0) {
    for (int n = options.compare.min_rounds; n < static_cast<int>(current.size()); ++n) {
      const std::vector<Round> prefix(current.begin(), current.begin() + n);
      if (stats::may_stop(to_samples(prefix), history, options.compare)) {
        used = n;
        break;
      }
    }
  }
  const std::vector<Round> taken(current.begin(), current.begin() + used);
  const gilguard::Comparison comparison =
      stats::compare(to_samples(taken), history, options.compare);
  if (inconclusive != nullptr) {
    for (const auto& metric : comparison.metrics) {
      if (metric.gating && metric.verdict == Verdict::inconclusive)
        inconclusive->push_back(metric.id);
    }
  }
  return {comparison.overall, used};
}

// How much consecutive blocks of --rounds rounds differ beyond their own sampling noise: the
// run-to-run drift the prediction interval has to absorb. For each metric: the sd of the
// blocks' Hodges-Lehmann estimates (log scale), the root mean square of their bootstrap
// standard errors, and the drift sqrt(max(0, sd^2 - se^2)).
void print_drift(const std::vector<Round>& pool, const Options& options) {
  const std::size_t blocks = pool.size() / static_cast<std::size_t>(options.rounds);
  if (blocks < 3) return;
  std::map<MetricId, std::vector<double>> estimates;
  std::map<MetricId, double> se_sq;
  for (std::size_t b = 0; b < blocks; ++b) {
    const auto begin = pool.begin() + static_cast<std::ptrdiff_t>(b * options.rounds);
    const std::vector<Round> block(begin, begin + options.rounds);
    for (const MetricSamples& metric : to_samples(block)) {
      const gilguard::Estimate e =
          stats::summarize(metric, options.compare.baseline_interval_confidence,
                           options.compare.resamples, options.compare.seed);
      estimates[metric.id].push_back(std::log(e.value));
      const double se = stats::implied_standard_error(
          {std::log(e.value), std::log(e.low), std::log(e.high), e.rounds},
          options.compare.baseline_interval_confidence);
      se_sq[metric.id] += se * se;
    }
  }
  fmt::print("run-to-run drift in {} consecutive blocks of {} rounds (log scale):\n", blocks,
             options.rounds);
  for (const auto& [id, values] : estimates) {
    double mean = 0;
    for (const double v : values) mean += v;
    mean /= static_cast<double>(values.size());
    double var = 0;
    for (const double v : values) var += (v - mean) * (v - mean);
    var /= static_cast<double>(values.size() - 1);
    const double se2 = se_sq[id] / static_cast<double>(values.size());
    fmt::print("  {:<16} sd of block estimates {:.4f}, within-block se {:.4f}, drift {:.4f}\n",
               gilguard::metric_name(id), std::sqrt(var), std::sqrt(se2),
               std::sqrt(std::max(0.0, var - se2)));
  }
}

// Leave one machine out: each machine's files by stratum, and which of them can be this run (a
// baseline of another machine exists in its stratum).
void print_machines(const std::vector<std::string>& machines, const std::vector<FileFacts>& facts,
                    const std::vector<std::vector<std::size_t>>& partners, bool mix_timing) {
  fmt::print(
      "machines ({}; old timing: recorded before issue 19, threads started inside the "
      "region; new timing: warmed workers timed by their own clocks):\n",
      mix_timing ? "--mix-timing: baselines may mix old and new timing"
                 : "baselines only from files of this run's timing");
  for (const std::string& machine : machines) {
    std::map<std::string, std::pair<int, int>> strata;  // stratum -> (files, usable as this run)
    for (std::size_t f = 0; f < facts.size(); ++f) {
      if (facts[f].machine != machine) continue;
      const std::string timing = facts[f].new_timing ? "new timing" : "old timing";
      auto& [count, usable] =
          strata[fmt::format("Python {}, {}, {}", facts[f].python, facts[f].workload, timing)];
      ++count;
      if (!partners[f].empty()) ++usable;
    }
    for (const auto& [stratum, counts] : strata) {
      fmt::print("  {:<4} {}: {} file(s), {}\n", machine, stratum, counts.first,
                 counts.second == 0 ? std::string("no other machine to compare with: not left out")
                                    : fmt::format("{} left out in turn", counts.second));
    }
  }
}

int run(const Options& options) {
  std::vector<Round> pool;
  std::vector<std::vector<Round>> files;      // the rounds of each results file
  std::vector<FileFacts> facts;               // what each file is: its machine, CPU, key, timing
  std::vector<std::string> without_relative;  // leave one machine out: files set aside
  int usable_cpus = options.usable_cpus;
  for (const std::string& argument : options.results) {
    const auto [name, path] = split_named(argument);
    std::ifstream in(path);
    if (!in) {
      fmt::print(stderr, "verdict_evaluation: cannot read {}\n", path);
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    const auto result = gilguard::baseline::results_from_json_text(text.str());
    if (!result) {
      fmt::print(stderr, "verdict_evaluation: {}: {}\n", path, result.error().message);
      return 2;
    }
    if (usable_cpus == 0) usable_cpus = result->machine.usable_cores();
    const std::vector<Round> rounds = rounds_of(*result, options.raw_only);
    FileFacts file;
    file.machine = name.empty() ? machine_of_folder(path) : name;
    // Results of schema 1 know no CPU identity: count each machine's as its own, so that the
    // overhead is never compared across machines whose CPUs nobody recorded.
    const std::string cpu = result->machine.cpu.key();
    file.cpu = cpu.empty() ? "unknown CPU of " + file.machine : cpu;
    file.python = major_minor(result->ft.version);
    file.workload = fmt::format("{} r{}", result->parameters.workload, result->parameters.range);
    file.new_timing =
        std::any_of(result->samples.begin(), result->samples.end(),
                    [](const auto& sample) { return !sample.thread_warm_up.empty(); });
    file.has_relative = std::any_of(rounds.begin(), rounds.end(), [](const Round& round) {
      return std::any_of(round.begin(), round.end(), [](const auto& value) {
        return value.first.kind == MetricKind::relative;
      });
    });
    if (options.leave_machine_out && !options.raw_only && !file.has_relative) {
      // Without the process reference its raw speedup would gate: not the metric under test.
      without_relative.push_back(path);
      continue;
    }
    pool.insert(pool.end(), rounds.begin(), rounds.end());
    files.push_back(rounds);
    facts.push_back(std::move(file));
  }
  if (!without_relative.empty()) {
    fmt::print(stderr,
               "verdict_evaluation: left out {} file(s) without the speedup against processes "
               "(recorded before the process reference; --raw-speedup evaluates the raw "
               "speedup): {}\n",
               without_relative.size(), fmt::join(without_relative, " "));
  }
  const bool synthetic = options.results.empty();
  if (synthetic && options.synthetic_sigma <= 0) {
    fmt::print(stderr, "verdict_evaluation: give --results FILE or --synthetic-sigma S\n");
    return 2;
  }
  Options opts = options;
  opts.compare.max_gated_threads = usable_cpus > 0 ? usable_cpus : 2;

  const int current_rounds = opts.sequential_max > 0 ? opts.sequential_max : opts.rounds;
  const std::size_t needed =
      static_cast<std::size_t>(opts.baseline_runs) * opts.rounds + current_rounds;
  std::vector<std::string> machines;
  for (const FileFacts& file : facts) machines.push_back(file.machine);
  std::sort(machines.begin(), machines.end());
  machines.erase(std::unique(machines.begin(), machines.end()), machines.end());
  // With --leave-one-machine-out: the files each file's baseline may draw from (other machines,
  // the same stratum), and the machines that can be left out (some file of theirs has such a
  // baseline), each with those files.
  std::vector<std::vector<std::size_t>> partners(files.size());
  std::vector<std::string> left_out_machines;
  std::map<std::string, std::vector<std::size_t>> eligible_files;
  if (opts.leave_machine_out) {
    opts.by_file = true;
    for (std::size_t f = 0; f < files.size(); ++f) {
      for (std::size_t g = 0; g < files.size(); ++g) {
        if (facts[g].machine != facts[f].machine &&
            stratum_of(facts[g], opts.mix_timing) == stratum_of(facts[f], opts.mix_timing)) {
          partners[f].push_back(g);
        }
      }
      if (!partners[f].empty()) eligible_files[facts[f].machine].push_back(f);
    }
    for (const auto& [machine, mine] : eligible_files) left_out_machines.push_back(machine);
    print_machines(machines, facts, partners, opts.mix_timing);
    if (left_out_machines.empty()) {
      fmt::print(stderr,
                 "verdict_evaluation: --leave-one-machine-out needs results of one stratum "
                 "(Python version, workload and range{}) from at least 2 machines (one folder "
                 "each, or NAME=PATH); these are from {}\n",
                 opts.mix_timing ? "" : ", timing", fmt::join(machines, ", "));
      return 2;
    }
  }
  if (opts.by_file && !opts.leave_machine_out) {
    const auto short_file = std::find_if(files.begin(), files.end(), [&](const auto& rounds) {
      return static_cast<int>(rounds.size()) < std::max(opts.rounds, current_rounds);
    });
    if (files.size() < static_cast<std::size_t>(opts.baseline_runs) + 1 ||
        short_file != files.end()) {
      fmt::print(stderr,
                 "verdict_evaluation: --by-file needs {} results files of at least {} rounds "
                 "each ({} baseline runs and this run)\n",
                 opts.baseline_runs + 1, std::max(opts.rounds, current_rounds), opts.baseline_runs);
      return 2;
    }
  }
  if (!synthetic && pool.size() < needed) {
    fmt::print(stderr,
               "verdict_evaluation: {} rounds recorded, {} needed per trial ({} baseline runs of "
               "{} and one run of {}); record more or lower --rounds/--baseline-runs\n",
               pool.size(), needed, opts.baseline_runs, opts.rounds, current_rounds);
    return 2;
  }

  if (!synthetic) print_drift(pool, opts);

  // Each trial draws from its own engine, seeded by (--seed, trial number), so the numbers do
  // not depend on --jobs.
  const auto run_trial = [&](int trial) {
    std::seed_seq seeds{static_cast<std::uint64_t>(opts.seed), static_cast<std::uint64_t>(trial)};
    std::mt19937_64 engine(seeds);
    TrialOutcome outcome;
    std::vector<std::vector<Round>> runs;
    std::vector<std::size_t> baseline_files;  // with --leave-one-machine-out: whose runs
    std::string current_cpu;
    if (synthetic) {
      for (int k = 0; k < opts.baseline_runs; ++k) {
        runs.push_back(synthetic_run(engine, opts.rounds, opts));
      }
      runs.push_back(synthetic_run(engine, current_rounds, opts));
    } else if (opts.leave_machine_out) {
      // This run: a file of the machine left out (machines in turn, files at random); the
      // baseline: --baseline-runs files drawn from the other machines.
      // Machines in turn, a file of the left-out machine at random, the baseline's files from
      // the other machines' files of that file's stratum.
      const std::string& left_out =
          left_out_machines[static_cast<std::size_t>(trial) % left_out_machines.size()];
      const std::vector<std::size_t>& mine = eligible_files.at(left_out);
      const std::size_t current_file = mine[stats::uniform_index(engine, mine.size())];
      const std::vector<std::size_t>& others = partners[current_file];
      const auto picked = first_of_a_shuffle(
          others.size(), std::min(others.size(), static_cast<std::size_t>(opts.baseline_runs)),
          engine);
      for (const std::size_t i : picked) {
        const auto& file = files[others[i]];
        runs.emplace_back(
            file.begin(),
            file.begin() +
                std::min<std::ptrdiff_t>(opts.rounds, static_cast<std::ptrdiff_t>(file.size())));
        baseline_files.push_back(others[i]);
      }
      const auto& file = files[current_file];
      runs.emplace_back(file.begin(), file.begin() + std::min<std::ptrdiff_t>(
                                                         current_rounds,
                                                         static_cast<std::ptrdiff_t>(file.size())));
      current_cpu = facts[current_file].cpu;
      outcome.current_file = current_file;
    } else if (opts.by_file) {
      // K + 1 distinct files in a random order: the first K are the baseline, the last this
      // run; each contributes its first rounds, as a run cut short would.
      const std::vector<std::size_t> order = first_of_a_shuffle(
          files.size(), static_cast<std::size_t>(opts.baseline_runs) + 1, engine);
      for (int k = 0; k <= opts.baseline_runs; ++k) {
        const std::vector<Round>& file = files[order[static_cast<std::size_t>(k)]];
        const int size = k == opts.baseline_runs ? current_rounds : opts.rounds;
        runs.emplace_back(file.begin(), file.begin() + size);
        if (k < opts.baseline_runs) outcome.baseline_files.push_back(order[k]);
      }
      outcome.current_file = order[static_cast<std::size_t>(opts.baseline_runs)];
    } else {
      std::vector<Round> chosen;
      if (opts.contiguous) {
        const std::size_t first = stats::uniform_index(engine, pool.size() - needed + 1);
        chosen.assign(pool.begin() + static_cast<std::ptrdiff_t>(first),
                      pool.begin() + static_cast<std::ptrdiff_t>(first + needed));
        // Blocks in a random order, so "this run" is not always the latest.
        std::vector<std::vector<Round>> blocks;
        for (int k = 0; k <= opts.baseline_runs; ++k) {
          const int size = k == opts.baseline_runs ? current_rounds : opts.rounds;
          const auto begin = chosen.begin() + static_cast<std::ptrdiff_t>(k * opts.rounds);
          blocks.emplace_back(begin, begin + size);
        }
        for (std::size_t i = blocks.size(); i > 1; --i) {
          std::swap(blocks[i - 1], blocks[stats::uniform_index(engine, i)]);
        }
        // The current block must have current_rounds rounds: keep it last if sizes differ.
        if (current_rounds != opts.rounds) {
          std::stable_partition(blocks.begin(), blocks.end(), [&](const auto& block) {
            return static_cast<int>(block.size()) == opts.rounds;
          });
        }
        runs = std::move(blocks);
      } else {
        const std::vector<std::size_t> index = first_of_a_shuffle(pool.size(), needed, engine);
        std::size_t next = 0;
        for (int k = 0; k <= opts.baseline_runs; ++k) {
          const int size = k == opts.baseline_runs ? current_rounds : opts.rounds;
          std::vector<Round> block;
          for (int i = 0; i < size; ++i) block.push_back(pool[index[next++]]);
          runs.push_back(std::move(block));
        }
      }
    }
    std::vector<BaselineRun> history;
    for (std::size_t k = 0; k + 1 < runs.size(); ++k) {
      history.push_back(summarize_run(runs[k], opts));
      if (k < baseline_files.size()) {
        history.back().provenance.machine_id = facts[baseline_files[k]].machine;
        history.back().provenance.cpu_key = facts[baseline_files[k]].cpu;
      }
    }
    if (!baseline_files.empty()) outcome.baseline_files = baseline_files;
    std::sort(outcome.baseline_files.begin(), outcome.baseline_files.end());
    const std::vector<Round>& current = runs.back();
    Options judged = opts;
    judged.compare.cpu_key = current_cpu;
    outcome.aa = judge(current, history, judged, &outcome.aa_inconclusive);
    for (const double drop : opts.drops) {
      outcome.dropped.push_back(judge(with_drop(current, drop, opts.compare), history, judged));
    }
    return outcome;
  };
  const auto start = std::chrono::steady_clock::now();
  std::vector<TrialOutcome> outcomes(static_cast<std::size_t>(opts.trials));
  std::atomic<int> next_trial{0};
  const auto worker = [&] {
    for (int trial = next_trial++; trial < opts.trials; trial = next_trial++) {
      outcomes[static_cast<std::size_t>(trial)] = run_trial(trial);
    }
  };
  {
    std::vector<std::jthread> workers;
    for (int j = 1; j < std::max(opts.jobs, 1); ++j) workers.emplace_back(worker);
    worker();
  }
  Tally aa;
  std::vector<Tally> dropped(opts.drops.size());
  std::map<MetricId, int> aa_inconclusive;
  // Leave one machine out: the tallies by the left-out machine and the stratum of this run.
  const auto group_of = [&](const FileFacts& file) {
    return fmt::format("{} ({})", file.machine, stratum_of(file, false));
  };
  std::map<std::string, Tally> aa_by_machine;
  std::map<std::string, std::vector<Tally>> dropped_by_machine;
  std::set<std::size_t> current_files;
  std::set<std::pair<std::size_t, std::vector<std::size_t>>> draws;
  for (const TrialOutcome& outcome : outcomes) {
    aa.add(outcome.aa.first, outcome.aa.second);
    if (outcome.current_file) {
      current_files.insert(*outcome.current_file);
      draws.emplace(*outcome.current_file, outcome.baseline_files);
      if (opts.leave_machine_out) {
        const std::string machine = group_of(facts[*outcome.current_file]);
        aa_by_machine[machine].add(outcome.aa.first, outcome.aa.second);
        auto& tallies = dropped_by_machine[machine];
        tallies.resize(opts.drops.size());
        for (std::size_t d = 0; d < opts.drops.size(); ++d) {
          tallies[d].add(outcome.dropped[d].first, outcome.dropped[d].second);
        }
      }
    }
    for (const MetricId& id : outcome.aa_inconclusive) ++aa_inconclusive[id];
    for (std::size_t d = 0; d < opts.drops.size(); ++d) {
      dropped[d].add(outcome.dropped[d].first, outcome.dropped[d].second);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  fmt::print(
      "data: {}\n",
      synthetic ? fmt::format("synthetic, sigma {}, drift {}", opts.synthetic_sigma, opts.drift)
                : fmt::format("{} recorded rounds from {} file(s) of {} machine(s) ({}), {}",
                              pool.size(), files.size(), machines.size(), fmt::join(machines, ", "),
                              opts.leave_machine_out ? "leave one machine out"
                              : opts.by_file         ? "one file per run"
                              : opts.contiguous      ? "contiguous split"
                                                     : "random split"));
  fmt::print(
      "trials: {}; baseline: {} runs of {} rounds; this run: {} rounds{}; threshold {:g}%, "
      "confidence {:g}%, gated threads <= {}\n",
      opts.trials, opts.baseline_runs, opts.rounds, current_rounds,
      opts.sequential_max > 0 ? " at most, stopping rule on" : "", opts.compare.threshold * 100,
      opts.compare.confidence * 100, opts.compare.max_gated_threads);
  fmt::print("{:<10} {:>11} {:>11} {:>12} {:>13} {:>12} {:>12}\n", "case", "regression", "pass",
             "improvement", "inconclusive", "no-baseline", "mean rounds");
  const auto row = [](const std::string& name, const Tally& t) {
    fmt::print("{:<10} {:>10.1f}% {:>10.1f}% {:>11.1f}% {:>12.1f}% {:>11.1f}% {:>12.1f}\n", name,
               100 * t.rate(Verdict::regression), 100 * t.rate(Verdict::pass),
               100 * t.rate(Verdict::improvement), 100 * t.rate(Verdict::inconclusive),
               100 * t.rate(Verdict::no_baseline),
               t.trials ? static_cast<double>(t.rounds_used) / t.trials : 0.0);
  };
  row("A/A", aa);
  for (std::size_t d = 0; d < opts.drops.size(); ++d) {
    row(fmt::format("drop {:g}%", opts.drops[d] * 100), dropped[d]);
  }

  // The effective number of independent trials: the smaller of the trials and the distinct
  // "this run" sets they drew.
  const std::size_t distinct_runs = synthetic ? static_cast<std::size_t>(opts.trials)
                                    : opts.by_file
                                        ? current_files.size()
                                        : pool.size() / static_cast<std::size_t>(current_rounds);
  const double effective =
      static_cast<double>(std::min(static_cast<std::size_t>(opts.trials), distinct_runs));
  fmt::print("effective independent trials: {:g} = min(trials {}, {} {}){}\n", effective,
             opts.trials, distinct_runs,
             synthetic      ? "synthetic runs"
             : opts.by_file ? "distinct files taken as this run"
                            : fmt::format("disjoint runs of {} rounds in the pool", current_rounds),
             opts.by_file
                 ? fmt::format("; {} distinct (this run, baseline files) draws", draws.size())
                 : std::string());
  fmt::print(
      "detection: count, share (<= one-sided 95% Clopper-Pearson upper bound at the effective "
      "trials); \"called pass\" is a drop whose overall verdict is pass\n");
  const auto detection_table = [&](const Tally& aa_tally, const std::vector<Tally>& drop_tallies,
                                   double n_eff, const std::string& indent) {
    fmt::print("{}{:<10} {:>6} {:>6}  {:<24} {:<24} {:<24} {:<24}\n", indent, "case", "trials",
               "n_eff", "regression (caught)", "inconclusive", "pass (drop called pass)",
               "improvement");
    const auto line = [&](const std::string& name, const Tally& t) {
      fmt::print("{}{:<10} {:>6} {:>6g}  {:<24} {:<24} {:<24} {:<24}\n", indent, name, t.trials,
                 n_eff, rate_cell(t, Verdict::regression, n_eff),
                 rate_cell(t, Verdict::inconclusive, n_eff), rate_cell(t, Verdict::pass, n_eff),
                 rate_cell(t, Verdict::improvement, n_eff));
    };
    line("A/A", aa_tally);
    for (std::size_t d = 0; d < opts.drops.size(); ++d) {
      line(fmt::format("drop {:g}%", opts.drops[d] * 100), drop_tallies[d]);
    }
  };
  detection_table(aa, dropped, effective, "");
  if (!aa_by_machine.empty()) {
    fmt::print(
        "by the machine left out and its stratum (n_eff: its distinct files taken as this "
        "run):\n");
    for (const auto& [machine, tally] : aa_by_machine) {
      std::set<std::size_t> mine;
      for (const std::size_t f : current_files) {
        if (group_of(facts[f]) == machine) mine.insert(f);
      }
      const double n_eff =
          static_cast<double>(std::min(static_cast<std::size_t>(tally.trials), mine.size()));
      fmt::print("  machine {}:\n", machine);
      detection_table(tally, dropped_by_machine.at(machine), n_eff, "  ");
    }
  }
  fmt::print(
      "false alarms (A/A regression): {} of {}, {:.2f}% (<= {:.1f}% at {:g} effective trials, "
      "one-sided 95%; goal <= 1%); A/A decided: {:.1f}%\n",
      aa.count(Verdict::regression), aa.trials, 100 * aa.rate(Verdict::regression),
      100 * stats::clopper_pearson_upper(aa.rate(Verdict::regression) * effective, effective, 0.95),
      effective, 100 * (1 - aa.rate(Verdict::inconclusive)));
  if (!aa_inconclusive.empty()) {
    fmt::print("A/A inconclusive, by gating metric:");
    for (const auto& [id, count] : aa_inconclusive) {
      fmt::print(" {} {:.1f}%", gilguard::metric_name(id), 100.0 * count / opts.trials);
    }
    fmt::print("\n");
  }
  std::optional<double> smallest;
  for (std::size_t d = 0; d < opts.drops.size(); ++d) {
    if (dropped[d].rate(Verdict::regression) >= 0.95 && (!smallest || opts.drops[d] < *smallest)) {
      smallest = opts.drops[d];
    }
  }
  fmt::print("smallest drop detected >= 95% of the time: {}\n",
             smallest ? fmt::format("{:g}%", *smallest * 100) : std::string("none of those tried"));
  for (std::size_t d = 0; d < opts.drops.size(); ++d) {
    const double caught = dropped[d].rate(Verdict::regression);
    const double passed = dropped[d].rate(Verdict::pass);
    fmt::print(
        "drop {:g}%: caught >= {:.1f}%, called pass <= {:.1f}% (one-sided 95%, {:g} effective "
        "trials)\n",
        opts.drops[d] * 100,
        100 * stats::clopper_pearson_lower(caught * effective, effective, 0.95),
        100 * stats::clopper_pearson_upper(passed * effective, effective, 0.95), effective);
  }
  fmt::print(stderr, "({:.1f} s)\n", seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{
      "Offline evaluation of gilguard's verdict: A/A false alarms and detection of injected\n"
      "drops in the free-threaded speedup, on recorded rounds or synthetic ones."};
  app.add_option("--results", options.results,
                 "A results JSON written by `gilguard run` (repeatable), as PATH or NAME=PATH "
                 "(NAME: its machine, else its folder's name without a trailing -pyX.Y); its "
                 "measured rounds form the pool that trials draw from");
  app.add_option("--synthetic-sigma", options.synthetic_sigma,
                 "Without --results: per-round noise of the log speedup (0.07 ~ 7%)");
  app.add_option("--synthetic-overhead-sigma", options.synthetic_overhead_sigma,
                 "Synthetic per-round noise of the log overhead (default: --synthetic-sigma)");
  app.add_option("--drift", options.drift,
                 "Synthetic run-to-run drift: sd of each run's log offset (0.02 ~ 2%)");
  app.add_option("--trials", options.trials, "Trials (verdicts per case)")
      ->check(CLI::PositiveNumber);
  app.add_option("--rounds", options.rounds, "Rounds per run (baseline runs and this run)")
      ->check(CLI::PositiveNumber);
  app.add_option("--baseline-runs", options.baseline_runs, "Runs in the baseline history")
      ->check(CLI::PositiveNumber);
  app.add_option("--drops", options.drops, "Injected drops as fractions")->delimiter(',');
  app.add_flag("--contiguous", options.contiguous,
               "Draw runs as blocks of consecutive recorded rounds (keeps drift over time)");
  app.add_flag("--by-file", options.by_file,
               "Each results file is one run, as recorded (its first --rounds rounds); each "
               "trial picks --baseline-runs + 1 distinct files");
  app.add_flag("--leave-one-machine-out", options.leave_machine_out,
               "Each file is one run and its folder names its machine; each trial takes this run "
               "from one machine and the baseline's runs from the others");
  app.add_flag("--mix-timing", options.mix_timing,
               "With --leave-one-machine-out: let a baseline hold runs recorded with the old "
               "timing (before issue 19: machines a-d) beside runs with the new one (e, f)");
  app.add_flag("--raw-speedup", options.raw_only,
               "Leave out the speedup against processes, so the raw speedup gates (as for "
               "results recorded before the process reference)");
  app.add_option("--sequential", options.sequential_max,
                 "Grow this run round by round under the --time-budget stopping rule, up to "
                 "this many rounds");
  app.add_option("--seed", options.seed, "Seed of the trial draws");
  app.add_option("--jobs", options.jobs,
                 "Threads running trials (default: all CPUs); the numbers do not depend on it")
      ->check(CLI::PositiveNumber);
  app.add_option("--usable-cpus", options.usable_cpus,
                 "Gate ft speedups up to this thread count (default: from the results)");
  app.add_option("--threshold", options.compare.threshold, "Regression threshold (fraction)");
  app.add_option("--confidence", options.compare.confidence, "Two-sided confidence");
  app.add_option("--prediction-confidence", options.compare.prediction_confidence,
                 "Two-sided confidence of the baseline's prediction interval");
  app.add_option("--short-history", options.compare.short_history,
                 "Histories of at most this many runs use the within-run floor and z");
  app.add_option("--prior-drift", options.compare.prior_drift,
                 "Run-to-run drift assumed a priori, log scale");
  app.add_option("--prior-df", options.compare.prior_df,
                 "Prior degrees of freedom of the within-run floor plus machine spread");
  app.add_option("--machine-spread-relative", options.compare.machine_spread_relative,
                 "Machine-to-machine spread of the speedup against processes, log scale");
  app.add_option("--machine-spread-speedup", options.compare.machine_spread_speedup,
                 "Machine-to-machine spread of the raw speedup, log scale");
  app.add_option("--resamples", options.compare.resamples, "Bootstrap resamples");
  app.add_option("--min-rounds", options.compare.min_rounds, "Fewest rounds that may decide");
  app.add_flag("!--no-rank-test", options.compare.rank_test,
               "Do not require the signed-rank test for a regression");
  app.add_flag("!--no-regression-stop", options.compare.stop_for_regression,
               "With --sequential: stop early only for a pass, as before issue 20");
  app.add_option("--stop-regression-confidence", options.compare.stop_regression_confidence,
                 "With --sequential: the early regression stop's rank test rejects at (1 - this) "
                 "/ 2");
  CLI11_PARSE(app, argc, argv);
  options.compare.baseline_interval_confidence = options.compare.confidence;
  return run(options);
}
