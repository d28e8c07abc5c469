// The request form: principal, action (completed from the catalog), resource, context keys with
// typed values (completed from the catalog; the key's type comes from the catalog too).

import { h, clear, icon, debounce } from "./dom";
import { completions, describeAction, expandAction, hover } from "./engine";
import { VALUE_TYPES, type ContextRow, type RequestState, type ValueType } from "./state";

export interface RequestFormCallbacks {
  onChange(): void;
  onSimulate(): void;
  onLiveChange(live: boolean): void;
  onManagementAccount(v: string): void;
}

const PLACEHOLDER: Record<ValueType, string> = {
  String: "value",
  ARN: "arn:aws:…",
  Numeric: "42",
  Date: "2026-11-28T12:00:00Z",
  Bool: "",
  IPAddress: "203.0.113.7",
  Binary: "base64",
};

let uid = 0;

/** Engine completions for a string typed in a synthetic policy (the action, or a condition key). */
function fillDatalist(list: HTMLDataListElement, prefixText: string, typed: string, suffix: string): void {
  const text = prefixText + typed + suffix;
  let items: { label: string; detail?: string; insertText: string }[] = [];
  try {
    items = completions(text, prefixText.length + typed.length).items;
  } catch {
    items = [];
  }
  clear(list);
  for (const it of items.slice(0, 300)) {
    list.appendChild(h("option", { value: it.insertText }, it.detail ? `${it.label} — ${it.detail}` : it.label));
  }
}

/** The catalog's type of a condition key (via the engine's hover), or undefined. */
export function keyType(key: string, action: string): { type: ValueType; multi: boolean } | undefined {
  if (!key) return undefined;
  const prefix = `{"Statement":[{"Action":${JSON.stringify(action || "*")},"Condition":{"StringEquals":{`;
  const text = `${prefix}${JSON.stringify(key)}:""}}}]}`;
  const info = hover(text, prefix.length + 1);
  const t = info?.conditionKey?.type;
  if (!t) return undefined;
  const multi = t.startsWith("ArrayOf");
  const base = t.replace(/^ArrayOf/, "");
  const type: ValueType =
    base === "Long" || base === "Integer" || base === "Numeric"
      ? "Numeric"
      : (VALUE_TYPES as string[]).includes(base)
        ? (base as ValueType)
        : "String";
  return { type, multi };
}

export class RequestForm {
  readonly el: HTMLElement;
  private req!: RequestState;
  private live = true;
  private mgmt = "";
  private rowsEl: HTMLElement;
  private fields: Record<"principal" | "action" | "resource" | "resourceAccount", HTMLInputElement>;
  private liveBox: HTMLInputElement;
  private mgmtInput: HTMLInputElement;
  private actionList: HTMLDataListElement;
  private keyList: HTMLDataListElement;
  private actionInfo: HTMLElement;

  constructor(private cb: RequestFormCallbacks) {
    const id = `rq${++uid}`;
    this.actionList = h("datalist", { id: `${id}-actions` });
    this.keyList = h("datalist", { id: `${id}-keys` });
    const input = (name: keyof RequestForm["fields"], label: string, placeholder: string, extra: Record<string, unknown> = {}) => {
      const el = h("input", {
        id: `${id}-${name}`,
        name,
        type: "text",
        spellcheck: "false",
        autocomplete: "off",
        placeholder,
        class: "mono",
        ...extra,
        oninput: () => {
          this.req[name] = el.value;
          if (name === "action") this.refreshActions();
          this.cb.onChange();
        },
      });
      return { el, row: h("label", { class: "field", for: el.id }, h("span", { class: "field-label" }, label), el) };
    };
    const principal = input("principal", "Principal", "arn:aws:iam::111122223333:role/name");
    const action = input("action", "Action", "s3:GetObject", { list: this.actionList.id, "aria-describedby": `${id}-action-info` });
    this.actionInfo = h("div", { class: "action-info", id: `${id}-action-info`, "aria-live": "polite" });
    const resource = input("resource", "Resource", "arn:aws:s3:::bucket/key or *");
    const resourceAccount = input("resourceAccount", "Resource account", "from the ARN when it names one");
    this.fields = { principal: principal.el, action: action.el, resource: resource.el, resourceAccount: resourceAccount.el };
    this.refreshActions = debounce(this.refreshActions.bind(this), 60);

    this.mgmtInput = h("input", {
      id: `${id}-mgmt`,
      type: "text",
      class: "mono",
      placeholder: "none",
      spellcheck: "false",
      oninput: () => {
        this.mgmt = this.mgmtInput.value;
        this.cb.onManagementAccount(this.mgmt);
      },
    });
    this.rowsEl = h("div", { class: "ctx-rows", role: "group", "aria-label": "Context keys" });
    this.liveBox = h("input", {
      type: "checkbox",
      id: `${id}-live`,
      onchange: () => {
        this.live = this.liveBox.checked;
        this.cb.onLiveChange(this.live);
      },
    });

    this.el = h(
      "form",
      {
        class: "request-form",
        "aria-label": "Request",
        onsubmit: (e: Event) => {
          e.preventDefault();
          this.cb.onSimulate();
        },
      },
      principal.row,
      action.row,
      this.actionInfo,
      resource.row,
      this.actionList,
      this.keyList,
      h(
        "fieldset",
        { class: "ctx" },
        h("legend", {}, "Context keys"),
        this.rowsEl,
        h(
          "button",
          { type: "button", class: "btn btn-small", onclick: () => this.addRow(), "aria-label": "Add a context key" },
          icon("plus"),
          "Add key",
        ),
      ),
      h(
        "details",
        { class: "more-fields" },
        h("summary", {}, "Accounts"),
        resourceAccount.row,
        h("label", { class: "field", for: this.mgmtInput.id }, h("span", { class: "field-label" }, "Management account"), this.mgmtInput),
      ),
      h(
        "div",
        { class: "form-actions" },
        h("button", { type: "submit", class: "btn btn-primary", id: "simulate-btn", title: "Simulate (Ctrl+Enter)" }, icon("play"), "Simulate"),
        h("kbd", { class: "hint" }, "Ctrl", "+", "Enter"),
        h("label", { class: "live", for: this.liveBox.id }, this.liveBox, " Live"),
      ),
    );
  }

