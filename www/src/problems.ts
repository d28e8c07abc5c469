// The problems panel: every editor's diagnostics, with codes that open the rule's documentation,
// a jump to the place, and the quick fix when the engine offers one.

import { h, clear } from "./dom";
import type { Diagnostic } from "./engine";

export interface ProblemSource {
  id: string;
  title: string;
  diags: Diagnostic[];
}

export interface ProblemsCallbacks {
  reveal(sourceId: string, d: Diagnostic): void;
  fix(sourceId: string, d: Diagnostic): void;
  rule(code: string): void;
}

const ORDER = ["ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"];
const LABEL: Record<string, string> = { ERROR: "error", SECURITY_WARNING: "security", WARNING: "warning", SUGGESTION: "suggestion" };

export class ProblemsPanel {
  readonly el: HTMLElement;
  private list: HTMLElement;
  private counts: HTMLElement;
  private toggle: HTMLButtonElement;

  constructor(private cb: ProblemsCallbacks) {
    this.counts = h("span", { class: "problem-counts", "aria-live": "polite" });
    this.list = h("div", { class: "problem-list", role: "table", "aria-label": "Problems" });
    this.toggle = h(
      "button",
      {
        type: "button",
        class: "panel-toggle",
        "aria-expanded": "true",
        "aria-controls": "problems-list",
        onclick: () => {
          const open = this.el.classList.toggle("collapsed") === false;
          this.toggle.setAttribute("aria-expanded", String(open));
        },
      },
      h("span", { class: "panel-title" }, "Problems"),
      this.counts,
    );
    this.list.id = "problems-list";
    this.el = h("section", { class: "problems", "aria-label": "Problems" }, h("div", { class: "panel-head" }, this.toggle), this.list);
  }

  render(sources: ProblemSource[]): void {
    clear(this.list);
    const tally: Record<string, number> = {};
    let total = 0;
    for (const s of sources) {
      for (const d of s.diags) {
        tally[d.findingType] = (tally[d.findingType] ?? 0) + 1;
        total++;
      }
    }
    clear(this.counts);
    if (!total) this.counts.appendChild(h("span", { class: "count-none" }, "none"));
    for (const ft of ORDER) {
      if (tally[ft]) this.counts.appendChild(h("span", { class: `count ft-${ft}` }, `${tally[ft]} ${LABEL[ft]}${tally[ft] > 1 && ft !== "SECURITY_WARNING" ? "s" : ""}`));
    }
    if (!total) {
      this.list.appendChild(h("p", { class: "empty" }, "No problems in any policy."));
      return;
    }
    for (const s of sources) {
      for (const d of s.diags) {
        this.list.appendChild(
          h(
            "div",
            { class: `problem ft-${d.findingType}`, role: "row", dataset: { code: d.code, source: s.id } },
            h("span", { class: `sev sev-${d.findingType}`, role: "cell", title: d.findingType, "aria-label": d.findingType }),
            h(
              "span",
              { role: "cell", class: "code-cell" },
              h("button", { type: "button", class: "code-link", title: "Open the rule's documentation", onclick: () => this.cb.rule(d.code) }, d.code),
            ),
            h(
              "span",
              { role: "cell", class: "msg-cell" },
              h("button", { type: "button", class: "msg-link", title: d.help ? `${d.message}\n\n${d.help}` : d.message, onclick: () => this.cb.reveal(s.id, d) }, d.message),
            ),
            h("span", { role: "cell", class: "where" }, `${s.title} · ${d.range.start.line + 1}:${d.range.start.column + 1}`),
            h(
              "span",
              { role: "cell", class: "fix-cell" },
              d.fix
                ? h(
                    "button",
                    {
                      type: "button",
                      class: `btn btn-small btn-fix${d.fix.safe ? "" : " unsafe"}`,
                      title: d.fix.safe ? "Apply the fix" : "Apply the fix (review it: it may change access)",
                      onclick: () => this.cb.fix(s.id, d),
                    },
                    `Fix: ${d.fix.title}`,
                  )
                : null,
            ),
          ),
        );
      }
    }
  }
}
