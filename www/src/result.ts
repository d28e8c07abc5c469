// Renders a simulation answer: the decision, the deciding layer, the missing context keys in plain
// words, and the per-layer trace as a tree. The trace is the engine's; this only lays it out.

import type { ConditionTrace, LayerTrace, SimulationOutcome, SimulationResult, StatementTrace, EvalError } from "./engine";
import { h } from "./dom";
import type { BuiltScenario, LayerState } from "./state";
import { traceKey } from "./state";
import type { Highlight } from "./editor";

export interface ResultCallbacks {
  layerOf(layerId: string): LayerState | undefined;
  reveal(layerId: string, hl: Highlight[]): void;
  addContextKey(key: string): void;
}

const DECISION_TEXT: Record<string, { word: string; sub: string; cls: string }> = {
  Allow: { word: "Allowed", sub: "every layer that applies allows the request", cls: "allow" },
  ExplicitDeny: { word: "Denied", sub: "an explicit Deny statement applies", cls: "deny" },
  ImplicitDeny: { word: "Denied", sub: "implicitly: a layer that must allow does not", cls: "implicit" },
};

const LAYER_NAMES: Record<string, string> = {
  scp: "SCP",
  rcp: "RCP",
  vpcEndpoint: "VPC endpoint policy",
  resource: "Resource-based policy",
  identity: "Identity-based policies",
  boundary: "Permissions boundary",
  session: "Session policy",
};

export function layerTitle(layer: string, level: number | undefined, built: BuiltScenario): string {
  if (layer === "scp" || layer === "rcp") {
    const label = level !== undefined ? built.levelLabels[layer][level] : undefined;
    return `${LAYER_NAMES[layer]} · ${label ?? `level ${level ?? 0}`}${level !== undefined ? ` (level ${level})` : ""}`;
  }
  if (layer === "vpcEndpoint") return `${LAYER_NAMES[layer]} ${level !== undefined ? level + 1 : ""}`.trim();
  return LAYER_NAMES[layer] ?? layer;
}

function outcomeChip(outcome: string): HTMLElement {
  const cls = outcome === "Allow" ? "allow" : outcome === "ExplicitDeny" ? "deny" : outcome === "ImplicitDeny" ? "implicit" : "na";
  const text = outcome === "NotApplicable" ? "not applicable" : outcome === "ImplicitDeny" ? "implicit deny" : outcome === "ExplicitDeny" ? "explicit deny" : "allow";
  return h("span", { class: `chip chip-${cls}` }, text);
}

function mark(ok: boolean | undefined, label: string): HTMLElement | null {
  if (ok === undefined) return null;
  return h("span", { class: `check ${ok ? "ok" : "no"}`, title: `${label} ${ok ? "matched" : "did not match"}` }, `${ok ? "✓" : "✗"} ${label}`);
}

function values(v: (string | null)[] | null): string {
  if (v === null) return "absent";
  if (!v.length) return "[]";
  return v.map((x) => (x === null ? "(no value)" : JSON.stringify(x))).join(", ");
}

/** The statements and conditions that decided, to highlight in their editors. */
export function decidingHighlights(r: SimulationResult, built: BuiltScenario): Map<string, Highlight[]> {
  const out = new Map<string, Highlight[]>();
  const push = (layerId: string | undefined, hl: Highlight) => {
    if (!layerId) return;
    const list = out.get(layerId) ?? [];
    list.push(hl);
    out.set(layerId, list);
  };
  const layers = r.layers.filter(
    (l) => l.layer === r.decidingLayer && (r.decidingLevel === undefined || l.level === r.decidingLevel),
  );
  for (const l of layers) {
    for (const s of l.statements) {
      const id = built.map.get(traceKey(l.layer, l.level, s.policyIndex));
      const range = { from: s.range.start.offset, to: s.range.end.offset };
      if (r.decision === "ExplicitDeny" && s.matched && s.effect === "Deny") {
        push(id, { ...range, kind: "deny" });
        for (const c of s.conditions ?? []) push(id, { from: c.range.start.offset, to: c.range.end.offset, kind: "cond" });
      } else if (r.decision === "Allow" && s.matched && s.effect === "Allow") {
        push(id, { ...range, kind: "allow" });
        for (const c of s.conditions ?? []) push(id, { from: c.range.start.offset, to: c.range.end.offset, kind: "cond" });
      } else if (r.decision === "ImplicitDeny" && s.effect === "Allow" && !s.matched) {
        push(id, { ...range, kind: "near" });
        for (const c of s.conditions ?? []) {
          if (!c.result) push(id, { from: c.range.start.offset, to: c.range.end.offset, kind: "cond-miss" });
        }
      }
    }
  }
  return out;
}

