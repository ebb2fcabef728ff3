#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gilguard/core/error.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::github {

// The pull request an event is about, from the event payload.
struct PullRequest {
  int number = 0;
  std::string head_sha;
  std::string head_repository;  // "owner/name" of the head; empty when the fork was deleted
  std::string base_repository;
  bool fork = false;  // head and base live in different repositories: the token is read-only
};

// Whether `env` is a GitHub Actions runner's (GITHUB_ACTIONS=true).
bool in_actions(const util::Environment& env);

// Where gilguard runs on GitHub Actions, read from the runner's environment.
struct Context {
  bool in_actions = false;                         // GITHUB_ACTIONS=true
  std::string repository;                          // GITHUB_REPOSITORY, "owner/name"
  std::string api_url = "https://api.github.com";  // GITHUB_API_URL (Enterprise: .../api/v3)
  std::string server_url = "https://github.com";   // GITHUB_SERVER_URL
  std::string run_id;                              // GITHUB_RUN_ID
  std::string run_attempt;                         // GITHUB_RUN_ATTEMPT
  std::string sha;                                 // GITHUB_SHA
  std::string event_name;                          // GITHUB_EVENT_NAME
  std::string event_path;                          // GITHUB_EVENT_PATH
  std::optional<PullRequest> pull_request;  // for pull_request and pull_request_target events
  std::string event_problem;                // why the event could not be read, if it could not
  std::string step_summary_path;            // GITHUB_STEP_SUMMARY
  std::string output_path;                  // GITHUB_OUTPUT
  std::string token;  // as given to read_context; a secret: never print or store it

  // The run's page ("<server>/<repo>/actions/runs/<id>"), where the job summary is; empty when
  // the run is unknown.
  std::string run_url() const;
  // The commit measured: the PR's head when there is a PR, else GITHUB_SHA.
  std::string commit() const;
};

// Reads the context from `env`, with `token_option` as its token (--github-token, else the
// GITHUB_TOKEN util::github_token() kept at start-up; GITHUB_TOKEN in `env` is never read).
// Fails only on malformed settings (an API URL that is not http(s), a repository that is not
// owner/name); a missing or unreadable event file is noted in event_problem instead.
Expected<Context> read_context(const util::Environment& env,
                               const std::optional<std::string>& token_option = std::nullopt);

// The pull request in an event payload (JSON text), if the payload has one ("pull_request" at
// the top level); fails with the reason when the JSON is malformed.
Expected<std::optional<PullRequest>> parse_pull_request_event(std::string_view json);

// Checks an API base URL and drops a trailing '/': "https://ghe.example.com/api/v3".
Expected<std::string> normalize_api_url(std::string_view url);

// Checks "owner/name".
Expected<void> check_repository(std::string_view repository);

// "::add-mask::<token>": asks the runner to hide the value in every later log line.
std::string mask_command(std::string_view secret);

}  // namespace gilguard::github
