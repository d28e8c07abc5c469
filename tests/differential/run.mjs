// Differential test: iamscope's evaluator against @cloud-copilot/iam-simulate, run as an independent
// oracle (AGPL-3.0: only executed, never copied). Dev-only; install the pinned oracle first with
// `npm ci --prefix tests/differential`, build `cargo build --release -p iamscope-cli`, then:
//
//   node tests/differential/run.mjs --iamscope target/release/iamscope [--seed 20261128] [--count 5000]
//       [--scenarios file.jsonl] [--out docs/fidelity.md] [--dump disagreements.jsonl]
//
// Scenarios come from the seeded Rust generator (crates/iamscope-eval/examples/gen_scenarios.rs),
// built with cargo unless --scenarios is given. iamscope runs once in batch mode (JSON lines); the
// context keys iamscope derives (aws:PrincipalArn, aws:PrincipalAccount, ...) are passed to the
// oracle too, so both see the same request context. Every disagreement is classified; the verdict
// for each known class (with the AWS doc passage that decides it) is in classes.mjs.

import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate'
import { classify, describe, CONFIRM } from './classes.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback
}

const seed = Number(arg('seed', '20261128'))
const count = Number(arg('count', '5000'))
const iamscope = resolve(root, arg('iamscope', 'target/release/iamscope'))
const out = resolve(root, arg('out', 'docs/fidelity.md'))
const dump = arg('dump', null)

let scenarioText
const scenariosFile = arg('scenarios', null)
if (scenariosFile) {
  scenarioText = readFileSync(resolve(root, scenariosFile), 'utf8')
} else {
  const gen = spawnSync(
    'cargo',
    ['run', '--quiet', '--release', '-p', 'iamscope-eval', '--example', 'gen_scenarios', '--',
      '--seed', String(seed), '--count', String(count)],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 }
  )
  if (gen.status !== 0) {
    console.error(gen.stderr)
    process.exit(2)
  }
  scenarioText = gen.stdout
}
const scenarios = scenarioText.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))

const t0 = Date.now()
const run = spawnSync(iamscope, ['simulate', '--batch', '-'], {
  input: scenarioText,
  encoding: 'utf8',
  maxBuffer: 1 << 30
})
if (run.status !== 0) {
  console.error(`iamscope failed (${run.status}): ${run.stderr}`)
  process.exit(2)
}
const iamscopeMs = Date.now() - t0
const ours = run.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
if (ours.length !== scenarios.length) {
  console.error(`iamscope returned ${ours.length} results for ${scenarios.length} scenarios`)
  process.exit(2)
}

const DECISION = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' }

function named(list, prefix) {
  return (list || []).map((policy, i) => ({ name: `${prefix}${i}`, policy }))
}

/** Our scenario format -> iam-simulate's Simulation. */
function toSimulation(s, derived) {
  const p = s.policies || {}
  const r = s.request
  const anonymous = r.principal === 'anonymous'
  const context = { ...(r.context || {}) }
  for (const [k, v] of Object.entries(derived || {})) {
    if (!Object.keys(context).some((c) => c.toLowerCase() === k.toLowerCase())) {
      context[k] = v.length === 1 ? v[0] : v
    }
  }
  const sim = {
    request: {
      principal: anonymous ? anonymousPrincipal : r.principal,
      action: r.action,
      resource: { resource: r.resource, accountId: r.resourceAccount },
      contextVariables: context
    },
    identityPolicies: anonymous ? [] : named(p.identity, 'identity'),
    serviceControlPolicies: anonymous
      ? []
      : (p.scp || []).map((level, i) => ({ orgIdentifier: `scp-level-${i}`, policies: named(level, `scp${i}-`) })),
    resourceControlPolicies: (p.rcp || []).map((level, i) => ({
      orgIdentifier: `rcp-level-${i}`,
      policies: named(level, `rcp${i}-`)
    })),
    resourcePolicy: p.resource || undefined,
    permissionBoundaryPolicies: !anonymous && p.boundary ? named([p.boundary], 'boundary') : undefined,
    sessionPolicy: !anonymous && p.session ? p.session : undefined,
    vpcEndpointPolicies: p.vpcEndpoint ? named(p.vpcEndpoint, 'vpce') : undefined
  }
  return sim
}

const t1 = Date.now()
const rows = []
for (let i = 0; i < scenarios.length; i++) {
  const s = scenarios[i]
  const mine = ours[i]
  let theirs
  try {
    const res = await runSimulation(toSimulation(s, mine.derivedContext), {})
    if (res.resultType === 'error') {
      const first = Object.values(res.errors)
        .filter((v) => v && typeof v === 'object')
        .flatMap((v) => (Array.isArray(v) ? v : Object.values(v).flat()))
        .find((e) => e && e.message)
      theirs = { error: first ? first.message : JSON.stringify(res.errors).slice(0, 200) }
    } else {
      theirs = { decision: DECISION[res.overallResult] || res.overallResult }
    }
  } catch (e) {
    theirs = { error: String(e && e.message ? e.message : e) }
  }
  rows.push({ i, s, mine, theirs })
}
const oracleMs = Date.now() - t1

const compared = rows.filter((r) => !r.theirs.error && r.mine.decision)
const oracleErrors = rows.filter((r) => r.theirs.error)
const ourErrors = rows.filter((r) => !r.mine.decision)
const agree = compared.filter((r) => r.mine.decision === r.theirs.decision)
const disagree = compared.filter((r) => r.mine.decision !== r.theirs.decision)

