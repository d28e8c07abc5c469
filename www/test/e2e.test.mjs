// End-to-end tests of the built playground (www/dist) in headless Chromium (Debian's, driven by
// playwright-core): served by scripts/server.mjs on 127.0.0.1 with the CSP header; every request
// of every page is recorded and must go to the page's own origin; CSP violations and page errors
// fail the test. Screenshots (light and dark) go to tests-output/playground/.
//
//   node --test test/e2e.test.mjs          (after scripts/build.sh; scripts/test.sh does both)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startServer } from "../scripts/server.mjs";
import { launch } from "./browser.mjs";

const www = fileURLToPath(new URL("..", import.meta.url));
const outDir = process.env.PLAYGROUND_TEST_OUTPUT || join(www, "..", "tests-output", "playground");

let server;
let browser;
const requests = [];
const problems = []; // CSP violations, page errors, console errors

before(async () => {
  await mkdir(outDir, { recursive: true });
  server = await startServer({ root: join(www, "dist"), port: 0 });
  browser = await launch();
  browser.context.on("request", (r) => requests.push(r.url()));
  browser.context.on("page", (p) => watch(p));
  for (const p of browser.context.pages()) watch(p);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function watch(page) {
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || /Content Security Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
}

async function open(hash = "", { theme } = {}) {
  const page = await browser.context.newPage();
  const url = `${server.url}${theme ? `?theme=${theme}` : ""}${hash}`;
  await page.goto(url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 30_000 });
  await page.evaluate(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return page;
}

/** Waits for the engine's first lint of every editor on the page. */
async function linted(page) {
  await page.waitForFunction(() => document.documentElement.dataset.firstLint !== undefined, null, { timeout: 15_000 });
}

async function setEditor(page, selector, text) {
  const content = page.locator(`${selector} .cm-content`).first();
  await content.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

async function loadExample(page, id) {
  await page.selectOption("#examples", id);
  await page.waitForSelector(".result .decision, .sim-errors");
}

async function problemCodes(page) {
  return page.locator(".problem").evaluateAll((rows) => rows.map((r) => r.dataset.code));
}

function assertSameOrigin() {
  const origin = new URL(server.url).origin;
  const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`));
  assert.deepEqual(foreign, [], `requests to other origins: ${foreign.join(", ")}`);
}

const BROKEN = `{
  "Statement": [
    {
      "Sid": "Read reports",
      "Effect": "allow",
      "Action": ["s3:GetObjcet", "s3:ListBucket"],
      "Resource": "arn:aws:s3:::example-reports/*",
      "Condition": {
        "stringequals": {"aws:RequestedRegion": "eu-west-1"}
      }
    }
  ]
}`;

test("the page loads the engine from its own origin and shows the catalog's version and date", async () => {
  const page = await open();
  await linted(page);
  const footer = await page.locator("#catalog-version").textContent();
  assert.match(footer, /AWS service catalog \d+\.\d+\.\d+ · data of \d{4}-\d{2}-\d{2}/);
  const wasm = requests.find((u) => u.endsWith(".wasm"));
  assert.ok(wasm, "the .wasm was fetched");
  const head = await fetch(new URL(wasm));
  assert.equal(head.headers.get("content-type"), "application/wasm");
  assert.match(head.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.match(meta, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  await page.close();
});

test("a broken policy shows the expected codes in the problems list and underlines in its editor", async () => {
  const page = await open();
  await linted(page);
  await setEditor(page, '.layer-card[data-type="identity"]', BROKEN);
  await page.waitForFunction(
    () => document.querySelector("#app").shadowRoot.querySelectorAll('.problem[data-code="INVALID_ACTION"]').length === 1,
  );
  const codes = await problemCodes(page);
  for (const c of ["MISSING_VERSION", "UNSUPPORTED_SID", "INVALID_EFFECT", "INVALID_ACTION", "INVALID_CONDITION_OPERATOR"]) {
    assert.ok(codes.includes(c), `${c} in ${codes.join(", ")}`);
  }
  const card = page.locator('.layer-card[data-type="identity"]');
  const underlined = await card.locator(".cm-lintRange-error").allTextContents();
  assert.ok(underlined.some((t) => t.includes("s3:GetObjcet")), `underlines: ${underlined.join(" | ")}`);
  assert.ok(underlined.some((t) => t.includes("allow")));
  assert.ok((await card.locator(".cm-lint-marker-error").count()) >= 1, "gutter markers");
  // The code links to the rule's documentation.
  await page.locator('.problem[data-code="INVALID_ACTION"] .code-link').click();
  await page.waitForSelector("dialog[open] .rule-doc");
  assert.match(await page.locator("dialog[open]").textContent(), /Bad|Good/);
  await page.screenshot({ path: join(outDir, "rule-doc-light.png"), caret: "initial" });
  await page.keyboard.press("Escape");

  // A quick fix with a click (the problems list), then another from the editor's tooltip.
  await page.locator('.problem[data-code="INVALID_ACTION"] .btn-fix').click();
  await page.waitForFunction(
    () => document.querySelector("#app").shadowRoot.querySelectorAll('.problem[data-code="INVALID_ACTION"]').length === 0,
  );
  const text = await card.locator(".cm-content").textContent();
  assert.ok(text.includes('"s3:GetObject"') && !text.includes("GetObjcet"), text);
  await card.locator(".cm-lintRange-error", { hasText: "allow" }).hover();
  await page.locator(".cm-tooltip-lint .cm-diagnosticAction").first().click();
  await page.waitForFunction(
    () => document.querySelector("#app").shadowRoot.querySelectorAll('.problem[data-code="INVALID_EFFECT"]').length === 0,
  );
  assert.ok((await card.locator(".cm-content").textContent()).includes('"Effect": "Allow"'));
  await page.close();
});

test("a request denied by an SCP names the SCP level as the deciding layer and highlights the statement", async () => {
  const page = await open();
  await loadExample(page, "scp-regions");
  const decision = page.locator(".result .decision");
  assert.equal(await decision.getAttribute("data-decision"), "ExplicitDeny");
  assert.equal(await decision.getAttribute("data-deciding-layer"), "scp");
  assert.match(await page.locator(".deciding-layer").textContent(), /SCP · Account/);
  const scp = page.locator('.layer-card[data-type="scp"]', { hasText: "DenyOutsideApprovedRegions" });
  assert.ok((await scp.locator(".cm-hl-deny").count()) > 0, "the deny statement is highlighted");
  assert.match((await scp.locator(".cm-hl-cond").allTextContents()).join(""), /aws:RequestedRegion/);
  // Change the region: the live mode re-simulates and the identity policy allows.
  await page.fill(".ctx-value", "eu-west-1");
  await page.waitForFunction(
    () => document.querySelector("#app").shadowRoot.querySelector(".result .decision")?.dataset.decision === "Allow",
  );
  // Ctrl+Enter simulates with the live mode off.
  await page.uncheck(".live input");
  await page.fill(".ctx-value", "ap-south-1");
  await page.waitForSelector(".stale:not([hidden])");
  await page.keyboard.press("Control+Enter");
  await page.waitForFunction(
    () => document.querySelector("#app").shadowRoot.querySelector(".result .decision")?.dataset.decision === "ExplicitDeny",
  );
  await page.close();
});

test("every example gives the decision it was written for", async () => {
  const src = await readFile(join(www, "src", "examples.ts"), "utf8");
  const expected = [...src.matchAll(/id: "([^"]+)",\s*title: "([^"]+)",\s*blurb: "[^"]*",\s*expect: "(\w+)"/g)].map((m) => [m[1], m[3]]);
  assert.equal(expected.length, 5);
  const page = await open();
  for (const [id, decision] of expected) {
    await loadExample(page, id);
    await page.waitForFunction(
      (d) => document.querySelector("#app").shadowRoot.querySelector(".result .decision")?.dataset.decision === d,
      decision,
      { timeout: 5000 },
    ).catch(async () => {
      const got = await page.locator(".result .decision").getAttribute("data-decision").catch(() => "none");
      assert.fail(`${id}: expected ${decision}, got ${got}`);
    });
  }
  // The MFA example names the missing key in plain words and adds it with a click.
  await loadExample(page, "mfa-admin");
  assert.match(await page.locator(".missing-keys").textContent(), /aws:MultiFactorAuthPresent is not in the request/);
  await page.locator(".missing-keys button").click();
  await page.waitForFunction(
    () => document.querySelector("#app").shadowRoot.querySelector(".result .decision")?.dataset.decision === "Allow",
  );
  // The privilege escalation example is flagged by the linter.
  await loadExample(page, "privilege-escalation");
  await page.waitForFunction(() => document.querySelector("#app").shadowRoot.querySelectorAll(".problem").length > 0);
  const codes = await problemCodes(page);
  assert.ok(codes.some((c) => /ESCALATION|PASS_ROLE/.test(c)), codes.join(", "));
  await page.close();
});

test("hover shows an action's access level; completion offers actions; selecting s3:Get* expands it", async () => {
  const page = await open();
  await linted(page);
  const card = '.layer-card[data-type="identity"]';
  await setEditor(
    page,
    card,
    `{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": ["s3:PutObject", "s3:Get*"], "Resource": "*"}\n  ]\n}`,
  );
  await page.locator(`${card} .cm-line span`, { hasText: '"s3:PutObject"' }).first().hover();
  const tip = page.locator('.cm-tooltip-hover [data-hover-kind="action"]');
  await tip.waitFor({ timeout: 5000 });
  const tipText = await tip.textContent();
  assert.match(tipText, /Write/);
  assert.match(tipText, /object/);
  await page.screenshot({ path: join(outDir, "hover-light.png"), caret: "initial" });

  // Completion: type the start of an action inside a string.
  await page.locator(`${card} .cm-content`).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("End");
  await page.keyboard.insertText("\n");
  await page.keyboard.insertText(`    ,{"Effect": "Allow", "Action": "iam:PassR`);
  await page.keyboard.type("o");
  const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "iam:PassRole" });
  await option.waitFor({ timeout: 5000 });
  await page.screenshot({ path: join(outDir, "completion-light.png"), caret: "initial" });
  await page.keyboard.press("Escape");

  // Wildcard expansion from a selection.
  // Select the whole string with the mouse (a double click stops at ':' and '*').
  const line = page.locator(`${card} .cm-line`, { hasText: '"s3:Get*"' }).first();
  const box = await line.locator("span", { hasText: '"s3:Get*"' }).first().boundingBox();
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.waitForSelector("#side-expand:not([hidden]) .expand-count", { timeout: 5000 });
  const count = await page.locator(".expand-count").textContent();
  const n = Number(count.split(" ")[0]);
  assert.ok(n > 40, count);
  const rows = await page.locator(".expand-table tbody tr").count();
  assert.equal(rows, n);
  assert.ok((await page.locator(".expand-table tbody tr td .level-read").count()) === n, "s3:Get* are Read actions");
  await page.screenshot({ path: join(outDir, "expand-light.png"), caret: "initial" });
  await page.close();
});

