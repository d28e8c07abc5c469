// The playground: layers of policies on the left, the request and its answer on the right, the
// problems of every policy at the bottom. All analysis comes from the engine (./engine.ts).

import "./page.css";
import appCss from "./style.css?inline";
import type { EditorView } from "@codemirror/view";
import { h, clear, icon, debounce } from "./dom";
import {
  initEngine,
  catalogInfo,
  engineVersion,
  simulate,
  rule,
  inferKind,
  type Diagnostic,
  type PolicyKind,
  type Scenario,
  type SimulationOutcome,
} from "./engine";
import { createPolicyEditor, applyFix, relint, showHighlights, type Highlight } from "./editor";
import {
  LAYER_INFO,
  LAYER_TYPES,
  LEVEL_LABELS,
  buildScenario,
  decodeShare,
  encodeShare,
  newId,
  emptyRequest,
  sortedLayers,
  stateFromScenario,
  ImportError,
  type LayerState,
  type LayerType,
  type PlaygroundState,
} from "./state";
import { EXAMPLES, exampleById } from "./examples";
import { RequestForm, keyType } from "./request";
import { renderOutcome, decidingHighlights } from "./result";
import { ProblemsPanel } from "./problems";
import { ExpandPanel } from "./expand";
import { CompareView } from "./compare";
import { renderMarkdown } from "./markdown";

