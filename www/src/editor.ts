// The policy editor: CodeMirror 6 with JSON, the engine's diagnostics (underlines, gutter markers,
// quick fixes), completions and hover, and a highlight for the statement and condition that decided
// a simulation.

import { EditorState, type Extension, StateEffect, StateField, RangeSetBuilder, Prec } from "@codemirror/state";
import {
  EditorView,
  Decoration,
  type DecorationSet,
  keymap,
  lineNumbers,
  highlightActiveLineGutter,
  highlightActiveLine,
  drawSelection,
  dropCursor,
  rectangularSelection,
  crosshairCursor,
  highlightSpecialChars,
  hoverTooltip,
  type ViewUpdate,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import {
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
  HighlightStyle,
} from "@codemirror/language";
import { linter, lintGutter, lintKeymap, forceLinting, type Diagnostic as CmDiagnostic, type Action } from "@codemirror/lint";
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  type CompletionContext,
  type CompletionResult,
  type Completion,
} from "@codemirror/autocomplete";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { tags as t } from "@lezer/highlight";
import { completions, hover, lintPolicy, type Diagnostic, type PolicyKind, type CompletionItem } from "./engine";
import { renderMarkdown } from "./markdown";
import { h } from "./dom";

// ---- theme (CSS variables, so that light and dark switch without reconfiguring) ---------------

export const editorTheme = EditorView.theme({
  "&": { color: "var(--ed-fg)", backgroundColor: "var(--ed-bg)", fontSize: "12.5px" },
  ".cm-content": { fontFamily: "var(--mono)", caretColor: "var(--ed-caret)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--ed-caret)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection": {
    backgroundColor: "var(--ed-selection) !important",
  },
  ".cm-gutters": { backgroundColor: "var(--ed-gutter-bg)", color: "var(--ed-gutter-fg)", border: "none", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { backgroundColor: "var(--ed-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--ed-active-line)", color: "var(--fg)" },
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border-strong)", borderRadius: "6px", boxShadow: "var(--shadow)" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "var(--accent)", color: "var(--accent-fg)" },
  ".cm-tooltip-autocomplete ul li": { fontFamily: "var(--mono)" },
  ".cm-completionDetail": { opacity: "0.75", fontStyle: "normal", marginLeft: "1em" },
  ".cm-panels": { backgroundColor: "var(--panel)", color: "var(--fg)" },
  ".cm-searchMatch": { backgroundColor: "var(--search-match)" },
  ".cm-foldPlaceholder": { backgroundColor: "var(--chip-bg)", border: "none", color: "var(--muted)" },
  ".cm-diagnostic": { fontFamily: "var(--sans)" },
  ".cm-diagnosticAction": { backgroundColor: "var(--accent)", color: "var(--accent-fg)", borderRadius: "4px", padding: "1px 8px" },
  // Gutter markers and underlines drawn with CSS: CodeMirror's defaults are data: SVG images,
  // which the page's CSP (img-src 'self') does not load.
  ".cm-lint-marker": { width: "0.6em", height: "0.6em", margin: "0.35em 0.25em", borderRadius: "50%" },
  ".cm-lint-marker-error": { content: "normal !important", backgroundColor: "var(--err)" },
  ".cm-lint-marker-warning": { content: "normal !important", backgroundColor: "var(--warn)", borderRadius: "1px" },
  ".cm-lint-marker-info": { content: "normal !important", backgroundColor: "var(--info)", borderRadius: "1px", transform: "rotate(45deg) scale(0.85)" },
  ".cm-lint-marker-hint": { content: "normal !important", backgroundColor: "var(--muted)" },
  ".cm-lintRange-error": { backgroundImage: "none !important", textDecoration: "underline wavy var(--err)", textUnderlineOffset: "3px", textDecorationSkipInk: "none" },
  ".cm-lintRange-warning": { backgroundImage: "none !important", textDecoration: "underline wavy var(--warn)", textUnderlineOffset: "3px", textDecorationSkipInk: "none" },
  ".cm-lintRange-info": { backgroundImage: "none !important", textDecoration: "underline dotted var(--info)", textUnderlineOffset: "3px" },
  ".cm-lintRange-security": { backgroundImage: "none !important", textDecoration: "underline wavy var(--sec)", textUnderlineOffset: "3px", textDecorationSkipInk: "none" },
});

const highlight = HighlightStyle.define([
  { tag: t.propertyName, color: "var(--syn-prop)" },
  { tag: t.string, color: "var(--syn-string)" },
  { tag: t.number, color: "var(--syn-number)" },
  { tag: [t.bool, t.null], color: "var(--syn-keyword)" },
  { tag: [t.brace, t.squareBracket, t.separator, t.punctuation], color: "var(--syn-punct)" },
  { tag: t.invalid, color: "var(--err)" },
]);

// ---- decision highlight ------------------------------------------------------------------------

export interface Highlight {
  from: number;
  to: number;
  kind: "allow" | "deny" | "near" | "cond" | "cond-miss" | "focus";
}

export const setHighlights = StateEffect.define<Highlight[]>();

const highlightField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setHighlights)) {
        const len = tr.state.doc.length;
        const items = e.value
          .map((x) => ({ ...x, from: Math.max(0, Math.min(x.from, len)), to: Math.max(0, Math.min(x.to, len)) }))
          .filter((x) => x.to > x.from)
          .sort((a, b) => a.from - b.from || b.to - a.to);
        const b = new RangeSetBuilder<Decoration>();
        for (const x of items) b.add(x.from, x.to, Decoration.mark({ class: `cm-hl cm-hl-${x.kind}` }));
        deco = b.finish();
      }
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

