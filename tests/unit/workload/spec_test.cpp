#include "gilguard/workload/spec.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "gilguard/util/sha256.hpp"
#include "gilguard/workload/harness.hpp"
#include "gilguard/workload/prelude.hpp"
#include "gilguard/workload/primes.hpp"
#include "support/test_util.hpp"

namespace gilguard::workload {
namespace {

std::string usage_message(std::string_view text) {
  try {
    parse_workload(text);
  } catch (const Failure& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    return e.what();
  }
  ADD_FAILURE() << "no usage error for " << text;
  return {};
}

TEST(WorkloadSpec, PrimesBuiltinsAndFiles) {
  EXPECT_EQ(parse_workload("primes").kind, WorkloadSpec::Kind::primes);
  EXPECT_EQ(parse_workload("").label(), "primes");
  const auto builtin = parse_workload("builtin:shared-reads");
  EXPECT_EQ(builtin.kind, WorkloadSpec::Kind::builtin);
  EXPECT_EQ(builtin.name, "shared-reads");
  EXPECT_EQ(builtin.label(), "builtin:shared-reads");
  const auto file = parse_workload("bench/c:d/parse.py:parse_one");
  EXPECT_EQ(file.kind, WorkloadSpec::Kind::file);
  EXPECT_EQ(file.file, "bench/c:d/parse.py");
  EXPECT_EQ(file.function, "parse_one");
  EXPECT_EQ(file.label(), "file:parse.py:parse_one");
  EXPECT_EQ(parse_workload("w.py").function, k_default_function);
}

TEST(WorkloadSpec, BadValuesNameTheFix) {
  EXPECT_EQ(usage_message("builtin:nope"),
            "--workload builtin:nope: there is no built-in workload 'nope'; pass one of "
            "builtin:objects, builtin:methods, builtin:generators, builtin:dict-mutation, "
            "builtin:list-mutation, builtin:shared-reads");
  EXPECT_NE(usage_message("bench.txt").find("pass primes, builtin:NAME (one of objects, methods"),
            std::string::npos);
  EXPECT_NE(usage_message("w.pyc").find("pass primes, builtin:NAME"), std::string::npos);
  EXPECT_EQ(usage_message("w.py:a.b"),
            "--workload w.py:a.b: 'a.b' is not a function name; pass FILE.py:FUNCTION with "
            "FUNCTION a module-level function of FILE.py (default workload)");
  EXPECT_NE(usage_message("w.py:").find("'' is not a function name"), std::string::npos);
}

// The repository root a test names: `root` for every directory under it, nothing elsewhere.
RepositoryRootOf root_at(const std::filesystem::path& root) {
  return [root](const std::filesystem::path& dir) -> std::optional<std::filesystem::path> {
    const auto relative = dir.lexically_relative(root);
    if (relative.empty() || *relative.begin() == "..") return std::nullopt;
    return root;
  };
}

const RepositoryRootOf k_no_repository = [](const std::filesystem::path&) {
  return std::optional<std::filesystem::path>();
};

TEST(WorkloadSpec, AFilesDigestAndTheNoteWhenItChanged) {
  test::TempDir dir;
  const auto path = dir.path() / "w.py";
  test::write_file(path, "def workload(i):\n    return i\n");
  const auto resolved = resolve_workload(parse_workload(path.string()), root_at(dir.path()));
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_EQ(resolved->digest, util::sha256_hex("def workload(i):\n    return i\n"));
  const auto& spec = resolved->spec;
  EXPECT_EQ(spec.file, std::filesystem::canonical(path));
  // At the repository's top the label is the one a file's name gave before (same keys).
  EXPECT_EQ(spec.label(), "file:w.py:workload");
  const auto builtin = resolve_workload(parse_workload("builtin:objects"), k_no_repository);
  ASSERT_TRUE(builtin);
  EXPECT_EQ(builtin->digest, std::nullopt);
  EXPECT_EQ(builtin->spec, parse_workload("builtin:objects"));
  const auto missing =
      resolve_workload(parse_workload((dir.path() / "gone.py").string()), k_no_repository);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("gone.py"), std::string::npos);

