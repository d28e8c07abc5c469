// A small LSP client over stdio for the tests: starts the built bin (npm/dist/iamscope-lsp.cjs)
// and speaks JSON-RPC to it with vscode-jsonrpc, as an editor would.

import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";

export const SERVER = process.env.IAMSCOPE_LSP_SERVER ?? fileURLToPath(new URL("../../dist/iamscope-lsp.cjs", import.meta.url));

export function fileUri(path) {
  return pathToFileURL(path).href;
}

/** UTF-16 line/character of a JavaScript string offset. */
export function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  const character = offset - (before.lastIndexOf("\n") + 1);
  return { line, character };
}

/** The range of the `nth` occurrence of `needle` in `text`. */
export function rangeOf(text, needle, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} not found ${nth + 1} times`);
  }
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

/** Applies LSP text edits (non-overlapping) to `text`. */
export function applyEdits(text, edits) {
  const lines = text.split("\n");
  const offset = (p) => {
    let o = 0;
    for (let l = 0; l < p.line; l++) o += lines[l].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

export class Client {
  constructor({ env = {}, args = ["--stdio"], server = SERVER } = {}) {
    this.proc = spawn(process.execPath, [server, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    this.stderr = "";
    this.proc.stderr.on("data", (d) => (this.stderr += d));
    // A server that dies fails every pending wait at once, with its stderr.
    this.exited = new Promise((_, reject) => {
      this.proc.on("exit", (code, signal) => {
        const err = new Error(`the server exited (code ${code}, signal ${signal}):\n${this.stderr}`);
        for (const w of this.waiters) w.fail?.(err);
        this.waiters = [];
        reject(err);
      });
    });
    this.exited.catch(() => undefined);
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.diagnostics = new Map();
    this.waiters = [];
    this.messages = [];
    this.registrations = [];
    this.configuration = {};
    this.conn.onNotification("textDocument/publishDiagnostics", (p) => {
      this.diagnostics.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => !w(p));
    });
    this.conn.onNotification("window/showMessage", (p) => this.messages.push(p));
    this.conn.onRequest("window/showMessageRequest", (p) => {
      this.messages.push(p);
      return null;
    });
    this.conn.onNotification("window/logMessage", () => undefined);
    this.conn.onRequest("client/registerCapability", (p) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.conn.onRequest("workspace/configuration", (p) => p.items.map(() => this.configuration));
    this.conn.listen();
    this.versions = new Map();
  }

  async initialize({ rootPath, initializationOptions, capabilities } = {}) {
    const caps = capabilities ?? {
      textDocument: {
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
        hover: { contentFormat: ["markdown", "plaintext"] },
        completion: { completionItem: { snippetSupport: false } },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source"] } } },
      },
      workspace: { configuration: false, didChangeWatchedFiles: { dynamicRegistration: false } },
      general: { positionEncodings: ["utf-16"] },
    };
    const result = await this.request("initialize", {
      processId: process.pid,
      rootUri: rootPath ? fileUri(rootPath) : null,
      workspaceFolders: rootPath ? [{ uri: fileUri(rootPath), name: "ws" }] : null,
      capabilities: caps,
      initializationOptions,
    });
    await this.conn.sendNotification("initialized", {});
    return result;
  }

  /** Resolves with the next publishDiagnostics for `uri` (matching `pred`). */
  nextDiagnostics(uri, pred = () => true, timeoutMs = 20000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms\n${this.stderr}`)), timeoutMs);
      const waiter = (p) => {
        if (p.uri !== uri || !pred(p)) return false;
        clearTimeout(timer);
        resolve(p);
        return true;
      };
      waiter.fail = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      this.waiters.push(waiter);
    });
  }

  async open(uri, text, languageId = "json") {
    const wait = this.nextDiagnostics(uri);
    this.versions.set(uri, 1);
    await this.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
    return wait;
  }

  /** Opens a document without waiting for diagnostics. */
  async openOnly(uri, text, languageId = "json") {
    this.versions.set(uri, 1);
    await this.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri, contentChanges) {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const wait = this.nextDiagnostics(uri, (p) => p.version === undefined || p.version === version);
    await this.conn.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges });
    return wait;
  }

  request(method, params) {
    return Promise.race([this.conn.sendRequest(method, params), this.exited]);
  }

  notify(method, params) {
    return this.conn.sendNotification(method, params);
  }

  async close() {
    try {
      if (this.proc.exitCode !== null) throw new Error("gone");
      await this.request("shutdown");
      await this.conn.sendNotification("exit");
    } catch {
      // already gone
    }
    await new Promise((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill();
        resolve();
      }, 3000);
      this.proc.on("exit", () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.conn.dispose();
  }
}
