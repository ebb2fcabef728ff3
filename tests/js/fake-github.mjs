// A stand-in for GitHub's REST API on loopback, for gilguard's integration tests
// (tests/integration/github_test.cpp). It serves the issue-comment endpoints from memory and
// checks every request against GitHub's own published OpenAPI description (@octokit/openapi):
// the method and path must match an operation, path and query parameters must fit their schema,
// the JSON body must carry the operation's required fields with the right types, and the headers
// GitHub asks for must be there. A request that breaks any rule gets a 400 and is written to
// violations.jsonl in --state-dir; the tests fail on any violation.
//
// Prints "listening <base URL>" on stdout once ready; stops by itself after --lifetime seconds.
//
// Options:
//   --state-dir DIR      requests.jsonl, violations.jsonl, comments.json go here (required)
//   --token TOKEN        the bearer token to accept (401 otherwise); never written anywhere
//   --repo OWNER/NAME    the one repository served (default Codertocat/Hello-World)
//   --base PATH          path prefix of the API: "" for api.github.com, "/api/v3" for Enterprise
//   --spec NAME          description to check against: api.github.com (default) or ghes-3.19
//   --seed-comments N    N comments by others already on every pull request
//   --ours-at I          comment I of those is an old gilguard comment (its body from --ours-body)
//   --ours-body TEXT     the body of that old comment
//   --forbid-writes      POST and PATCH answer 403 as for a fork's read-only token
//   --fail-first N       the first N requests answer --fail-status (default 502)
//   --lifetime SEC       exit after this long (default 120)
import { createServer } from 'node:http';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    'state-dir': { type: 'string' },
    token: { type: 'string', default: '' },
    repo: { type: 'string', default: 'Codertocat/Hello-World' },
    base: { type: 'string', default: '' },
    spec: { type: 'string', default: 'api.github.com' },
    'seed-comments': { type: 'string', default: '0' },
    'ours-at': { type: 'string', default: '-1' },
    'ours-body': { type: 'string', default: '<!-- gilguard:comment -->\nold' },
    'forbid-writes': { type: 'boolean', default: false },
    'fail-first': { type: 'string', default: '0' },
    'fail-status': { type: 'string', default: '502' },
    lifetime: { type: 'string', default: '120' },
  },
});
if (!opts['state-dir']) throw new Error('--state-dir is required');
const stateDir = opts['state-dir'];
mkdirSync(stateDir, { recursive: true });

// ---- GitHub's description of its API ----------------------------------------------------------
const specFile = new URL(`./node_modules/@octokit/openapi/generated/${opts.spec}.json`,
                         import.meta.url);
const spec = JSON.parse(readFileSync(specFile, 'utf8'));

function resolve(node) {
  while (node && node.$ref) {
    node = node.$ref.slice(2).split('/').reduce((n, key) => n[key], spec);
  }
  return node;
}

// Every operation as a regular expression over the path, with its parameter names.
const operations = [];
for (const [template, item] of Object.entries(spec.paths)) {
  const names = [];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g,
                                                                           (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${pattern}$`);
  for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
    if (item[method]) {
      operations.push({ template, method: method.toUpperCase(), regex, names,
                        operation: item[method], shared: item.parameters ?? [] });
    }
  }
}

function typeOk(schema, value, fromText) {
  schema = resolve(schema) ?? {};
  const type = schema.type;
  if (fromText) {
    if (type === 'integer') return /^-?[0-9]+$/.test(value);
    if (type === 'number') return !Number.isNaN(Number(value));
    if (schema.enum) return schema.enum.includes(value);
    return true;
  }
  if (type === 'string') return typeof value === 'string';
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'object') return value !== null && typeof value === 'object';
  if (type === 'array') return Array.isArray(value);
  return true;
}

// The problems with a request according to the description; [] when it is valid.
function validate(method, path, query, headers, rawBody) {
  const problems = [];
  const candidates = operations.filter((o) => o.regex.test(path));
  const op = candidates.find((o) => o.method === method);
  if (!op) {
    return [candidates.length
      ? `${method} is not an operation of ${candidates[0].template}`
      : `no operation in the description matches the path ${path}`];
  }
  const params = [...op.shared, ...(op.operation.parameters ?? [])].map(resolve);
  const match = op.regex.exec(path);
  op.names.forEach((name, i) => {
    const param = params.find((p) => p.in === 'path' && p.name === name);
    if (!param) problems.push(`path parameter ${name} is not described`);
    else if (!typeOk(param.schema, decodeURIComponent(match[i + 1]), true)) {
      problems.push(`path parameter ${name}=${match[i + 1]} does not fit its schema`);
    }
  });
  for (const [key, value] of query) {
    const param = params.find((p) => p.in === 'query' && p.name === key);
    if (!param) problems.push(`query parameter ${key} is not described for ${op.template}`);
    else if (!typeOk(param.schema, value, true)) {
      problems.push(`query parameter ${key}=${value} does not fit its schema`);
    }
  }
  for (const param of params.filter((p) => p.in === 'query' && p.required)) {
    if (!query.has(param.name)) problems.push(`required query parameter ${param.name} missing`);
  }
  const requestBody = resolve(op.operation.requestBody);
  if (requestBody) {
    const content = requestBody.content?.['application/json'];
    if (!(headers['content-type'] ?? '').startsWith('application/json')) {
      problems.push(`Content-Type is "${headers['content-type'] ?? ''}", not application/json`);
    }
    let body;
    try {
      body = JSON.parse(rawBody);
    } catch {
      problems.push('the body is not JSON');
    }
    const schema = resolve(content?.schema);
    if (body !== undefined && schema) {
      if (!typeOk(schema, body, false)) problems.push(`the body is not of type ${schema.type}`);
      for (const field of schema.required ?? []) {
        if (body?.[field] === undefined) problems.push(`required body field ${field} missing`);
      }
      for (const [field, value] of Object.entries(body ?? {})) {
        const property = schema.properties?.[field];
        if (!property) problems.push(`body field ${field} is not described`);
        else if (!typeOk(property, value, false)) {
          problems.push(`body field ${field} has the wrong type`);
        }
      }
    }
  } else if (rawBody.length > 0) {
    problems.push(`${method} ${op.template} takes no body`);
  }
  if (headers.accept !== 'application/vnd.github+json') {
    problems.push(`Accept is "${headers.accept ?? ''}", not application/vnd.github+json`);
  }
  if (headers['x-github-api-version'] !== '2022-11-28') {
    problems.push('X-GitHub-Api-Version is not 2022-11-28');
  }
  if (!headers['user-agent']) problems.push('User-Agent is missing (GitHub rejects such requests)');
  return problems;
}

// ---- State ------------------------------------------------------------------------------------
const example = resolve(spec.components.examples['issue-comment']).value;
const comments = new Map();  // issue number -> [{id, body}]
let nextId = 1000;
let failuresLeft = Number(opts['fail-first']);

function commentsOf(issue) {
  if (!comments.has(issue)) {
    const list = [];
    for (let i = 0; i < Number(opts['seed-comments']); i++) {
      list.push({ id: nextId++,
                  body: i === Number(opts['ours-at']) ? opts['ours-body'] : `Comment ${i} by a human` });
    }
    comments.set(issue, list);
  }
  return comments.get(issue);
}

function saveState() {
  writeFileSync(join(stateDir, 'comments.json'),
                JSON.stringify(Object.fromEntries(comments), null, 2));
}

function commentJson(origin, issue, comment) {
  const apiRoot = `${origin}${opts.base}/repos/${opts.repo}`;
  return { ...example, id: comment.id, node_id: `IC_${comment.id}`, body: comment.body,
           url: `${apiRoot}/issues/comments/${comment.id}`,
           html_url: `https://github.com/${opts.repo}/pull/${issue}#issuecomment-${comment.id}`,
           issue_url: `${apiRoot}/issues/${issue}` };
}

