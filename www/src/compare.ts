// The compare view: an old and a new version of a policy side by side (CodeMirror's merge view),
// and the engine's access diff: each action the new version adds or removes, with a request that
// shows it (a witness), which one click simulates.

import { MergeView } from "@codemirror/merge";
import { EditorView } from "@codemirror/view";
import { h, clear, debounce, icon } from "./dom";
import { policyExtensions, setText, showHighlights, type Highlight } from "./editor";
import {
  diffPolicies,
  simulate,
  type AccessChange,
  type DiffOutcome,
  type PolicyKind,
  type Scenario,
  type SimulationOutcome,
  type SimulationRequest,
  type WitnessPlacement,
} from "./engine";
import type { CompareState, LayerState } from "./state";

export const KINDS: PolicyKind[] = ["identity", "resource", "trust", "boundary", "session", "scp", "rcp", "vpc-endpoint"];

export interface CompareCallbacks {
  layers(): LayerState[];
  rule(code: string): void;
  openInWorkspace(scenario: Scenario, kind: PolicyKind, title: string): void;
  changed(): void;
}

/**
 * The scenario that evaluates a witness under one side: the policy placed where the access diff
 * placed it to evaluate this witness (the result carries the placement: its layer and the identity
 * policies beside it), the witness as the request.
 */
export function witnessScenario(placement: WitnessPlacement, policy: string, w: SimulationRequest, name: string): Scenario {
  const p = { name, policy };
  const policies: NonNullable<Scenario["policies"]> = { identity: [...placement.identity] };
  switch (placement.layer) {
    case "identity":
      policies.identity = [...placement.identity, p];
      break;
    case "scp":
    case "rcp":
      policies[placement.layer] = [[p]];
      break;
    case "vpcEndpoint":
      policies.vpcEndpoint = [p];
      break;
    default:
      policies[placement.layer] = p;
  }
  return { policies, request: { ...w } };
}

export class CompareView {
  readonly el: HTMLElement;
  private merge: MergeView | undefined;
  private host: HTMLElement;
  private results: HTMLElement;
  private kindSel: HTMLSelectElement;
  private oldFrom: HTMLSelectElement;
  private newFrom: HTMLSelectElement;
  private state: CompareState = { kind: "identity", oldText: "", newText: "" };
  private scheduled = debounce(() => this.run(), 600);

  constructor(private cb: CompareCallbacks) {
    this.kindSel = h(
      "select",
      { id: "compare-kind", onchange: () => ((this.state.kind = this.kindSel.value as PolicyKind), this.relint(), this.cb.changed(), this.scheduled()) },
      KINDS.map((k) => h("option", { value: k }, k)),
    );
    const fromSel = (side: "old" | "new") => {
      const sel = h("select", {
        id: `compare-${side}-from`,
        "aria-label": `Load the ${side} version from a layer`,
        onfocus: () => this.fillLayerOptions(sel, side),
        onchange: () => {
          const layer = this.cb.layers().find((l) => l.id === sel.value);
          if (layer) {
            this.load(side, layer.text);
            if (side === "new" || !this.state.newText) {
              this.state.kind = layer.lintKind;
              this.kindSel.value = layer.lintKind;
            }
          }
          sel.value = "";
        },
      });
      this.fillLayerOptions(sel, side);
      return sel;
    };
    this.oldFrom = fromSel("old");
    this.newFrom = fromSel("new");
    this.host = h("div", { class: "merge-host" });
    this.results = h("section", { class: "diff-results", "aria-label": "Access changes", "aria-live": "polite" });
    this.el = h(
      "div",
      { class: "compare-view" },
      h(
        "div",
        { class: "compare-toolbar", role: "toolbar", "aria-label": "Compare" },
        h("label", { for: "compare-kind" }, "Policy kind "),
        this.kindSel,
        h("span", { class: "sep" }),
        h("label", { for: this.oldFrom.id }, "Old from "),
        this.oldFrom,
        h("label", { for: this.newFrom.id }, "New from "),
        this.newFrom,
        h("button", { type: "button", class: "btn", onclick: () => this.swap() }, "Swap"),
        h("span", { class: "spacer" }),
        h("button", { type: "button", class: "btn btn-primary", id: "compare-btn", onclick: () => this.run(true) }, icon("play"), "Compare"),
      ),
      h("div", { class: "merge-labels" }, h("span", {}, "Old"), h("span", {}, "New")),
      this.host,
      this.results,
    );
  }

