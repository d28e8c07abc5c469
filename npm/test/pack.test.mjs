// The package as users get it: `npm pack`, install the tarball into a fresh project (offline: the
// package has no dependencies), run every README example there (```js cjs blocks as CommonJS,
// ```js esm blocks as ES modules), and type-check the ```ts blocks as a consumer with
// `tsc --noEmit --strict`, once as an ES module and once as CommonJS.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const npmDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(npmDir, "node_modules", "typescript", "bin", "tsc");
const npmCli = process.env.npm_execpath || "npm";

/** The fenced code blocks of the README: [{ lang, tag, code }]. */
export function readmeBlocks(markdown) {
  const blocks = [];
  const re = /^```(\w+)([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  for (let m; (m = re.exec(markdown)); ) {
    blocks.push({ lang: m[1], tag: m[2].trim(), code: m[3] });
  }
  return blocks;
}

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, npm_config_yes: "true" } });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${e.stdout}\n${e.stderr}`);
  }
}

function npm(args, cwd) {
  return npmCli.endsWith(".js") ? run(process.execPath, [npmCli, ...args], cwd) : run("npm", args, cwd);
}

test("README blocks are found and tagged", () => {
  const blocks = readmeBlocks(readFileSync(join(npmDir, "README.md"), "utf8"));
  const js = blocks.filter((b) => b.lang === "js");
  assert.ok(js.length >= 4, "README has runnable examples");
  for (const b of js) assert.ok(b.tag === "cjs" || b.tag === "esm", `untagged js block:\n${b.code}`);
  assert.ok(js.some((b) => b.tag === "cjs") && js.some((b) => b.tag === "esm"));
  assert.ok(blocks.some((b) => b.lang === "ts"));
});

test("npm pack, install offline, run the README examples, tsc a consumer", { timeout: 300_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), "iamscope-pack-"));
  try {
    const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", work], npmDir));
    const tarball = join(work, packed[0].filename);
    const files = packed[0].files.map((f) => f.path).sort();
    assert.ok(files.includes("dist/wasm/iamscope_bg.wasm"));
    assert.equal(files.filter((f) => f.endsWith(".wasm")).length, 1, "one WebAssembly file");
    assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("test/")), files.join());
    assert.ok(packed[0].size < 1.5 * 1024 * 1024, `tarball ${packed[0].size} bytes`);

    const app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    npm(["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], app);
    const installed = JSON.parse(readFileSync(join(app, "node_modules", "iamscope", "package.json"), "utf8"));
    assert.deepEqual(installed.dependencies ?? {}, {});

    const blocks = readmeBlocks(readFileSync(join(app, "node_modules", "iamscope", "README.md"), "utf8"));
    let n = 0;
    for (const b of blocks.filter((x) => x.lang === "js")) {
      const file = join(app, `example-${++n}.${b.tag === "cjs" ? "cjs" : "mjs"}`);
      writeFileSync(file, b.code);
      run(process.execPath, [file], app);
    }

    const ts = blocks.filter((b) => b.lang === "ts").map((b) => b.code).join("\n");
    writeFileSync(join(app, "consumer.mts"), ts);
    writeFileSync(join(app, "consumer.cts"), ts);
    writeFileSync(join(app, "web-consumer.mts"), 'import { init, lint, type Diagnostic } from "iamscope/web";\nawait init(new URL("https://example.invalid/iamscope_bg.wasm"));\nconst d: Diagnostic[] = lint("{}");\nconsole.log(d.length);\n');
    const common = ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck", "false"];
    run(process.execPath, [tsc, ...common, "--lib", "es2022", "--types", "node", "--typeRoots", join(npmDir, "node_modules", "@types"), "consumer.mts", "consumer.cts"], app);
    run(process.execPath, [tsc, ...common, "--lib", "es2022,dom", "web-consumer.mts"], app);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
