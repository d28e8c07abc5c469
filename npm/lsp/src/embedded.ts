// Policies embedded in CloudFormation templates (YAML or JSON): finds them, turns each into JSON
// text for the engine, and keeps a map from every offset of that JSON back to the template.
//
// The template is parsed with the `yaml` package (JSON is YAML 1.2, so one parser serves both
// forms) with node ranges in UTF-16 code units. Every scalar of the policy becomes one JSON token
// whose source range is the scalar in the template; where the JSON text of a string equals the
// scalar's source text (no escapes, no substitution) the map is exact character by character, so a
// finding on part of an ARN lands on that part of the template.
//
// CloudFormation intrinsic functions, short form (`!Sub`) and long form (`{"Fn::Sub": ...}`):
// - `Fn::Sub`: the template string, with `${AWS::Partition}`, `${AWS::Region}`, `${AWS::AccountId}`
//   and `${AWS::URLSuffix}` replaced by a typical value (aws, us-east-1, 123456789012,
//   amazonaws.com) so the rest of an ARN is still checked; `${!Literal}` becomes `${Literal}`; a
//   variable given a literal string in the Sub's map is replaced by it; every other `${Name}` is kept
//   as written and marks the string as computed by CloudFormation.
// - `Ref` to one of the pseudo parameters above: the same typical value; `Ref` to anything else,
//   `Fn::GetAtt`, `Fn::ImportValue`, `Fn::FindInMap` and the other functions: the string `${Name}`
//   (`${Bucket.Arn}` for a GetAtt), computed.
// - `Fn::Join` of literal parts: the joined string (computed parts as above); `Fn::Select` from a
//   literal list: that item; `Fn::If`: its first branch (the second when the first is
//   `AWS::NoValue`); `Ref: AWS::NoValue` in a list or an object: the item is left out.
// A finding whose range lies inside one string that holds a computed value is not reported: its
// value is unknown until CloudFormation resolves it, so iamscope cannot judge it (a finding about
// a whole statement or element is still reported). No finding is ever reported on the intrinsic
// function syntax itself.
//
// Policy documents given as a JSON string inside the template (`PolicyDocument: '{"Version": ...}'`)
// are not checked.

import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import type { PolicyKind } from "iamscope-engine";

/** One stretch of the generated JSON and the template text it came from. */
export interface Segment {
  /** Generated JSON, `[g0, g1)`. */
  g0: number;
  g1: number;
  /** Template text, `[s0, s1)`. */
  s0: number;
  s1: number;
  /** True when both stretches are the same characters (offsets map one to one). */
  exact: boolean;
}

/** Maps offsets of a generated JSON text back to the template (and template offsets forward). */
export class OffsetMap {
  constructor(readonly segments: Segment[]) {}

  /** The template offset where a range starting at generated offset `g` starts. */
  toSourceStart(g: number): number {
    const segs = this.segments;
    if (segs.length === 0) return 0;
    let lo = 0;
    let hi = segs.length - 1;
    // The first segment whose end is after g.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid]!.g1 <= g) lo = mid + 1;
      else hi = mid;
    }
    const s = segs[lo]!;
    if (s.g1 <= g) return s.s1; // after the last segment
    if (g < s.g0) return s.s0; // in a gap: the next token's start
    return s.exact ? s.s0 + (g - s.g0) : s.s0;
  }

  /** The template offset where a range ending at generated offset `g` ends. */
  toSourceEnd(g: number): number {
    const segs = this.segments;
    if (segs.length === 0) return 0;
    let lo = 0;
    let hi = segs.length - 1;
    // The last segment whose start is before g.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid]!.g0 < g) lo = mid;
      else hi = mid - 1;
    }
    const s = segs[lo]!;
    if (g <= s.g0) return s.s0; // before the first segment
    if (g > s.g1) return s.s1; // in a gap: the previous token's end
    return s.exact ? s.s0 + (g - s.g0) : s.s1;
  }

  /** Maps a generated range to the template; never inverted. */
  toSourceRange(g0: number, g1: number): [number, number] {
    const s0 = this.toSourceStart(g0);
    if (g1 <= g0) return [s0, s0];
    const s1 = this.toSourceEnd(g1);
    return [s0, Math.max(s0, s1)];
  }

  /**
   * The generated offset for a cursor at template offset `s`, when the cursor is in a token of the
   * policy (inside or at the edge of a key or value); `undefined` elsewhere.
   */
  toGenerated(s: number): number | undefined {
    let inexact: number | undefined;
    for (const seg of this.segments) {
      if (s >= seg.s0 && s <= seg.s1 && seg.s1 > seg.s0) {
        if (seg.exact) return seg.g0 + (s - seg.s0);
        inexact ??= seg.g0;
      }
    }
    return inexact;
  }
}

