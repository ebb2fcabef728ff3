#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "gilguard/core/error.hpp"
#include "gilguard/github/rest_client.hpp"

namespace gilguard::github {

// --comment: auto (edit ours if it exists; create one only when there is something to say),
// always (create or edit), never.
enum class CommentMode { automatic, always, never };

// "auto", "always", "never".
std::string_view to_string(CommentMode mode);
std::optional<CommentMode> parse_comment_mode(std::string_view text);

// What happened to the sticky comment. Never an exception: a comment is a courtesy, and the
// check reports everything else whatever happens here.
struct CommentOutcome {
  enum class Action {
    created,
    updated,
    unchanged,  // ours already had this body
    skipped,    // --comment never, auto with nothing to say, no PR or no token
    denied,     // 401/403/404: a read-only token (a fork's PR) or no access
    failed,     // network or server trouble that outlasted the retries
  };
  Action action = Action::skipped;
  std::int64_t id = 0;  // the comment's id, when there is one
  std::string url;      // its html_url
  std::string detail;   // one sentence for the log and, for denied/failed, the annotation
};

// "created", "updated", ...
std::string_view to_string(CommentOutcome::Action action);

// A comment of ours found on the PR.
struct ExistingComment {
  std::int64_t id = 0;
  std::string url;
  std::string body;
};

// The hidden lines a body starts with, each beginning "<!-- gilguard:" (a trailing CR dropped),
// joined by '\n': the marker of gilguard's comment (report::comment_marker), "" for another
// body. A quote of ours ("> <!-- ...") has none.
std::string comment_header(std::string_view body);

// Lists the PR's comments page by page (100 per page, following Link rel="next") and returns
// the first whose comment_header is `marker` exactly: a marker naming a key finds that key's
// comment only, and one without a key only a comment without one, so jobs of several keys each
// keep their own. When none matches and `marker` has a key line, the first comment whose header
// is the marker's first line alone (a comment from before keys) is returned, to be edited into
// this key's. On failure the error message starts with "HTTP <status>" when the server
// answered.
Expected<std::optional<ExistingComment>> find_sticky_comment(RestClient& client,
                                                             const std::string& repository, int pr,
                                                             std::string_view marker);

// Creates or edits gilguard's one comment on pull request `pr` of `repository` ("owner/name"):
// `body` must start with `marker`. `worth_commenting` tells --comment auto whether to create one.
// A POST that failed with a 5xx or no answer is only repeated after the comments are listed
// again and ours is still absent, so a retry never makes a second comment.
CommentOutcome post_sticky_comment(RestClient& client, const std::string& repository, int pr,
                                   const std::string& body, std::string_view marker,
                                   CommentMode mode, bool worth_commenting);

}  // namespace gilguard::github