  private fillLayerOptions(sel: HTMLSelectElement, side: string): void {
    clear(sel);
    sel.appendChild(h("option", { value: "" }, `— ${side} —`));
    for (const l of this.cb.layers()) sel.appendChild(h("option", { value: l.id }, `${l.name || l.type} (${l.lintKind})`));
    sel.value = "";
  }

  /** Creates the merge view the first time the view is shown (it needs a laid-out parent). */
  mount(): void {
    if (this.merge) return;
    const ext = (side: string) =>
      policyExtensions({
        label: `${side} version of the policy`,
        kind: () => this.state.kind,
        onRule: (c) => this.cb.rule(c),
        onSimulate: () => this.run(),
        onChange: (text) => {
          if (side === "Old") this.state.oldText = text;
          else this.state.newText = text;
          this.cb.changed();
          this.scheduled();
        },
      });
    this.merge = new MergeView({
      parent: this.host,
      a: { doc: this.state.oldText, extensions: ext("Old") },
      b: { doc: this.state.newText, extensions: ext("New") },
      highlightChanges: true,
      gutter: true,
      // The editors are created before the merge view is attached: name the shadow root, or
      // CodeMirror mounts its styles in the document (a <style> element, which the CSP blocks).
      root: this.host.getRootNode() as ShadowRoot | Document,
    });
    this.run();
  }

  get value(): CompareState {
    return this.state;
  }

  set(state: CompareState | undefined): void {
    this.state = state ? { ...state } : { kind: "identity", oldText: "", newText: "" };
    this.kindSel.value = this.state.kind;
    if (this.merge) {
      setText(this.merge.a, this.state.oldText);
      setText(this.merge.b, this.state.newText);
      this.run();
    }
  }

  /** Puts two versions in (from the workspace's "Compare" action on a layer). */
  load(side: "old" | "new", text: string): void {
    if (side === "old") this.state.oldText = text;
    else this.state.newText = text;
    if (this.merge) setText(side === "old" ? this.merge.a : this.merge.b, text);
    this.cb.changed();
    this.scheduled();
  }

  setKind(kind: PolicyKind): void {
    this.state.kind = kind;
    this.kindSel.value = kind;
    this.relint();
  }

  private relint(): void {
    if (!this.merge) return;
    for (const v of [this.merge.a, this.merge.b]) v.dispatch({ changes: { from: 0, to: 0, insert: "" } });
  }

  private swap(): void {
    const { oldText, newText } = this.state;
    this.state.oldText = newText;
    this.state.newText = oldText;
    if (this.merge) {
      setText(this.merge.a, this.state.oldText);
      setText(this.merge.b, this.state.newText);
    }
    this.cb.changed();
    this.run();
  }

  private lastRun = "";

  /** Diffs the two versions (again only when the texts or the kind changed, or when forced). */
  run(force = false): void {
    this.scheduled.cancel();
    const key = JSON.stringify([this.state.kind, this.state.oldText, this.state.newText]);
    if (!force && key === this.lastRun && this.results.childElementCount) return;
    this.lastRun = key;
    clear(this.results);
    if (!this.state.oldText.trim() || !this.state.newText.trim()) {
      this.results.appendChild(h("p", { class: "empty" }, "Put an old and a new version of a policy side by side to see the access the new one adds or removes."));
      return;
    }
    const t0 = performance.now();
    const out = diffPolicies(this.state.oldText, this.state.newText, this.state.kind);
    this.renderDiff(out, performance.now() - t0);
  }

  private renderDiff(out: DiffOutcome, ms: number): void {
    if (!out.ok) {
      this.results.appendChild(
        h(
          "div",
          { class: "sim-errors", role: "alert" },
          h("strong", {}, "Cannot compare: "),
          h("ul", {}, out.errors.map((e) => h("li", {}, e.side ? `${e.side}: ` : "", h("code", {}, e.code), " ", e.message))),
        ),
      );
      return;
    }
    const r = out.result;
    this.results.appendChild(
      h(
        "div",
        { class: "diff-summary" },
        h("span", { class: "chip chip-deny" }, `${r.added.length} added`),
        h("span", { class: "chip chip-allow" }, `${r.removed.length} removed`),
        h(
          "span",
          { class: "muted" },
          ` · ${r.explored.actionsConsidered} actions considered, ${r.explored.actionsUnchanged} proven unchanged · ${r.exhaustive ? "exhaustive" : "sampled in part"} · ${ms.toFixed(0)} ms`,
        ),
      ),
    );
    const section = (title: string, changes: AccessChange[], side: "added" | "removed") =>
      h(
        "section",
        { class: `diff-section diff-${side}` },
        h("h3", {}, title),
        changes.length
          ? h("ul", { class: "changes" }, changes.map((c) => this.changeRow(c, side)))
          : h("p", { class: "empty" }, side === "added" ? "The new version grants nothing the old did not." : "The new version keeps all the old access."),
      );
    this.results.appendChild(section("Access the new version adds", r.added, "added"));
    this.results.appendChild(section("Access the new version removes", r.removed, "removed"));
    if (r.sampled.length) {
      this.results.appendChild(
        h(
          "details",
          { class: "sampled" },
          h("summary", {}, `Not exhaustive: ${r.sampled.length} part${r.sampled.length > 1 ? "s" : ""} sampled`),
          h("ul", {}, r.sampled.map((s) => h("li", {}, `${s.side}: ${s.reason} (${s.actions} actions, e.g. ${s.exampleActions.join(", ")})`))),
        ),
      );
    }
    this.results.appendChild(
      h("details", { class: "assumptions" }, h("summary", {}, "How the policies were evaluated"), h("ul", {}, r.assumptions.map((a) => h("li", {}, a)))),
    );
  }

