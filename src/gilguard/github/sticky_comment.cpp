#include "gilguard/github/sticky_comment.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cstdio>

#include "gilguard/report/annotations.hpp"

namespace gilguard::github {
namespace {

// At most this many pages of 100 comments are read (10,000 comments).
constexpr int k_max_pages = 100;

// The "message" GitHub puts in an error body, shortened; "" when there is none.
std::string api_message(const HttpResponse& response) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(response.body, ec);
  if (ec || !value.is_object()) return "";
  const auto* message = value.as_object().if_contains("message");
  if (message == nullptr || !message->is_string()) return "";
  std::string text(message->as_string());
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  for (auto& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  // It ends up in log lines and annotations: it must not read as a workflow command.
  return report::defuse_commands(text);
}

std::string http_error(const HttpResponse& response, std::string_view what) {
  const std::string message = api_message(response);
  return fmt::format("HTTP {} while {}{}", response.status, what,
                     message.empty() ? "" : ": " + message);
}

bool is_denied(long status) { return status == 401 || status == 403 || status == 404; }

// The status at the start of an error from find_sticky_comment, or 0.
long status_of(const Error& error) {
  long status = 0;
  if (std::sscanf(error.message.c_str(), "HTTP %ld", &status) == 1) return status;
  return 0;
}

CommentOutcome denied(int pr, const std::string& why) {
  return {CommentOutcome::Action::denied, 0, "",
          fmt::format("Skipped the pull request comment on #{}: the token may not comment there "
                      "({}). Pull requests from forks get a read-only token; post the comment "
                      "from a workflow_run workflow with 'gilguard comment'. Everything else is "
                      "reported as usual.",
                      pr, why)};
}

CommentOutcome failed(int pr, const std::string& why) {
  return {CommentOutcome::Action::failed, 0, "",
          fmt::format("Could not post the pull request comment on #{}: {}. The job summary has "
                      "the full report.",
                      pr, why)};
}

std::string body_json(const std::string& body) {
  boost::json::object object;
  object["body"] = body;
  return boost::json::serialize(object);
}

std::pair<std::int64_t, std::string> id_and_url(const HttpResponse& response) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(response.body, ec);
  if (ec || !value.is_object()) return {0, ""};
  const auto& object = value.as_object();
  std::int64_t id = 0;
  if (const auto* v = object.if_contains("id"); v != nullptr && v->is_int64()) id = v->as_int64();
  std::string url;
  if (const auto* v = object.if_contains("html_url"); v != nullptr && v->is_string()) {
    url = std::string(v->as_string());
  }
  return {id, url};
}

// The hidden lines a marker is made of share this start (report::comment_marker).
constexpr std::string_view k_marker_line_start = "<!-- gilguard:";

}  // namespace

std::string comment_header(std::string_view body) {
  std::string header;
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    auto line = body.substr(pos, end - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!line.starts_with(k_marker_line_start)) break;
    if (!header.empty()) header += '\n';
    header += line;
    pos = end + 1;
  }
  return header;
}

std::string_view to_string(CommentMode mode) {
  switch (mode) {
    case CommentMode::automatic:
      return "auto";
    case CommentMode::always:
      return "always";
    case CommentMode::never:
      return "never";
  }
  return "auto";
}

std::optional<CommentMode> parse_comment_mode(std::string_view text) {
  for (const auto mode : {CommentMode::automatic, CommentMode::always, CommentMode::never}) {
    if (to_string(mode) == text) return mode;
  }
  return std::nullopt;
}

std::string_view to_string(CommentOutcome::Action action) {
  switch (action) {
    case CommentOutcome::Action::created:
      return "created";
    case CommentOutcome::Action::updated:
      return "updated";
    case CommentOutcome::Action::unchanged:
      return "unchanged";
    case CommentOutcome::Action::skipped:
      return "skipped";
    case CommentOutcome::Action::denied:
      return "denied";
    case CommentOutcome::Action::failed:
      return "failed";
  }
  return "failed";
}

