// Reads a composite action's metadata and prints, as JSON, what the runner would execute for one
// of its `run` steps: {"shell", "run", "env"}, with the step's `env` expressions evaluated against
// the given inputs (action.yml defaults filled in for the ones not given), `github.*` values and
// step outputs. Lets tests/integration/action_test.cpp run the very step that action.yml
// declares, with the environment the runner would give it.
//
// Usage: node step-env.mjs ACTION_YML STEP_ID CONTEXT_JSON
//        node step-env.mjs --describe ACTION_YML
//        node step-env.mjs --yaml FILE          (any YAML file, e.g. a workflow, as JSON)
//   --describe prints the metadata as JSON: {"inputs": {name: {description, default}},
//   "outputs": {name: {description, value}}, "steps": [{id, name, uses, run, env, with}]}.
//   CONTEXT_JSON: {"inputs": {...}, "github": {...}, "steps": {"id": {"outputs": {...}}}}
// Expressions understood: `${{ a || b || ... }}` where each operand is inputs.NAME,
// github.NAME (a dotted path, such as github.event.pull_request.base.sha),
// steps.ID.outputs.NAME or a quoted string; anything else is an error (exit 2),
// so a change to action.yml that the tests cannot follow fails loudly.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../../js/package.json", import.meta.url));
const YAML = require("yaml");

function die(message) {
  console.error(`step-env: ${message}`);
  process.exit(2);
}

// --yaml FILE: any YAML file (a workflow) as JSON, for tests that read what a workflow asks for.
if (process.argv[2] === "--yaml") {
  process.stdout.write(JSON.stringify(YAML.parse(readFileSync(process.argv[3], "utf8"))) + "\n");
  process.exit(0);
}

if (process.argv[2] === "--describe") {
  const described = YAML.parse(readFileSync(process.argv[3], "utf8"));
  const steps = (described.runs?.steps ?? []).map((s) => ({
    id: s.id ?? "", name: s.name ?? "", uses: s.uses ?? "", run: s.run ?? "",
    env: s.env ?? {}, with: s.with ?? {}, if: s.if ?? "",
  }));
  process.stdout.write(JSON.stringify({ inputs: described.inputs ?? {},
    outputs: described.outputs ?? {}, using: described.runs?.using ?? "", steps }) + "\n");
  process.exit(0);
}

const [actionPath, stepId, contextJson] = process.argv.slice(2);
if (!contextJson) die("usage: node step-env.mjs ACTION_YML STEP_ID CONTEXT_JSON");
const action = YAML.parse(readFileSync(actionPath, "utf8"));
const context = JSON.parse(contextJson);

const inputs = {};
const defaults = {};
for (const [name, spec] of Object.entries(action.inputs ?? {})) {
  defaults[name] = String(spec.default ?? "");
}
for (const [name, value] of Object.entries(context.inputs ?? {})) {
  if (!(name in defaults)) die(`'${name}' is not an input of ${actionPath}`);
  inputs[name] = String(value);
}

// Defaults may be expressions themselves (github-token: ${{ github.token }}).
for (const [name, value] of Object.entries(defaults)) {
  if (!(name in inputs)) inputs[name] = evaluate(value);
}

function operand(text) {
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (quoted) return quoted[1].replaceAll("''", "'");
  let m = /^inputs\.([A-Za-z0-9_-]+)$/.exec(text);
  if (m) {
    if (!(m[1] in inputs)) die(`expression names unknown input '${m[1]}'`);
    return inputs[m[1]];
  }
  m = /^github\.([A-Za-z0-9_.]+)$/.exec(text);
  if (m) {
    // github.token, github.event.pull_request.base.sha, ...: a path into context.github.
    const value = m[1].split(".").reduce((object, key) => object?.[key], context.github);
    return typeof value === "object" ? "" : String(value ?? "");
  }
  m = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(text);
  if (m) return String(context.steps?.[m[1]]?.outputs?.[m[2]] ?? "");
  die(`cannot evaluate '${text}'`);
}

function evaluate(value) {
  return String(value).replace(/\$\{\{(.*?)\}\}/g, (_, body) => {
    for (const part of body.split("||").map((s) => s.trim())) {
      const v = operand(part);
      if (v !== "") return v;
    }
    return "";
  });
}

const step = (action.runs?.steps ?? []).find((s) => s.id === stepId);
if (!step) die(`no step with id '${stepId}' in ${actionPath}`);
if (typeof step.run !== "string") die(`step '${stepId}' is not a run step`);
const env = {};
for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluate(value);
process.stdout.write(JSON.stringify({ shell: step.shell, run: step.run, env }) + "\n");
