// Playground figures for docs/benchmarks.md ("## Playground"): the size of www/dist per asset (raw
// and gzip -9), and first loads in headless Chromium from scripts/server.mjs (gzip on, cold cache,
// fresh profile each run): bytes transferred, time to the engine being ready, time to the first
// lint diagnostics on screen. Not a test: nothing is asserted.
//
//   node scripts/bench.mjs [--runs 7] [--write]     (after scripts/build.sh)

import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { cpus, loadavg } from "node:os";
import { execFileSync } from "node:child_process";
import { startServer } from "./server.mjs";
import { launch, CHROMIUM } from "../test/browser.mjs";

const www = fileURLToPath(new URL("..", import.meta.url));
const dist = join(www, "dist");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 7) || 7;

async function files(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}

const fmt = (n) => n.toLocaleString("en");
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const sizes = [];
for (const f of (await files(dist)).sort()) {
  const raw = await readFile(f);
  sizes.push({ name: relative(dist, f).replace(/-[A-Za-z0-9_-]{8}\./, "-<hash>."), raw: raw.length, gz: gzipSync(raw, { level: 9 }).length });
}
const total = sizes.reduce((a, s) => ({ raw: a.raw + s.raw, gz: a.gz + s.gz }), { raw: 0, gz: 0 });

const server = await startServer({ root: dist, port: 0 });
const samples = [];
for (let i = 0; i < runs; i++) {
  const b = await launch();
  const page = await b.context.newPage();
  await page.goto(server.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
  await page.waitForFunction(() => document.documentElement.dataset.firstLint !== undefined, null, { timeout: 60_000 });
  const m = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const res = performance.getEntriesByType("resource");
    const mark = (n) => performance.getEntriesByName(n)[0]?.startTime;
    return {
      transfer: nav.transferSize + res.reduce((a, r) => a + r.transferSize, 0),
      requests: 1 + res.length,
      dcl: nav.domContentLoadedEventEnd,
      engine: mark("iamscope:engine-ready"),
      lint: mark("iamscope:first-lint"),
    };
  });
  samples.push(m);
  await b.close();
}
await server.close();

const chromiumVersion = execFileSync(CHROMIUM, ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim().replace(/ built on.*/, "");
const date = new Date().toISOString().slice(0, 10);
const load = loadavg().map((x) => x.toFixed(1)).join(" ");
const lines = [];
lines.push("## Playground");
lines.push("");
lines.push("The static site in www/ (Vite build of CodeMirror 6 and the npm package's `./web` entry). Reproduce:");
lines.push("`www/scripts/build.sh && node www/scripts/bench.mjs --runs " + runs + "`.");
lines.push("");
lines.push(`Measured ${date} on the project's machine kind (${cpus().length} vCPU ${cpus()[0]?.model.trim() ?? ""}, Debian, Node ${process.version}, ${chromiumVersion} headless), load average ${load} while other engineers' builds ran: the times are inflated by that contention.`);
lines.push("");
lines.push("### Built size (www/dist)");
lines.push("");
lines.push("| asset | raw | gzip -9 |");
lines.push("|---|---:|---:|");
for (const s of sizes) lines.push(`| \`${s.name}\` | ${fmt(s.raw)} B | ${fmt(s.gz)} B |`);
lines.push(`| **total** | **${fmt(total.raw)} B** | **${fmt(total.gz)} B** |`);
lines.push("");
lines.push(`### First load (${runs} cold loads, fresh profile each, served gzip by www/scripts/server.mjs on 127.0.0.1)`);
lines.push("");
lines.push("| figure | median | min | max |");
lines.push("|---|---:|---:|---:|");
const row = (label, key, unit, digits = 0) => {
  const xs = samples.map((s) => s[key]).filter((x) => typeof x === "number");
  const f = (x) => (unit === "B" ? `${fmt(Math.round(x))} B` : `${x.toFixed(digits)} ${unit}`);
  lines.push(`| ${label} | ${f(median(xs))} | ${f(Math.min(...xs))} | ${f(Math.max(...xs))} |`);
};
row("bytes transferred (all requests, headers included)", "transfer", "B");
row("requests", "requests", "requests", 0);
row("DOMContentLoaded", "dcl", "ms");
row("engine ready (wasm fetched, compiled, instantiated)", "engine", "ms");
row("first lint diagnostics on screen", "lint", "ms");
lines.push("");
lines.push("Times count from navigation start. The first lint includes the editors' lint delay (150 ms) after they mount.");
lines.push("Every request goes to the page's own origin (the end-to-end tests assert it).");
const section = lines.join("\n") + "\n";
process.stdout.write(section);

if (args.includes("--write")) {
  const path = join(www, "..", "docs", "benchmarks.md");
  let doc = await readFile(path, "utf8");
  const start = doc.indexOf("\n## Playground\n");
  if (start >= 0) {
    const next = doc.indexOf("\n## ", start + 1);
    doc = doc.slice(0, start + 1) + section + (next >= 0 ? "\n" + doc.slice(next + 1) : "");
  } else {
    doc = doc.replace(/\n*$/, "\n\n") + section;
  }
  await writeFile(path, doc);
  console.error(`wrote the Playground section of ${relative(process.cwd(), path)}`);
}

