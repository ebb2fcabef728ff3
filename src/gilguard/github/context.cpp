#include "gilguard/github/context.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "gilguard/baseline/json_text.hpp"
#include "gilguard/report/annotations.hpp"
#include "gilguard/util/files.hpp"

namespace gilguard::github {
namespace {

std::string get(const util::Environment& env, const std::string& name) {
  const auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

const boost::json::value* member(const boost::json::value* value, std::string_view name) {
  if (value == nullptr || !value->is_object()) return nullptr;
  return value->as_object().if_contains(name);
}

std::string string_member(const boost::json::value* value, std::string_view name) {
  const auto* found = member(value, name);
  return found != nullptr && found->is_string() ? std::string(found->as_string()) : "";
}

}  // namespace

std::string Context::run_url() const {
  if (repository.empty() || run_id.empty()) return "";
  std::string url = fmt::format("{}/{}/actions/runs/{}", server_url, repository, run_id);
  if (!run_attempt.empty() && run_attempt != "1") url += "/attempts/" + run_attempt;
  return url;
}

std::string Context::commit() const {
  if (pull_request && !pull_request->head_sha.empty()) return pull_request->head_sha;
  return sha;
}

Expected<std::string> normalize_api_url(std::string_view url) {
  std::string out(url);
  while (!out.empty() && out.back() == '/') out.pop_back();
  const bool http = out.starts_with("http://") || out.starts_with("https://");
  const auto scheme_end = out.find("://");
  if (!http || out.size() <= scheme_end + 3 || out.find_first_of(" \t\r\n") != std::string::npos) {
    return fail(
        fmt::format("'{}' is not an http(s) URL; give the REST API base, e.g. "
                    "https://api.github.com or https://HOST/api/v3 for GitHub Enterprise "
                    "Server",
                    url));
  }
  return out;
}

Expected<void> check_repository(std::string_view repository) {
  const auto slash = repository.find('/');
  const bool ok = slash != std::string_view::npos && slash > 0 && slash + 1 < repository.size() &&
                  repository.find('/', slash + 1) == std::string_view::npos &&
                  repository.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                      "0123456789-_./") == std::string_view::npos;
  if (!ok) {
    return fail(fmt::format("'{}' is not a repository in the form OWNER/NAME", repository));
  }
  return {};
}

std::string mask_command(std::string_view secret) {
  return report::workflow_command("add-mask", {}, secret);
}

Expected<std::optional<PullRequest>> parse_pull_request_event(std::string_view json) {
  const auto event = baseline::parse_json(json);
  if (!event) return fail("the event payload is not valid JSON: " + event.error().message);
  const auto* pr = member(&*event, "pull_request");
  if (pr == nullptr || !pr->is_object()) return std::optional<PullRequest>();
  PullRequest out;
  const auto* number = member(pr, "number");
  if (number == nullptr || !number->is_int64() || number->as_int64() < 1 ||
      number->as_int64() > 1'000'000'000) {
    return fail("the event payload's pull_request has no valid \"number\"");
  }
  out.number = static_cast<int>(number->as_int64());
  const auto* head = member(pr, "head");
  const auto* base = member(pr, "base");
  out.head_sha = string_member(head, "sha");
  out.head_repository = string_member(member(head, "repo"), "full_name");
  out.base_repository = string_member(member(base, "repo"), "full_name");
  out.fork = out.head_repository.empty() || out.head_repository != out.base_repository;
  return std::optional<PullRequest>(std::move(out));
}

bool in_actions(const util::Environment& env) { return get(env, "GITHUB_ACTIONS") == "true"; }

Expected<Context> read_context(const util::Environment& env,
                               const std::optional<std::string>& token_option) {
  Context ctx;
  ctx.in_actions = in_actions(env);
  ctx.repository = get(env, "GITHUB_REPOSITORY");
  if (!ctx.repository.empty()) {
    if (auto ok = check_repository(ctx.repository); !ok) {
      return fail("GITHUB_REPOSITORY: " + ok.error().message);
    }
  }
  if (const auto api = get(env, "GITHUB_API_URL"); !api.empty()) {
    auto url = normalize_api_url(api);
    if (!url) return fail("GITHUB_API_URL: " + url.error().message);
    ctx.api_url = *url;
  }
  if (const auto server = get(env, "GITHUB_SERVER_URL"); !server.empty()) {
    auto url = normalize_api_url(server);
    if (!url) return fail("GITHUB_SERVER_URL: " + url.error().message);
    ctx.server_url = *url;
  }
  ctx.run_id = get(env, "GITHUB_RUN_ID");
  ctx.run_attempt = get(env, "GITHUB_RUN_ATTEMPT");
  ctx.sha = get(env, "GITHUB_SHA");
  ctx.event_name = get(env, "GITHUB_EVENT_NAME");
  ctx.event_path = get(env, "GITHUB_EVENT_PATH");
  ctx.step_summary_path = get(env, "GITHUB_STEP_SUMMARY");
  ctx.output_path = get(env, "GITHUB_OUTPUT");
  // Never from `env`: gilguard takes GITHUB_TOKEN out of its environment at start-up
  // (util/secrets.hpp) and callers pass it here.
  ctx.token = token_option.value_or("");

  if (!ctx.event_path.empty()) {
    auto text = util::read_json_file(ctx.event_path);
    if (!text) {
      ctx.event_problem = text.error().message;
    } else if (auto pr = parse_pull_request_event(*text); !pr) {
      ctx.event_problem = fmt::format("{}: {}", ctx.event_path, pr.error().message);
    } else {
      ctx.pull_request = *pr;
    }
  }
  return ctx;
}

}  // namespace gilguard::github