/** One policy found in a template. */
export interface EmbeddedPolicy {
  /** The policy as JSON text, for the engine. */
  json: string;
  map: OffsetMap;
  /** The kind its place implies (`undefined`: let the engine infer it). */
  kind: PolicyKind | undefined;
  /** Where it is: `Resources/MyRole/Properties/AssumeRolePolicyDocument`. */
  path: string;
  /** The policy node in the template, `[start, end)`. */
  sourceRange: [number, number];
  /** Generated ranges of the strings that hold a value computed by CloudFormation. */
  computed: Array<[number, number]>;
}

/** What a template holds. */
export interface TemplateAnalysis {
  policies: EmbeddedPolicy[];
}

const PSEUDO: Record<string, string> = {
  "AWS::Partition": "aws",
  "AWS::Region": "us-east-1",
  "AWS::AccountId": "123456789012",
  "AWS::URLSuffix": "amazonaws.com",
};

const INTRINSICS = new Set([
  "Ref",
  "Condition",
  "Fn::GetAtt",
  "Fn::Sub",
  "Fn::Join",
  "Fn::Select",
  "Fn::If",
  "Fn::FindInMap",
  "Fn::ImportValue",
  "Fn::Base64",
  "Fn::GetAZs",
  "Fn::Split",
  "Fn::Cidr",
  "Fn::Transform",
  "Fn::Length",
  "Fn::ToJsonString",
  "Fn::And",
  "Fn::Or",
  "Fn::Not",
  "Fn::Equals",
]);

/** Where each resource type keeps its policies, and their kind. */
interface PolicyPlace {
  /** A property of `Properties`. */
  property: string;
  kind: PolicyKind | undefined;
  /** The property is a list of `{PolicyName, PolicyDocument}` objects (IAM inline policies). */
  inlineList?: boolean;
  /** The property may be a policy or a list mixing policies with other items (SAM `Policies`). */
  samPolicies?: boolean;
}

const PLACES: Record<string, PolicyPlace[]> = {
  "AWS::IAM::Policy": [{ property: "PolicyDocument", kind: "identity" }],
  "AWS::IAM::ManagedPolicy": [{ property: "PolicyDocument", kind: "identity" }],
  "AWS::IAM::RolePolicy": [{ property: "PolicyDocument", kind: "identity" }],
  "AWS::IAM::UserPolicy": [{ property: "PolicyDocument", kind: "identity" }],
  "AWS::IAM::GroupPolicy": [{ property: "PolicyDocument", kind: "identity" }],
  "AWS::IAM::Role": [
    { property: "AssumeRolePolicyDocument", kind: "trust" },
    { property: "Policies", kind: "identity", inlineList: true },
  ],
  "AWS::IAM::User": [{ property: "Policies", kind: "identity", inlineList: true }],
  "AWS::IAM::Group": [{ property: "Policies", kind: "identity", inlineList: true }],
  "AWS::SSO::PermissionSet": [{ property: "InlinePolicy", kind: "identity" }],
  "AWS::KMS::Key": [{ property: "KeyPolicy", kind: "resource" }],
  "AWS::KMS::ReplicaKey": [{ property: "KeyPolicy", kind: "resource" }],
  "AWS::S3::BucketPolicy": [{ property: "PolicyDocument", kind: "resource" }],
  "AWS::S3Express::BucketPolicy": [{ property: "PolicyDocument", kind: "resource" }],
  "AWS::S3::AccessPoint": [{ property: "Policy", kind: "resource" }],
  "AWS::SQS::QueuePolicy": [{ property: "PolicyDocument", kind: "resource" }],
  "AWS::SNS::TopicPolicy": [{ property: "PolicyDocument", kind: "resource" }],
  "AWS::SecretsManager::ResourcePolicy": [{ property: "ResourcePolicy", kind: "resource" }],
  "AWS::ECR::Repository": [{ property: "RepositoryPolicyText", kind: "resource" }],
  "AWS::EFS::FileSystem": [{ property: "FileSystemPolicy", kind: "resource" }],
  "AWS::Backup::BackupVault": [{ property: "AccessPolicy", kind: "resource" }],
  "AWS::OpenSearchService::Domain": [{ property: "AccessPolicies", kind: "resource" }],
  "AWS::Elasticsearch::Domain": [{ property: "AccessPolicies", kind: "resource" }],
  "AWS::EC2::VPCEndpoint": [{ property: "PolicyDocument", kind: "vpc-endpoint" }],
  "AWS::Serverless::Function": [{ property: "Policies", kind: "identity", samPolicies: true }],
  "AWS::Serverless::StateMachine": [{ property: "Policies", kind: "identity", samPolicies: true }],
};