  set(req: RequestState, live: boolean, managementAccount: string): void {
    this.req = req;
    this.live = live;
    this.mgmt = managementAccount;
    for (const k of Object.keys(this.fields) as (keyof RequestForm["fields"])[]) this.fields[k].value = req[k];
    this.liveBox.checked = live;
    this.mgmtInput.value = managementAccount;
    this.renderRows();
    this.refreshActions();
  }

  focusAction(): void {
    this.fields.action.focus();
  }

  private refreshActions(): void {
    fillDatalist(this.actionList, `{"Statement":[{"Action":"`, this.req.action, `"}]}`);
    // What the catalog says about the action (or that it does not know it).
    const name = this.req.action.trim();
    clear(this.actionInfo);
    if (!name) return;
    const a = /[*?]/.test(name) ? undefined : describeAction(name);
    if (a) {
      this.actionInfo.append(
        h("span", { class: `level level-${a.accessLevel.split(" ")[0].toLowerCase()}` }, a.accessLevelRaw || a.accessLevel),
        ` ${a.serviceName} · `,
        resourceSummary(a.resourceTypes.map((r) => r.name)),
      );
    } else if (/[*?]/.test(name)) {
      this.actionInfo.append("a request names one action; this pattern matches ", String(expandAction(name).length), " (see Wildcard expansion)");
    } else if (name.includes(":")) {
      this.actionInfo.append(h("span", { class: "unknown" }, "not an action of the service catalog"));
    }
  }

  private refreshKeys(typed: string): void {
    fillDatalist(
      this.keyList,
      `{"Statement":[{"Action":${JSON.stringify(this.req.action || "*")},"Condition":{"StringEquals":{"`,
      typed,
      `":""}}}]}`,
    );
  }

  /** Adds a context key row (typed from the catalog when it knows the key). */
  addRow(key = ""): void {
    const found = keyType(key, this.req.action);
    const row: ContextRow = { key, type: found?.type ?? "String", multi: found?.multi ?? false, values: [found?.type === "Bool" ? "true" : ""] };
    this.req.context.push(row);
    this.renderRows();
    const inputs = this.rowsEl.querySelectorAll<HTMLInputElement>(key ? ".ctx-value" : ".ctx-key");
    inputs[inputs.length - 1]?.focus();
    this.cb.onChange();
  }

  private renderRows(): void {
    clear(this.rowsEl);
    if (!this.req.context.length) {
      this.rowsEl.appendChild(h("p", { class: "empty" }, "No context keys: conditions on absent keys are evaluated as AWS does."));
    }
    this.req.context.forEach((row, i) => this.rowsEl.appendChild(this.rowEl(row, i)));
  }