const TEMPLATES: Record<LayerType, unknown> = {
  identity: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] },
  resource: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/*" }],
  },
  boundary: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:*", "cloudwatch:*"], Resource: "*" }] },
  session: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] },
  scp: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  rcp: {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EnforceTls",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: "*",
        Condition: { BoolIfExists: { "aws:SecureTransport": "false" } },
      },
    ],
  },
  vpcEndpoint: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] },
};

interface LayerUi {
  layer: LayerState;
  card: HTMLElement;
  view: EditorView;
  diags: Diagnostic[];
  counts: HTMLElement;
}

class App {
  private state: PlaygroundState = { layers: [], request: emptyRequest(), live: true, managementAccount: "" };
  private ui = new Map<string, LayerUi>();
  private outcome: SimulationOutcome | undefined;
  private lastShared = "";
  private firstLint = false;

  private root: HTMLElement;
  private layersEl!: HTMLElement;
  private addSel!: HTMLSelectElement;
  private resultEl!: HTMLElement;
  private form!: RequestForm;
  private problems!: ProblemsPanel;
  private expand!: ExpandPanel;
  private compare!: CompareView;
  private workspaceEl!: HTMLElement;
  private compareEl!: HTMLElement;
  private sideTabs!: Record<"result" | "expand", { tab: HTMLButtonElement; panel: HTMLElement }>;
  private viewTabs!: Record<"workspace" | "compare", HTMLButtonElement>;
  private toastEl!: HTMLElement;
  private shareBox!: HTMLElement;
  private dialog!: HTMLDialogElement;
  private staleEl!: HTMLElement;

  private scheduleSimulate = debounce(() => this.simulate(), 250);
  private scheduleProblems = debounce(() => this.renderProblems(), 60);
  private scheduleExpand = debounce((view: EditorView) => this.expandFromEditor(view), 200);

  constructor(root: HTMLElement) {
    this.root = root;
  }

  // ---- layout ----------------------------------------------------------------------------------

  build(): void {
    clear(this.root);
    this.toastEl = h("div", { class: "toast", role: "status", "aria-live": "polite" });
    this.dialog = h("dialog", { class: "dialog", "aria-labelledby": "dialog-title" });
    this.form = new RequestForm({
      onChange: () => this.changed(),
      onSimulate: () => this.simulate(),
      onLiveChange: (live) => {
        this.state.live = live;
        if (live) this.simulate();
      },
      onManagementAccount: (v) => {
        this.state.managementAccount = v;
        this.changed();
      },
    });
    this.problems = new ProblemsPanel({
      reveal: (id, d) => this.revealDiagnostic(id, d),
      fix: (id, d) => this.fix(id, d),
      rule: (code) => this.showRule(code),
    });
    this.expand = new ExpandPanel();
    this.compare = new CompareView({
      layers: () => sortedLayers(this.state.layers),
      rule: (code) => this.showRule(code),
      openInWorkspace: (sc, _kind, title) => void this.openScenario(sc, `witness for ${title}`),
      changed: () => {
        this.state.compare = this.compare.value;
      },
    });

    const examples = h(
      "select",
      {
        id: "examples",
        "aria-label": "Load an example",
        onchange: () => {
          const ex = exampleById(examplesSel.value);
          examplesSel.value = "";
          if (ex) {
            this.load(ex.build());
            this.toast(`Loaded “${ex.title}”`);
          }
        },
      },
      h("option", { value: "" }, "Examples…"),
      EXAMPLES.map((e) => h("option", { value: e.id, title: e.blurb }, e.title)),
    );
    const examplesSel = examples;
    const fileInput = h("input", {
      type: "file",
      accept: ".json,application/json",
      class: "visually-hidden",
      id: "import-file",
      tabindex: "-1",
      "aria-hidden": "true",
      onchange: () => this.importFile(fileInput),
    });
    this.viewTabs = {
      workspace: h("button", { type: "button", role: "tab", id: "tab-workspace", "aria-selected": "true", "aria-controls": "view-workspace", onclick: () => this.showView("workspace") }, "Simulate"),
      compare: h("button", { type: "button", role: "tab", id: "tab-compare", "aria-selected": "false", "aria-controls": "view-compare", onclick: () => this.showView("compare") }, "Compare"),
    };
    this.shareBox = h("div", { class: "share-box", hidden: true, role: "dialog", "aria-label": "Share link" });

    const header = h(
      "header",
      { class: "topbar" },
      h("div", { class: "brand" }, h("span", { class: "logo", "aria-hidden": "true" }), h("span", { class: "brand-name" }, "iamscope"), h("span", { class: "brand-sub" }, "playground")),
      h("nav", { class: "view-tabs", role: "tablist", "aria-label": "Views" }, this.viewTabs.workspace, this.viewTabs.compare),
      h("div", { class: "spacer" }),
      examples,
      h("button", { type: "button", class: "btn", onclick: () => fileInput.click(), title: "Import a scenario file (the format of iamscope simulate)" }, icon("upload"), "Import"),
      fileInput,
      h("button", { type: "button", class: "btn", onclick: () => this.exportFile(), title: "Export the scenario file for iamscope simulate" }, icon("download"), "Export"),
      h("div", { class: "share-wrap" }, h("button", { type: "button", class: "btn", id: "share-btn", onclick: () => this.share(), "aria-haspopup": "dialog" }, icon("share"), "Share"), this.shareBox),
      h("button", { type: "button", class: "icon-btn theme-btn", id: "theme-btn", onclick: () => this.toggleTheme(), "aria-label": "Toggle dark theme", title: "Light / dark" }, icon("moon"), icon("sun")),
      h("button", { type: "button", class: "icon-btn", onclick: () => this.showKeys(), "aria-label": "Keyboard shortcuts", title: "Keyboard shortcuts" }, icon("keyboard")),
    );

    this.addSel = h(
      "select",
      { id: "add-layer", "aria-label": "Add a layer", onchange: () => this.addLayer(this.addSel.value as LayerType) },
      h("option", { value: "" }, "Add layer…"),
      LAYER_TYPES.map((t) => h("option", { value: t }, LAYER_INFO[t].label)),
    );
    this.layersEl = h("div", { class: "layers", id: "layers" });
    this.resultEl = h("div", { class: "result-host", "aria-live": "polite", id: "result" });
    this.staleEl = h("p", { class: "stale", hidden: true }, "The policies or the request changed: press Simulate (Ctrl+Enter).");

    const sideTab = (key: "result" | "expand", label: string, panel: HTMLElement) => ({
      tab: h("button", { type: "button", role: "tab", id: `side-tab-${key}`, "aria-controls": `side-${key}`, "aria-selected": String(key === "result"), onclick: () => this.showSide(key) }, label),
      panel: Object.assign(panel, { id: `side-${key}` }),
    });
    this.sideTabs = {
      result: sideTab("result", "Request & result", h("div", { role: "tabpanel", "aria-labelledby": "side-tab-result", class: "side-panel" }, this.form.el, this.staleEl, this.resultEl)),
      expand: sideTab("expand", "Wildcard expansion", h("div", { role: "tabpanel", "aria-labelledby": "side-tab-expand", class: "side-panel", hidden: true }, this.expand.el)),
    };

    this.workspaceEl = h(
      "main",
      { class: "workspace", id: "view-workspace", role: "tabpanel", "aria-labelledby": "tab-workspace" },
      h(
        "section",
        { class: "layers-pane", "aria-label": "Policy layers" },
        h("div", { class: "pane-head" }, h("h2", {}, "Policies"), h("span", { class: "pane-sub" }, "in evaluation order"), h("div", { class: "spacer" }), this.addSel),
        this.layersEl,
      ),
      h(
        "section",
        { class: "side-pane", "aria-label": "Request and result" },
        h("div", { class: "side-tabs", role: "tablist", "aria-label": "Request and tools" }, this.sideTabs.result.tab, this.sideTabs.expand.tab),
        this.sideTabs.result.panel,
        this.sideTabs.expand.panel,
      ),
    );
    this.compareEl = h("main", { class: "compare", id: "view-compare", role: "tabpanel", "aria-labelledby": "tab-compare", hidden: true }, this.compare.el);

    const info = catalogInfo();
    const footer = h(
      "footer",
      { class: "footer" },
      h("span", { id: "catalog-version" }, `AWS service catalog ${info.version} · data of ${info.dataDate} · ${info.services} services, ${info.actions.toLocaleString("en")} actions`),
      h("span", {}, `engine ${engineVersion()}`),
      h("span", { class: "spacer" }),
      h("span", { class: "private" }, icon("eye"), "Nothing leaves your browser: no server, no analytics."),
    );

    this.root.append(header, this.workspaceEl, this.compareEl, this.problems.el, footer, this.toastEl, this.dialog);
    this.showSide("result");
    this.showView("workspace");

    document.addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
        e.preventDefault();
        if (!this.compareEl.hidden) this.compare.run();
        else this.simulate();
      } else if (e.key === "Escape" && !this.shareBox.hidden) {
        this.shareBox.hidden = true;
      }
    });
    window.addEventListener("hashchange", () => void this.loadFromHash());
    // Arrow keys move between the tabs of a tab list (and select the tab).
    this.root.addEventListener("keydown", (e) => {
      const tab = e.target instanceof HTMLElement && e.target.getAttribute("role") === "tab" ? e.target : null;
      if (!tab || (e.key !== "ArrowLeft" && e.key !== "ArrowRight")) return;
      const tabs = Array.from(tab.parentElement?.querySelectorAll<HTMLElement>('[role="tab"]') ?? []);
      const next = tabs[(tabs.indexOf(tab) + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      next?.focus();
      next?.click();
      e.preventDefault();
    });
    // A click outside the share box closes it.
    this.root.addEventListener("pointerdown", (e) => {
      if (!this.shareBox.hidden && !e.composedPath().some((n) => n instanceof HTMLElement && n.classList.contains("share-wrap"))) {
        this.shareBox.hidden = true;
      }
    });
  }

  // ---- state -----------------------------------------------------------------------------------

  load(state: PlaygroundState): void {
    this.state = state;
    for (const u of this.ui.values()) u.view.destroy();
    this.ui.clear();
    clear(this.layersEl);
    for (const l of sortedLayers(state.layers)) this.mountLayer(l);
    this.refreshLayerChrome();
    this.form.set(state.request, state.live, state.managementAccount);
    this.compare.set(state.compare);
    this.outcome = undefined;
    clear(this.resultEl);
    this.renderProblems();
    this.simulate();
  }

  private changed(): void {
    if (this.state.live) this.scheduleSimulate();
    else this.staleEl.hidden = this.outcome === undefined;
  }

  private mountLayer(layer: LayerState, focus = false): void {
    const info = LAYER_INFO[layer.type];
    const counts = h("span", { class: "diag-counts" });
    const nameInput = h("input", {
      type: "text",
      class: "layer-name",
      value: layer.name,
      placeholder: info.label,
      spellcheck: "false",
      "aria-label": `Name of this ${info.label}`,
      oninput: () => {
        layer.name = nameInput.value;
        this.scheduleProblems();
        if (this.state.live) this.scheduleSimulate();
      },
    });
    const controls: HTMLElement[] = [];
    if (info.leveled) {
      const sel = h(
        "select",
        {
          class: "layer-level",
          "aria-label": `Organization level of this ${info.short}`,
          onchange: () => {
            layer.level = Number(sel.value);
            this.reorder();
            this.changed();
          },
        },
        LEVEL_LABELS.map((label, i) => h("option", { value: String(i), selected: i === layer.level }, label)),
      );
      controls.push(sel);
    }
    if (layer.type === "resource") {
      const sel = h(
        "select",
        {
          class: "layer-kind",
          "aria-label": "Kind of resource-based policy",
          onchange: () => {
            layer.lintKind = sel.value as PolicyKind;
            relint(ui.view);
          },
        },
        h("option", { value: "resource", selected: layer.lintKind !== "trust" }, "resource policy"),
        h("option", { value: "trust", selected: layer.lintKind === "trust" }, "role trust policy"),
      );
      controls.push(sel);
    }
    const body = h("div", { class: "editor-host" });
    const collapse = h(
      "button",
      {
        type: "button",
        class: "icon-btn collapse-btn",
        "aria-expanded": "true",
        "aria-label": `Collapse ${info.label}`,
        onclick: () => {
          const collapsed = card.classList.toggle("collapsed");
          collapse.setAttribute("aria-expanded", String(!collapsed));
        },
      },
      icon("chevron"),
    );
    const card = h(
      "article",
      { class: `layer-card type-${layer.type}`, dataset: { layerId: layer.id, type: layer.type }, "aria-label": info.label },
      h(
        "header",
        { class: "layer-head" },
        collapse,
        h("span", { class: `badge badge-${layer.type}`, title: info.label }, info.short),
        nameInput,
        ...controls,
        counts,
        h(
          "button",
          {
            type: "button",
            class: "icon-btn",
            title: "Compare this policy with another version",
            "aria-label": `Compare ${layer.name || info.label} with another version`,
            onclick: () => this.compareLayer(layer),
          },
          h("span", { class: "btn-text" }, "Compare"),
        ),
        h(
          "button",
          { type: "button", class: "icon-btn remove-btn", "aria-label": `Remove ${layer.name || info.label}`, title: "Remove this layer", onclick: () => this.removeLayer(layer.id) },
          icon("x"),
        ),
      ),
      body,
    );
    this.layersEl.appendChild(card);
    const view = createPolicyEditor({
      parent: body,
      doc: layer.text,
      label: `${info.label}${layer.name ? ` ${layer.name}` : ""}`,
      kind: () => layer.lintKind,
      onChange: (text) => {
        layer.text = text;
        this.changed();
      },
      onDiagnostics: (diags) => {
        ui.diags = diags;
        this.updateCounts(ui);
        this.scheduleProblems();
        if (!this.firstLint) {
          this.firstLint = true;
          performance.mark("iamscope:first-lint");
          document.documentElement.dataset.firstLint = String(Math.round(performance.now()));
        }
      },
      onSelection: (v) => this.scheduleExpand(v),
      onRule: (code) => this.showRule(code),
      onSimulate: () => this.simulate(),
    });
    const ui: LayerUi = { layer, card, view, diags: [], counts };
    this.ui.set(layer.id, ui);
    if (focus) {
      card.scrollIntoView({ block: "nearest" });
      view.focus();
    }
  }

  private updateCounts(ui: LayerUi): void {
    clear(ui.counts);
    const e = ui.diags.filter((d) => d.findingType === "ERROR").length;
    const w = ui.diags.length - e;
    if (e) ui.counts.appendChild(h("span", { class: "count ft-ERROR" }, `${e} error${e > 1 ? "s" : ""}`));
    if (w) ui.counts.appendChild(h("span", { class: "count ft-WARNING" }, `${w} warning${w > 1 ? "s" : ""}`));
  }

  private reorder(): void {
    for (const l of sortedLayers(this.state.layers)) {
      const u = this.ui.get(l.id);
      if (u) this.layersEl.appendChild(u.card);
    }
    this.renderProblems();
  }

  private refreshLayerChrome(): void {
    const present = new Set(this.state.layers.map((l) => l.type));
    for (const opt of Array.from(this.addSel.options)) {
      const t = opt.value as LayerType;
      if (t) opt.disabled = LAYER_INFO[t].single && present.has(t);
    }
    if (!this.state.layers.length) {
      if (!this.layersEl.querySelector(".layers-empty")) {
        this.layersEl.appendChild(h("p", { class: "layers-empty empty" }, "No policy yet: add a layer, or load an example."));
      }
    } else {
      this.layersEl.querySelector(".layers-empty")?.remove();
    }
  }

  private addLayer(type: LayerType): void {
    this.addSel.value = "";
    if (!type) return;
    const info = LAYER_INFO[type];
    const sameType = this.state.layers.filter((l) => l.type === type);
    const level = info.leveled ? (sameType.length ? 4 : 0) : 0;
    const layer: LayerState = {
      id: newId(),
      type,
      name: `${info.short.toLowerCase().replace(/ /g, "-")}-${sameType.length + 1}`,
      level,
      lintKind: info.kind,
      text: JSON.stringify(TEMPLATES[type], null, 2),
    };
    this.state.layers.push(layer);
    this.mountLayer(layer, true);
    this.reorder();
    this.refreshLayerChrome();
    this.changed();
  }

  private removeLayer(id: string): void {
    const u = this.ui.get(id);
    if (!u) return;
    u.view.destroy();
    u.card.remove();
    this.ui.delete(id);
    this.state.layers = this.state.layers.filter((l) => l.id !== id);
    this.refreshLayerChrome();
    this.renderProblems();
    this.changed();
    this.toast(`Removed ${u.layer.name || LAYER_INFO[u.layer.type].label}`);
    this.addSel.focus();
  }

  // ---- problems --------------------------------------------------------------------------------

  private renderProblems(): void {
    this.problems.render(
      sortedLayers(this.state.layers)
        .map((l) => this.ui.get(l.id))
        .filter((u): u is LayerUi => Boolean(u))
        .map((u) => ({ id: u.layer.id, title: u.layer.name || LAYER_INFO[u.layer.type].short, diags: u.diags })),
    );
  }

  private revealDiagnostic(id: string, d: Diagnostic): void {
    const u = this.ui.get(id);
    if (!u) return;
    this.expandCard(u);
    u.view.dispatch({ selection: { anchor: d.range.start.offset, head: d.range.end.offset }, scrollIntoView: true });
    u.view.focus();
  }

  private fix(id: string, d: Diagnostic): void {
    const u = this.ui.get(id);
    if (!u) return;
    if (applyFix(u.view, u.layer.lintKind, d)) {
      relint(u.view);
      this.toast(`Applied: ${d.fix?.title ?? d.code}`);
    } else {
      this.toast("That fix no longer applies to the current text");
    }
  }

  // ---- simulation ------------------------------------------------------------------------------

  simulate(): void {
    this.scheduleSimulate.flush();
    const built = buildScenario(this.state, "text");
    const req = built.scenario.request;
    clear(this.resultEl);
    this.staleEl.hidden = true;
    if (!req.principal || !req.action || !req.resource) {
      this.outcome = undefined;
      this.clearHighlights();
      this.resultEl.appendChild(h("p", { class: "empty" }, "Fill in the principal, the action and the resource to simulate a request."));
      return;
    }
    const t0 = performance.now();
    const outcome = simulate(built.scenario);
    const ms = performance.now() - t0;
    this.outcome = outcome;
    const cb = {
      layerOf: (id: string) => this.state.layers.find((l) => l.id === id),
      reveal: (id: string, hl: Highlight[]) => this.reveal(id, hl),
      addContextKey: (k: string) => {
        this.form.addRow(k);
      },
    };
    if (built.ignored.length) {
      this.resultEl.appendChild(
        h("p", { class: "warnings" }, `Only one policy per layer is evaluated for ${built.ignored.map((l) => LAYER_INFO[l.type].label.toLowerCase()).join(", ")}: ${built.ignored.map((l) => l.name).join(", ")} ignored.`),
      );
    }
    this.resultEl.appendChild(renderOutcome(outcome, built, cb));
    this.resultEl.appendChild(h("p", { class: "timing" }, `evaluated in ${ms < 1 ? ms.toFixed(2) : ms.toFixed(1)} ms`));
    this.clearHighlights();
    if (outcome.decision !== null) {
      for (const [id, hl] of decidingHighlights(outcome, built)) {
        const u = this.ui.get(id);
        if (u) showHighlights(u.view, hl, false);
      }
    }
  }

  private clearHighlights(): void {
    for (const u of this.ui.values()) showHighlights(u.view, [], false);
  }

  private expandCard(u: LayerUi): void {
    if (u.card.classList.contains("collapsed")) {
      u.card.classList.remove("collapsed");
      u.card.querySelector(".collapse-btn")?.setAttribute("aria-expanded", "true");
    }
  }

  private reveal(id: string, hl: Highlight[]): void {
    const u = this.ui.get(id);
    if (!u) return;
    this.showView("workspace");
    this.expandCard(u);
    u.card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    showHighlights(u.view, hl, true);
    u.card.classList.add("flash");
    setTimeout(() => u.card.classList.remove("flash"), 900);
  }

  /** Opens a scenario in a new tab (through a share link), keeping this workspace as it is. */
  private async openScenario(sc: Scenario, title: string): Promise<void> {
    const state = stateFromScenario(sc, inferKind);
    const frag = await encodeShare(state);
    const w = window.open(`${location.pathname}${location.search}#${frag}`, "_blank");
    if (w) {
      w.opener = null;
    } else {
      // Pop-ups blocked: open it here instead.
      this.load(state);
      this.showView("workspace");
    }
    this.toast(`Opened: ${title}`);
  }

  // ---- expansion -------------------------------------------------------------------------------

  private expandFromEditor(view: EditorView): void {
    const sel = view.state.selection.main;
    if (sel.empty) return;
    const text = view.state.sliceDoc(sel.from, sel.to).trim().replace(/^"|"$/g, "");
    if (!/^[A-Za-z0-9-]+:[A-Za-z0-9*?]*$/.test(text) || !/[*?]/.test(text)) return;
    if (this.expand.run(text) > 0) this.showSide("expand");
  }

  private showSide(key: "result" | "expand"): void {
    for (const [k, v] of Object.entries(this.sideTabs)) {
      v.tab.setAttribute("aria-selected", String(k === key));
      v.tab.tabIndex = k === key ? 0 : -1;
      v.panel.hidden = k !== key;
    }
  }

  private showView(key: "workspace" | "compare"): void {
    this.viewTabs.workspace.setAttribute("aria-selected", String(key === "workspace"));
    this.viewTabs.compare.setAttribute("aria-selected", String(key === "compare"));
    this.viewTabs.workspace.tabIndex = key === "workspace" ? 0 : -1;
    this.viewTabs.compare.tabIndex = key === "compare" ? 0 : -1;
    this.workspaceEl.hidden = key !== "workspace";
    this.compareEl.hidden = key !== "compare";
    this.problems.el.hidden = key !== "workspace";
    if (key === "compare") this.compare.mount();
  }

  private compareLayer(layer: LayerState): void {
    this.compare.setKind(layer.lintKind);
    this.compare.load("old", layer.text);
    this.compare.load("new", layer.text);
    this.showView("compare");
    this.toast("Edit the new version on the right; the access it adds or removes appears below");
  }

  // ---- share, import, export ------------------------------------------------------------------

  private async share(): Promise<void> {
    if (!this.shareBox.hidden) {
      this.shareBox.hidden = true;
      return;
    }
    this.state.compare = this.compare.value;
    const frag = await encodeShare(this.state);
    const url = `${location.origin}${location.pathname}${location.search}#${frag}`;
    this.lastShared = `#${frag}`;
    history.replaceState(null, "", `#${frag}`);
    const input = h("input", { type: "text", readonly: true, value: url, class: "mono", id: "share-url", "aria-label": "Share link" });
    clear(this.shareBox);
    this.shareBox.append(
      h("p", {}, `The whole scenario is in the link's fragment (${frag.length.toLocaleString("en")} characters), which browsers never send to a server.`),
      h(
        "div",
        { class: "share-row" },
        input,
        h(
          "button",
          {
            type: "button",
            class: "btn btn-primary",
            onclick: async () => {
              input.select();
              try {
                await navigator.clipboard.writeText(url);
                this.toast("Link copied");
              } catch {
                this.toast("Press Ctrl+C to copy the selected link");
              }
            },
          },
          "Copy",
        ),
      ),
    );
    this.shareBox.hidden = false;
    input.focus();
    input.select();
  }

  private async loadFromHash(): Promise<boolean> {
    if (!location.hash.startsWith("#s=")) return false;
    if (location.hash === this.lastShared) return true;
    try {
      this.lastShared = location.hash;
      this.load(await decodeShare(location.hash));
      this.toast("Loaded the shared scenario");
      return true;
    } catch (e) {
      this.toast(e instanceof Error ? e.message : String(e));
      return false;
    }
  }

  private exportFile(): void {
    const { scenario } = buildScenario(this.state, "object");
    const blob = new Blob([JSON.stringify(scenario, null, 2) + "\n"], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: "scenario.json" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    this.toast("Exported scenario.json (run it with: iamscope simulate scenario.json)");
  }

  private async importFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    try {
      const doc: unknown = JSON.parse(await file.text());
      const state = stateFromScenario(doc, inferKind);
      this.load(state);
      this.toast(`Imported ${file.name}`);
    } catch (e) {
      const msg = e instanceof ImportError || e instanceof SyntaxError ? e.message : String(e);
      this.toast(`Cannot import ${file.name}: ${msg}`);
    }
  }

  // ---- dialogs, theme, toast -------------------------------------------------------------------

  private openDialog(title: string, body: Node, extra?: Node): void {
    clear(this.dialog);
    this.dialog.append(
      h(
        "div",
        { class: "dialog-head" },
        h("h2", { id: "dialog-title" }, title),
        h("button", { type: "button", class: "icon-btn", "aria-label": "Close", onclick: () => this.dialog.close() }, icon("x")),
      ),
      h("div", { class: "dialog-body" }, body),
    );
    if (extra) this.dialog.append(extra);
    this.dialog.showModal();
  }

  showRule(code: string): void {
    const r = rule(code);
    if (!r) {
      this.openDialog(code, h("p", {}, "No documentation for this code."));
      return;
    }
    this.openDialog(
      r.code,
      renderMarkdown(r.docs.replace(/^# .*\n/, ""), "md rule-doc"),
      h(
        "div",
        { class: "dialog-foot" },
        h("span", { class: `ft ft-${r.findingType}` }, r.findingType.replace("_", " ")),
        h("span", { class: "muted" }, r.summary),
        h("a", { href: r.url, target: "_blank", rel: "noreferrer noopener" }, "Open the page"),
      ),
    );
  }

  private showKeys(): void {
    const rows: [string, string][] = [
      ["Ctrl/⌘ + Enter", "Simulate (Compare in the compare view)"],
      ["Ctrl + Space", "Complete actions, condition keys, operators, elements"],
      ["F8 / Shift + F8", "Next / previous problem in the editor"],
      ["Ctrl/⌘ + .", "Quick fixes at the cursor (lint panel: Ctrl/⌘ + Shift + M)"],
      ["Ctrl/⌘ + F", "Find in the editor"],
      ["Tab / Shift + Tab", "Move between controls (editors do not capture Tab)"],
      ["Escape", "Close a popup"],
    ];
    this.openDialog(
      "Keyboard",
      h("table", { class: "keys" }, h("tbody", {}, rows.map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, h("kbd", {}, k)), h("td", {}, v))))),
    );
  }

  toggleTheme(): void {
    const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    this.root.dataset.theme = next;
    try {
      localStorage.setItem("iamscope-theme", next);
    } catch {
      /* private mode */
    }
  }

  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  toast(msg: string): void {
    this.toastEl.textContent = msg;
    this.toastEl.classList.add("show");
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => this.toastEl.classList.remove("show"), 3500);
  }

  /** The scenario file for the current state (for the tests and the console). */
  scenario(): Scenario {
    return buildScenario(this.state, "text").scenario;
  }

  async start(): Promise<void> {
    if (!(await this.loadFromHash())) this.load(EXAMPLES[0].build());
  }
}