// ---- diagnostics -------------------------------------------------------------------------------

const SEVERITY: Record<string, CmDiagnostic["severity"]> = {
  ERROR: "error",
  SECURITY_WARNING: "warning",
  WARNING: "warning",
  SUGGESTION: "info",
};

/** Applies a diagnostic's fix to the editor's current text (re-linting first, so offsets are current). */
export function applyFix(view: EditorView, kind: PolicyKind, diag: Pick<Diagnostic, "code" | "pointer" | "message">): boolean {
  const text = view.state.doc.toString();
  const current = lintPolicy(text, kind).diagnostics.find(
    (d) => d.code === diag.code && d.pointer === diag.pointer && d.fix && d.message === diag.message,
  ) ?? lintPolicy(text, kind).diagnostics.find((d) => d.code === diag.code && d.pointer === diag.pointer && d.fix);
  if (!current?.fix) return false;
  view.dispatch({
    changes: current.fix.edits.map((e) => ({ from: e.range.start.offset, to: e.range.end.offset, insert: e.newText })),
    userEvent: "input.fix",
    scrollIntoView: true,
  });
  return true;
}

function toCm(d: Diagnostic, kind: () => PolicyKind, onRule: (code: string) => void): CmDiagnostic {
  const actions: Action[] = [];
  if (d.fix) {
    actions.push({ name: `Fix: ${d.fix.title}`, apply: (view) => void applyFix(view, kind(), d) });
  }
  return {
    from: d.range.start.offset,
    to: d.range.end.offset,
    severity: SEVERITY[d.findingType] ?? "warning",
    markClass: d.findingType === "SECURITY_WARNING" ? "cm-lintRange-security" : undefined,
    source: d.code,
    message: d.message,
    renderMessage: () =>
      h(
        "div",
        { class: "diag-msg" },
        h("div", {}, d.message),
        d.help ? h("div", { class: "diag-help" }, d.help) : null,
        h(
          "div",
          { class: "diag-code" },
          h("span", { class: `ft ft-${d.findingType}` }, d.findingType.replace("_", " ")),
          " ",
          h("button", { type: "button", class: "linklike", onclick: () => onRule(d.code) }, d.code),
        ),
      ),
    actions,
  };
}

// ---- completion --------------------------------------------------------------------------------

const COMPLETION_TYPE: Record<string, string> = {
  element: "property",
  value: "constant",
  service: "namespace",
  action: "function",
  operator: "keyword",
  conditionKey: "variable",
  principalKey: "type",
  resourceArn: "text",
};

