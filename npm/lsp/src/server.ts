// The iamscope language server: diagnostics, hover, completion, code actions and a simulation
// command for AWS IAM policies (JSON files and policies inside CloudFormation templates). Every
// answer comes from the engine (the npm package's WebAssembly); this file only finds the policies,
// converts positions and shapes the answers for LSP.

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CodeAction,
  CodeActionKind,
  type CodeLens,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  DiagnosticTag,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  type CompletionItem,
  type CompletionList,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  type Range as LspRange,
  type TextEdit as LspTextEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import * as engine from "iamscope-engine";
import type { Diagnostic, FindingType, LintOptions, LintReport, PolicyKind, PolicySummary, Scenario } from "iamscope-engine";
import { ConfigFiles, fileConfig, readSettings, type FileConfig, type Settings } from "./config.js";
import { analyzeTemplate, mayBeJsonTemplate, mayBeTemplate, type EmbeddedPolicy } from "./embedded.js";
import { placePolicy, renderOutcome } from "./simulate.js";
import { Linter } from "./linter.js";
import { policySummaryMarkdown, statementLensTitle } from "./summary.js";

export const SIMULATE_COMMAND = "iamscope.server.simulate";

/** What one open document is, for the version it was analyzed at. */
type Analysis =
  | { type: "none"; version: number }
  | { type: "policy"; version: number; text: string; config: FileConfig }
  | { type: "template"; version: number; policies: EmbeddedPolicy[]; config: FileConfig };

interface Fixable {
  diagnostic: LspDiagnostic;
  title: string;
  edits: LspTextEdit[];
  safe: boolean;
}

interface Published {
  version: number;
  fixes: Fixable[];
  /** The kind each policy was checked as (one for a policy file, one per embedded policy). */
  kinds: PolicyKind[];
}

const NOT_POLICY_NAMES = new Set(["iamscope.json", "package.json", "package-lock.json", "tsconfig.json", "jsconfig.json"]);

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function isJsonDoc(doc: TextDocument): boolean {
  return doc.languageId === "json" || doc.languageId === "jsonc" || /\.json$/i.test(doc.uri);
}

function isYamlDoc(doc: TextDocument): boolean {
  return doc.languageId === "yaml" || /\.(ya?ml|template)$/i.test(doc.uri);
}

