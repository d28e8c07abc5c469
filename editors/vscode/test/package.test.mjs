// The packaged extension: what the .vsix holds, what its manifest contributes, and that the
// server inside it starts on its own (with the engine and .wasm beside it) and lints.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const vsix = process.env.IAMSCOPE_VSIX;
if (!vsix) throw new Error("IAMSCOPE_VSIX: the .vsix to check (editors/vscode/scripts/test.sh sets it)");

const { Client, fileUri, rangeOf } = await import(new URL("../../../npm/lsp/test/client.mjs", import.meta.url));

function unzip() {
  const dir = mkdtempSync(join(tmpdir(), "iamscope-vsix-"));
  execFileSync("python3", ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", vsix, dir]);
  return dir;
}

test("the .vsix holds the client, the server, the engine and its .wasm, and nothing else", () => {
  const dir = unzip();
  try {
    const list = execFileSync("python3", ["-c", "import sys, zipfile; print('\\n'.join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))", vsix], { encoding: "utf8" })
      .trim()
      .split("\n");
    assert.deepEqual(
      list.filter((f) => f.startsWith("extension/")),
      [
        "extension/LICENSE.txt",
        "extension/dist/extension.js",
        "extension/dist/iamscope-lsp.cjs",
        "extension/dist/node.cjs",
        "extension/dist/wasm/iamscope_bg.wasm",
        "extension/package.json",
        "extension/readme.md",
      ],
    );
    const manifest = JSON.parse(readFileSync(join(dir, "extension", "package.json"), "utf8"));
    assert.equal(manifest.main, "./dist/extension.js");
    assert.deepEqual(manifest.contributes.commands.map((c) => `${c.category}: ${c.title}`), ["iamscope: Simulate request"]);
    const props = Object.keys(manifest.contributes.configuration.properties);
    for (const p of ["iamscope.select", "iamscope.ignore", "iamscope.severity", "iamscope.kinds", "iamscope.policyGlobs"]) {
      assert.ok(props.includes(p), p);
    }
    assert.ok(manifest.activationEvents.includes("onLanguage:yaml"));
    // The client bundle carries vscode-languageclient and leaves `vscode` to the host.
    const js = readFileSync(join(dir, "extension", "dist", "extension.js"), "utf8");
    assert.match(js, /require\("vscode"\)/);
    assert.match(js, /iamscope-lsp\.cjs/);
    assert.ok(!existsSync(join(dir, "extension", "node_modules")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the server inside the .vsix runs on its own over stdio", async () => {
  const dir = unzip();
  const c = new Client({ server: join(dir, "extension", "dist", "iamscope-lsp.cjs") });
  try {
    await c.initialize({ rootPath: dir });
    const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjct", "Resource": "*"}]}';
    const uri = fileUri(join(dir, "policy.json"));
    const p = await c.open(uri, text);
    const d = p.diagnostics.find((x) => x.code === "INVALID_ACTION");
    assert.ok(d, JSON.stringify(p.diagnostics.map((x) => x.code)));
    assert.deepEqual(d.range, rangeOf(text, '"s3:GetObjct"'));
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
