// The one door to the iamscope engine (the npm package's `./web` entry). Every answer the
// playground shows — diagnostics, completions, hover, expansion, decisions, traces, diffs — comes
// from here; the rest of the site only renders.

import * as iamscope from "iamscope/web";
import type {
  ActionInfo,
  CatalogInfo,
  CompletionList,
  Diagnostic,
  DiffResult,
  EvalError,
  HoverInfo,
  LintReport,
  PolicyKind,
  RuleInfo,
  Scenario,
  SimulationOutcome,
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

export type { AccessChange, DiffResult, StatementRef, Witness, WitnessPlacement } from "iamscope/web";

export type DiffOutcome =
  | { ok: true; result: DiffResult }
  | { ok: false; errors: (EvalError & { side?: string })[] };

/** Diffs two policies of one kind with the engine; never throws. */
export function diffPolicies(oldText: string, newText: string, kind: PolicyKind): DiffOutcome {
  try {
    const out = iamscope.diff(oldText, newText, { kind });
    if ("added" in out) return { ok: true, result: out };
    return { ok: false, errors: out.errors.map((e) => ({ ...e, side: out.side })) };
  } catch (e) {
    return { ok: false, errors: [{ code: "DIFF_FAILED", message: e instanceof Error ? e.message : String(e) }] };
  }
}

export type { Diagnostic as EngineDiagnostic };
