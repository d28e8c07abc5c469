// Wildcard expansion: every action an `Action` pattern grants, with its access level, resource
// types and condition keys (the catalog's answer through the engine).

import { h, clear, debounce } from "./dom";
import { expandAction, type ActionInfo } from "./engine";

const LEVELS = ["List", "Read", "Write", "Permissions management", "Tagging"];
const PAGE = 400;

export class ExpandPanel {
  readonly el: HTMLElement;
  private input: HTMLInputElement;
  private summary: HTMLElement;
  private table: HTMLElement;
  private filter: string | null = null;
  private actions: ActionInfo[] = [];
  private shown = PAGE;

  constructor() {
    this.input = h("input", {
      type: "search",
      class: "mono",
      id: "expand-input",
      placeholder: "s3:Get*",
      spellcheck: "false",
      autocomplete: "off",
      "aria-label": "Action pattern to expand",
      oninput: debounce(() => this.run(this.input.value), 120),
    });
    this.summary = h("div", { class: "expand-summary", "aria-live": "polite" });
    this.table = h("div", { class: "expand-table" });
    this.el = h(
      "section",
      { class: "expand-panel", "aria-label": "Wildcard expansion" },
      h(
        "p",
        { class: "hint-text" },
        "Select an action pattern such as ",
        h("code", {}, "s3:Get*"),
        " in an editor, or type one here, to see every action it grants.",
      ),
      h("label", { class: "field", for: "expand-input" }, h("span", { class: "field-label" }, "Pattern"), this.input),
      this.summary,
      this.table,
    );
  }

  /** Expands `pattern`; returns how many actions it matches. */
  run(pattern: string): number {
    pattern = pattern.trim().replace(/^"|"$/g, "");
    if (this.input.value !== pattern) this.input.value = pattern;
    this.filter = null;
    this.shown = PAGE;
    this.actions = pattern ? safeExpand(pattern) : [];
    this.render(pattern);
    return this.actions.length;
  }

  private render(pattern: string): void {
    clear(this.summary);
    clear(this.table);
    if (!pattern) return;
    if (!this.actions.length) {
      this.summary.appendChild(h("p", { class: "empty" }, h("code", {}, pattern), " matches no action of the catalog."));
      return;
    }
    const byLevel = new Map<string, number>();
    for (const a of this.actions) byLevel.set(a.accessLevel, (byLevel.get(a.accessLevel) ?? 0) + 1);
    this.summary.appendChild(
      h(
        "div",
        { class: "level-chips", role: "group", "aria-label": "Filter by access level" },
        h("strong", { class: "expand-count" }, `${this.actions.length} action${this.actions.length === 1 ? "" : "s"}`),
        LEVELS.filter((l) => byLevel.has(l)).map((l) =>
          h(
            "button",
            {
              type: "button",
              class: `chip chip-level level-${l.split(" ")[0].toLowerCase()}${this.filter === l ? " active" : ""}`,
              "aria-pressed": String(this.filter === l),
              onclick: () => {
                this.filter = this.filter === l ? null : l;
                this.shown = PAGE;
                this.render(pattern);
              },
            },
            `${l} ${byLevel.get(l)}`,
          ),
        ),
      ),
    );
    const rows = this.actions.filter((a) => !this.filter || a.accessLevel === this.filter);
    const table = h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Action"), h("th", { scope: "col" }, "Access level"), h("th", { scope: "col" }, "Resource types"), h("th", { scope: "col" }, "Condition keys"))),
      h(
        "tbody",
        {},
        rows.slice(0, this.shown).map((a) =>
          h(
            "tr",
            {},
            h("td", { class: "mono" }, a.name),
            h("td", {}, h("span", { class: `level level-${a.accessLevel.split(" ")[0].toLowerCase()}` }, a.accessLevelRaw || a.accessLevel)),
            h(
              "td",
              { class: "mono small" },
              a.resourceTypes.map((r, i) => [i ? ", " : "", r.name === "*" ? "*" : r.name, r.required && r.name !== "*" ? "*" : ""]),
            ),
            h("td", { class: "mono small", title: a.conditionKeys.map((k) => k.name).join("\n") }, a.conditionKeys.length ? a.conditionKeys.map((k) => k.name).join(", ") : "—"),
          ),
        ),
      ),
    );
    this.table.appendChild(table);
    if (rows.length > this.shown) {
      this.table.appendChild(
        h(
          "button",
          { type: "button", class: "btn btn-small", onclick: () => ((this.shown += PAGE * 5), this.render(pattern)) },
          `Show more (${rows.length - this.shown} left)`,
        ),
      );
    }
    this.table.appendChild(h("p", { class: "hint-text" }, "Resource types marked * are required by the action."));
  }
}

function safeExpand(pattern: string): ActionInfo[] {
  try {
    return expandAction(pattern);
  } catch {
    return [];
  }
}