Expected<std::optional<ExistingComment>> find_sticky_comment(RestClient& client,
                                                             const std::string& repository, int pr,
                                                             std::string_view marker) {
  // A marker with a key line (the job's own) also adopts a comment with the first line alone,
  // made before comments had keys, when none has its own header.
  const auto first_line = marker.substr(0, marker.find('\n'));
  const bool adopts_keyless = first_line.size() < marker.size();
  std::optional<ExistingComment> keyless;
  std::string next = fmt::format("/repos/{}/issues/{}/comments?per_page=100", repository, pr);
  for (int page = 1; !next.empty(); ++page) {
    if (page > k_max_pages) {
      return fail(
          fmt::format("the pull request has more than {} comments; gave up looking for "
                      "ours",
                      k_max_pages * 100));
    }
    auto response = client.call("GET", next);
    if (!response) return std::unexpected(response.error());
    if (response->status != 200) {
      return fail(http_error(*response, fmt::format("listing the comments of #{}", pr)));
    }
    boost::system::error_code ec;
    const auto value = boost::json::parse(response->body, ec);
    if (ec || !value.is_array()) {
      return fail(fmt::format("the comments of #{} (page {}) are not a JSON array", pr, page));
    }
    for (const auto& item : value.as_array()) {
      if (!item.is_object()) continue;
      const auto& comment = item.as_object();
      const auto* body = comment.if_contains("body");
      const auto* id = comment.if_contains("id");
      if (body == nullptr || !body->is_string() || id == nullptr || !id->is_int64()) continue;
      const std::string_view text = body->as_string();
      const auto header = comment_header(text);
      const bool own = header == marker;
      if (!own && !(adopts_keyless && !keyless && header == first_line)) continue;
      ExistingComment found{id->as_int64(), "", std::string(text)};
      if (const auto* url = comment.if_contains("html_url"); url != nullptr && url->is_string()) {
        found.url = std::string(url->as_string());
      }
      if (!own) {
        keyless = std::move(found);
        continue;
      }
      return std::optional<ExistingComment>(std::move(found));
    }
    next = next_link(response->header("link"));
  }
  return keyless;
}

CommentOutcome post_sticky_comment(RestClient& client, const std::string& repository, int pr,
                                   const std::string& body, std::string_view marker,
                                   CommentMode mode, bool worth_commenting) {
  if (mode == CommentMode::never) {
    return {CommentOutcome::Action::skipped, 0, "", "No pull request comment (--comment never)."};
  }
  for (int attempt = 1;; ++attempt) {
    auto existing = find_sticky_comment(client, repository, pr, marker);
    if (!existing) {
      const long status = status_of(existing.error());
      if (is_denied(status)) return denied(pr, existing.error().message);
      return failed(pr, existing.error().message);
    }
    if (*existing) {
      const auto& ours = **existing;
      if (ours.body == body) {
        return {CommentOutcome::Action::unchanged, ours.id, ours.url,
                fmt::format("The pull request comment on #{} is up to date.", pr)};
      }
      auto response =
          client.call("PATCH", fmt::format("/repos/{}/issues/comments/{}", repository, ours.id),
                      body_json(body));
      if (!response) return failed(pr, response.error().message);
      if (response->status == 200) {
        return {CommentOutcome::Action::updated, ours.id, ours.url,
                fmt::format("Updated the pull request comment on #{}.", pr)};
      }
      const std::string why = http_error(*response, "editing the comment");
      return is_denied(response->status) ? denied(pr, why) : failed(pr, why);
    }
    if (mode == CommentMode::automatic && !worth_commenting) {
      return {
          CommentOutcome::Action::skipped, 0, "",
          fmt::format("No pull request comment on #{}: nothing to report (--comment auto).", pr)};
    }
    auto response = client.call("POST", fmt::format("/repos/{}/issues/{}/comments", repository, pr),
                                body_json(body), /*idempotent=*/false);
    if (response && response->status == 201) {
      const auto [id, url] = id_and_url(*response);
      return {CommentOutcome::Action::created, id, url,
              fmt::format("Commented on pull request #{}.", pr)};
    }
    if (response && is_denied(response->status)) {
      return denied(pr, http_error(*response, "creating the comment"));
    }
    const bool may_have_landed = !response || response->status >= 500;
    const std::string why =
        response ? http_error(*response, "creating the comment") : response.error().message;
    if (!may_have_landed || attempt >= 3) return failed(pr, why);
    // The comment may exist now: list again before trying once more.
    client.back_off(attempt);
  }
}

}  // namespace gilguard::github