// ---- Server -----------------------------------------------------------------------------------
function record(file, entry) {
  appendFileSync(join(stateDir, file), JSON.stringify(entry) + '\n');
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function handle(req, res, rawBody) {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const origin = `http://${req.headers.host}`;
  const headers = req.headers;
  const authorized = opts.token === '' || headers.authorization === `Bearer ${opts.token}`;
  const entry = { method: req.method, path: url.pathname, query: url.search,
                  body: rawBody.length ? JSON.parse(rawBody) : null, authorized };

  if (!url.pathname.startsWith(`${opts.base}/`)) {
    record('violations.jsonl', { ...entry, problems: [`path outside the API base "${opts.base}"`] });
    return send(res, 404, { message: 'Not Found' });
  }
  const path = url.pathname.slice(opts.base.length);
  const problems = validate(req.method, path, url.searchParams, headers, rawBody);
  if (problems.length) {
    record('violations.jsonl', { ...entry, problems });
    record('requests.jsonl', { ...entry, status: 400 });
    return send(res, 400, { message: `fake-github: ${problems.join('; ')}` });
  }
  const reply = (status, body, extra) => {
    record('requests.jsonl', { ...entry, status });
    send(res, status, body, extra);
  };
  if (!authorized) return reply(401, { message: 'Bad credentials' });
  if (failuresLeft > 0) {
    failuresLeft--;
    return reply(Number(opts['fail-status']), { message: 'Server Error' });
  }
  const prefix = `/repos/${opts.repo}/issues/`;
  if (!path.startsWith(prefix)) return reply(404, { message: 'Not Found' });
  const rest = path.slice(prefix.length).split('/');

  if (req.method === 'PATCH' && rest[0] === 'comments') {
    if (opts['forbid-writes']) return reply(403, { message: 'Resource not accessible by integration' });
    for (const [issue, list] of comments) {
      const comment = list.find((c) => c.id === Number(rest[1]));
      if (comment) {
        comment.body = entry.body.body;
        saveState();
        return reply(200, commentJson(origin, issue, comment));
      }
    }
    return reply(404, { message: 'Not Found' });
  }
  if (rest.length === 2 && rest[1] === 'comments') {
    const issue = Number(rest[0]);
    const list = commentsOf(issue);
    if (req.method === 'POST') {
      if (opts['forbid-writes']) return reply(403, { message: 'Resource not accessible by integration' });
      const comment = { id: nextId++, body: entry.body.body };
      list.push(comment);
      saveState();
      return reply(201, commentJson(origin, issue, comment));
    }
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Number(url.searchParams.get('page') ?? 1);
    const pages = Math.max(1, Math.ceil(list.length / perPage));
    const items = list.slice((page - 1) * perPage, page * perPage)
                      .map((c) => commentJson(origin, issue, c));
    const link = (p) => `<${origin}${opts.base}${prefix}${issue}/comments?per_page=${perPage}&page=${p}>`;
    const links = [];
    if (page < pages) links.push(`${link(page + 1)}; rel="next"`, `${link(pages)}; rel="last"`);
    if (page > 1) links.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
    return reply(200, items, links.length ? { link: links.join(', ') } : {});
  }
  return reply(404, { message: 'Not Found' });
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      record('violations.jsonl', { method: req.method, path: req.url, problems: [String(error)] });
      send(res, 500, { message: String(error) });
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}${opts.base}\n`);
});
setTimeout(() => process.exit(0), Number(opts.lifetime) * 1000).unref();
process.on('SIGTERM', () => process.exit(0));