test("share link: a new page opened on it gets the same scenario", async () => {
  const page = await open();
  await loadExample(page, "bucket-vpce");
  await setEditor(page, '.layer-card[data-type="resource"]', '{"Version": "2012-10-17", "Statement": [] , "note": "ünïcödé ✓"}');
  await page.fill(".ctx-value", "vpce-1a2b3c4d");
  await page.click("#share-btn");
  const url = await page.locator("#share-url").inputValue();
  assert.ok(url.startsWith(server.url) && url.includes("#s="), url);
  const scenario = await page.evaluate(() => window.iamscopePlayground.app.scenario());
  const other = await browser.context.newPage();
  await other.goto(url);
  await other.waitForSelector("html[data-ready=true]");
  const again = await other.evaluate(() => window.iamscopePlayground.app.scenario());
  assert.deepEqual(again, scenario);
  assert.ok(JSON.stringify(again).includes("ünïcödé ✓"));
  await other.close();
  await page.close();
});

test("export writes the scenario file of iamscope simulate, and import reads it back", async () => {
  const page = await open();
  await loadExample(page, "trust-external-id");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=Export")]);
  const path = join(outDir, "scenario.json");
  await download.saveAs(path);
  const doc = JSON.parse(await readFile(path, "utf8"));
  assert.equal(doc.request.action, "sts:AssumeRole");
  assert.equal(doc.policies.resource.policy.Statement[0].Condition.StringEquals["sts:ExternalId"], "partner-7f3a9c");
  await loadExample(page, "mfa-admin");
  await page.setInputFiles("#import-file", path);
  await page.waitForFunction(
    () => document.querySelector("#app").shadowRoot.querySelector(".result .decision")?.dataset.decision === "Allow",
  );
  assert.equal(await page.locator(".layer-card .layer-kind").inputValue(), "trust");
  await page.close();
});