  private rowEl(row: ContextRow, index: number): HTMLElement {
    const changed = () => this.cb.onChange();
    const keyInput = h("input", {
      type: "text",
      class: "ctx-key mono",
      value: row.key,
      placeholder: "aws:SourceIp",
      list: this.keyList.id,
      spellcheck: "false",
      autocomplete: "off",
      "aria-label": `Context key ${index + 1}`,
      onfocus: () => this.refreshKeys(row.key),
      oninput: () => {
        row.key = keyInput.value;
        this.refreshKeys(row.key);
        changed();
      },
      onchange: () => {
        const found = keyType(row.key, this.req.action);
        if (found && (found.type !== row.type || found.multi !== row.multi)) {
          row.type = found.type;
          row.multi = row.multi || found.multi;
          if (row.type === "Bool") row.values = row.values.map((v) => (v === "false" ? "false" : "true"));
          this.renderRows();
          changed();
        }
      },
    });
    const typeSel = h(
      "select",
      {
        class: "ctx-type",
        "aria-label": `Type of context key ${index + 1}`,
        onchange: () => {
          row.type = typeSel.value as ValueType;
          if (row.type === "Bool") row.values = row.values.map((v) => (v === "false" ? "false" : "true"));
          this.renderRows();
          changed();
        },
      },
      VALUE_TYPES.map((t) => h("option", { value: t, selected: t === row.type }, t)),
    );
    const valueEl = (v: string, vi: number): HTMLElement => {
      const label = `Value ${vi + 1} of context key ${index + 1}`;
      if (row.type === "Bool") {
        const sel = h(
          "select",
          { class: "ctx-value", "aria-label": label, onchange: () => ((row.values[vi] = sel.value), changed()) },
          h("option", { value: "true", selected: v !== "false" }, "true"),
          h("option", { value: "false", selected: v === "false" }, "false"),
        );
        return sel;
      }
      const inp = h("input", {
        type: "text",
        class: "ctx-value mono",
        value: v,
        placeholder: PLACEHOLDER[row.type],
        inputmode: row.type === "Numeric" ? "decimal" : undefined,
        spellcheck: "false",
        autocomplete: "off",
        "aria-label": label,
        oninput: () => {
          row.values[vi] = inp.value;
          inp.classList.toggle("invalid", !validValue(row.type, inp.value));
          changed();
        },
      });
      inp.classList.toggle("invalid", !validValue(row.type, v));
      return inp;
    };
    const valuesEl = h(
      "div",
      { class: "ctx-values" },
      row.values.map((v, vi) =>
        h(
          "span",
          { class: "ctx-value-wrap" },
          valueEl(v, vi),
          row.values.length > 1
            ? h(
                "button",
                {
                  type: "button",
                  class: "icon-btn",
                  "aria-label": `Remove value ${vi + 1} of context key ${index + 1}`,
                  onclick: () => {
                    row.values.splice(vi, 1);
                    this.renderRows();
                    changed();
                  },
                },
                icon("x"),
              )
            : null,
        ),
      ),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-small btn-ghost",
          title: "Add a value (the key becomes multi-valued)",
          "aria-label": `Add a value to context key ${index + 1}`,
          onclick: () => {
            row.multi = true;
            row.values.push(row.type === "Bool" ? "true" : "");
            this.renderRows();
            const vs = this.rowsEl.querySelectorAll<HTMLElement>(`.ctx-row[data-index="${index}"] .ctx-value`);
            vs[vs.length - 1]?.focus();
            changed();
          },
        },
        "+ value",
      ),
      row.multi ? h("span", { class: "multi-tag", title: "Sent as a list of values" }, "multi-valued") : null,
    );
    return h(
      "div",
      { class: "ctx-row", dataset: { index: String(index) } },
      keyInput,
      typeSel,
      valuesEl,
      h(
        "button",
        {
          type: "button",
          class: "icon-btn",
          "aria-label": `Remove context key ${index + 1}`,
          onclick: () => {
            this.req.context.splice(index, 1);
            this.renderRows();
            changed();
          },
        },
        icon("x"),
      ),
    );
  }
}

/** A light check of a value's shape for its type (the engine decides; this only marks the field). */
function validValue(type: ValueType, v: string): boolean {
  if (v === "") return true;
  switch (type) {
    case "Numeric":
      return /^-?\d+(\.\d+)?$/.test(v.trim());
    case "Date":
      return /^\d{4}-\d{2}-\d{2}/.test(v) || /^\d+$/.test(v);
    case "IPAddress":
      return /^[0-9a-fA-F:.]+(\/\d+)?$/.test(v);
    case "ARN":
      return v.startsWith("arn:");
    default:
      return true;
  }
}

function resourceSummary(names: string[]): HTMLElement {
  const text = !names.length || (names.length === 1 && names[0] === "*")
    ? "resource: *"
    : names.length <= 3
      ? `resource types: ${names.join(", ")}`
      : `resource types: ${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
  return h("span", { title: names.join(", ") }, text);
}
