// The playground's scenario: the layers the user edits and the request form. It converts to and
// from the scenario file of `iamscope simulate` (import, export, simulation) and to and from the
// share link (the state, deflate-raw compressed, base64url, in the URL fragment).

import type { PolicyKind, Scenario, SimulationRequest } from "./engine";

export type LayerType = "identity" | "resource" | "boundary" | "session" | "scp" | "rcp" | "vpcEndpoint";

export interface LayerState {
  id: string;
  type: LayerType;
  name: string;
  /** SCP/RCP: 0 = organization root, 1-3 = OU depth, 4 = account. */
  level: number;
  /** The kind the linter checks the text as (resource layers: `resource` or `trust`). */
  lintKind: PolicyKind;
  text: string;
}

/** How a context value is typed in the form (the scenario file holds strings, numbers and booleans). */
export type ValueType = "String" | "ARN" | "Numeric" | "Date" | "Bool" | "IPAddress" | "Binary";
export const VALUE_TYPES: ValueType[] = ["String", "ARN", "Numeric", "Date", "Bool", "IPAddress", "Binary"];

export interface ContextRow {
  key: string;
  type: ValueType;
  /** More than one value, or an explicitly multi-valued key (sent as an array). */
  multi: boolean;
  values: string[];
}

export interface RequestState {
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  context: ContextRow[];
}

export interface CompareState {
  kind: PolicyKind;
  oldText: string;
  newText: string;
}

export interface PlaygroundState {
  layers: LayerState[];
  request: RequestState;
  live: boolean;
  managementAccount: string;
  compare?: CompareState;
}

export const LAYER_TYPES: LayerType[] = ["scp", "rcp", "vpcEndpoint", "resource", "identity", "boundary", "session"];

export const LAYER_INFO: Record<LayerType, { label: string; short: string; kind: PolicyKind; single: boolean; leveled: boolean }> = {
  scp: { label: "Service control policy (SCP)", short: "SCP", kind: "scp", single: false, leveled: true },
  rcp: { label: "Resource control policy (RCP)", short: "RCP", kind: "rcp", single: false, leveled: true },
  vpcEndpoint: { label: "VPC endpoint policy", short: "VPC endpoint", kind: "vpc-endpoint", single: false, leveled: false },
  resource: { label: "Resource-based policy", short: "Resource", kind: "resource", single: true, leveled: false },
  identity: { label: "Identity-based policy", short: "Identity", kind: "identity", single: false, leveled: false },
  boundary: { label: "Permissions boundary", short: "Boundary", kind: "boundary", single: true, leveled: false },
  session: { label: "Session policy", short: "Session", kind: "session", single: true, leveled: false },
};

export const LEVEL_LABELS = ["Root", "OU 1", "OU 2", "OU 3", "Account"];

let counter = 0;
export function newId(): string {
  counter += 1;
  return `l${Date.now().toString(36)}${counter}`;
}

export function emptyRequest(): RequestState {
  return { principal: "", action: "", resource: "", resourceAccount: "", context: [] };
}

/** Layers in evaluation order: SCP and RCP levels from the root down, then the rest by type. */
export function sortedLayers(layers: LayerState[]): LayerState[] {
  return layers
    .map((l, i) => ({ l, i }))
    .sort((a, b) => {
      const t = LAYER_TYPES.indexOf(a.l.type) - LAYER_TYPES.indexOf(b.l.type);
      if (t !== 0) return t;
      if (LAYER_INFO[a.l.type].leveled && a.l.level !== b.l.level) return a.l.level - b.l.level;
      return a.i - b.i;
    })
    .map((x) => x.l);
}

/** Where each policy of a built scenario came from: `${layer}:${level}:${policyIndex}` to a layer id. */
export type PolicyMap = Map<string, string>;

export function traceKey(layer: string, level: number | undefined, policyIndex: number): string {
  return `${layer}:${level ?? ""}:${policyIndex}`;
}

export interface BuiltScenario {
  scenario: Scenario;
  map: PolicyMap;
  /** SCP/RCP levels as built: compressed level index to the level label. */
  levelLabels: { scp: string[]; rcp: string[] };
  /** Layers that could not be placed (a second resource policy, boundary or session policy). */
  ignored: LayerState[];
}

type PolicyForm = "text" | "object";

function policyValue(layer: LayerState, form: PolicyForm): unknown {
  let policy: unknown = layer.text;
  if (form === "object") {
    try {
      policy = JSON.parse(layer.text);
    } catch {
      policy = layer.text; // not JSON: keep the text, the simulator reports where it breaks
    }
  }
  return layer.name ? { name: layer.name, policy } : policy;
}