function completionSource(ctx: CompletionContext): CompletionResult | null {
  if (!ctx.explicit) {
    // Pop up while typing inside a string only; Ctrl-Space asks anywhere.
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    const quotes = (before.match(/(?<!\\)"/g) ?? []).length;
    if (quotes % 2 === 0) return null;
  }
  const text = ctx.state.doc.toString();
  const list = completions(text, ctx.pos);
  if (!list.items.length) return null;
  const from = list.range.start.offset;
  const to = Math.max(list.range.end.offset, ctx.pos);
  if (from > ctx.pos) return null;
  return {
    from,
    to,
    options: list.items.map(
      (it: CompletionItem): Completion => ({
        label: it.label,
        detail: it.detail,
        type: COMPLETION_TYPE[it.kind] ?? "text",
        apply: it.insertText,
        boost: it.kind === "service" ? -1 : 0,
      }),
    ),
  };
}

// ---- hover -------------------------------------------------------------------------------------

const hoverSource = hoverTooltip((view, pos) => {
  const info = hover(view.state.doc.toString(), pos);
  if (!info) return null;
  return {
    pos: info.range.start.offset,
    end: info.range.end.offset,
    above: true,
    create: () => {
      const dom = renderMarkdown(info.markdown, "md hover-md");
      dom.setAttribute("role", "tooltip");
      dom.dataset.hoverKind = info.kind;
      return { dom };
    },
  };
}, { hoverTime: 250 });

// ---- the editor --------------------------------------------------------------------------------

export interface PolicyEditorOptions {
  parent: HTMLElement;
  doc: string;
  label: string;
  /** The policy kind the linter checks the text as (read at each lint). */
  kind: () => PolicyKind;
  onChange?: (text: string) => void;
  onDiagnostics?: (diags: Diagnostic[], kind: PolicyKind) => void;
  onSelection?: (view: EditorView) => void;
  onRule: (code: string) => void;
  onSimulate: () => void;
  extra?: Extension[];
}

/** The extensions every policy editor has (the compare view reuses them). */
export function policyExtensions(o: Omit<PolicyEditorOptions, "parent" | "doc">): Extension[] {
  return [
    Prec.highest(
      keymap.of([
        { key: "Mod-Enter", run: () => (o.onSimulate(), true) },
      ]),
    ),
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    foldGutter(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    syntaxHighlighting(highlight),
    bracketMatching(),
    closeBrackets(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    json(),
    EditorState.tabSize.of(2),
    lintGutter(),
    linter(
      (view) => {
        const kind = o.kind();
        const report = lintPolicy(view.state.doc.toString(), kind);
        o.onDiagnostics?.(report.diagnostics, kind);
        return report.diagnostics.map((d) => toCm(d, o.kind, o.onRule));
      },
      { delay: 150 },
    ),
    autocompletion({ override: [completionSource], icons: true, maxRenderedOptions: 200 }),
    hoverSource,
    highlightField,
    keymap.of([
      ...closeBracketsKeymap,
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...foldKeymap,
      ...completionKeymap,
      ...lintKeymap,
    ]),
    EditorView.contentAttributes.of({ "aria-label": o.label }),
    editorTheme,
    EditorView.updateListener.of((u: ViewUpdate) => {
      if (u.docChanged) o.onChange?.(u.state.doc.toString());
      if (u.selectionSet || u.docChanged) o.onSelection?.(u.view);
    }),
    ...(o.extra ?? []),
  ];
}

export function createPolicyEditor(o: PolicyEditorOptions): EditorView {
  return new EditorView({
    parent: o.parent,
    state: EditorState.create({ doc: o.doc, extensions: policyExtensions(o) }),
  });
}

export function relint(view: EditorView): void {
  forceLinting(view);
}

export function showHighlights(view: EditorView, hl: Highlight[], scroll = true): void {
  const first = hl.find((x) => x.kind !== "cond" && x.kind !== "cond-miss") ?? hl[0];
  view.dispatch({
    effects: [
      setHighlights.of(hl),
      ...(scroll && first ? [EditorView.scrollIntoView(Math.min(first.from, view.state.doc.length), { y: "nearest", yMargin: 24 })] : []),
    ],
  });
}

export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