/** Properties that hold a policy on any resource type not listed above. */
const GENERIC: Record<string, PolicyKind | undefined> = {
  PolicyDocument: undefined,
  AssumeRolePolicyDocument: "trust",
  KeyPolicy: "resource",
};

/** Cheap test before parsing: could this text be a CloudFormation template? */
export function mayBeTemplate(text: string): boolean {
  return text.includes("Resources") && (text.includes("AWSTemplateFormatVersion") || text.includes("AWS::"));
}

/**
 * The same test for a JSON text, on its quoted keys: a `"Resources"` member holding an object, and
 * `"AWSTemplateFormatVersion"` or a `"Type": "AWS::..."`. Policies name resources (`Resources` in
 * action names, `AWS::` in condition values) but never have these members, so a large JSON policy
 * is not parsed as YAML on every change (a few regular-expression scans instead).
 */
export function mayBeJsonTemplate(text: string): boolean {
  return /"Resources"\s*:\s*\{/.test(text) && (/"AWSTemplateFormatVersion"\s*:/.test(text) || /"Type"\s*:\s*"AWS::/.test(text));
}

function get(map: YAMLMap, key: string): unknown {
  for (const p of map.items) {
    if (isScalar(p.key) && p.key.value === key) return p.value;
  }
  return undefined;
}

/**
 * Parses `text` as a CloudFormation template; `undefined` when it is not one (no `Resources`
 * object with an `AWS::` type, nor `AWSTemplateFormatVersion`).
 */
export function analyzeTemplate(text: string): TemplateAnalysis | undefined {
  if (!mayBeTemplate(text)) return undefined;
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false, strict: false, prettyErrors: false });
  } catch {
    return undefined;
  }
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const resources = get(root, "Resources");
  if (!isMap(resources)) return undefined;
  const typed = resources.items.some((p) => {
    const r = p.value;
    if (!isMap(r)) return false;
    const t = get(r, "Type");
    return isScalar(t) && typeof t.value === "string" && /^(AWS|Custom)::/.test(t.value);
  });
  if (!typed && get(root, "AWSTemplateFormatVersion") === undefined) return undefined;

  const policies: EmbeddedPolicy[] = [];
  for (const pair of resources.items) {
    if (!isScalar(pair.key) || !isMap(pair.value)) continue;
    const logical = String(pair.key.value);
    const res = pair.value;
    const typeNode = get(res, "Type");
    const type = isScalar(typeNode) ? String(typeNode.value) : "";
    const props = get(res, "Properties");
    if (!isMap(props)) continue;
    const base = `Resources/${logical}/Properties`;
    const found = new Set<unknown>();
    const add = (node: unknown, kind: PolicyKind | undefined, path: string): void => {
      const target = resolveIf(node);
      if (!isMap(target) || found.has(target)) return;
      found.add(target);
      policies.push(emitPolicy(text, target, kind, path));
    };
    if (type === "AWS::Organizations::Policy") {
      const pt = get(props, "Type");
      const ptv = isScalar(pt) ? String(pt.value) : "";
      const kind: PolicyKind | undefined =
        ptv === "SERVICE_CONTROL_POLICY" ? "scp" : ptv === "RESOURCE_CONTROL_POLICY" ? "rcp" : undefined;
      if (kind) add(get(props, "Content"), kind, `${base}/Content`);
      continue;
    }
    for (const place of PLACES[type] ?? []) {
      const v = get(props, place.property);
      const path = `${base}/${place.property}`;
      if (place.inlineList) {
        if (isSeq(v)) {
          v.items.forEach((item, i) => {
            const inline = resolveIf(item);
            if (isMap(inline)) add(get(inline, "PolicyDocument"), place.kind, `${path}/${i}/PolicyDocument`);
          });
        }
      } else if (place.samPolicies) {
        const pv = resolveIf(v);
        if (isMap(pv) && get(pv, "Statement") !== undefined) add(pv, place.kind, path);
        else if (isSeq(pv)) {
          pv.items.forEach((item, i) => {
            const it = resolveIf(item);
            if (isMap(it) && get(it, "Statement") !== undefined) add(it, place.kind, `${path}/${i}`);
          });
        }
      } else {
        add(v, place.kind, path);
      }
    }
    // Any other resource type: the usual policy property names, anywhere under Properties.
    if (!(type in PLACES)) {
      walkGeneric(props, base, (node, kind, path) => add(node, kind, path), 0);
    }
  }
  return { policies };
}