  const auto digest = resolved->digest;
  EXPECT_EQ(changed_file_note(spec, digest, digest), std::nullopt);
  EXPECT_EQ(changed_file_note(spec, std::nullopt, digest), std::nullopt);
  const auto note = changed_file_note(spec, std::string(64, 'a'), digest);
  ASSERT_TRUE(note);
  EXPECT_EQ(*note, "The workload file " + spec.file.string() +
                       " changed since the baseline was recorded (SHA-256 aaaaaaaaaaaa then, " +
                       digest->substr(0, 12) +
                       " now): a change in speedup may come from the file rather than the "
                       "interpreter or the machine.");
}

// Issue 21, item 4: the digested file is the file that runs. The kernel reads "link/../b.py" as
// b.py beside the link's target; a lexical reading (what the children were given) names the
// b.py beside the link.
TEST(WorkloadSpec, TheFileDigestedIsTheFileThatRunsThroughASymlinkAndDotDot) {
  test::TempDir dir;
  test::write_file(dir.path() / "real/sub/keep", "");
  test::write_file(dir.path() / "real/b.py", "def workload(i):\n    return i\n");
  test::write_file(dir.path() / "work/b.py", "def workload(i):\n    raise RuntimeError\n");
  std::filesystem::create_directory_symlink("../real/sub", dir.path() / "work/link");
  const auto given = dir.path() / "work/link/../b.py";
  const auto resolved = resolve_workload(parse_workload(given.string()), root_at(dir.path()));
  ASSERT_TRUE(resolved) << resolved.error().message;
  const auto real = std::filesystem::canonical(dir.path() / "real/b.py");
  EXPECT_EQ(resolved->spec.file, real);
  EXPECT_EQ(resolved->digest, util::sha256_hex("def workload(i):\n    return i\n"));
  EXPECT_EQ(resolved->spec.label(), "file:real/b.py:workload");
  const auto argv = harness_argv("/py/ft", resolved->spec, {0, 2, true, true});
  EXPECT_EQ(argv[4], real.string() + ":workload");
}

// Two files of one name in two folders of a repository: two labels, so two baseline keys.
TEST(WorkloadSpec, SameNamedFilesInTwoFoldersHaveTwoLabels) {
  test::TempDir dir;
  test::write_file(dir.path() / "a/w.py", "def workload(i):\n    return i\n");
  test::write_file(dir.path() / "b/w.py", "def workload(i):\n    return i\n");
  const auto root = std::filesystem::canonical(dir.path());
  const auto a = resolve_workload(parse_workload((dir.path() / "a/w.py").string()), root_at(root));
  const auto b =
      resolve_workload(parse_workload((dir.path() / "b/w.py:workload").string()), root_at(root));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->spec.label(), "file:a/w.py:workload");
  EXPECT_EQ(b->spec.label(), "file:b/w.py:workload");
  // Read back from a results file, the label names the file by that path.
  const auto read_back = spec_from_label(a->spec.label());
  ASSERT_TRUE(read_back);
  EXPECT_EQ(read_back->file, "a/w.py");
  EXPECT_EQ(read_back->label(), a->spec.label());
}

TEST(WorkloadSpec, OutsideARepositoryTheLabelIsRelativeToTheCurrentDirectoryElseAbsolute) {
  test::TempDir dir;
  test::write_file(dir.path() / "w.py", "def workload(i):\n    return i\n");
  const auto real = std::filesystem::canonical(dir.path() / "w.py");
  const auto outside = resolve_workload(parse_workload(real.string()), k_no_repository);
  ASSERT_TRUE(outside);
  const auto here = std::filesystem::current_path();
  const auto relative = real.lexically_relative(here);
  EXPECT_EQ(outside->spec.name, !relative.empty() && *relative.begin() != ".."
                                    ? relative.generic_string()
                                    : real.generic_string());
}

// A FIFO named like a workload blocked the digest forever; /dev/zero never ended. Both are
// refused at once, naming the file and the fix, and so is a file over the size limit.
TEST(WorkloadSpec, OnlyARegularFileWithinTheLimitIsRead) {
  test::TempDir dir;
  const auto fifo = dir.path() / "fifo.py";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reading = std::async(std::launch::async, [&] {
    return resolve_workload(parse_workload(fifo.string()), k_no_repository);
  });
  if (reading.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    const int unblock = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (unblock >= 0) ::close(unblock);
    FAIL() << "reading a FIFO workload blocked";
  }
  const auto refused = reading.get();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "--workload " + fifo.string() + ": cannot read " +
                std::filesystem::canonical(fifo).string() +
                ": it is a FIFO (named pipe), not a regular file; a workload file must be a "
                "regular file (a FIFO could block gilguard and a device may never end): pass the "
                "path of the file itself");

  std::filesystem::create_symlink("/dev/zero", dir.path() / "zero.py");
  const auto zero =
      resolve_workload(parse_workload((dir.path() / "zero.py").string()), k_no_repository);
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("/dev/zero: it is a character device"), std::string::npos)
      << zero.error().message;

  test::write_file(dir.path() / "big.py", std::string(k_max_workload_file_bytes + 1, '#'));
  const auto big =
      resolve_workload(parse_workload((dir.path() / "big.py").string()), k_no_repository);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("it is larger than 1 MiB, the most gilguard reads of a "
                                     "workload file"),
            std::string::npos)
      << big.error().message;
  test::write_file(dir.path() / "max.py", std::string(k_max_workload_file_bytes, '#'));
  EXPECT_TRUE(resolve_workload(parse_workload((dir.path() / "max.py").string()), k_no_repository));
}

