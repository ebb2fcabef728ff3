#include "gilguard/workload/spec.hpp"

#include <gtest/gtest.h>

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

TEST(WorkloadSpec, AFilesDigestAndTheNoteWhenItChanged) {
  test::TempDir dir;
  const auto path = dir.path() / "w.py";
  test::write_file(path, "def workload(i):\n    return i\n");
  const auto spec = parse_workload(path.string());
  const auto digest = workload_digest(spec);
  ASSERT_TRUE(digest) << digest.error().message;
  EXPECT_EQ(*digest, util::sha256_hex("def workload(i):\n    return i\n"));
  EXPECT_EQ(*workload_digest(parse_workload("builtin:objects")), std::nullopt);
  const auto missing = workload_digest(parse_workload((dir.path() / "gone.py").string()));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("gone.py"), std::string::npos);

  EXPECT_EQ(changed_file_note(spec, digest->value(), digest->value()), std::nullopt);
  EXPECT_EQ(changed_file_note(spec, std::nullopt, digest->value()), std::nullopt);
  const auto note = changed_file_note(spec, std::string(64, 'a'), digest->value());
  ASSERT_TRUE(note);
  EXPECT_EQ(*note, "The workload file " + path.string() +
                       " changed since the baseline was recorded (SHA-256 aaaaaaaaaaaa then, " +
                       digest->value().substr(0, 12) +
                       " now): a change in speedup may come from the file rather than the "
                       "interpreter or the machine.");
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
  EXPECT_NE(prelude.find("def fork_workers(parts, work)"), std::string_view::npos);
  EXPECT_NE(prelude.find("def finish(report, caught)"), std::string_view::npos);
  EXPECT_EQ(harness_script().find("def fork_workers", prelude.size()), std::string_view::npos);
  EXPECT_EQ(prime_script().find("def fork_workers", prelude.size()), std::string_view::npos);
}

TEST(Spec, LabelsReadBackAsTheirSpecs) {
  for (const auto* text : {"primes", "builtin:dict-mutation"}) {
    const auto spec = parse_workload(text);
    EXPECT_EQ(spec_from_label(spec.label()), spec) << text;
  }
  const auto file = spec_from_label(parse_workload("dir/w.py:step").label());
  ASSERT_TRUE(file);
  EXPECT_EQ(file->kind, WorkloadSpec::Kind::file);
  EXPECT_EQ(file->file, "w.py");
  EXPECT_EQ(file->function, "step");
  EXPECT_EQ(spec_from_label("builtin:nope"), std::nullopt);
  EXPECT_EQ(spec_from_label("file:w.py"), std::nullopt);
  EXPECT_EQ(spec_from_label("quicksort"), std::nullopt);
}

}  // namespace
}  // namespace gilguard::workload
