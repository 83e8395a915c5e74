// Judges one run of the MCP conformance suite from its per-scenario checks.json files, not only from its exit
// code: every expected scenario must have run, no check may fail or warn, and the checks the suite itself is lax
// about are checked again here (tools-call-simple-text, for one, passes on a "tool not found" result).
//
// usage: node conformance-verdict.mjs RESULTS_DIR fixtures|hub SCENARIO...
// exit 0 when all is well; otherwise prints one line per problem, naming the scenario, and exits 1.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, target, ...expected] = process.argv.slice(2);
if (!dir || !['fixtures', 'hub'].includes(target) || expected.length === 0) {
  console.error('usage: node conformance-verdict.mjs RESULTS_DIR fixtures|hub SCENARIO...');
  process.exit(2);
}

const runs = new Map();
for (const entry of readdirSync(dir)) {
  const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(entry);
  if (m) runs.set(m[1], JSON.parse(readFileSync(join(dir, entry, 'checks.json'), 'utf8')));
}

const problems = [];
const fail = (scenario, text) => problems.push(`${scenario}: ${text}`);
const check = (scenario, id) => (runs.get(scenario) ?? []).find((c) => c.id === id);
const texts = (result) => (result?.content ?? []).filter((c) => c.type === 'text').map((c) => c.text);

for (const scenario of expected) {
  const checks = runs.get(scenario);
  if (!checks) {
    fail(scenario, 'did not run');
    continue;
  }
  if (!checks.some((c) => c.status === 'SUCCESS')) fail(scenario, 'no check succeeded');
  for (const c of checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')) {
    fail(scenario, `${c.status} ${c.id}: ${c.errorMessage ?? c.description}`);
  }
}
for (const scenario of runs.keys()) {
  if (!expected.includes(scenario)) fail(scenario, 'ran but was not expected (did the suite change?)');
}

// Checks the suite is lax about.
const simple = check('tools-call-simple-text', 'tools-call-simple-text');
if (simple && !texts(simple.details?.result).includes('This is a simple text response for testing.')) {
  fail('tools-call-simple-text', `wrong result ${JSON.stringify(simple.details?.result)}`);
}
const listed = check('tools-list', 'tools-list')?.details?.tools ?? [];
const mustList = target === 'hub' ? ['hub_info'] : ['test_simple_text', 'test_sampling', 'test_elicitation'];
for (const name of mustList) {
  if (runs.has('tools-list') && !listed.includes(name)) fail('tools-list', `tool ${name} not listed`);
}
const error = check('tools-call-error', 'tools-call-error');
if (error && error.details?.result?.isError !== true) fail('tools-call-error', 'result is not isError: true');
const sampling = check('tools-call-sampling', 'tools-call-sampling');
if (sampling && !texts(sampling.details?.result).some((t) => t.includes('This is a test response from the client'))) {
  fail('tools-call-sampling', "the client's sampling answer did not reach the tool result");
}
const elicitation = check('tools-call-elicitation', 'tools-call-elicitation');
if (elicitation && !texts(elicitation.details?.result).some((t) => t.includes('testuser'))) {
  fail('tools-call-elicitation', "the client's elicitation answer did not reach the tool result");
}
const template = check('resources-templates-read', 'resources-templates-read');
if (template && template.details?.uri !== 'test://template/123/data') {
  fail('resources-templates-read', `wrong uri ${template.details?.uri}`);
}
const rebinding = check('dns-rebinding-protection', 'localhost-host-rebinding-rejected');
if (rebinding && rebinding.details?.statusCode !== 421) {
  fail('dns-rebinding-protection', `a foreign Host got ${rebinding.details?.statusCode}, expected 421`);
}

if (problems.length > 0) {
  console.log(`conformance (${target}): ${problems.length} problem(s):`);
  for (const p of problems) console.log(`  FAILED ${p}`);
  process.exit(1);
}
const total = [...runs.values()].flat().filter((c) => c.status === 'SUCCESS').length;
console.log(`conformance (${target}): ${runs.size} scenarios, ${total} checks passed, 0 failed`);