/** The number, boolean or string a context value is sent as. */
function typedValue(type: ValueType, v: string): string | number | boolean {
  if (type === "Bool" && (v === "true" || v === "false")) return v === "true";
  if (type === "Numeric" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return v;
}

export function buildRequest(req: RequestState): SimulationRequest {
  const out: SimulationRequest = { principal: req.principal.trim(), action: req.action.trim(), resource: req.resource.trim() };
  if (req.resourceAccount.trim()) out.resourceAccount = req.resourceAccount.trim();
  const context: NonNullable<SimulationRequest["context"]> = {};
  for (const row of req.context) {
    const key = row.key.trim();
    if (!key) continue;
    if (row.multi) context[key] = row.values.filter((v) => v !== "").map((v) => typedValue(row.type, v));
    else context[key] = typedValue(row.type, row.values[0] ?? "");
  }
  if (Object.keys(context).length) out.context = context;
  return out;
}

/** The scenario file of `iamscope simulate` for the state (policies as text for simulation, as objects for export). */
export function buildScenario(state: PlaygroundState, form: PolicyForm = "text"): BuiltScenario {
  const map: PolicyMap = new Map();
  const policies: NonNullable<Scenario["policies"]> = {};
  const ignored: LayerState[] = [];
  const levelLabels = { scp: [] as string[], rcp: [] as string[] };
  const layers = sortedLayers(state.layers);
  const of = (t: LayerType) => layers.filter((l) => l.type === t);

  const identity = of("identity");
  if (identity.length) {
    policies.identity = identity.map((l, i) => {
      map.set(traceKey("identity", undefined, i), l.id);
      return policyValue(l, form) as never;
    });
  }
  for (const t of ["resource", "boundary", "session"] as const) {
    const ls = of(t);
    if (ls.length) {
      policies[t] = policyValue(ls[0], form) as never;
      map.set(traceKey(t, undefined, 0), ls[0].id);
      ignored.push(...ls.slice(1));
    }
  }
  for (const t of ["scp", "rcp"] as const) {
    const ls = of(t);
    if (!ls.length) continue;
    const levels = [...new Set(ls.map((l) => l.level))].sort((a, b) => a - b);
    policies[t] = levels.map((lv, li) => {
      levelLabels[t].push(LEVEL_LABELS[lv] ?? `Level ${lv}`);
      return ls
        .filter((l) => l.level === lv)
        .map((l, pi) => {
          map.set(traceKey(t, li, pi), l.id);
          return policyValue(l, form) as never;
        });
    });
  }
  const vpce = of("vpcEndpoint");
  if (vpce.length) {
    policies.vpcEndpoint = vpce.map((l, i) => {
      map.set(traceKey("vpcEndpoint", i, i), l.id);
      map.set(traceKey("vpcEndpoint", undefined, i), l.id);
      return policyValue(l, form) as never;
    });
  }
  const scenario: Scenario = { policies, request: buildRequest(state.request) };
  if (state.managementAccount.trim()) scenario.managementAccount = state.managementAccount.trim();
  return { scenario, map, levelLabels, ignored };
}

// ---- import -------------------------------------------------------------------------------------

export class ImportError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function policyText(v: unknown, where: string): { name: string; text: string } {
  let name = "";
  let policy = v;
  if (isObject(v) && "policy" in v && !("Statement" in v) && !("Version" in v)) {
    name = typeof v.name === "string" ? v.name : "";
    policy = v.policy;
  }
  if (typeof policy === "string") return { name, text: policy };
  if (isObject(policy)) return { name, text: JSON.stringify(policy, null, 2) };
  throw new ImportError(`${where}: a policy must be JSON text, a JSON object, or {"name", "policy"}`);
}

function listOf(v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Levels labels for `n` imported SCP/RCP levels: root first, account last. */
function importedLevels(n: number): number[] {
  if (n <= 1) return [0];
  const out = [0];
  for (let i = 1; i < n - 1; i++) out.push(Math.min(i, 3));
  out.push(4);
  return out;
}

function contextRows(ctx: unknown): ContextRow[] {
  if (!isObject(ctx)) return [];
  return Object.entries(ctx).map(([key, v]) => {
    const values = (Array.isArray(v) ? v : [v]).map((x) => String(x));
    const sample = Array.isArray(v) ? v[0] : v;
    const type: ValueType = typeof sample === "boolean" ? "Bool" : typeof sample === "number" ? "Numeric" : "String";
    return { key, type, multi: Array.isArray(v), values: values.length ? values : [""] };
  });
}

/**
 * Reads a scenario file (the format of `iamscope simulate`). `kindOf` says which kind a resource
 * policy text is (the engine tells a trust policy from other resource policies).
 */
export function stateFromScenario(doc: unknown, kindOf: (text: string) => PolicyKind): PlaygroundState {
  if (!isObject(doc)) throw new ImportError("a scenario file is a JSON object with `policies` and `request`");
  const policies = isObject(doc.policies) ? doc.policies : {};
  const layers: LayerState[] = [];
  const add = (type: LayerType, v: unknown, where: string, level = 0) => {
    const { name, text } = policyText(v, where);
    let lintKind = LAYER_INFO[type].kind;
    if (type === "resource") lintKind = kindOf(text) === "trust" ? "trust" : "resource";
    layers.push({ id: newId(), type, name, level, lintKind, text });
  };
  listOf(policies.identity).forEach((p, i) => add("identity", p, `policies.identity[${i}]`));
  for (const t of ["resource", "boundary", "session"] as const) {
    if (policies[t] !== null && policies[t] !== undefined) add(t, policies[t], `policies.${t}`);
  }
  for (const t of ["scp", "rcp"] as const) {
    const levels = listOf(policies[t]);
    const lv = importedLevels(levels.length);
    levels.forEach((level, li) =>
      listOf(level).forEach((p, pi) => add(t, p, `policies.${t}[${li}][${pi}]`, lv[li])),
    );
  }
  listOf(policies.vpcEndpoint).forEach((p, i) => add("vpcEndpoint", p, `policies.vpcEndpoint[${i}]`));
  const r = isObject(doc.request) ? doc.request : {};
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    layers,
    request: {
      principal: str(r.principal),
      action: str(r.action),
      resource: str(r.resource),
      resourceAccount: str(r.resourceAccount),
      context: contextRows(r.context),
    },
    live: true,
    managementAccount: str(doc.managementAccount),
  };
}

// ---- share link ---------------------------------------------------------------------------------

const SHARE_VERSION = 1;

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** The URL fragment (`#s=...`) holding the whole state; browsers never send a fragment to a server. */
export async function encodeShare(state: PlaygroundState): Promise<string> {
  const compact = {
    v: SHARE_VERSION,
    layers: state.layers.map((l) => [l.type, l.name, l.level, l.lintKind, l.text]),
    request: state.request,
    live: state.live,
    managementAccount: state.managementAccount || undefined,
    compare: state.compare && (state.compare.oldText || state.compare.newText) ? state.compare : undefined,
  };
  const json = new TextEncoder().encode(JSON.stringify(compact));
  return `s=${toBase64Url(await pipe(json, new CompressionStream("deflate-raw")))}`;
}

export async function decodeShare(fragment: string): Promise<PlaygroundState> {
  const m = /^#?s=([A-Za-z0-9_-]+)$/.exec(fragment);
  if (!m) throw new ImportError("the link holds no scenario");
  let data: unknown;
  try {
    const bytes = await pipe(fromBase64Url(m[1]), new DecompressionStream("deflate-raw"));
    data = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ImportError("the link's scenario is damaged (was it cut short?)");
  }
  if (!isObject(data) || data.v !== SHARE_VERSION || !Array.isArray(data.layers) || !isObject(data.request)) {
    throw new ImportError("the link's scenario has an unknown format");
  }
  const layers: LayerState[] = [];
  for (const row of data.layers) {
    if (!Array.isArray(row) || row.length !== 5) continue;
    const [type, name, level, lintKind, text] = row as [LayerType, string, number, PolicyKind, string];
    if (!(type in LAYER_INFO) || typeof text !== "string") continue;
    layers.push({ id: newId(), type, name: String(name ?? ""), level: Number(level) || 0, lintKind, text });
  }
  const r = data.request as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const context: ContextRow[] = Array.isArray(r.context)
    ? (r.context as ContextRow[])
        .filter((c) => isObject(c) && typeof c.key === "string" && Array.isArray(c.values))
        .map((c) => ({
          key: c.key,
          type: VALUE_TYPES.includes(c.type) ? c.type : "String",
          multi: Boolean(c.multi),
          values: c.values.map(String),
        }))
    : [];
  const cmp = isObject(data.compare) ? data.compare : undefined;
  return {
    layers,
    request: {
      principal: str(r.principal),
      action: str(r.action),
      resource: str(r.resource),
      resourceAccount: str(r.resourceAccount),
      context,
    },
    live: data.live !== false,
    managementAccount: str(data.managementAccount),
    compare: cmp
      ? { kind: (str(cmp.kind) || "identity") as PolicyKind, oldText: str(cmp.oldText), newText: str(cmp.newText) }
      : undefined,
  };
}
