#include "gilguard/baseline/results_codec.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <limits>

#include "gilguard/baseline/child_codec.hpp"
#include "gilguard/baseline/facts_codec.hpp"
#include "gilguard/baseline/json_node.hpp"
#include "gilguard/baseline/json_text.hpp"

namespace gilguard::baseline {
namespace json = boost::json;

namespace {

constexpr std::int64_t k_max_int = std::numeric_limits<std::int64_t>::max();

json::array numbers(const auto& values) {
  json::array out;
  for (const double v : values) out.emplace_back(v);
  return out;
}

json::array strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

void put_cell(json::object& out, const Cell& cell) {
  out["flavor"] = to_string(cell.flavor);
  out["threads"] = cell.threads;
  out["gated"] = cell.gated;
  if (cell.side == Side::base) out["side"] = to_string(cell.side);
}

json::object cpu_json(const CpuIdentity& c) {
  return {{"vendor", c.vendor},     {"family", c.family},         {"model", c.model},
          {"stepping", c.stepping}, {"model_name", c.model_name}, {"microcode", c.microcode},
          {"caches", c.caches}};
}

json::object machine_json(const MachineFacts& m) {
  return {{"cpu_model", m.cpu_model},
          {"logical_cpus", m.logical_cpus},
          {"usable_cpus", m.usable_cpus},
          {"affinity_cpus", m.affinity_cpus},
          {"physical_cores", m.physical_cores},
          {"threads_per_core", m.threads_per_core},
          {"cpu_quota", number_or_null(m.cpu_quota)},
          {"machine_id", m.machine_id},
          {"cpu", cpu_json(m.cpu)},
          {"steal_seconds", number_or_null(m.steal_seconds)},
          {"os", m.os},
          {"arch", m.arch},
          {"kernel", m.kernel},
          {"load_start", numbers(m.load_start)},
          {"load_end", numbers(m.load_end)}};
}

json::object load_json(const RegionLoad& l) {
  json::object out{{"wall", l.wall},
                   {"workers", l.workers},
                   {"wait", number_or_null(l.wait)},
                   {"other_cpu", number_or_null(l.other_cpu)},
                   {"steal", number_or_null(l.steal)},
                   {"pressure", number_or_null(l.pressure)},
                   {"throttled", number_or_null(l.throttled)}};
  if (l.background) out["background"] = *l.background;
  if (l.minor_faults) out["faults"] = *l.minor_faults;
  if (l.workers_cpu) out["workers_cpu"] = *l.workers_cpu;
  if (l.voluntary_switches) out["voluntary_switches"] = *l.voluntary_switches;
  if (l.involuntary_switches) out["involuntary_switches"] = *l.involuntary_switches;
  if (l.regions > 0) out["regions"] = l.regions;
  return out;
}

json::object parameters_json(const RunParameters& p) {
  json::array threads;
  for (const int t : p.threads) threads.emplace_back(t);
  json::object out{{"workload", p.workload},
                   {"range", p.range},
                   {"threads", threads},
                   {"rounds", p.rounds},
                   {"time_budget", p.time_budget},
                   {"seed", p.seed},
                   {"expected_count", p.expected_count},
                   {"repeats", p.repeats}};
  // Only for workloads other than primes, so prime results read as before.
  if (p.workload_digest) out["workload_digest"] = *p.workload_digest;
  if (p.range_sized) out["range_sized"] = true;
  return out;
}

json::object sample_json(const Sample& s) {
  json::object out;
  out["round"] = s.round;
  out["position"] = s.position;
  put_cell(out, s.cell);
  out["seq_first"] = s.seq_first;
  out["ok"] = s.ok;
  out["t_seq"] = s.t_seq;
  out["t_par"] = s.t_par;
  out["thread_times"] = numbers(s.thread_times);
  if (!s.thread_warm_up.empty()) out["thread_warm_up"] = numbers(s.thread_warm_up);
  if (!s.background_source.empty()) out["background_source"] = s.background_source;
  if (!s.background_by.empty()) {
    json::array by;
    for (const Burner& b : s.background_by)
      by.emplace_back(
          json::array{json::value(b.kind), json::value(b.name), json::value(b.cpu_seconds)});
    out["background_by"] = std::move(by);
  }
  out["count_seq"] = s.count_seq;
  out["count_par"] = s.count_par;
  out["gil_enabled"] = s.gil_enabled ? json::value(*s.gil_enabled) : json::value(nullptr);
  out["warnings"] = strings(s.warnings);
  out["failure"] = s.failure;
  out["wall_seconds"] = s.wall_seconds;
  out["t_ref"] = s.t_ref;
  out["ref_times"] = numbers(s.ref_times);
  out["count_ref"] = s.count_ref;
  out["cpus"] = s.cpus;
  if (s.expected) out["expected"] = *s.expected;
  json::object loads;
  if (s.seq_load) loads["seq"] = load_json(*s.seq_load);
  if (s.par_load) loads["par"] = load_json(*s.par_load);
  if (s.ref_load) loads["ref"] = load_json(*s.ref_load);
  out["loads"] = std::move(loads);
  if (s.child_cpu_seconds) out["child_cpu_seconds"] = *s.child_cpu_seconds;
  if (s.distinct_warnings > 0) out["distinct_warnings"] = s.distinct_warnings;
  return out;
}

json::object summary_json(const CellSummary& s) {
  json::object out;
  put_cell(out, s.cell);
  out["rounds"] = s.rounds;
  out["median_speedup"] = s.median_speedup;
  out["efficiency"] = s.efficiency;
  out["load_imbalance"] = s.load_imbalance;
  out["median_t_seq"] = s.median_t_seq;
  out["median_t_par"] = s.median_t_par;
  if (s.thread_warm_up) out["thread_warm_up"] = *s.thread_warm_up;
  if (s.loss_split) out["loss_split"] = loss_split_json(*s.loss_split);
  return out;
}

Cell read_cell(const Node& node) {
  Cell cell;
  const auto flavor = node.field("flavor");
  const auto parsed = parse_flavor(flavor.as_string());
  if (!parsed) flavor.reject("expected \"gil\" or \"ft\"");
  cell.flavor = *parsed;
  cell.threads = static_cast<int>(node.field("threads").as_integer(1, 1 << 20));
  cell.gated = node.field("gated").as_bool();
  if (const auto side = node.optional_field("side")) {
    const auto text = side->as_string();
    if (text == "base")
      cell.side = Side::base;
    else if (text != "head")
      side->reject("expected \"head\" or \"base\"");
  }
  return cell;
}

std::vector<double> read_numbers(const Node& node) {
  std::vector<double> out;
  for (const auto& e : node.elements()) out.push_back(e.as_number());
  return out;
}

std::array<double, 3> read_load(const Node& node) {
  const auto values = read_numbers(node);
  if (values.size() != 3) node.reject("expected 3 numbers (1, 5 and 15 minute load averages)");
  return {values[0], values[1], values[2]};
}

int read_count(const Node& node, std::string_view name) {
  return static_cast<int>(node.field(name).as_integer(0, 1 << 20));
}

// Schema 1 files have no identity, topology or quota: those stay unknown (empty, 0, nullopt).
MachineFacts read_machine(const Node& node, int schema_version) {
  MachineFacts m;
  m.cpu_model = node.field("cpu_model").as_string();
  m.logical_cpus = read_count(node, "logical_cpus");
  m.usable_cpus = read_count(node, "usable_cpus");
  m.affinity_cpus = m.usable_cpus;
  if (schema_version >= 2) {
    m.affinity_cpus = read_count(node, "affinity_cpus");
    m.physical_cores = read_count(node, "physical_cores");
    m.threads_per_core = read_count(node, "threads_per_core");
    m.cpu_quota = node.optional_number("cpu_quota");
    m.machine_id = node.field("machine_id").as_string();
    const auto cpu = node.field("cpu");
    m.cpu = {cpu.field("vendor").as_string(),     cpu.field("family").as_string(),
             cpu.field("model").as_string(),      cpu.field("stepping").as_string(),
             cpu.field("model_name").as_string(), cpu.field("microcode").as_string(),
             cpu.field("caches").as_string()};
    m.steal_seconds = node.optional_number("steal_seconds");
  }
  m.os = node.field("os").as_string();
  m.arch = node.field("arch").as_string();
  m.kernel = node.field("kernel").as_string();
  m.load_start = read_load(node.field("load_start"));
  m.load_end = read_load(node.field("load_end"));
  return m;
}

InterpreterFacts read_facts(const Node& node) {
  auto facts = facts_from_json(node.value());
  if (!facts) throw FieldError(fmt::format("{}: {}", node.where(), facts.error().message));
  return *facts;
}

std::uint64_t read_seed(const Node& node) {
  if (node.value().is_uint64()) return node.value().get_uint64();
  return static_cast<std::uint64_t>(node.as_integer(0, k_max_int));
}

RunParameters read_parameters(const Node& node) {
  RunParameters p;
  if (const auto workload = node.optional_field("workload")) p.workload = workload->as_string();
  p.range = node.field("range").as_integer(0, k_max_int);
  for (const auto& t : node.field("threads").elements())
    p.threads.push_back(static_cast<int>(t.as_integer(1, 1 << 20)));
  p.rounds = static_cast<int>(node.field("rounds").as_integer(0, 1 << 30));
  p.time_budget = node.field("time_budget").as_number();
  p.seed = read_seed(node.field("seed"));
  p.expected_count = node.field("expected_count").as_integer(0, k_max_int);
  if (const auto repeats = node.optional_field("repeats"))
    p.repeats = static_cast<int>(repeats->as_integer(1, 1 << 20));
  if (const auto digest = node.optional_field("workload_digest"))
    p.workload_digest = digest->as_string();
  if (const auto sized = node.optional_field("range_sized")) p.range_sized = sized->as_bool();
  return p;
}

Sample read_sample(const Node& node) {
  Sample s;
  s.round = static_cast<int>(node.field("round").as_integer(0, 1 << 30));
  s.position = static_cast<int>(node.field("position").as_integer(0, 1 << 30));
  s.cell = read_cell(node);
  s.seq_first = node.field("seq_first").as_bool();
  s.ok = node.field("ok").as_bool();
  s.t_seq = node.field("t_seq").as_number();
  s.t_par = node.field("t_par").as_number();
  s.thread_times = read_numbers(node.field("thread_times"));
  if (const auto warm = node.optional_field("thread_warm_up"))
    s.thread_warm_up = read_numbers(*warm);
  if (const auto source = node.optional_field("background_source"))
    s.background_source = source->as_string();
  if (const auto by = node.optional_field("background_by")) {
    for (const auto& entry : by->elements()) {
      const auto parts = entry.elements();
      if (parts.size() != 3) entry.reject("expected [kind, name, seconds]");
      s.background_by.push_back({parts[0].as_string(), parts[1].as_string(), parts[2].as_number()});
    }
  }
  s.count_seq = node.field("count_seq").as_integer(0, k_max_int);
  s.count_par = node.field("count_par").as_integer(0, k_max_int);
  const auto gil = node.field("gil_enabled");
  if (!gil.value().is_null()) s.gil_enabled = gil.as_bool();
  for (const auto& w : node.field("warnings").elements()) s.warnings.push_back(w.as_string());
  s.failure = node.field("failure").as_string();
  s.wall_seconds = node.field("wall_seconds").as_number();
  if (const auto t_ref = node.optional_field("t_ref")) {
    s.t_ref = t_ref->as_number();
    s.ref_times = read_numbers(node.field("ref_times"));
    s.count_ref = node.field("count_ref").as_integer(0, k_max_int);
  }
  if (const auto cpus = node.optional_field("cpus"))
    s.cpus = static_cast<int>(cpus->as_integer(0, 1 << 20));
  if (const auto expected = node.optional_field("expected"))
    s.expected = expected->as_integer(0, k_max_int);
  if (const auto loads = node.optional_field("loads")) {
    if (const auto seq = loads->optional_field("seq")) s.seq_load = region_load_from(*seq);
    if (const auto par = loads->optional_field("par")) s.par_load = region_load_from(*par);
    if (const auto ref = loads->optional_field("ref")) s.ref_load = region_load_from(*ref);
  }
  s.child_cpu_seconds = node.optional_number("child_cpu_seconds");
  if (const auto distinct = node.optional_field("distinct_warnings"))
    s.distinct_warnings = static_cast<int>(distinct->as_integer(0, 1 << 30));
  return s;
}

CellSummary read_summary(const Node& node) {
  CellSummary s;
  s.cell = read_cell(node);
  s.rounds = static_cast<int>(node.field("rounds").as_integer(0, 1 << 30));
  s.median_speedup = node.field("median_speedup").as_number();
  s.efficiency = node.field("efficiency").as_number();
  s.load_imbalance = node.field("load_imbalance").as_number();
  s.median_t_seq = node.field("median_t_seq").as_number();
  s.median_t_par = node.field("median_t_par").as_number();
  s.thread_warm_up = node.optional_number("thread_warm_up");
  if (const auto split = node.optional_field("loss_split")) s.loss_split = loss_split_from(*split);
  return s;
}

json::value optional_bool_json(const std::optional<bool>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

std::optional<bool> read_optional_bool(const Node& node) {
  if (node.value().is_null()) return std::nullopt;
  return node.as_bool();
}

std::vector<std::string> read_strings(const Node& node) {
  std::vector<std::string> out;
  for (const auto& element : node.elements()) out.push_back(element.as_string());
  return out;
}

json::object import_json(const ImportCheck& c) {
  return {{"module", c.module},
          {"imported", c.imported},
          {"gil_before", optional_bool_json(c.gil_before)},
          {"gil_after", optional_bool_json(c.gil_after)},
          {"startup_gil_modules", strings(c.startup_gil_modules)},
          {"import_gil_modules", strings(c.import_gil_modules)},
          {"gil_flag", c.gil_flag},
          {"error", c.error}};
}

ImportCheck read_import(const Node& node) {
  ImportCheck c;
  c.module = node.field("module").as_string();
  c.imported = node.field("imported").as_bool();
  c.gil_before = read_optional_bool(node.field("gil_before"));
  c.gil_after = read_optional_bool(node.field("gil_after"));
  c.startup_gil_modules = read_strings(node.field("startup_gil_modules"));
  c.import_gil_modules = read_strings(node.field("import_gil_modules"));
  c.gil_flag = node.field("gil_flag").as_string();
  c.error = node.field("error").as_string();
  return c;
}

}  // namespace

json::value to_json(const RunResult& result) {
  json::array samples;
  for (const auto& s : result.samples) samples.emplace_back(sample_json(s));
  json::array summaries;
  for (const auto& s : result.summaries) summaries.emplace_back(summary_json(s));
  json::array failures;
  for (const auto& f : result.failures)
    failures.emplace_back(json::object{{"kind", f.kind}, {"message", f.message}});
  json::object out;
  out["schema_version"] = result.is_ab() ? k_results_schema_version_ab : result.schema_version;
  out["gilguard_version"] = result.gilguard_version;
  out["started_at"] = result.started_at;
  out["source_commit"] = result.source_commit;
  out["machine"] = machine_json(result.machine);
  out["interpreters"] =
      json::object{{"gil", baseline::to_json(result.gil)}, {"ft", baseline::to_json(result.ft)}};
  if (result.is_ab())
    out["base"] = json::object{{"label", result.base_label},
                               {"gil", baseline::to_json(*result.base_gil)},
                               {"ft", baseline::to_json(*result.base_ft)}};
  out["parameters"] = parameters_json(result.parameters);
  out["ft_overhead"] = result.ft_overhead;
  out["failures"] = std::move(failures);
  out["summaries"] = std::move(summaries);
  out["samples"] = std::move(samples);
  // Only with --import, so that files of runs without it read as before.
  if (!result.imports.empty()) {
    json::array imports;
    for (const auto& c : result.imports) imports.emplace_back(import_json(c));
    out["imports"] = std::move(imports);
  }
  return out;
}

std::string results_to_json_text(const RunResult& result) {
  return to_pretty_json(to_json(result));
}

Expected<RunResult> results_from_json(const json::value& value) {
  try {
    const Node root(value, "");
    RunResult result;
    const auto version = root.field("schema_version");
    result.schema_version = static_cast<int>(version.as_integer(0, 1 << 30));
    if (result.schema_version < 1 || result.schema_version > k_results_schema_version_ab)
      version.reject(fmt::format(
          "this gilguard reads results with schema_version 1 to {}, not {}; rerun 'gilguard "
          "run' with this version, or use the gilguard that wrote the file",
          k_results_schema_version_ab, result.schema_version));
    result.gilguard_version = root.field("gilguard_version").as_string();
    result.started_at = root.field("started_at").as_string();
    result.source_commit = root.field("source_commit").as_string();
    result.machine = read_machine(root.field("machine"), result.schema_version);
    const auto interpreters = root.field("interpreters");
    result.gil = read_facts(interpreters.field("gil"));
    result.ft = read_facts(interpreters.field("ft"));
    if (result.schema_version >= k_results_schema_version_ab) {
      const auto base = root.field("base");
      result.base_label = base.field("label").as_string();
      result.base_gil = read_facts(base.field("gil"));
      result.base_ft = read_facts(base.field("ft"));
      result.schema_version = k_results_schema_version;
    }
    result.parameters = read_parameters(root.field("parameters"));
    result.ft_overhead = root.field("ft_overhead").as_number();
    for (const auto& f : root.field("failures").elements())
      result.failures.push_back({f.field("kind").as_string(), f.field("message").as_string()});
    for (const auto& s : root.field("summaries").elements())
      result.summaries.push_back(read_summary(s));
    for (const auto& s : root.field("samples").elements()) result.samples.push_back(read_sample(s));
    if (const auto imports = root.optional_field("imports"))
      for (const auto& c : imports->elements()) result.imports.push_back(read_import(c));
    return result;
  } catch (const FieldError& e) {
    return fail(e.what());
  }
}

Expected<RunResult> results_from_json_text(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed) return std::unexpected(parsed.error());
  return results_from_json(*parsed);
}

}  // namespace gilguard::baseline
