#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"

namespace gilguard::report {

// "free-threaded" or "GIL": how a reader names a flavour.
std::string_view flavor_label(Flavor flavor);

// "free-threaded speedup at 4 threads", "GIL speedup at 1 thread",
// "free-threaded single-thread overhead": a metric in words.
std::string metric_label(const MetricId& id);

// "1.87x": a speedup or overhead ratio, two decimals.
std::string format_ratio(double value);

// "2.41 ms": a cell's per-thread warm-up cost (CellSummary::thread_warm_up); "-" when unknown.
std::string format_warm_up(std::optional<double> seconds);

// What the warm-up column means, one sentence for the tables that show it.
inline constexpr std::string_view k_warm_up_note =
    "Warm-up = what each new thread pays before it runs at full speed: from start() to its "
    "first instruction, plus its first call on 1% of its part minus its second. Every timed "
    "region starts after its workers have started and warmed up, so this is shown, not gated.";

// "[1.80x, 1.95x]": an interval of ratios.
std::string format_interval(double low, double high);

// A metric's value: "1.87x" for a ratio, "0.452 s" for a single-thread time (A/B).
std::string format_value(const MetricId& id, double value);
// "[1.80x, 1.93x]" or "[0.448 s, 0.457 s]".
std::string format_value_interval(const MetricId& id, double low, double high);

// What the run was compared with: "baseline", or in an A/B run "base <label>".
std::string reference_name(const Comparison& comparison);

// "+3.2%", "-12.3%", "0.0%"; "n/a" when absent.
std::string format_change(std::optional<double> change);

// The metric's change with its interval when it has one: "-4.1% [-6.0%, -2.2%]", else "-4.1%"
// ("n/a" without a change).
std::string format_change_with_interval(const MetricComparison& metric);

// "5%", "2.5%": a threshold given as a fraction.
std::string format_percent(double fraction);

// The verdict in words for tables: "pass", "regression", ..., "no baseline".
std::string_view verdict_label(Verdict verdict);

// A one-character-wide icon for Markdown: a check mark, a cross, ...
std::string_view verdict_icon(Verdict verdict);

// True when the change of this metric is a loss (lower speedup, higher overhead).
bool is_worse(const MetricId& id, double change);

// The machine in one line: CPU identity and caches, usable CPUs as physical cores x SMT threads,
// affinity and cgroup quota, machine identity. Fields older results lack are left out.
std::string describe_machine(const MachineFacts& machine);

// True when the run had a failed check (wrong count, crash, GIL enabled): it outranks any verdict.
bool has_failed_checks(const Comparison& comparison);

}  // namespace gilguard::report