function walkGeneric(
  node: unknown,
  path: string,
  add: (node: unknown, kind: PolicyKind | undefined, path: string) => void,
  depth: number,
): void {
  if (depth > 20) return;
  if (isMap(node)) {
    for (const p of node.items) {
      const key = isScalar(p.key) ? String(p.key.value) : "";
      const sub = `${path}/${key}`;
      if (key in GENERIC && isMap(resolveIf(p.value))) {
        const doc = resolveIf(p.value) as YAMLMap;
        if (get(doc, "Statement") !== undefined) {
          add(doc, GENERIC[key], sub);
          continue;
        }
      }
      walkGeneric(p.value, sub, add, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walkGeneric(item, `${path}/${i}`, add, depth + 1));
  }
}

// ---- intrinsic functions -------------------------------------------------------------------------

interface Intrinsic {
  /** `Ref`, `Fn::Sub`, ... (the long name). */
  fn: string;
  /** The function's argument. */
  arg: unknown;
}

function intrinsic(node: unknown): Intrinsic | undefined {
  if (isScalar(node) || isSeq(node) || isMap(node)) {
    const tag = (node as { tag?: string }).tag;
    if (tag && tag.startsWith("!") && !tag.startsWith("!!")) {
      const short = tag.slice(1);
      const fn = short === "Ref" || short === "Condition" ? short : `Fn::${short}`;
      if (INTRINSICS.has(fn)) {
        // The tagged node is the argument itself (callers read its value or items, never its tag).
        return { fn, arg: node };
      }
    }
  }
  if (isMap(node) && node.items.length === 1) {
    const p = node.items[0]!;
    if (isScalar(p.key) && typeof p.key.value === "string" && INTRINSICS.has(p.key.value)) {
      return { fn: p.key.value, arg: p.value };
    }
  }
  return undefined;
}

function isNoValue(node: unknown): boolean {
  const i = intrinsic(node);
  return i !== undefined && i.fn === "Ref" && isScalar(i.arg) && i.arg.value === "AWS::NoValue";
}

/** Follows `Fn::If` to the branch used; other nodes are returned as they are. */
function resolveIf(node: unknown, depth = 0): unknown {
  const i = intrinsic(node);
  if (!i || i.fn !== "Fn::If" || depth > 20) return node;
  if (!isSeq(i.arg) || i.arg.items.length < 2) return node;
  const [, a, b] = i.arg.items;
  return resolveIf(isNoValue(a) && b !== undefined ? b : a, depth + 1);
}

// ---- JSON emission -------------------------------------------------------------------------------

/** Part of a string value and where it came from. */
interface Piece {
  text: string;
  s0: number;
  s1: number;
  /** `text` is exactly the source characters `[s0, s1)` (before JSON escaping). */
  verbatim: boolean;
  /** Computed by CloudFormation at deploy time. */
  computed: boolean;
}

function range(node: unknown): [number, number] {
  const r = (node as { range?: [number, number, number] | null }).range;
  return r ? [r[0], r[1]] : [0, 0];
}

class Emitter {
  private parts: string[] = [];
  private len = 0;
  readonly segments: Segment[] = [];
  readonly computed: Array<[number, number]> = [];
  /** The source end of the last token emitted (for closing brackets of block collections). */
  lastSourceEnd = 0;

  constructor(readonly text: string) {}

  get offset(): number {
    return this.len;
  }

  raw(s: string): void {
    this.parts.push(s);
    this.len += s.length;
  }

  mapped(s: string, s0: number, s1: number, exact: boolean): void {
    const g0 = this.len;
    this.raw(s);
    // Exact only when the lengths agree; otherwise the whole stretch maps to the whole stretch.
    this.segments.push({ g0, g1: this.len, s0, s1, exact: exact && s1 - s0 === s.length });
    if (s1 > this.lastSourceEnd) this.lastSourceEnd = s1;
  }

  result(): string {
    return this.parts.join("");
  }
}

function emitPolicy(text: string, node: YAMLMap, kind: PolicyKind | undefined, path: string): EmbeddedPolicy {
  const e = new Emitter(text);
  emitValue(e, node, 0);
  return {
    json: e.result(),
    map: new OffsetMap(e.segments),
    kind,
    path,
    sourceRange: range(node),
    computed: e.computed,
  };
}

function emitValue(e: Emitter, node: unknown, depth: number): void {
  if (depth > 64) {
    e.raw("null");
    return;
  }
  const i = intrinsic(node);
  if (i && i.fn === "Fn::If") {
    const chosen = resolveIf(node);
    if (chosen !== node) {
      emitValue(e, chosen, depth + 1);
      return;
    }
  }
  if (i) {
    emitString(e, evalString(e.text, node, depth), range(node));
    return;
  }
  if (isMap(node)) {
    emitMap(e, node, depth);
  } else if (isSeq(node)) {
    emitSeq(e, node, depth);
  } else if (isScalar(node)) {
    emitScalar(e, node);
  } else {
    e.raw("null");
  }
}

function emitMap(e: Emitter, node: YAMLMap, depth: number): void {
  const [r0, r1] = range(node);
  const flow = Boolean((node as { flow?: boolean }).flow);
  if (flow) e.mapped("{", r0, r0 + 1, true);
  else e.mapped("{", r0, r0, false);
  let first = true;
  for (const p of node.items as Pair[]) {
    if (!isPair(p) || isNoValue(p.value)) continue;
    if (!first) e.raw(", ");
    first = false;
    const key = p.key;
    if (isScalar(key)) emitScalarAsString(e, key);
    else emitString(e, [{ text: "", s0: range(key)[0], s1: range(key)[1], verbatim: false, computed: false }], range(key));
    e.raw(": ");
    if (p.value === null || p.value === undefined) e.raw("null");
    else emitValue(e, p.value, depth + 1);
  }
  if (flow) e.mapped("}", r1 - 1, r1, true);
  else e.mapped("}", e.lastSourceEnd, e.lastSourceEnd, false);
}

function emitSeq(e: Emitter, node: YAMLSeq, depth: number): void {
  const [r0, r1] = range(node);
  const flow = Boolean((node as { flow?: boolean }).flow);
  if (flow) e.mapped("[", r0, r0 + 1, true);
  else e.mapped("[", r0, r0, false);
  let first = true;
  for (const item of node.items) {
    if (isNoValue(item)) continue;
    if (!first) e.raw(", ");
    first = false;
    emitValue(e, item, depth + 1);
  }
  if (flow) e.mapped("]", r1 - 1, r1, true);
  else e.mapped("]", e.lastSourceEnd, e.lastSourceEnd, false);
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function emitScalar(e: Emitter, node: Scalar): void {
  const v = node.value;
  const [r0, r1] = range(node);
  if (typeof v === "string") {
    emitScalarAsString(e, node);
  } else if (typeof v === "number" || typeof v === "bigint") {
    const src = e.text.slice(r0, r1);
    if (JSON_NUMBER.test(src)) e.mapped(src, r0, r1, true);
    else e.mapped(Number.isFinite(Number(v)) ? String(v) : JSON.stringify(src), r0, r1, false);
  } else if (typeof v === "boolean") {
    const s = v ? "true" : "false";
    e.mapped(s, r0, r1, e.text.slice(r0, r1) === s);
  } else if (v === null) {
    e.mapped("null", r0, r1, e.text.slice(r0, r1) === "null");
  } else {
    emitScalarAsString(e, node);
  }
}

/** The source range of a scalar's characters, without quotes. */
function contentRange(text: string, node: Scalar): { c0: number; c1: number; quoted: boolean; plainish: boolean } {
  const [r0, r1] = range(node);
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) {
    return { c0: r0 + 1, c1: Math.max(r0 + 1, r1 - 1), quoted: true, plainish: true };
  }
  if (node.type === Scalar.PLAIN || node.type === undefined) {
    return { c0: r0, c1: r1, quoted: false, plainish: true };
  }
  return { c0: r0, c1: r1, quoted: false, plainish: false };
}

function scalarPieces(text: string, node: Scalar): Piece[] {
  const value = typeof node.value === "string" ? node.value : String(node.value);
  const { c0, c1, plainish } = contentRange(text, node);
  const verbatim = plainish && text.slice(c0, c1) === value;
  return [{ text: value, s0: c0, s1: c1, verbatim, computed: false }];
}

function emitScalarAsString(e: Emitter, node: Scalar): void {
  emitString(e, scalarPieces(e.text, node), range(node), node);
}

function emitString(e: Emitter, pieces: Piece[], nodeRange: [number, number], scalar?: Scalar): void {
  const g0 = e.offset;
  const [r0, r1] = nodeRange;
  const quoted = scalar !== undefined && contentRange(e.text, scalar).quoted;
  if (quoted) e.mapped('"', r0, r0 + 1, true);
  else e.mapped('"', r0, r0, false);
  let computed = false;
  for (const p of pieces) {
    const escaped = JSON.stringify(p.text).slice(1, -1);
    e.mapped(escaped, p.s0, p.s1, p.verbatim && escaped === e.text.slice(p.s0, p.s1));
    computed ||= p.computed;
  }
  if (quoted) e.mapped('"', r1 - 1, r1, true);
  else e.mapped('"', r1, r1, false);
  if (computed) e.computed.push([g0, e.offset]);
}

/** The string an intrinsic function (or a scalar) stands for, as pieces. */
function evalString(text: string, node: unknown, depth: number): Piece[] {
  const [r0, r1] = range(node);
  const computedPiece = (name: string): Piece[] => [
    { text: `\${${name}}`, s0: r0, s1: r1, verbatim: false, computed: true },
  ];
  if (depth > 32) return computedPiece("?");
  if (isScalar(node) && !intrinsic(node)) return scalarPieces(text, node);
  const i = intrinsic(node);
  if (!i) return computedPiece("?");
  const shortName = i.fn.replace(/^Fn::/, "");
  switch (i.fn) {
    case "Ref": {
      const name = isScalar(i.arg) ? String(i.arg.value) : "?";
      const pseudo = PSEUDO[name];
      if (pseudo !== undefined) return [{ text: pseudo, s0: r0, s1: r1, verbatim: false, computed: false }];
      return computedPiece(name);
    }
    case "Fn::GetAtt": {
      let name = "?";
      if (isScalar(i.arg)) name = String(i.arg.value);
      else if (isSeq(i.arg)) name = i.arg.items.map((x) => (isScalar(x) ? String(x.value) : "?")).join(".");
      return computedPiece(name);
    }
    case "Fn::Sub": {
      let tmpl: unknown = i.arg;
      let vars: YAMLMap | undefined;
      if (isSeq(i.arg)) {
        tmpl = i.arg.items[0];
        const v = i.arg.items[1];
        if (isMap(v)) vars = v;
      }
      if (!isScalar(tmpl) || typeof tmpl.value !== "string") return computedPiece("Sub");
      return subPieces(text, tmpl, vars, depth);
    }
    case "Fn::Join": {
      if (!isSeq(i.arg) || i.arg.items.length !== 2) return computedPiece("Join");
      const [delimNode, list] = i.arg.items;
      const delim = isScalar(delimNode) ? String(delimNode.value ?? "") : "";
      const resolved = resolveIf(list);
      if (!isSeq(resolved)) return computedPiece("Join");
      const out: Piece[] = [];
      const [d0, d1] = range(delimNode);
      resolved.items.forEach((item, k) => {
        if (k > 0 && delim) out.push({ text: delim, s0: d0, s1: d1, verbatim: false, computed: false });
        out.push(...evalString(text, resolveIf(item), depth + 1));
      });
      return out;
    }
    case "Fn::Select": {
      if (isSeq(i.arg) && i.arg.items.length === 2) {
        const [idx, list] = i.arg.items;
        const resolved = resolveIf(list);
        const n = isScalar(idx) ? Number(idx.value) : NaN;
        if (isSeq(resolved) && Number.isInteger(n) && n >= 0 && n < resolved.items.length) {
          return evalString(text, resolveIf(resolved.items[n]), depth + 1);
        }
      }
      return computedPiece("Select");
    }
    case "Fn::If": {
      const chosen = resolveIf(node);
      if (chosen !== node) return evalString(text, chosen, depth + 1);
      return computedPiece("If");
    }
    default:
      return computedPiece(shortName);
  }
}

/** The pieces of a `Fn::Sub` template string. */
function subPieces(text: string, tmpl: Scalar, vars: YAMLMap | undefined, depth: number): Piece[] {
  const value = tmpl.value as string;
  const { c0, c1, plainish } = contentRange(text, tmpl);
  // Offsets inside the string map one to one only when the source spells the value verbatim.
  const verbatim = plainish && text.slice(c0, c1) === value;
  const at = (k: number): number => (verbatim ? c0 + k : c0);
  const atEnd = (k: number): number => (verbatim ? c0 + k : c1);
  const out: Piece[] = [];
  const re = /\$\{([^}]*)\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const literal = (from: number, to: number, s: string): void => {
    if (s) out.push({ text: s, s0: at(from), s1: atEnd(to), verbatim, computed: false });
  };
  while ((m = re.exec(value)) !== null) {
    literal(last, m.index, value.slice(last, m.index));
    const name = m[1]!;
    const s0 = at(m.index);
    const s1 = atEnd(m.index + m[0].length);
    if (name.startsWith("!")) {
      // `${!Literal}` is the literal text `${Literal}`.
      out.push({ text: `\${${name.slice(1)}}`, s0, s1, verbatim: false, computed: false });
    } else if (PSEUDO[name] !== undefined) {
      out.push({ text: PSEUDO[name]!, s0, s1, verbatim: false, computed: false });
    } else {
      const v = vars ? get(vars, name) : undefined;
      if (v !== undefined && isScalar(v) && typeof v.value === "string" && !intrinsic(v)) {
        out.push({ text: v.value, s0, s1, verbatim: false, computed: false });
      } else if (v !== undefined && intrinsic(v)) {
        const inner = evalString(text, v, depth + 1);
        const isComputed = inner.some((p) => p.computed);
        out.push({ text: inner.map((p) => p.text).join(""), s0, s1, verbatim: false, computed: isComputed });
      } else {
        out.push({ text: m[0], s0, s1, verbatim: verbatim, computed: true });
      }
    }
    last = m.index + m[0].length;
  }
  literal(last, value.length, value.slice(last));
  if (out.length === 0) out.push({ text: "", s0: c0, s1: c1, verbatim, computed: false });
  return out;
}
