#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/error.hpp"
#include "gilguard/core/interpreter.hpp"

namespace gilguard::baseline {

// What `gilguard build` writes to <prefix>/<flavor>-<key>/complete.json, last, once an
// interpreter is installed and verified: only a directory with this file counts as built.
struct BuildRecord {
  static constexpr int k_schema_version = 1;
  Flavor flavor = Flavor::gil;
  std::string key;              // sha256 hex of key_inputs
  std::string key_inputs;       // the canonical text the key was computed from
  std::string source;           // the --source as given (absolute)
  std::string source_identity;  // "tarball sha256=...", "git tree=... dirty=...", "tree sha256=..."
  std::string source_ref;       // with --ref: the revision as given ("" otherwise)
  std::string source_commit;    // with --ref: the commit it named when built ("" otherwise)
  std::string interpreter;      // absolute path of install/bin/python3.X[t]
  std::string version;          // the interpreter's version, "3.13.5"
  std::string finished_at;      // UTC, "2025-06-11T09:30:00Z"
  std::string gilguard_version;
  std::map<std::string, double> phase_seconds;  // "configure", "make", "install" -> seconds
};

// complete.json's text.
std::string build_record_to_json_text(const BuildRecord& record);

// Parses complete.json; fails naming the bad key (a damaged file means "not built").
Expected<BuildRecord> build_record_from_json_text(std::string_view text);

// One line of `gilguard build`'s result.
struct BuiltInterpreter {
  Flavor flavor = Flavor::gil;
  std::string interpreter;
  bool cache_hit = false;
  std::string source_commit;  // with --ref: the commit the revision names now ("" otherwise)
};

// `gilguard build`'s stdout: {"gil": path, "ft": path, "cache_hits": {"gil": bool, ...}}, with
// only the flavours built, plus "commit": id when built from a revision, and a final newline.
std::string build_summary_to_json_text(const std::vector<BuiltInterpreter>& built);

}  // namespace gilguard::baseline
