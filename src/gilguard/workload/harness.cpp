#include "gilguard/workload/harness.hpp"

#include <fmt/format.h>

#include "gilguard/workload/prelude.hpp"

namespace gilguard::workload {
namespace {

// Written for gilguard, after the kinds of work CPython's Tools/ftscalingbench exercises (object
// creation, method calls, generators, mutation of containers each thread owns, reads of shared
// immutable data); each built-in has its closed-form expected result.
constexpr std::string_view k_script = R"PY(
MASK = (1 << 61) - 1
MIN_RANGE = 0
MAX_RANGE = 0
NAME = sys.argv[1].rpartition(":")[2]  # the function's name in messages, with its parameters


# A result that cannot be compared: an object whose repr holds its memory address.
class ObjectResult(Exception):
    pass


# The digest of one result; the regions compare the sums of their results' digests. An int is
# itself, a str or bytes the CRC-32 of its bytes, anything else the CRC-32 of canonical().
def fold(value):
    kind = type(value)
    if kind is int:
        return value & MASK
    if kind is str:
        return zlib.crc32(value.encode("utf-8", "surrogatepass"))
    if kind is bytes:
        return zlib.crc32(value)
    return zlib.crc32(canonical(value).encode("utf-8", "surrogatepass"))


# A text equal for equal values: None, bools, numbers, str and bytes by their repr; tuples and
# lists item by item; a dict's items and a set's members sorted, so that two equal ones built in
# another order read alike. Any other object by its repr, unless that holds a memory address
# ("<Point object at 0x7f...>", an object without its own __repr__): two equal such objects
# print differently in two processes, and nothing tells a race from that.
def canonical(value):
    kind = type(value)
    if value is None or kind in (bool, int, float, complex, str, bytes):
        return repr(value)
    if kind is tuple or kind is list:
        return ("t(" if kind is tuple else "l(") + ",".join(map(canonical, value)) + ")"
    if kind is dict:
        return "d(" + ",".join(sorted(canonical(k) + ":" + canonical(v)
                                      for k, v in value.items())) + ")"
    if kind is set or kind is frozenset:
        return "s(" + ",".join(sorted(map(canonical, value))) + ")"
    text = repr(value)
    if ADDRESS.search(text):
        raise ObjectResult(text)
    return text


def run_range(f, first, last):
    total = 0
    i = first
    try:
        for i in range(first, last):
            total += fold(f(i))
    except ObjectResult as error:
        raise ObjectResult(
            "%s(%d) returned %s, an object whose repr holds its memory address, so equal results "
            "cannot be told apart from different ones: return a value, not an object (numbers, "
            "strings, bytes, None, and tuples, lists, dicts and sets of them; for a dataclass, "
            "dataclasses.astuple(result))" % (NAME, i, error)) from None
    return total & MASK


def triangle(n):
    return n * (n - 1) // 2


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def shifted(self, dx):
        return Point(self.x + dx, self.y)