const byClass = new Map()
for (const r of disagree) {
  let key = classify(r.s, r.mine, r.theirs.decision)
  if (CONFIRM[key]) {
    const res = await runSimulation(CONFIRM[key](toSimulation(r.s, r.mine.derivedContext)), {})
    const d = res.resultType === 'error' ? 'error' : DECISION[res.overallResult]
    if (d !== r.mine.decision) key = `${key}-unconfirmed`
  }
  r.key = key
  if (!byClass.has(key)) byClass.set(key, [])
  byClass.get(key).push(r)
}

if (dump) {
  writeFileSync(
    resolve(root, dump),
    disagree.map((r) => JSON.stringify({ index: r.i, class: r.key, iamscope: r.mine.decision, oracle: r.theirs.decision, scenario: r.s })).join('\n') + '\n'
  )
}

const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(2)}%`)
const lines = []
lines.push('# Fidelity: iamscope against an independent simulator')
lines.push('')
lines.push('<!-- Generated by `node tests/differential/run.mjs --iamscope target/release/iamscope`; do not edit by hand. -->')
lines.push('')
lines.push(
  'iamscope\'s evaluator is compared with [`@cloud-copilot/iam-simulate`](https://www.npmjs.com/package/@cloud-copilot/iam-simulate) ' +
    `${JSON.parse(readFileSync(resolve(here, 'node_modules/@cloud-copilot/iam-simulate/package.json'), 'utf8')).version} ` +
    '(AGPL-3.0, run as a black-box oracle in a dev-only test; none of its code is used by iamscope) over random scenarios ' +
    'from a fixed seed. Neither implementation is AWS: where they disagree, the AWS documentation in ' +
    '`../shared/reference` decides, and the verdict for each class of disagreement is given below with the passage.'
)
lines.push('')
lines.push('| | |')
lines.push('|---|---|')
lines.push(`| seed | ${scenariosFile ? `(scenarios from ${scenariosFile})` : seed} |`)
lines.push(`| scenarios | ${rows.length} |`)
lines.push(`| rejected by the oracle's input validation | ${oracleErrors.length} |`)
lines.push(`| rejected by iamscope | ${ourErrors.length} |`)
lines.push(`| compared | ${compared.length} |`)
lines.push(`| agree | ${agree.length} (${pct(agree.length, compared.length)}) |`)
lines.push(`| disagree | ${disagree.length} (${pct(disagree.length, compared.length)}) |`)
lines.push('')
const dist = new Map()
for (const r of compared) {
  const k = r.mine.decision
  dist.set(k, (dist.get(k) || 0) + 1)
}
lines.push(`Decisions among compared scenarios (iamscope): ${[...dist.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}.`)
lines.push('')
lines.push('## Disagreements by class')
lines.push('')
if (byClass.size === 0) lines.push('None.')
for (const [key, list] of [...byClass.entries()].sort((a, b) => b[1].length - a[1].length)) {
  const c = describe(key) || { title: key, verdict: 'unexplained', passage: 'not yet investigated' }
  lines.push(`### ${c.title} (${list.length})`)
  lines.push('')
  lines.push(`- class: \`${key}\``)
  lines.push(`- decisions: ${[...new Set(list.map((r) => `iamscope ${r.mine.decision} / oracle ${r.theirs.decision}`))].join('; ')}`)
  lines.push(`- verdict: **${c.verdict}**`)
  if (CONFIRM[key]) lines.push('- confirmed per scenario: with that one rule aligned, the oracle gives iamscope\'s decision in every scenario of this class')
  lines.push(`- AWS documentation: ${c.passage}`)
  if (c.detail) lines.push(`- ${c.detail}`)
  lines.push(`- scenarios (index in the generated stream): ${list.map((r) => r.i).join(', ')}`)
  const ex = list[0]
  lines.push('')
  lines.push('<details><summary>First example</summary>')
  lines.push('')
  lines.push('```json')
  lines.push(JSON.stringify(ex.s, null, 1))
  lines.push('```')
  lines.push('')
  lines.push(`iamscope: ${ex.mine.decision} (${ex.mine.decidingLayer || ''}); ${ (ex.mine.reasons || []).join(' / ') }`)
  lines.push('')
  lines.push('</details>')
  lines.push('')
}
if (oracleErrors.length) {
  lines.push('## Scenarios the oracle rejected')
  lines.push('')
  const msgs = new Map()
  for (const r of oracleErrors) {
    const m = String(r.theirs.error).slice(0, 160)
    msgs.set(m, (msgs.get(m) || 0) + 1)
  }
  for (const [m, n] of [...msgs.entries()].sort((a, b) => b[1] - a[1])) lines.push(`- ${n} x ${m}`)
  lines.push('')
}
lines.push('## Timing')
lines.push('')
lines.push(`iamscope (one process, batch mode, including parsing every policy): ${iamscopeMs} ms; the oracle: ${oracleMs} ms (same scenarios, same machine, 2 cores shared).`)
lines.push('')
writeFileSync(out, lines.join('\n'))
console.log(`${rows.length} scenarios, ${compared.length} compared, ${agree.length} agree (${pct(agree.length, compared.length)}), ${disagree.length} disagree in ${byClass.size} classes; oracle rejected ${oracleErrors.length}. Written ${out}`)
const unexplained = [...byClass.keys()].filter((k) => !describe(k))
if (unexplained.length) {
  console.log(`unexplained classes: ${unexplained.join(', ')}`)
  process.exit(1)
}