test("compare view: old and new side by side with the access the new one adds", async () => {
  const page = await open();
  await linted(page);
  await page.locator('.layer-card[data-type="identity"] button', { hasText: "Compare" }).click();
  await page.waitForSelector(".cm-mergeView");
  const b = page.locator(".cm-merge-b .cm-content");
  await b.click();
  await page.keyboard.press("Control+A");
  // Delete first: Chromium's editing, replacing a selection over highlighted spans, tries to keep
  // their look with a style attribute, which the CSP blocks (harmless, CodeMirror redraws).
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:RunInstances", "ec2:Describe*", "ec2:TerminateInstances"], Resource: "*" }] }, null, 2),
  );
  await page.click("#compare-btn");
  const added = page.locator(".diff-added .change", { hasText: "ec2:TerminateInstances" });
  await added.waitFor({ timeout: 20_000 });
  assert.equal(await page.locator(".diff-added .change").count(), 1, "only TerminateInstances is new");
  assert.equal(await page.locator(".diff-removed .change").count(), 0);
  await added.locator("button", { hasText: "Simulate" }).click();
  await added.locator('.witness-outcome [data-side="new"][data-decision="Allow"]').waitFor();
  assert.ok(await added.locator('.witness-outcome [data-side="old"]:not([data-decision="Allow"])').count());
  // The simulation uses the placement the diff carries for the witness: it reproduces the decisions the diff reports.
  const [oldDecision, newDecision] = (await added.locator(".change-head .muted").innerText()).split(" → ");
  assert.equal(await added.locator('.witness-outcome [data-side="old"]').getAttribute("data-decision"), oldDecision);
  assert.equal(await added.locator('.witness-outcome [data-side="new"]').getAttribute("data-decision"), newDecision);
  await added.locator("button", { hasText: "Show statements" }).click();
  assert.ok((await page.locator(".cm-merge-b .cm-hl-allow").count()) > 0, "the new statement is highlighted");
  await page.screenshot({ path: join(outDir, "compare-light.png"), caret: "initial" });
  // The witness opens as a scenario in a new tab (this workspace stays as it is).
  const [tab] = await Promise.all([browser.context.waitForEvent("page"), added.locator("button", { hasText: "new tab" }).click()]);
  await tab.waitForSelector("html[data-ready=true]");
  await tab.waitForSelector('.result .decision[data-decision="Allow"]');
  assert.equal(await tab.locator(".request-form input[name=action]").inputValue(), "ec2:TerminateInstances");
  await tab.close();
  assert.ok((await page.locator(".cm-merge-b .cm-changedLine").count()) > 0, "the merge view marks the change");
  await page.close();
});