/** A JSON text whose top level is an object with a `Statement` member. */
function looksLikePolicy(text: string): boolean {
  if (!text.includes("Statement")) return false;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) && "Statement" in v;
  } catch {
    // Not valid JSON (yet): an object that names Statement, and no CloudFormation Resources.
    return /^\s*\{/.test(text) && /"Statement"\s*:/.test(text) && !/"Resources"\s*:/.test(text);
  }
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const configFiles = new ConfigFiles();
  const linter = new Linter();
  let settings: Settings = readSettings(undefined);
  /** The settings given in initializationOptions: used whenever the client has none to pull or push. */
  let initialSettings: unknown;
  let workspaceFolders: string[] = [];
  let pullConfiguration = false;
  let watchRegistration = false;
  let relatedInformation = true;
  const analyses = new Map<string, Analysis>();
  /** Each open document's configuration, until the settings or a configuration file change. */
  const configs = new Map<string, FileConfig>();
  /** IAMSCOPE_LSP_TIMING=1: log where the time of each publish went (window/logMessage). */
  const timing = process.env.IAMSCOPE_LSP_TIMING === "1";
  /** When each document last changed (performance.now()), for the timing log. */
  const changedAt = new Map<string, number>();
  /** How long the engine took on each document's last lint (ms). */
  const engineCost = new Map<string, number>();
  /**
   * Documents whose last lint took at most this long are linted in this thread (blocking hover and
   * completion for at most about as long); slower ones, and every document's first lint, in the
   * worker. IAMSCOPE_LSP_INLINE_MS overrides it (0: always the worker).
   */
  const inlineMs = Number(process.env.IAMSCOPE_LSP_INLINE_MS ?? 8);
  const published = new Map<string, Published>();
  const stickyPolicies = new Set<string>();
  const pending = new Set<string>();
  const reportedConfigErrors = new Set<string>();
  let scheduled = false;
  let running = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    pullConfiguration = Boolean(caps.workspace?.configuration);
    watchRegistration = Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    relatedInformation = caps.textDocument?.publishDiagnostics?.relatedInformation !== false;
    const opts = params.initializationOptions as { settings?: unknown } | undefined;
    if (opts && typeof opts === "object") {
      initialSettings = "settings" in opts ? opts.settings : opts;
      settings = readSettings(initialSettings);
    }
    workspaceFolders = (params.workspaceFolders ?? [])
      .map((f) => uriToPath(f.uri))
      .filter((p): p is string => p !== undefined);
    if (workspaceFolders.length === 0 && params.rootUri) {
      const p = uriToPath(params.rootUri);
      if (p) workspaceFolders = [p];
    }
    const info = engine.catalogInfo();
    return {
      capabilities: {
        positionEncoding: "utf-16",
        // didSave (without text): saving iamscope.json or package.json re-reads them.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', ":", "/"], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, "source.fixAll.iamscope"] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [SIMULATE_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "iamscope-lsp", version: `${engine.version()} (catalog ${info.version}, ${info.dataDate})` },
    };
  });

  connection.onInitialized(() => {
    linter.warm();
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: "iamscope" }).catch(() => undefined);
      void refreshSettings();
    }
    if (watchRegistration) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: "**/iamscope.json" }, { globPattern: "**/package.json" }],
        })
        .catch(() => undefined);
    }
    if (connection.workspace && typeof connection.workspace.onDidChangeWorkspaceFolders === "function") {
      try {
        connection.workspace.onDidChangeWorkspaceFolders((e) => {
          const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
          workspaceFolders = workspaceFolders.filter((f) => !removed.has(f));
          for (const f of e.added) {
            const p = uriToPath(f.uri);
            if (p) workspaceFolders.push(p);
          }
          relintAll();
        });
      } catch {
        // The client did not announce workspace folder support.
      }
    }
  });

  async function refreshSettings(): Promise<void> {
    try {
      const raw: unknown = await connection.workspace.getConfiguration("iamscope");
      // A client without an `iamscope` section (Helix keeps the settings in initializationOptions)
      // answers null: keep those.
      settings = readSettings(raw !== null && typeof raw === "object" ? raw : initialSettings);
    } catch {
      // Keep the settings we have.
    }
    relintAll();
  }

  connection.onDidChangeConfiguration((params) => {
    const raw = (params.settings as { iamscope?: unknown } | null | undefined)?.iamscope;
    if (raw !== undefined) {
      settings = readSettings(raw);
      relintAll();
    } else if (pullConfiguration) {
      void refreshSettings();
    }
  });

  connection.onDidChangeWatchedFiles(() => {
    configFiles.clear();
    reportedConfigErrors.clear();
    relintAll();
  });

  function relintAll(): void {
    analyses.clear();
    configs.clear();
    for (const d of documents.all()) schedule(d.uri);
  }

  // ---- analysis --------------------------------------------------------------------------------

  function analyze(doc: TextDocument): Analysis {
    const cached = analyses.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const a = computeAnalysis(doc);
    analyses.set(doc.uri, a);
    return a;
  }

  function computeAnalysis(doc: TextDocument): Analysis {
    const version = doc.version;
    const path = uriToPath(doc.uri);
    const name = basename(path ?? doc.uri).toLowerCase();
    if (NOT_POLICY_NAMES.has(name) || name.endsWith(".scenario.json")) return { type: "none", version };
    let config = configs.get(doc.uri);
    if (!config) {
      config = fileConfig(settings, configFiles, path, workspaceFolders);
      configs.set(doc.uri, config);
    }
    if (config.configFile?.error && !reportedConfigErrors.has(config.configFile.error)) {
      reportedConfigErrors.add(config.configFile.error);
      void connection.window.showWarningMessage(`iamscope: ${config.configFile.error}`);
    }
    const text = doc.getText();
    const json = isJsonDoc(doc);
    const yaml = isYamlDoc(doc);
    if (settings.cloudFormation && !config.forced && (json ? mayBeJsonTemplate(text) : yaml && mayBeTemplate(text))) {
      const t = analyzeTemplate(text);
      if (t) return { type: "template", version, policies: t.policies, config };
    }
    if (config.forced || stickyPolicies.has(doc.uri) || (json && looksLikePolicy(text))) {
      stickyPolicies.add(doc.uri);
      return { type: "policy", version, text, config };
    }
    return { type: "none", version };
  }

  // ---- diagnostics -----------------------------------------------------------------------------

  function schedule(uri: string): void {
    pending.add(uri);
    if (!scheduled) {
      scheduled = true;
      // Coalesce the changes that arrive together, then lint.
      setImmediate(() => {
        scheduled = false;
        void pump();
      });
    }
  }

  async function pump(): Promise<void> {
    if (running) return;
    running = true;
    try {
      while (pending.size > 0) {
        const uri = pending.values().next().value as string;
        pending.delete(uri);
        const doc = documents.get(uri);
        if (!doc) continue;
        try {
          await lintDocument(doc);
        } catch (e) {
          connection.console.error(`iamscope: linting ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        }
      }
    } finally {
      running = false;
    }
  }

  function severity(t: FindingType): DiagnosticSeverity {
    switch (settings.findingTypeSeverity[t]) {
      case "error":
        return DiagnosticSeverity.Error;
      case "warning":
        return DiagnosticSeverity.Warning;
      case "information":
        return DiagnosticSeverity.Information;
      default:
        return DiagnosticSeverity.Hint;
    }
  }

  function toLsp(
    doc: TextDocument,
    d: Diagnostic,
    mapRange: (start: number, end: number) => [number, number],
    prefix: string,
  ): LspDiagnostic {
    const [s, e] = mapRange(d.range.start.offset, d.range.end.offset);
    const out: LspDiagnostic = {
      range: { start: doc.positionAt(s), end: doc.positionAt(e) },
      severity: severity(d.findingType),
      code: d.code,
      source: "iamscope",
      message: `${prefix}${d.message}${d.help ? `\n${d.help}` : ""}`,
    };
    if (d.url) out.codeDescription = { href: d.url };
    if (d.code.startsWith("REDUNDANT_")) out.tags = [DiagnosticTag.Unnecessary];
    if (d.related?.length && relatedInformation) {
      out.relatedInformation = d.related.map((r) => {
        const [rs, re] = mapRange(r.range.start.offset, r.range.end.offset);
        return { location: { uri: doc.uri, range: { start: doc.positionAt(rs), end: doc.positionAt(re) } }, message: r.message };
      });
    }
    return out;
  }

  async function lintDocument(doc: TextDocument): Promise<void> {
    const a = analyze(doc);
    const uri = doc.uri;
    if (a.type === "none") {
      if (published.has(uri)) {
        published.delete(uri);
        await connection.sendDiagnostics({ uri, diagnostics: [] });
      }
      return;
    }
    const version = doc.version;
    const jobs: { text: string; options: LintOptions }[] =
      a.type === "policy"
        ? [{ text: a.text, options: a.config.options }]
        : a.policies.map((p) => ({ text: p.json, options: { ...a.config.options, kind: p.kind ?? a.config.options.kind } }));
    const t0 = performance.now();
    const inline = (engineCost.get(uri) ?? Infinity) <= inlineMs;
    const { reports, engineMs }: { reports: LintReport[]; engineMs: number } = await linter.lint(jobs, inline);
    engineCost.set(uri, engineMs);
    const t1 = performance.now();
    const current = documents.get(uri);
    if (!current || current.version !== version) return; // a newer version is pending
    const lsp: LspDiagnostic[] = [];
    const fixes: Fixable[] = [];
    if (a.type === "policy") {
      const id = (s: number, e: number): [number, number] => [s, e];
      for (const d of reports[0]?.diagnostics ?? []) {
        const ld = toLsp(doc, d, id, "");
        lsp.push(ld);
        if (d.fix) {
          fixes.push({
            diagnostic: ld,
            title: d.fix.title,
            safe: d.fix.safe,
            edits: d.fix.edits.map((e) => ({
              range: { start: doc.positionAt(e.range.start.offset), end: doc.positionAt(e.range.end.offset) },
              newText: e.newText,
            })),
          });
        }
      }
    } else {
      a.policies.forEach((p, i) => {
        const mapRange = (s: number, e: number): [number, number] => p.map.toSourceRange(s, e);
        for (const d of reports[i]?.diagnostics ?? []) {
          if (insideComputed(p, d.range.start.offset, d.range.end.offset)) continue;
          const ld = toLsp(doc, d, mapRange, "");
          lsp.push(ld);
          const edits = d.fix ? templateEdits(doc, p, d.fix.edits) : undefined;
          if (d.fix && edits) fixes.push({ diagnostic: ld, title: d.fix.title, safe: d.fix.safe, edits });
        }
      });
    }
    published.set(uri, { version, fixes, kinds: reports.map((r) => r.kind) });
    const t2 = performance.now();
    const sent = connection.sendDiagnostics({ uri, version, diagnostics: lsp });
    const t3 = performance.now();
    await sent;
    if (timing) {
      const since = changedAt.get(uri);
      const ms = (x: number): number => Math.round(x * 1000) / 1000;
      connection.console.log(
        `iamscope-timing ${JSON.stringify({
          uri,
          version,
          // change event -> lint job posted (scheduling, analysis)
          before: since === undefined ? null : ms(t0 - since),
          // job posted -> reports back, of which the engine itself; in this thread or the worker
          lint: ms(t1 - t0),
          engine: ms(engineMs),
          inline,
          // reports -> LSP diagnostics -> handed to the writer
          convert: ms(t2 - t1),
          send: ms(t3 - t2),
          total: since === undefined ? null : ms(t3 - since),
          // until the writer reports the message written
          written: ms(performance.now() - t3),
        })}`,
      );
    }
  }

  /** True when `[s, e)` lies inside one string whose value CloudFormation computes. */
  function insideComputed(p: EmbeddedPolicy, s: number, e: number): boolean {
    return p.computed.some(([c0, c1]) => s >= c0 && e <= c1);
  }

  /**
   * A fix's edits for a template, when each edit replaces one whole string that comes from one
   * scalar of the template with a JSON string (valid YAML too); otherwise the fix is not offered
   * (JSON structure cannot be pasted into YAML).
   */
  function templateEdits(doc: TextDocument, p: EmbeddedPolicy, edits: { range: { start: { offset: number }; end: { offset: number } }; newText: string }[]): LspTextEdit[] | undefined {
    const out: LspTextEdit[] = [];
    for (const e of edits) {
      let value: unknown;
      try {
        value = JSON.parse(e.newText);
      } catch {
        return undefined;
      }
      if (typeof value !== "string") return undefined;
      const g0 = e.range.start.offset;
      const g1 = e.range.end.offset;
      if (p.json[g0] !== '"' || p.json[g1 - 1] !== '"') return undefined;
      if (insideComputed(p, g0, g1)) return undefined;
      // The string token must map exactly: its quotes and content segments.
      const segs = p.map.segments.filter((s) => s.g0 >= g0 && s.g1 <= g1);
      if (segs.length < 2 || segs[0]!.g0 !== g0 || segs[segs.length - 1]!.g1 !== g1) return undefined;
      if (segs.slice(1, -1).some((s) => !s.exact)) return undefined;
      const [s0, s1] = p.map.toSourceRange(g0, g1);
      out.push({ range: { start: doc.positionAt(s0), end: doc.positionAt(s1) }, newText: e.newText });
    }
    return out.length ? out : undefined;
  }

  documents.onDidOpen((e) => {
    schedule(e.document.uri);
  });
  const isConfigFile = (uri: string): boolean => {
    const name = basename(uri).toLowerCase();
    return name === "iamscope.json" || name === "package.json";
  };
  documents.onDidChangeContent((e) => {
    if (timing) changedAt.set(e.document.uri, performance.now());
    // The configuration is read from disk: typing in iamscope.json or package.json changes
    // nothing until it is saved (didSave, or the file watcher), so no document is re-linted per
    // keystroke there.
    if (isConfigFile(e.document.uri)) return;
    schedule(e.document.uri);
  });
  documents.onDidSave((e) => {
    if (!isConfigFile(e.document.uri)) return;
    configFiles.clear();
    reportedConfigErrors.clear();
    relintAll();
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    analyses.delete(uri);
    configs.delete(uri);
    changedAt.delete(uri);
    engineCost.delete(uri);
    stickyPolicies.delete(uri);
    pending.delete(uri);
    if (published.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  // ---- hover and completion ----------------------------------------------------------------------

  /** The engine's view of a cursor: the text it should look at and the offset in it. */
  function locate(doc: TextDocument, offset: number):
    | { text: string; offset: number; back: (s: number, e: number) => [number, number] }
    | undefined {
    const a = analyze(doc);
    if (a.type === "policy") return { text: a.text, offset, back: (s, e) => [s, e] };
    if (a.type === "template") {
      for (const p of a.policies) {
        if (offset < p.sourceRange[0] || offset > p.sourceRange[1]) continue;
        const g = p.map.toGenerated(offset);
        if (g === undefined) continue;
        return { text: p.json, offset: g, back: (s, e) => p.map.toSourceRange(s, e) };
      }
    }
    return undefined;
  }

  connection.onHover(async (params): Promise<Hover | null> => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const at = locate(doc, doc.offsetAt(params.position));
    if (!at) return null;
    const h = engine.hover(at.text, at.offset);
    if (!h) return null;
    const [s, e] = at.back(h.range.start.offset, h.range.end.offset);
    let markdown = h.markdown;
    // The `Statement` key of the policy: what the whole policy allows.
    if (h.kind === "element" && at.text.slice(h.range.start.offset, h.range.end.offset) === '"Statement"') {
      const sum = await summaryOf(at.text);
      if (!sum.error) markdown += `\n\n---\n\n${policySummaryMarkdown(sum)}`;
    }
    return {
      contents: { kind: "markdown", value: markdown },
      range: { start: doc.positionAt(s), end: doc.positionAt(e) },
    };
  });

  const COMPLETION_KINDS: Record<string, CompletionItemKind> = {
    element: CompletionItemKind.Property,
    value: CompletionItemKind.Value,
    service: CompletionItemKind.Module,
    action: CompletionItemKind.Function,
    operator: CompletionItemKind.Operator,
    conditionKey: CompletionItemKind.Variable,
    principalKey: CompletionItemKind.Property,
    resourceArn: CompletionItemKind.Reference,
  };

  connection.onCompletion((params): CompletionList | null => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const offset = doc.offsetAt(params.position);
    const at = locate(doc, offset);
    if (!at) return null;
    const list = engine.completions(at.text, at.offset);
    const [s, e] = at.back(list.range.start.offset, list.range.end.offset);
    const range: LspRange = { start: doc.positionAt(s), end: doc.positionAt(Math.max(e, s)) };
    const items: CompletionItem[] = list.items.map((item, i) => ({
      label: item.label,
      kind: COMPLETION_KINDS[item.kind] ?? CompletionItemKind.Text,
      detail: item.detail,
      sortText: String(i).padStart(6, "0"),
      filterText: item.insertText.startsWith('"') ? item.insertText : item.label,
      textEdit: { range, newText: item.insertText },
    }));
    // The engine filters by what is typed; ask again as the user types.
    return { isIncomplete: true, items };
  });

  // ---- least-privilege summary ---------------------------------------------------------------

  /** The summaries of the last texts asked for (a code lens request and a hover ask for the same). */
  const summaries = new Map<string, Promise<PolicySummary>>();

  /** The summary of a policy text, computed in the worker (a large policy takes as long as a lint). */
  function summaryOf(text: string): Promise<PolicySummary> {
    let p = summaries.get(text);
    if (!p) {
      p = linter.summarize([text]).then((r) => r[0]!);
      summaries.set(text, p);
      // Keep the few texts of the open documents' latest versions.
      if (summaries.size > 16) summaries.delete(summaries.keys().next().value as string);
    }
    return p;
  }

  connection.onCodeLens(async (params): Promise<CodeLens[]> => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !settings.codeLens) return [];
    const version = doc.version;
    const a = analyze(doc);
    const parts: { text: string; toSource: (offset: number) => number }[] =
      a.type === "policy"
        ? [{ text: a.text, toSource: (o) => o }]
        : a.type === "template"
          ? a.policies.map((p) => ({ text: p.json, toSource: (o: number) => p.map.toSourceStart(o) }))
          : [];
    const sums = await Promise.all(parts.map((p) => summaryOf(p.text)));
    const current = documents.get(params.textDocument.uri);
    if (!current || current.version !== version) return []; // the client asks again
    const lenses: CodeLens[] = [];
    parts.forEach((part, i) => {
      for (const st of sums[i]!.statements) {
        const title = statementLensTitle(st);
        if (!title) continue;
        const at = current.positionAt(part.toSource(st.range.start.offset));
        lenses.push({ range: { start: at, end: at }, command: { title, command: "" } });
      }
    });
    return lenses;
  });

  // ---- code actions ------------------------------------------------------------------------------

  function overlaps(a: LspRange, b: LspRange): boolean {
    const before = (p: { line: number; character: number }, q: { line: number; character: number }): boolean =>
      p.line < q.line || (p.line === q.line && p.character < q.character);
    return !before(a.end, b.start) && !before(b.end, a.start);
  }

  connection.onCodeAction((params): CodeAction[] => {
    const doc = documents.get(params.textDocument.uri);
    const pub = published.get(params.textDocument.uri);
    if (!doc || !pub || pub.version !== doc.version) return [];
    const only = params.context.only;
    const wants = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const f of pub.fixes) {
        if (!overlaps(f.diagnostic.range, params.range)) continue;
        actions.push({
          title: f.safe ? f.title : `${f.title} (review: may change access)`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [f.diagnostic],
          isPreferred: f.safe,
          edit: { changes: { [doc.uri]: f.edits } },
        });
      }
    }
    // Fix all is offered only when asked for by kind (on save, or from the Source Action menu).
    if (only && wants("source.fixAll.iamscope")) {
      const edits: LspTextEdit[] = [];
      const taken: LspRange[] = [];
      for (const f of pub.fixes) {
        if (!f.safe || f.edits.some((e) => taken.some((t) => overlaps(t, e.range)))) continue;
        edits.push(...f.edits);
        taken.push(...f.edits.map((e) => e.range));
      }
      if (edits.length) {
        actions.push({
          title: "Apply every safe iamscope fix",
          kind: "source.fixAll.iamscope",
          edit: { changes: { [doc.uri]: edits } },
        });
      }
    }
    return actions;
  });

  // ---- simulation --------------------------------------------------------------------------------

  connection.onExecuteCommand((params) => {
    if (params.command !== SIMULATE_COMMAND) return undefined;
    const arg = (params.arguments?.[0] ?? {}) as {
      uri?: string;
      position?: { line: number; character: number };
      scenarioUri?: string;
      scenario?: Scenario | string;
    };
    return simulateCommand(arg);
  });

  function simulateCommand(arg: {
    uri?: string;
    position?: { line: number; character: number };
    scenarioUri?: string;
    scenario?: Scenario | string;
  }): { text: string; decision: string | null; kind?: PolicyKind; layer?: string; outcome?: unknown; error?: string } {
    const fail = (error: string): { text: string; decision: null; error: string } => ({ text: error, decision: null, error });
    if (!arg.uri) return fail("iamscope: no policy document given");
    const doc = documents.get(arg.uri);
    if (!doc) return fail(`iamscope: ${arg.uri} is not open`);
    let scenario: Scenario;
    try {
      let raw: unknown = arg.scenario;
      if (raw === undefined && arg.scenarioUri) {
        const open = documents.get(arg.scenarioUri);
        const p = uriToPath(arg.scenarioUri);
        raw = open ? open.getText() : p ? readFileSync(p, "utf8") : undefined;
      }
      if (typeof raw === "string") raw = JSON.parse(raw);
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return fail("iamscope: the scenario must be a JSON object with a request");
      scenario = raw as Scenario;
    } catch (e) {
      return fail(`iamscope: cannot read the scenario: ${(e as Error).message}`);
    }
    const a = analyze(doc);
    let policyText: string;
    let kind: PolicyKind | undefined;
    let lineOf: (offset: number) => number;
    const name = basename(uriToPath(doc.uri) ?? doc.uri);
    let shownName = name;
    if (a.type === "policy") {
      policyText = a.text;
      kind = a.config.options.kind;
      lineOf = (o) => doc.positionAt(o).line + 1;
    } else if (a.type === "template") {
      const offset = arg.position ? doc.offsetAt(arg.position) : 0;
      const p =
        a.policies.find((q) => offset >= q.sourceRange[0] && offset <= q.sourceRange[1]) ?? a.policies[0];
      if (!p) return fail("iamscope: this template holds no policy");
      policyText = p.json;
      kind = p.kind ?? a.config.options.kind;
      lineOf = (o) => doc.positionAt(p.map.toSourceStart(o)).line + 1;
      shownName = `${name} (${p.path})`;
    } else {
      return fail("iamscope: the document is not a policy");
    }
    if (!kind) {
      const pub = published.get(doc.uri);
      const index = a.type === "template" ? a.policies.findIndex((q) => q.json === policyText) : 0;
      kind = pub?.version === doc.version ? pub.kinds[index] : undefined;
    }
    if (!kind) kind = engine.lintReport(policyText, { select: ["NONE"] }).kind;
    const placed = placePolicy(scenario, kind, { name: shownName, policy: policyText });
    const outcome = engine.simulate(placed.scenario);
    const text = renderOutcome(outcome, { layer: placed.layer, level: placed.level, index: placed.index, lineOf, name: shownName });
    return { text: `Policy: ${shownName} as ${kind} (${placed.layer} layer)\n${text}`, decision: outcome.decision, kind, layer: placed.layer, outcome };
  }

  documents.listen(connection);
  connection.onShutdown(() => linter.close());
  connection.listen();
}

export function main(): void {
  const args = process.argv.slice(2);
  if (args.includes("--version") || args.includes("-v")) {
    const info = engine.catalogInfo();
    process.stdout.write(`iamscope-lsp ${engine.version()} (catalog ${info.version}, ${info.dataDate})\n`);
    return;
  }
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(
      "iamscope-lsp: the iamscope language server (AWS IAM policies, also inside CloudFormation templates)\n" +
        "usage: iamscope-lsp --stdio   (also --node-ipc, --socket=PORT, --pipe=NAME)\n",
    );
    return;
  }
  // createConnection reads the transport (--stdio, --node-ipc, --socket, --pipe) from argv.
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection);
}