function statementHighlights(s: StatementTrace, focus: boolean): Highlight[] {
  const kind: Highlight["kind"] = s.matched ? (s.effect === "Deny" ? "deny" : "allow") : "near";
  const hl: Highlight[] = [{ from: s.range.start.offset, to: s.range.end.offset, kind: focus ? "focus" : kind }];
  for (const c of s.conditions ?? []) {
    hl.push({ from: c.range.start.offset, to: c.range.end.offset, kind: c.result ? "cond" : "cond-miss" });
  }
  return hl;
}

function conditionRow(c: ConditionTrace): HTMLElement {
  return h(
    "li",
    { class: `cond ${c.result ? "ok" : "no"}` },
    h("span", { class: `check ${c.result ? "ok" : "no"}` }, c.result ? "✓" : "✗"),
    " ",
    h("code", {}, c.operator),
    " ",
    h("code", { class: "key" }, c.key),
    h(
      "div",
      { class: "cond-values" },
      h("span", {}, "policy: ", h("code", {}, values(c.policyValues))),
      h("span", {}, "request: ", c.missing ? h("em", { class: "missing" }, "absent") : h("code", {}, values(c.requestValues))),
    ),
    c.notes?.length ? h("div", { class: "notes" }, c.notes.join(" ")) : null,
  );
}

function statementNode(l: LayerTrace, s: StatementTrace, built: BuiltScenario, cb: ResultCallbacks, deciding: boolean): HTMLElement {
  const layerId = built.map.get(traceKey(l.layer, l.level, s.policyIndex));
  const policy = layerId ? cb.layerOf(layerId) : undefined;
  const policyName = s.policyName ?? policy?.name ?? `policy ${s.policyIndex + 1}`;
  const title = `${s.sid ? `“${s.sid}”` : `Statement ${s.statementIndex}`} · ${s.effect}`;
  const canReveal = Boolean(layerId) && s.range.end.offset > s.range.start.offset;
  const head = h(
    canReveal ? "button" : "div",
    {
      type: canReveal ? "button" : undefined,
      class: `stmt-head${canReveal ? " clickable" : ""}`,
      onclick: canReveal ? () => cb.reveal(layerId!, statementHighlights(s, true)) : undefined,
      title: canReveal ? "Show this statement in its editor" : undefined,
    },
    h("span", { class: `effect effect-${s.effect.toLowerCase()}` }, title),
    h("span", { class: "in-policy" }, ` in ${policyName}`),
    h("span", { class: `chip chip-${s.matched ? (s.effect === "Deny" ? "deny" : "allow") : "na"}` }, s.matched ? "applies" : "does not apply"),
  );
  return h(
    "li",
    { class: `stmt${deciding ? " deciding" : ""}`, dataset: { matched: String(s.matched) } },
    head,
    h(
      "div",
      { class: "checks" },
      mark(true, "action"),
      mark(s.resourceMatched, "resource"),
      mark(s.principalMatched, "principal"),
      s.conditions?.length ? mark(s.conditionsMatched, "conditions") : null,
      s.grant ? h("span", { class: "grant" }, `grant: ${s.grant}`) : null,
    ),
    s.conditions?.length ? h("ul", { class: "conds" }, s.conditions.map(conditionRow)) : null,
    s.notes?.length ? h("div", { class: "notes" }, s.notes.join(" ")) : null,
  );
}

function layerNode(l: LayerTrace, r: SimulationResult, built: BuiltScenario, cb: ResultCallbacks): HTMLElement {
  const deciding = l.layer === r.decidingLayer && (r.decidingLevel === undefined || l.level === r.decidingLevel);
  const decidingStmt = (s: StatementTrace) =>
    deciding && s.matched && ((r.decision === "ExplicitDeny" && s.effect === "Deny") || (r.decision === "Allow" && s.effect === "Allow"));
  return h(
    "details",
    { class: `layer-node${deciding ? " deciding" : ""}`, open: deciding || l.outcome !== "NotApplicable", dataset: { layer: l.layer, level: l.level ?? "" } },
    h(
      "summary",
      {},
      outcomeChip(l.outcome),
      h("span", { class: "layer-title" }, layerTitle(l.layer, l.level, built)),
      deciding ? h("span", { class: "deciding-tag" }, "decided") : null,
    ),
    l.note ? h("p", { class: "note" }, l.note) : null,
    l.statements.length
      ? h("ul", { class: "stmts" }, l.statements.map((s) => statementNode(l, s, built, cb, decidingStmt(s))))
      : h(
          "p",
          { class: "note" },
          [...built.map.keys()].some((k) => k.startsWith(`${l.layer}:${l.level ?? ""}:`) || (l.layer === "identity" && k.startsWith("identity:")))
            ? "No statement of this layer names the action."
            : "No policy in this layer.",
        ),
  );
}

