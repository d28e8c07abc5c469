// Linting off the main thread: a worker thread with its own instance of the engine runs the lint
// jobs (and the least-privilege summaries of the code lenses) one batch at a time, so hover,
// completion and code actions stay answered while a large policy is being checked. When no worker
// can be started, the jobs run in this thread.

import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import * as engine from "iamscope-engine";
import type { LintOptions, LintReport, PolicySummary } from "iamscope-engine";

export interface LintJob {
  text: string;
  options: LintOptions;
}

type Request = { id: number; jobs: LintJob[] } | { id: number; summarize: string[] };

type Reply =
  | { id: number; reports: LintReport[]; engineMs: number }
  | { id: number; summaries: PolicySummary[] }
  | { id: number; error: string };

/** What a batch of jobs gave: the reports, in job order, and the time the engine took. */
export interface LintOutcome {
  reports: LintReport[];
  /** Milliseconds spent in the engine's `lintReport` calls (in the worker when there is one). */
  engineMs: number;
}

function runJobs(jobs: LintJob[]): LintOutcome {
  const t0 = performance.now();
  const reports = jobs.map((j) => engine.lintReport(j.text, j.options));
  return { reports, engineMs: performance.now() - t0 };
}

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
      reply = "jobs" in req ? { id: req.id, ...runJobs(req.jobs) } : { id: req.id, summaries: req.summarize.map((t) => engine.summarize(t)) };
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
  private waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

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
        else p.resolve(reply);
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

  /**
   * Lints each job; reports in the same order. With `inline`, in this thread: for jobs known to be
   * fast, the two thread hops of the worker (each a wake-up, which the OS may delay by a scheduling
   * slice on a busy machine) cost more than the lint itself.
   */
  lint(jobs: LintJob[], inline = false): Promise<LintOutcome> {
    const w = inline ? undefined : this.start();
    if (!w) return Promise.resolve(runJobs(jobs));
    return this.send(w, (id) => ({ id, jobs }))
      .then((r) => ("reports" in r ? { reports: r.reports, engineMs: r.engineMs } : runJobs(jobs)))
      .catch(() => runJobs(jobs));
  }

  /** Starts the worker and has it load the engine now, so the first document's lint does not wait for both. */
  warm(): void {
    if (this.useWorker) void this.lint([{ text: "{}", options: {} }]);
  }

  /** The least-privilege summary of each text, in the worker (after the lint jobs before it). */
  summarize(texts: string[]): Promise<PolicySummary[]> {
    const here = (): PolicySummary[] => texts.map((t) => engine.summarize(t));
    const w = this.start();
    if (!w) return Promise.resolve(here());
    return this.send(w, (id) => ({ id, summarize: texts }))
      .then((r) => ("summaries" in r ? r.summaries : here()))
      .catch(here);
  }

  private send(w: Worker, request: (id: number) => Request): Promise<Reply> {
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage(request(id));
    });
  }

  close(): void {
    const w = this.worker;
    this.worker = undefined;
    this.failed = true;
    void w?.terminate();
  }
}
