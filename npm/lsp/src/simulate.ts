// The simulation command: the open policy placed into a scenario's policies, evaluated by the
// engine, and the answer rendered as text for an output channel.

import type {
  LayerPolicies,
  PolicyInput,
  PolicyKind,
  Range,
  Scenario,
  SimulationOutcome,
} from "iamscope-engine";

/** The scenario layer a policy of each kind belongs to. */
export type LayerName = keyof LayerPolicies;

export function layerForKind(kind: PolicyKind): LayerName {
  switch (kind) {
    case "identity":
      return "identity";
    case "resource":
    case "trust":
      return "resource";
    case "boundary":
      return "boundary";
    case "session":
      return "session";
    case "scp":
      return "scp";
    case "rcp":
      return "rcp";
    case "vpc-endpoint":
      return "vpcEndpoint";
  }
}

function asList<T>(v: T[] | T | null | undefined): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * Puts `policy` into the scenario's layer for `kind`: appended to the identity policies and the
 * VPC endpoint policies, in place of the resource policy, the boundary and the session policy, and
 * appended to the last (the account's) SCP or RCP level, which is created when there is none.
 * Returns the new scenario and where the policy went (its index in that layer's list).
 */
export function placePolicy(
  scenario: Scenario,
  kind: PolicyKind,
  policy: { name: string; policy: string },
): { scenario: Scenario; layer: LayerName; level?: number; index: number } {
  const policies: LayerPolicies = { ...(scenario.policies ?? {}) };
  const layer = layerForKind(kind);
  let index = 0;
  let level: number | undefined;
  switch (layer) {
    case "identity":
    case "vpcEndpoint": {
      const list = asList<PolicyInput>(policies[layer]);
      index = list.length;
      policies[layer] = [...list, policy];
      break;
    }
    case "resource":
    case "boundary":
    case "session":
      policies[layer] = policy;
      break;
    case "scp":
    case "rcp": {
      const levels = (policies[layer] ?? []).map((l) => [...l]);
      if (levels.length === 0) levels.push([]);
      level = levels.length - 1;
      index = levels[level]!.length;
      levels[level]!.push(policy);
      policies[layer] = levels;
      break;
    }
  }
  return { scenario: { ...scenario, policies }, layer, level, index };
}

/** Where the rendering finds lines of the open policy. */
export interface PolicyLocator {
  layer: LayerName;
  level?: number;
  index: number;
  /** The 1-based line in the open document of an offset of the policy text. */
  lineOf(offset: number): number;
  /** The name shown for the open policy. */
  name: string;
}

function list(values: (string | null)[] | null | undefined): string {
  if (values === null || values === undefined) return "(absent)";
  return `[${values.map((v) => (v === null ? "null" : JSON.stringify(v))).join(", ")}]`;
}

function isOpenPolicy(loc: PolicyLocator, layer: string, level: number | undefined, policyIndex: number): boolean {
  if (layer !== loc.layer) return false;
  if (loc.layer === "scp" || loc.layer === "rcp") return level === loc.level && policyIndex === loc.index;
  if (loc.layer === "resource" || loc.layer === "boundary" || loc.layer === "session") return true;
  return policyIndex === loc.index;
}

function where(loc: PolicyLocator, layer: string, level: number | undefined, policyIndex: number, name: string | undefined, range: Range | undefined): string {
  if (isOpenPolicy(loc, layer, level, policyIndex) && range) return `${loc.name} line ${loc.lineOf(range.start.offset)}`;
  if (name) return range ? `${name} line ${range.start.line + 1}` : name;
  return `policy ${policyIndex}`;
}

/** The engine's answer as text. */
export function renderOutcome(outcome: SimulationOutcome, loc: PolicyLocator): string {
  const out: string[] = [];
  if (outcome.decision === null) {
    out.push("No decision: the scenario cannot be evaluated.");
    for (const e of outcome.errors) {
      const at =
        e.layer !== undefined
          ? ` (${e.layer}${e.level !== undefined ? ` level ${e.level}` : ""}, ${where(loc, e.layer, e.level, e.policyIndex ?? 0, e.policyName, e.range)})`
          : e.pointer
            ? ` (at ${e.pointer})`
            : "";
      out.push(`  ${e.code}: ${e.message}${at}`);
    }
    return out.join("\n");
  }
  const r = outcome;
  const decided = r.decidingLayer ? ` (decided by ${r.decidingLayer}${r.decidingLevel !== undefined ? ` level ${r.decidingLevel}` : ""})` : "";
  out.push(`Decision: ${r.decision}${decided}`);
  out.push(
    `Request: ${r.principal.id} (${r.principal.kind}) -> ${r.action} on ${r.resource}${r.crossAccount ? " (cross-account)" : ""}`,
  );
  if (r.reasons.length) {
    out.push("Reasons:");
    for (const reason of r.reasons) out.push(`  - ${reason}`);
  }
  out.push("Trace:");
  for (const l of r.layers) {
    const lvl = l.level !== undefined ? ` level ${l.level}` : "";
    out.push(`  ${l.layer}${lvl}: ${l.outcome}${l.note ? ` (${l.note})` : ""}`);
    for (const s of l.statements) {
      const sid = s.sid ? ` "${s.sid}"` : "";
      const at = where(loc, l.layer, l.level, s.policyIndex, s.policyName, s.range);
      const state = s.matched
        ? "matched"
        : [
            !s.resourceMatched ? "resource did not match" : "",
            s.principalMatched === false ? "principal did not match" : "",
            !s.conditionsMatched ? "conditions not met" : "",
          ]
            .filter(Boolean)
            .join(", ") || "not matched";
      out.push(`    ${s.matched ? "*" : "-"} statement ${s.statementIndex}${sid} (${s.effect}) at ${at}: ${state}`);
      for (const c of s.conditions ?? []) {
        out.push(
          `        ${c.operator} ${c.key}: policy ${list(c.policyValues)}, request ${list(c.requestValues)} -> ${c.result}${c.missing ? " (key missing from the request)" : ""}`,
        );
        for (const n of c.notes ?? []) out.push(`          note: ${n}`);
      }
      for (const n of s.notes ?? []) out.push(`        note: ${n}`);
    }
  }
  if (r.missingContextKeys.length) out.push(`Missing context keys: ${r.missingContextKeys.join(", ")}`);
  const derived = Object.entries(r.derivedContext);
  if (derived.length) {
    out.push("Derived context:");
    for (const [k, v] of derived) out.push(`  ${k} = ${list(v)}`);
  }
  for (const w of r.warnings ?? []) out.push(`Warning: ${w}`);
  return out.join("\n");
}