function missingNode(r: SimulationResult, cb: ResultCallbacks): HTMLElement | null {
  if (!r.missingContextKeys.length) return null;
  const usedBy = (key: string) => {
    const out: string[] = [];
    for (const l of r.layers) {
      for (const s of l.statements) {
        for (const c of s.conditions ?? []) {
          if (c.key.toLowerCase() === key.toLowerCase() && c.missing) {
            out.push(`${c.operator} in ${s.sid ? `“${s.sid}”` : `statement ${s.statementIndex}`} ${c.result ? "held" : "did not hold"} without it`);
          }
        }
      }
    }
    return out;
  };
  return h(
    "section",
    { class: "missing-keys", "aria-label": "Missing context keys" },
    h("h3", {}, "The request lacks context keys that the policies test"),
    h(
      "ul",
      {},
      r.missingContextKeys.map((k) => {
        const uses = usedBy(k);
        return h(
          "li",
          {},
          h("code", {}, k),
          " is not in the request",
          uses.length ? `: ${uses.join("; ")}.` : ".",
          " ",
          h("button", { type: "button", class: "btn btn-small", onclick: () => cb.addContextKey(k) }, "Add to request"),
        );
      }),
    ),
  );
}

function errorsNode(errors: EvalError[], built: BuiltScenario, cb: ResultCallbacks): HTMLElement {
  return h(
    "section",
    { class: "sim-errors", role: "alert" },
    h("div", { class: "decision decision-error" }, h("div", { class: "decision-word" }, "Cannot simulate"), h("div", { class: "decision-sub" }, "fix these first")),
    h(
      "ul",
      {},
      errors.map((e) => {
        const id = e.layer && e.policyIndex !== undefined ? built.map.get(traceKey(e.layer, e.level, e.policyIndex)) : undefined;
        const policy = id ? cb.layerOf(id) : undefined;
        const where = policy ? `${policy.name || "policy"}: ` : e.layer ? `${LAYER_NAMES[e.layer] ?? e.layer}: ` : e.pointer?.startsWith("/request") || !e.layer ? "request: " : "";
        return h(
          "li",
          {},
          h("code", { class: "code" }, e.code),
          " ",
          where,
          e.message,
          id && e.range
            ? h(
                "button",
                { type: "button", class: "btn btn-small", onclick: () => cb.reveal(id, [{ from: e.range!.start.offset, to: Math.max(e.range!.end.offset, e.range!.start.offset + 1), kind: "deny" }]) },
                "Show",
              )
            : null,
        );
      }),
    ),
  );
}

export function renderOutcome(out: SimulationOutcome, built: BuiltScenario, cb: ResultCallbacks): HTMLElement {
  if (out.decision === null) return errorsNode(out.errors, built, cb);
  const r = out;
  const d = DECISION_TEXT[r.decision];
  const decidedBy = r.decidingLayer ? layerTitle(r.decidingLayer, r.decidingLevel, built) : undefined;
  const decidingStatements = r.layers
    .filter((l) => l.layer === r.decidingLayer && (r.decidingLevel === undefined || l.level === r.decidingLevel))
    .flatMap((l) => l.statements.filter((s) => s.matched && (r.decision === "ExplicitDeny" ? s.effect === "Deny" : s.effect === "Allow")));
  return h(
    "div",
    { class: "result" },
    h(
      "div",
      { class: `decision decision-${d.cls}`, dataset: { decision: r.decision, decidingLayer: r.decidingLayer ?? "", decidingLevel: r.decidingLevel ?? "" } },
      h("div", { class: "decision-word" }, d.word, h("span", { class: "decision-code" }, r.decision)),
      h("div", { class: "decision-sub" }, d.sub),
      decidedBy
        ? h(
            "div",
            { class: "decided-by" },
            "Deciding layer: ",
            h("strong", { class: "deciding-layer" }, decidedBy),
            r.decision !== "ImplicitDeny" && decidingStatements.length
              ? [" · ", decidingStatements.map((s) => (s.sid ? `“${s.sid}”` : `statement ${s.statementIndex}`)).join(", ")]
              : null,
          )
        : null,
    ),
    missingNode(r, cb),
    h("ol", { class: "reasons", "aria-label": "Steps of the decision" }, r.reasons.map((x) => h("li", {}, x))),
    r.warnings?.length ? h("ul", { class: "warnings" }, r.warnings.map((w) => h("li", {}, w))) : null,
    h("h3", { class: "tree-title" }, "Per-layer evaluation"),
    h("div", { class: "tree" }, r.layers.map((l) => layerNode(l, r, built, cb))),
    h(
      "details",
      { class: "derived" },
      h("summary", {}, `Request as evaluated: ${r.principal.kind} ${r.principal.id}${r.crossAccount ? " (cross-account)" : ""}`),
      h(
        "dl",
        {},
        h("dt", {}, "action"),
        h("dd", {}, h("code", {}, r.action)),
        h("dt", {}, "resource"),
        h("dd", {}, h("code", {}, r.resource)),
        r.resourceAccount ? [h("dt", {}, "resource account"), h("dd", {}, h("code", {}, r.resourceAccount))] : null,
        Object.entries(r.derivedContext).map(([k, v]) => [h("dt", {}, k), h("dd", {}, h("code", {}, v.join(", ")), h("span", { class: "derived-tag" }, " derived"))]),
      ),
    ),
  );
}