TEST(Harness, ArgvCarriesTheSpecWithAnAbsolutePathAndTheImports) {
  const auto argv = harness_argv("/py/ft", parse_workload("rel/w.py:f"), {0, 2, true, true}, {"m"});
  ASSERT_EQ(argv.size(), 10u);
  EXPECT_EQ(argv[1], "-I");
  EXPECT_EQ(argv[2], "-c");
  EXPECT_EQ(argv[3], harness_script());
  EXPECT_EQ(argv[4], (std::filesystem::current_path() / "rel/w.py").string() + ":f");
  EXPECT_EQ(argv[5], "0");
  EXPECT_EQ(argv[6], "2");
  EXPECT_EQ(argv[7], "1");
  EXPECT_EQ(argv[8], "1");
  EXPECT_EQ(argv[9], "m");
  const auto builtin = harness_argv("/py/ft", parse_workload("builtin:methods"), {10, 1, false});
  EXPECT_EQ(builtin[4], "builtin:methods");
  EXPECT_EQ(builtin[7], "0");
  EXPECT_EQ(builtin[8], "0");
  EXPECT_NE(harness_script().find("sized(f, 0.25)"), std::string_view::npos);
}

TEST(Harness, ArgvPassesTheGilOverrideAsAnInterpreterOption) {
  const auto argv =
      harness_argv("/py/ft", parse_workload("builtin:objects"), {500, 2, true, false}, {}, "1");
  ASSERT_EQ(argv.size(), 11u);
  EXPECT_EQ(argv[1], "-I");
  EXPECT_EQ(argv[2], "-X");
  EXPECT_EQ(argv[3], "gil=1");
  EXPECT_EQ(argv[4], "-c");
  EXPECT_EQ(argv[6], "builtin:objects");
  EXPECT_EQ(argv[7], "500");
}

// The harness and the prime script share one prelude (placement, readings, the forked
// reference, the report line) instead of copies of it.
TEST(Harness, SharesThePreludeWithThePrimeScript) {
  const auto prelude = child_prelude();
  EXPECT_TRUE(harness_script().starts_with(prelude));
  EXPECT_TRUE(prime_script().starts_with(prelude));
  EXPECT_NE(prelude.find("class Zygote:"), std::string_view::npos);
  EXPECT_NE(prelude.find("def finish(report, caught)"), std::string_view::npos);
  EXPECT_EQ(harness_script().find("class Zygote", prelude.size()), std::string_view::npos);
  EXPECT_EQ(prime_script().find("class Zygote", prelude.size()), std::string_view::npos);
}

TEST(Spec, LabelsReadBackAsTheirSpecs) {
  for (const auto* text : {"primes", "builtin:dict-mutation"}) {
    const auto spec = parse_workload(text);
    EXPECT_EQ(spec_from_label(spec.label()), spec) << text;
  }
  const auto file = spec_from_label("file:dir/w.py:step");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->kind, WorkloadSpec::Kind::file);
  EXPECT_EQ(file->file, "dir/w.py");
  EXPECT_EQ(file->label(), "file:dir/w.py:step");
  EXPECT_EQ(file->function, "step");
  EXPECT_EQ(spec_from_label("builtin:nope"), std::nullopt);
  EXPECT_EQ(spec_from_label("file:w.py"), std::nullopt);
  EXPECT_EQ(spec_from_label("quicksort"), std::nullopt);
}