function initialTheme(): void {
  let theme: string | null = null;
  try {
    theme = localStorage.getItem("iamscope-theme");
  } catch {
    theme = null;
  }
  const q = new URLSearchParams(location.search).get("theme");
  if (q === "dark" || q === "light") theme = q;
  theme ??= matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  document.documentElement.dataset.theme = theme;
}

/**
 * The app lives in a shadow root whose styles are constructed style sheets: CodeMirror's style
 * modules use those there (in a document they write a <style> element, which the CSP forbids).
 */
function appRoot(): HTMLElement {
  const host = document.getElementById("app")!;
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(appCss);
  shadow.adoptedStyleSheets = [sheet];
  const root = document.createElement("div");
  root.className = "app";
  root.dataset.theme = document.documentElement.dataset.theme;
  shadow.appendChild(root);
  host.removeAttribute("aria-busy");
  return root;
}

async function main(): Promise<void> {
  initialTheme();
  const root = appRoot();
  root.appendChild(h("div", { class: "boot", role: "status" }, "Loading the iamscope engine…"));
  try {
    await initEngine();
    performance.mark("iamscope:engine-ready");
  } catch (e) {
    root.textContent = `The iamscope engine could not start: ${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  const app = new App(root);
  app.build();
  await app.start();
  document.documentElement.dataset.ready = "true";
  // For the end-to-end tests and the console: the state is the page's, nothing is sent anywhere.
  (window as unknown as { iamscopePlayground: unknown }).iamscopePlayground = { app, keyType };
}

void main();