test("keyboard: the main controls are reachable with Tab and labelled", async () => {
  const page = await open();
  await linted(page);
  const seen = new Set();
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const d = await page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      if (!el) return null;
      const label = el.getAttribute("aria-label") || el.textContent?.trim() || el.id || el.getAttribute("title");
      return { tag: el.tagName, id: el.id, label };
    });
    if (d) seen.add(d.id || d.label);
  }
  for (const id of ["tab-workspace", "examples", "share-btn", "theme-btn", "add-layer", "simulate-btn", "side-tab-result"]) {
    assert.ok([...seen].includes(id), `${id} reachable by Tab (saw ${[...seen].slice(0, 40).join(", ")})`);
  }
  // Arrow keys move between tabs.
  await page.focus("#tab-workspace");
  await page.keyboard.press("ArrowRight");
  await page.waitForSelector("#view-compare:not([hidden]) .cm-mergeView");
  assert.equal(await page.getAttribute("#tab-compare", "aria-selected"), "true");
  await page.keyboard.press("ArrowLeft");
  await page.waitForSelector("#view-workspace:not([hidden])");
  await page.close();
});

test("screenshots in light and dark themes", async () => {
  for (const theme of ["light", "dark"]) {
    const page = await open("", { theme });
    await loadExample(page, "scp-regions");
    await linted(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
    await page.waitForSelector(".toast:not(.show)", { state: "attached" });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(outDir, `playground-${theme}.png`), caret: "initial" });
    await loadExample(page, "mfa-admin");
    await setEditor(page, '.layer-card[data-type="identity"]', BROKEN);
    await page.waitForSelector('.problem[data-code="INVALID_ACTION"]');
    await page.waitForSelector(".toast:not(.show)", { state: "attached" });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(outDir, `problems-${theme}.png`), caret: "initial" });
    await page.close();
  }
});

test("no request left the page's origin, and no CSP violation or page error happened", () => {
  assert.ok(requests.length >= 4, `${requests.length} requests`);
  assertSameOrigin();
  assert.deepEqual(problems, []);
});