// Issue 22, item 3: a file's benchmarks are its top-level bench_* functions, in order.
TEST(BenchmarkFile, BenchmarksAreTopLevelBenchFunctions) {
  const std::string text =
      "def setup():\n    pass\n\n"
      "def bench_parse(i):\n    return i\n\n"
      "class Helper:\n    def bench_method(self, i):\n        return i\n\n"
      "def  bench_spaced (i, size=3):\n    return i\n\n"
      "async def bench_async(i):\n    return i\n\n"
      "def benchmark_not_prefixed(i):\n    return i\n\n"
      "def bench_parse(i):\n    return i + 1\n";
  EXPECT_EQ(benchmark_functions(text), (std::vector<std::string>{"bench_parse", "bench_spaced"}));
  EXPECT_TRUE(defines_function(text, "setup"));
  EXPECT_FALSE(defines_function(text, "workload"));
  EXPECT_FALSE(defines_function(text, "bench_method"));
}

TEST(BenchmarkFile, FileWithoutAFunctionRunsWorkloadElseItsBenchmarks) {
  test::TempDir dir;
  const auto resolve = [&](const std::string& name, const std::string& text) {
    test::write_file(dir.path() / name, text);
    auto resolved =
        resolve_workload(parse_workload((dir.path() / name).string()), root_at(dir.path()));
    if (!resolved) throw std::runtime_error(resolved.error().message);
    return *resolved;
  };
  // workload() first: a file that has it keeps running it (the same label and key as before).
  const auto old =
      resolve("old.py", "def workload(i):\n    return i\n\ndef bench_a(i):\n    return i\n");
  EXPECT_EQ(old.spec.label(), "file:old.py:workload");
  EXPECT_TRUE(old.benchmarks.empty());
  const auto one = resolve("one.py", "def bench_a(i):\n    return i\n");
  EXPECT_EQ(one.spec.label(), "file:one.py:bench_a");
  EXPECT_TRUE(one.benchmarks.empty());
  const auto two =
      resolve("two.py", "def bench_b(i):\n    return i\n\ndef bench_a(i):\n    return i\n");
  EXPECT_EQ(two.benchmarks, (std::vector<std::string>{"bench_b", "bench_a"}));
  // A function named: that one, whatever else the file holds.
  const auto named = resolve_workload(parse_workload((dir.path() / "two.py:bench_a").string()),
                                      root_at(dir.path()));
  ASSERT_TRUE(named);
  EXPECT_EQ(named->spec.label(), "file:two.py:bench_a");
  EXPECT_TRUE(named->benchmarks.empty());
}

TEST(BenchmarkFile, ParametersArePartOfTheLabelAndReachTheChild) {
  const auto spec = parse_workload("dir/b.py:bench_parse[size=1000,mode=fast,scale=-1.5e3]");
  EXPECT_EQ(spec.function, "bench_parse");
  EXPECT_EQ(spec.params, "size=1000,mode=fast,scale=-1.5e3");
  EXPECT_EQ(spec.label(), "file:b.py:bench_parse[size=1000,mode=fast,scale=-1.5e3]");
  const auto read_back = spec_from_label(spec.label());
  ASSERT_TRUE(read_back);
  EXPECT_EQ(read_back->function, "bench_parse");
  EXPECT_EQ(read_back->params, spec.params);
  EXPECT_EQ(read_back->label(), spec.label());
  // A value that holds ".py" does not move the file's end.
  const auto dotted = parse_workload("b.py[name=x.py]");
  EXPECT_EQ(dotted.file, "b.py");
  EXPECT_EQ(dotted.function, k_default_function);
  EXPECT_EQ(dotted.params, "name=x.py");
  const auto argv = harness_argv("/py/ft", spec, {0, 2, true, true});
  EXPECT_EQ(argv[4], std::filesystem::absolute("dir/b.py").lexically_normal().string() +
                         ":bench_parse[size=1000,mode=fast,scale=-1.5e3]");
  EXPECT_EQ(usage_message("b.py:f[size]"),
            "--workload b.py:f[size]: 'size' is not a parameter; pass "
            "FILE.py:FUNCTION[NAME=VALUE,...] with each NAME an identifier and each VALUE of "
            "letters, digits, '.', '_', '+' and '-' (a number, True, False or None, else passed "
            "as a string)");
  EXPECT_NE(usage_message("b.py:f[a=1,b='x y']").find("'b='x y'' is not a parameter"),
            std::string::npos);
  EXPECT_NE(usage_message("b.py:f[=1]").find("'=1' is not a parameter"), std::string::npos);
  EXPECT_EQ(spec_from_label("file:b.py:f[bad]"), std::nullopt);
}

}  // namespace
}  // namespace gilguard::workload