  private changeRow(c: AccessChange, side: "added" | "removed"): HTMLElement {
    const w = c.witness;
    // Always present for a diff of two single policies (only policy-set diffs lack it).
    const placement = c.placement;
    const outcome = h("div", { class: "witness-outcome", "aria-live": "polite" });
    const ctx = Object.entries(w.context ?? {});
    const simulateBoth = () => {
      clear(outcome);
      const show = (label: string, text: string) => {
        const o: SimulationOutcome | undefined = placement && simulate(witnessScenario(placement, text, w, `${label} version`));
        const d = o === undefined || o.decision === null ? "error" : o.decision;
        return h(
          "span",
          { class: `chip chip-${d === "Allow" ? "allow" : d === "ExplicitDeny" ? "deny" : d === "error" ? "na" : "implicit"}`, dataset: { side: label, decision: String(d) } },
          `${label}: ${d}`,
        );
      };
      outcome.append(show("old", this.state.oldText), " → ", show("new", this.state.newText));
    };
    return h(
      "li",
      { class: "change", dataset: { action: c.action } },
      h(
        "div",
        { class: "change-head" },
        h("code", { class: "action" }, c.action),
        c.accessLevel ? h("span", { class: `level level-${c.accessLevel.split(" ")[0].toLowerCase()}` }, c.accessLevel) : null,
        h("span", { class: "muted" }, `${c.oldDecision} → ${c.newDecision}`),
      ),
      h(
        "dl",
        { class: "witness" },
        h("dt", {}, "principal"),
        h("dd", {}, h("code", {}, w.principal)),
        h("dt", {}, "resource"),
        h("dd", {}, h("code", {}, w.resource)),
        ctx.length ? [h("dt", {}, "context"), h("dd", {}, ctx.map(([k, v]) => h("code", {}, `${k}=${JSON.stringify(v)} `)))] : null,
      ),
      h(
        "div",
        { class: "change-actions" },
        h("button", { type: "button", class: "btn btn-small btn-primary", onclick: simulateBoth, "aria-label": `Simulate the witness request for ${c.action}` }, icon("play"), "Simulate"),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-small",
            title: "Open the witness as a scenario in a new tab",
            disabled: !placement,
            onclick: () =>
              placement &&
              this.cb.openInWorkspace(
                witnessScenario(placement, side === "added" ? this.state.newText : this.state.oldText, w, side === "added" ? "new version" : "old version"),
                this.state.kind,
                c.action,
              ),
          },
          "Open in a new tab",
        ),
        c.newStatements.length || c.oldStatements.length
          ? h("button", { type: "button", class: "btn btn-small", onclick: () => this.showStatements(c), title: "Highlight the statements that decided it" }, "Show statements")
          : null,
        outcome,
      ),
    );
  }

  /** Highlights the statements that decided a change in the old and new editors. */
  private showStatements(c: AccessChange): void {
    if (!this.merge) return;
    const hl = (refs: AccessChange["newStatements"]): Highlight[] =>
      refs
        .filter((r) => r.range.end.offset > r.range.start.offset)
        .map((r) => ({ from: r.range.start.offset, to: r.range.end.offset, kind: r.effect === "Deny" ? "deny" : "allow" }));
    showHighlights(this.merge.a, hl(c.oldStatements));
    showHighlights(this.merge.b, hl(c.newStatements));
  }

  /** The editors (for tests and keyboard focus). */
  get views(): EditorView[] {
    return this.merge ? [this.merge.a, this.merge.b] : [];
  }
}