    def manhattan(self):
        return abs(self.x) + abs(self.y)


# Allocation: a fresh object per step, dropped at once.
def objects(i):
    total = 0
    for k in range(50):
        p = Point(i, k)
        total += p.x + p.y
    return total


def objects_expected(n):
    return 50 * triangle(n) + n * triangle(50)


# Method calls on an object this call owns.
def methods(i):
    p = Point(i, 1)
    total = 0
    for _ in range(50):
        total += p.manhattan()
    return total


def methods_expected(n):
    return 50 * (triangle(n) + n)


def squares(limit):
    for k in range(limit):
        yield k * k


# Generator frames: created, resumed and finished.
def generators(i):
    return sum(squares(40)) + i


def generators_expected(n):
    return n * sum(k * k for k in range(40)) + triangle(n)


# A dict this call owns: inserts, then deletes of every even key.
def dict_mutation(i):
    table = {}
    for k in range(40):
        table[k] = k + i
    for k in range(0, 40, 2):
        del table[k]
    return sum(table.values())


def dict_mutation_expected(n):
    return n * sum(range(1, 40, 2)) + 20 * triangle(n)


# A list this call owns: appends, then pops back to its first 30 items.
def list_mutation(i):
    items = []
    for k in range(60):
        items.append(k + i)
    while len(items) > 30:
        items.pop()
    items.reverse()
    return sum(items)


def list_mutation_expected(n):
    return n * triangle(30) + 30 * triangle(n)


SHARED_TABLE = tuple(range(256))
SHARED_NAMES = {str(k): k for k in range(64)}
SHARED_KEYS = tuple(str(k) for k in range(64))


# Reads of a tuple and a dict every thread shares (reference counts of shared objects).
def shared_reads(i):
    total = 0
    for k in range(64):
        total += SHARED_TABLE[(i + k) & 255] + SHARED_NAMES[SHARED_KEYS[k]]
    return total


def shared_reads_expected(n):
    per_residue = [sum((r + k) & 255 for k in range(64)) for r in range(256)]
    full, rest = divmod(n, 256)
    return full * sum(per_residue) + sum(per_residue[:rest]) + n * triangle(64)


SUITE = {
    "objects": (objects, objects_expected),
    "methods": (methods, methods_expected),
    "generators": (generators, generators_expected),
    "dict-mutation": (dict_mutation, dict_mutation_expected),
    "list-mutation": (list_mutation, list_mutation_expected),
    "shared-reads": (shared_reads, shared_reads_expected),
}


# A parameter's value: a Python literal (a number, True, False, None), else the text itself.
def literal(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


# The function `spec` names and its closed-form expectation (a built-in's; None for a file). A
# file is imported, then its setup() called when it defines one, both outside every timed
# region; FILE.py:FUNCTION[NAME=VALUE,...] calls the function with those keyword arguments.
def load(spec):
    if spec.startswith("builtin:"):
        return SUITE[spec[len("builtin:"):]]
    params = {}
    if spec.endswith("]"):
        spec, _, given = spec[:-1].rpartition("[")
        for pair in given.split(","):
            key, _, value = pair.partition("=")
            params[key] = literal(value)
    path, _, function = spec.rpartition(":")
    # The file's own folder comes first on sys.path (-I leaves it out), so it may import its
    # neighbours; installed packages come from the interpreter's site-packages.
    sys.path.insert(0, os.path.dirname(path))
    found = importlib.util.spec_from_file_location("gilguard_workload", path)
    module = importlib.util.module_from_spec(found)
    sys.modules["gilguard_workload"] = module
    found.loader.exec_module(module)
    f = getattr(module, function)
    setup = getattr(module, "setup", None)
    if callable(setup):
        setup()
    return (functools.partial(f, **params) if params else f), None


# Doubles the range from 1 until one sequential pass takes the target time (after one call
# untimed, which pays what the function does once, such as a lazy import), then keeps it within
# the bounds of --range: at least MIN_RANGE indices, so that the split over threads stays even
# (a function that takes 80 ms a call gets 100 indices, not the 4 the target would give). Says
# on stderr what it chose, so that a child that then runs out of time shows why.
def sized(f, target):
    run_range(f, 0, 1)
    limit = 1
    while limit < MAX_RANGE:
        began = perf_counter()
        run_range(f, 0, limit)
        took = perf_counter() - began
        if took >= target:
            break
        limit *= 2
    chosen = min(max(limit, MIN_RANGE), MAX_RANGE)
    sys.stderr.write("gilguard-harness: sized the range to %d indices (%.3g s per call)\n"
                     % (chosen, took / limit))
    sys.stderr.flush()
    return chosen


def measure(f, limit, nthreads, seq_first, zygote):
    return measure_regions(lambda first, last: run_range(f, first, last), 0, limit,
                           chunks(0, limit, nthreads), seq_first, zygote,
                           lambda results: sum(results) & MASK)


# What this script and the prelude use, imported as globals, then the --import modules and the
# workload: (the function, its closed-form expectation or None). The main process calls it
# inside its WarningLog block, each reference worker (Zygote) in its own process.
def prepare():
    global ADDRESS, ast, functools, importlib, json, threading, zlib
    global perf_counter, process_time, thread_time
    import ast
    import functools
    import importlib
    import importlib.util
    import json
    import re
    import threading
    import zlib
    from time import perf_counter, process_time, thread_time

    ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{4,}")

    for name in sys.argv[6:]:
        importlib.import_module(name)
    return load(spec)


# A reference worker's work: the function prepare() loads, over a range.
def load_work():
    f, _ = prepare()
    return lambda first, last: run_range(f, first, last)


spec, limit, nthreads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seq_first = sys.argv[4] == "1"
reference = sys.argv[5] == "1"
# Before anything else is imported: the reference's workers are forked from this copy.
zygote = Zygote(load_work) if reference else None
try:
    with WarningLog() as caught:
        f, expected = prepare()
        if limit == 0:
            limit = sized(f, TARGET)
        report = measure(f, limit, nthreads, seq_first, zygote)
except ObjectResult as error:
    # Said on a line gilguard reads (k_object_result_line), without a traceback.
    sys.stderr.write("gilguard-harness: object result: %s\n" % error)
    sys.stderr.flush()
    sys.exit(1)
finally:
    if zygote is not None:
        zygote.close()
report["workload"] = spec if spec.startswith("builtin:") else "file"
report["expected"] = expected(limit) & MASK if expected is not None else None
finish(report, caught)
)PY";

}  // namespace

std::string_view harness_script() {
  static const std::string script = [] {
    std::string text = std::string(child_prelude()) + std::string(k_script);
    const auto substitute = [&text](std::string_view placeholder, const std::string& value) {
      text.replace(text.find(placeholder), placeholder.size(), value);
    };
    substitute("sized(f, TARGET)", fmt::format("sized(f, {})", k_target_seconds));
    substitute("MIN_RANGE = 0", fmt::format("MIN_RANGE = {}", k_min_sized_range));
    substitute("MAX_RANGE = 0", fmt::format("MAX_RANGE = {}", k_max_sized_range));
    return text;
  }();
  return script;
}

std::vector<std::string> harness_argv(const std::filesystem::path& python, const WorkloadSpec& spec,
                                      const HarnessRun& run,
                                      const std::vector<std::string>& imports,
                                      const std::optional<std::string>& gil_override) {
  std::string target = spec.kind == WorkloadSpec::Kind::builtin ? "builtin:" + spec.name : "";
  if (spec.kind == WorkloadSpec::Kind::file)
    target = std::filesystem::absolute(spec.file).lexically_normal().string() + ":" +
             spec.function + (spec.params.empty() ? "" : "[" + spec.params + "]");
  return script_argv(python, gil_override, harness_script(),
                     {target, std::to_string(run.range), std::to_string(run.threads),
                      run.seq_first ? "1" : "0", run.reference ? "1" : "0"},
                     imports);
}

}  // namespace gilguard::workload
