// Prints, for each case of escaping-corpus.json, the workflow commands that @actions/core
// itself writes for it (error with a title, and add-mask), one JSON object per line:
//   {"index": 0, "error": "::error title=...::...", "mask": "::add-mask::..."}
// The C++ test (tests/unit/report/toolkit_escaping_test.cpp) renders the same cases with
// gilguard's escaping and compares byte for byte.
import { readFileSync } from 'node:fs';
import { EOL } from 'node:os';
import * as core from '@actions/core';

const corpusPath = process.argv[2] ?? new URL('./escaping-corpus.json', import.meta.url);
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8'));

// Captures what the toolkit writes to stdout during fn().
function capture(fn) {
  const write = process.stdout.write;
  let text = '';
  process.stdout.write = (chunk) => {
    text += chunk;
    return true;
  };
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  if (!text.endsWith(EOL)) throw new Error(`toolkit output without a line end: ${text}`);
  return text.slice(0, -EOL.length);
}

const lines = corpus.cases.map((c, index) => {
  const error = capture(() => core.error(c.message, { title: c.title }));
  const mask = capture(() => core.setSecret(c.message));
  return JSON.stringify({ index, error, mask });
});
process.stdout.write(lines.join('\n') + '\n');
