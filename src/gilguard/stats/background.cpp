#include "gilguard/stats/background.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "gilguard/stats/bootstrap.hpp"
#include "gilguard/stats/compare.hpp"
#include "gilguard/stats/estimators.hpp"
#include "gilguard/stats/signed_rank.hpp"

namespace gilguard::stats {

std::vector<MetricSamples> background_samples(const std::vector<Sample>& samples, Side side) {
  // flavour -> round -> (background seconds, region seconds); missing readings poison a round.
  struct Sum {
    double cpu = 0;
    double wall = 0;
    bool complete = true;
  };
  std::map<Flavor, std::map<int, Sum>> sums;
  for (const Sample& s : samples) {
    if (s.round < 1 || !s.ok || s.cell.side != side) continue;
    Sum& sum = sums[s.cell.flavor][s.round];
    for (const auto* load : {&s.seq_load, &s.par_load, &s.ref_load}) {
      if (!*load) continue;
      if (!(*load)->background || !((*load)->wall > 0)) {
        sum.complete = false;
        continue;
      }
      sum.cpu += *(*load)->background;
      sum.wall += (*load)->wall;
    }
  }
  std::vector<MetricSamples> out;
  for (const auto& [flavor, rounds] : sums) {
    MetricSamples metric{MetricId{MetricKind::background, flavor, 1}, {}};
    for (const auto& [round, sum] : rounds)
      if (sum.complete && sum.wall > 0) metric.values.push_back(sum.cpu / sum.wall);
    if (!metric.values.empty()) out.push_back(std::move(metric));
  }
  return out;
}

namespace {

std::string cpus(double value) { return fmt::format("{:.3f} CPU", value); }

std::string named(const std::vector<Burner>& burners) {
  if (burners.empty()) return "";
  std::vector<std::string> parts;
  for (const Burner& b : burners)
    parts.push_back(fmt::format("{} \"{}\" ({:.2f} s of CPU)", b.kind, b.name, b.cpu_seconds));
  return fmt::format(" What burned it: {}.", fmt::join(parts, ", "));
}

}  // namespace

MetricComparison compare_background(const MetricSamples& samples,
                                    const std::vector<Burner>& burners, const std::string& source,
                                    const BackgroundOptions& options) {
  MetricComparison out;
  out.id = samples.id;
  out.gating = true;
  const std::vector<double>& values = samples.values;
  out.current.rounds = static_cast<int>(values.size());
  const std::string name = describe(samples.id);
  if (values.empty()) {
    out.verdict = Verdict::inconclusive;
    out.explanation = fmt::format("The {} was not measured.", name);
    return out;
  }
  BootstrapOptions bootstrap;
  bootstrap.confidence = options.confidence;
  bootstrap.resamples = options.resamples;
  const Interval interval = hodges_lehmann_interval(values, bootstrap);
  out.current.value = hodges_lehmann(values);
  out.current.low = interval.low;
  out.current.high = interval.high;
  out.baseline = options.limit;
  const std::string now = fmt::format("{} ({:g}% interval {}-{}, {} rounds)",
                                      cpus(out.current.value), options.confidence * 100,
                                      cpus(interval.low), cpus(interval.high), out.current.rounds);
  const std::string how = source.empty() ? "" : fmt::format(" (read by {})", source);
  if (out.current.rounds < options.min_rounds) {
    out.verdict = Verdict::inconclusive;
    out.explanation = fmt::format("The {} rests on {} rounds, fewer than the {} needed.", name,
                                  out.current.rounds, options.min_rounds);
    return out;
  }
  const double one_sided = (1 - options.confidence) / 2;
  if (interval.low > options.limit &&
      signed_rank_test(values, options.limit, Alternative::greater).p_value <= one_sided) {
    out.verdict = Verdict::regression;
    out.explanation = fmt::format(
        "The code under test burned {} outside its timed workers on the {} build, wholly past the "
        "limit of {}{}: threads or processes it starts beside its workers (at import, in a .pth "
        "file, in the work) cost CPU the regions do not show. This is its own cost, not the "
        "machine's.{}",
        now, samples.id.flavor == Flavor::ft ? "free-threaded" : "GIL", cpus(options.limit), how,
        named(burners));
    return out;
  }
  if (interval.high <= options.limit) {
    out.verdict = Verdict::pass;
    out.explanation =
        fmt::format("The {} is {}, within the limit of {}{}.", name, now, cpus(options.limit), how);
    return out;
  }
  out.verdict = Verdict::inconclusive;
  out.explanation = fmt::format(
      "The {} is {}: its interval reaches past the limit of {}{}; more rounds would decide.{}",
      name, now, cpus(options.limit), how, named(burners));
  return out;
}

std::vector<MetricComparison> compare_backgrounds(const std::vector<Sample>& samples,
                                                  const BackgroundOptions& options) {
  std::vector<MetricComparison> out;
  for (const MetricSamples& metric : background_samples(samples, options.side)) {
    // The burners a child of this flavour named, summed by kind and name over the run.
    std::map<std::pair<std::string, std::string>, double> by_name;
    std::string source;
    for (const Sample& s : samples) {
      if (!s.ok || s.round < 1 || s.cell.side != options.side || s.cell.flavor != metric.id.flavor)
        continue;
      if (source.empty()) source = s.background_source;
      for (const Burner& b : s.background_by) by_name[{b.kind, b.name}] += b.cpu_seconds;
    }
    std::vector<Burner> burners;
    for (const auto& [key, seconds] : by_name) burners.push_back({key.first, key.second, seconds});
    std::ranges::sort(burners, std::greater{}, &Burner::cpu_seconds);
    if (burners.size() > k_burners_named) burners.resize(k_burners_named);
    out.push_back(compare_background(metric, burners, source, options));
  }
  return out;
}

}  // namespace gilguard::stats
