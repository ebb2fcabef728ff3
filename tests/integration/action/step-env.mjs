// Reads a composite action's metadata and prints, as JSON, what the runner would execute for one
// of its `run` steps: {"shell", "run", "env", "if", "runs"}, with the step's `env` expressions
// evaluated against the given inputs (action.yml defaults filled in for the ones not given),
// `github.*` values and step outputs, and `runs` its `if:` condition so evaluated (true when it
// has none; the previous steps taken as succeeded). Lets tests/integration/action_test.cpp run
// the very step that action.yml declares, with the environment the runner would give it, and
// only when the runner would run it.
//
// Usage: node step-env.mjs ACTION_YML STEP_ID_OR_NAME CONTEXT_JSON
//        node step-env.mjs --describe ACTION_YML
//        node step-env.mjs --yaml FILE          (any YAML file, e.g. a workflow, as JSON)
//   --describe prints the metadata as JSON: {"inputs": {name: {description, default}},
//   "outputs": {name: {description, value}}, "steps": [{id, name, uses, run, env, with}]}.
//   CONTEXT_JSON: {"inputs": {...}, "github": {...}, "steps": {"id": {"outputs": {...}}}}
// Expressions understood (GitHub's rules, docs.github.com "Evaluate expressions in workflows and
// actions"): operands inputs.NAME, github.NAME (a dotted path, such as
// github.event.pull_request.base.sha), steps.ID.outputs.NAME, 'quoted strings', numbers, true,
// false and null; operators ( ) ! == != && || (&& and || give an operand, not a boolean; == and
// != compare strings ignoring case); the functions startsWith, endsWith and contains (ignoring
// case) and the status functions success(), always(), failure() and cancelled() (an `if:`
// without one is success() && it). Anything else is an error (exit 2), so a change to action.yml
// that the tests cannot follow fails loudly.
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


function operand(text) {
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

// GitHub's falsy values: false, 0, -0, '', null (and NaN).
const truthy = (v) => !(v === false || v === null || v === "" || v === 0 || Number.isNaN(v));
// A value where a string is wanted: null is '', true and false are 'true' and 'false'.
const text = (v) => (v === null ? "" : String(v));
// == and !=: strings ignoring case; otherwise both sides as numbers (GitHub's coercion).
function equal(a, b) {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  const number = (v) => (v === null ? 0 : v === true ? 1 : v === false ? 0 : v === "" ? 0 : Number(v));
  return number(a) === number(b);
}

const tokenPattern =
  /\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_.-]*)|(==|!=|&&|\|\||[()!,]))/y;

// Parses and evaluates one expression (the text inside ${{ }}).
function evaluateExpression(source) {
  const tokens = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(tokenPattern.lastIndex))) break;
    const at = tokenPattern.lastIndex;
    const m = tokenPattern.exec(source);
    if (!m || m.index !== at) die(`cannot evaluate '${source}' (at '${source.slice(at)}')`);
    if (m[1] !== undefined) tokens.push({ kind: "value", value: m[1].slice(1, -1).replaceAll("''", "'") });
    else if (m[2] !== undefined) tokens.push({ kind: "value", value: Number(m[2]) });
    else if (m[3] !== undefined) tokens.push({ kind: "name", name: m[3] });
    else tokens.push({ kind: "op", op: m[4] });
  }
  let i = 0;
  const peek = (op) => tokens[i]?.kind === "op" && tokens[i].op === op;
  const expect = (op) => {
    if (!peek(op)) die(`cannot evaluate '${source}': expected '${op}'`);
    ++i;
  };
  const functions = {
    startsWith: (a, b) => text(a).toLowerCase().startsWith(text(b).toLowerCase()),
    endsWith: (a, b) => text(a).toLowerCase().endsWith(text(b).toLowerCase()),
    contains: (a, b) => text(a).toLowerCase().includes(text(b).toLowerCase()),
    success: () => true,
    always: () => true,
    failure: () => false,
    cancelled: () => false,
  };
  function primary() {
    const token = tokens[i++];
    if (!token) die(`cannot evaluate '${source}': it ends early`);
    if (token.kind === "value") return token.value;
    if (token.kind === "op" && token.op === "(") {
      const v = or();
      expect(")");
      return v;
    }
    if (token.kind === "op" && token.op === "!") return !truthy(primary());
    if (token.kind !== "name") die(`cannot evaluate '${source}': unexpected '${token.op}'`);
    if (peek("(")) {
      ++i;
      const args = [];
      while (!peek(")")) {
        args.push(or());
        if (!peek(")")) expect(",");
      }
      ++i;
      if (!(token.name in functions)) die(`cannot evaluate '${source}': unknown function ${token.name}`);
      return functions[token.name](...args);
    }
    if (token.name === "true") return true;
    if (token.name === "false") return false;
    if (token.name === "null") return null;
    return operand(token.name);
  }
  function comparison() {
    let v = primary();
    while (peek("==") || peek("!=")) {
      const op = tokens[i++].op;
      const w = primary();
      v = op === "==" ? equal(v, w) : !equal(v, w);
    }
    return v;
  }
  function and() {
    let v = comparison();
    while (peek("&&")) {
      ++i;
      const w = comparison();
      v = truthy(v) ? w : v;
    }
    return v;
  }
  function or() {
    let v = and();
    while (peek("||")) {
      ++i;
      const w = and();
      v = truthy(v) ? v : w;
    }
    return v;
  }
  const value = or();
  if (i !== tokens.length) die(`cannot evaluate '${source}': unexpected text after the expression`);
  return value;
}

// A value with ${{ }} parts, as the runner fills it in.
function evaluate(value) {
  return String(value).replace(/\$\{\{(.*?)\}\}/g, (_, body) => text(evaluateExpression(body)));
}

// An `if:` as the runner decides it: bare or in ${{ }}, success() && it without a status function.
function condition(value) {
  if (value === undefined || value === null || String(value).trim() === "") return true;
  let source = String(value).trim();
  const wrapped = /^\$\{\{(.*)\}\}$/s.exec(source);
  if (wrapped) source = wrapped[1];
  // Without a status function the runner adds success(), which is true here: the steps before
  // are taken as succeeded.
  return truthy(evaluateExpression(source));
}

// Defaults may be expressions themselves (github-token: ${{ github.token }}).
for (const [name, value] of Object.entries(defaults)) {
  if (!(name in inputs)) inputs[name] = evaluate(value);
}

// A step by its id, or by its name for the steps that have no id (bench/package_journey.py runs
// them all).
const step = (action.runs?.steps ?? []).find((s) => s.id === stepId || (!s.id && s.name === stepId));
if (!step) die(`no step with id or name '${stepId}' in ${actionPath}`);
if (typeof step.run !== "string") die(`step '${stepId}' is not a run step`);
const env = {};
for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluate(value);
const directory = step["working-directory"] === undefined ? "" : evaluate(step["working-directory"]);
process.stdout.write(
  JSON.stringify({
    shell: step.shell,
    run: step.run,
    env,
    if: String(step.if ?? ""),
    runs: condition(step.if),
    "working-directory": directory,
  }) + "\n",
);
