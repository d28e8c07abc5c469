// The one door to the iamscope engine (the npm package's `./web` entry). Every answer the
// playground shows — diagnostics, completions, hover, expansion, decisions, traces, diffs — comes
// from here; the rest of the site only renders.

import * as iamscope from "iamscope/web";
import type {
  ActionInfo,
  CatalogInfo,
  CompletionList,
  Diagnostic,
  EvalError,
  HoverInfo,
  Layer,
  LintReport,
  PolicyKind,
  RuleInfo,
  Scenario,
  SimulationOutcome,
  SimulationRequest,
} from "iamscope/web";

export type {
  ActionInfo,
  CatalogInfo,
  CompletionItem,
  CompletionList,
  ConditionTrace,
  Diagnostic,
  EvalError,
  FindingType,
  HoverInfo,
  Layer,
  LayerTrace,
  LintReport,
  PolicyKind,
  RuleInfo,
  Scenario,
  SimulationOutcome,
  SimulationRequest,
  SimulationResult,
  StatementTrace,
} from "iamscope/web";

/** Instantiates the WebAssembly module (fetched from this origin, next to the scripts). */
export async function initEngine(): Promise<void> {
  await iamscope.init();
}

export function lintPolicy(text: string, kind: PolicyKind): LintReport {
  return iamscope.lintReport(text, { kind });
}

/** The kind the engine infers for a policy text (used on import to tell trust from resource policies). */
export function inferKind(text: string): PolicyKind {
  return iamscope.lintReport(text).kind;
}

export function completions(text: string, offset: number): CompletionList {
  return iamscope.completions(text, offset);
}

export function hover(text: string, offset: number): HoverInfo | undefined {
  return iamscope.hover(text, offset);
}

export function expandAction(pattern: string): ActionInfo[] {
  return iamscope.expandAction(pattern);
}

export function describeAction(name: string): ActionInfo | undefined {
  return iamscope.describeAction(name);
}

export function simulate(scenario: Scenario): SimulationOutcome {
  return iamscope.simulate(scenario);
}

export function catalogInfo(): CatalogInfo {
  return iamscope.catalogInfo();
}

export function engineVersion(): string {
  return iamscope.version();
}

let rules: Map<string, RuleInfo> | undefined;
export function rule(code: string): RuleInfo | undefined {
  rules ??= new Map(iamscope.listRules().map((r) => [r.code, r]));
  return rules.get(code);
}

// ---- access diff --------------------------------------------------------------------------------
// The shapes of the engine's access diff (crates/iamscope-diff, serialised in camelCase). The
// package exports `diff` once the wasm facade carries it; until then the compare view says so.

export interface DiffStatementRef {
  layer: Layer;
  level?: number;
  policyIndex: number;
  policyName?: string;
  statementIndex: number;
  sid?: string;
  effect: string;
  pointer: string;
  /** In its side's policy text (zero positions for policies the engine added around a single policy). */
  range: { start: { offset: number }; end: { offset: number } };
}

export interface DiffAccessChange {
  action: string;
  accessLevel: string | null;
  witness: SimulationRequest;
  moreWitnesses?: SimulationRequest[];
  newDecision: string;
  oldDecision: string;
  newStatements: DiffStatementRef[];
  oldStatements: DiffStatementRef[];
}

export interface DiffResultShape {
  added: DiffAccessChange[];
  removed: DiffAccessChange[];
  exhaustive: boolean;
  explored: { actionsConsidered: number; actionsUnchanged: number; actionsSearched: number; catalogVersion: string };
  sampled: { side: string; reason: string; actions: number; exampleActions: string[]; conditionKeys?: string[] }[];
  assumptions: string[];
}

export type DiffOutcome =
  | { ok: true; result: DiffResultShape }
  | { ok: false; errors: (EvalError & { side?: string })[] }
  | { ok: false; unavailable: true };

type DiffFn = (oldText: string, newText: string, options?: { kind?: PolicyKind }) => unknown;

/** An export of the package looked up by name at run time (for exports newer than the pinned build). */
function exported<T>(name: string): T | undefined {
  return Reflect.get(iamscope, name) as T | undefined;
}

export function diffAvailable(): boolean {
  return typeof exported("diff") === "function";
}

/** Diffs two policies of one kind with the engine; never throws. */
export function diffPolicies(oldText: string, newText: string, kind: PolicyKind): DiffOutcome {
  const fn = exported<DiffFn>("diff");
  if (typeof fn !== "function") return { ok: false, unavailable: true };
  try {
    const out = fn(oldText, newText, { kind }) as Record<string, unknown>;
    if (out && Array.isArray(out.added) && Array.isArray(out.removed)) {
      return { ok: true, result: out as unknown as DiffResultShape };
    }
    // `{side, errors}` (DiffError) or `{errors}`.
    const side = typeof out?.side === "string" ? out.side : undefined;
    const errs = (Array.isArray(out?.errors) ? out.errors : []) as EvalError[];
    return {
      ok: false,
      errors: errs.length
        ? errs.map((e) => ({ ...e, side }))
        : [{ code: "DIFF_FAILED", message: "the engine returned no diff", side }],
    };
  } catch (e) {
    return { ok: false, errors: [{ code: "DIFF_FAILED", message: e instanceof Error ? e.message : String(e) }] };
  }
}

export type { Diagnostic as EngineDiagnostic };
