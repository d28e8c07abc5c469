// Linting off the main thread: a worker thread with its own instance of the engine runs the lint
// jobs one batch at a time, so hover, completion and code actions stay answered while a large
// policy is being checked. When no worker can be started, the jobs run in this thread.

import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import * as engine from "iamscope-engine";
import type { LintOptions, LintReport } from "iamscope-engine";

export interface LintJob {
  text: string;
  options: LintOptions;
}

interface Request {
  id: number;
  jobs: LintJob[];
}

type Reply = { id: number; reports: LintReport[] } | { id: number; error: string };

const WORKER_FLAG = "iamscopeLintWorker";

/** True in the lint worker thread (the same bundled file runs in both). */
export function isLintWorker(): boolean {
  return !isMainThread && typeof workerData === "object" && workerData !== null && WORKER_FLAG in workerData;
}

/** The worker's loop. */
export function runLintWorker(): void {
  parentPort?.on("message", (req: Request) => {
    let reply: Reply;
    try {
      reply = { id: req.id, reports: req.jobs.map((j) => engine.lintReport(j.text, j.options)) };
    } catch (e) {
      reply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
    }
    parentPort?.postMessage(reply);
  });
}

export class Linter {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 1;
  private waiting = new Map<number, { resolve: (r: LintReport[]) => void; reject: (e: Error) => void }>();

  constructor(private readonly useWorker = process.env.IAMSCOPE_LSP_NO_WORKER !== "1") {}

  private start(): Worker | undefined {
    if (this.worker || this.failed || !this.useWorker) return this.worker;
    try {
      const w = new Worker(__filename, { workerData: { [WORKER_FLAG]: true } });
      w.on("message", (reply: Reply) => {
        const p = this.waiting.get(reply.id);
        if (!p) return;
        this.waiting.delete(reply.id);
        if ("error" in reply) p.reject(new Error(reply.error));
        else p.resolve(reply.reports);
      });
      const fail = (e: unknown): void => {
        this.worker = undefined;
        this.failed = true;
        for (const p of this.waiting.values()) p.reject(e instanceof Error ? e : new Error(String(e)));
        this.waiting.clear();
      };
      w.on("error", fail);
      w.on("exit", (code) => {
        if (this.worker === w) fail(new Error(`the lint worker exited with code ${code}`));
      });
      w.unref();
      this.worker = w;
    } catch {
      this.failed = true;
    }
    return this.worker;
  }

  /** Lints each job; reports in the same order. */
  lint(jobs: LintJob[]): Promise<LintReport[]> {
    const w = this.start();
    if (!w) return Promise.resolve(jobs.map((j) => engine.lintReport(j.text, j.options)));
    const id = this.nextId++;
    return new Promise<LintReport[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage({ id, jobs } satisfies Request);
    }).catch(() => jobs.map((j) => engine.lintReport(j.text, j.options)));
  }

  close(): void {
    const w = this.worker;
    this.worker = undefined;
    this.failed = true;
    void w?.terminate();
  }
}
