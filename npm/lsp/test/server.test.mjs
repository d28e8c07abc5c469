// The language server driven over stdio by a JSON-RPC client (vscode-jsonrpc), as an editor
// drives it: initialize, didOpen, incremental didChange, publishDiagnostics, hover, completion,
// code actions, settings, iamscope.json, CloudFormation templates and the simulate command.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, fileUri, positionAt, rangeOf, applyEdits } from "./client.mjs";

let ws;
let client;

before(async () => {
  ws = mkdtempSync(join(tmpdir(), "iamscope-lsp-"));
  client = new Client();
  await client.initialize({ rootPath: ws });
});

after(async () => {
  await client.close();
  rmSync(ws, { recursive: true, force: true });
});

const codes = (p) => p.diagnostics.map((d) => d.code);
const byCode = (p, code) => {
  const d = p.diagnostics.find((x) => x.code === code);
  assert.ok(d, `expected ${code} in ${JSON.stringify(codes(p))}`);
  return d;
};

// Text with characters outside the BMP and two-byte characters ahead of the findings on the same
// lines, so a column counted in bytes or code points would differ from UTF-16.
const BROKEN = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow", "Action": ["s3:GetObjct", "iam:PassRole"], "Resource": "*"
    },
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bücket-😀", "Condition": {"StringEquals": {"s3:prefix": "é"}}}
  ]
}`;

test("initialize announces incremental sync, UTF-16 positions and the features", async () => {
  const c = new Client();
  try {
    const init = await c.initialize({ rootPath: ws });
    assert.equal(init.capabilities.textDocumentSync.change, 2);
    assert.equal(init.capabilities.positionEncoding, "utf-16");
    assert.equal(init.capabilities.hoverProvider, true);
    assert.deepEqual(init.capabilities.codeLensProvider, { resolveProvider: false });
    assert.ok(init.capabilities.completionProvider.triggerCharacters.includes('"'));
    assert.deepEqual(init.capabilities.executeCommandProvider.commands, ["iamscope.server.simulate"]);
    assert.match(init.serverInfo.name, /iamscope-lsp/);
    assert.match(init.serverInfo.version, /catalog \d/);
  } finally {
    await c.close();
  }
});

test("didOpen publishes diagnostics with codes, severities, UTF-16 ranges and rule links", async () => {
  const uri = fileUri(join(ws, "broken.json"));
  const p = await client.open(uri, BROKEN);
  assert.equal(p.version, 1);
  const invalid = byCode(p, "INVALID_ACTION");
  assert.deepEqual(invalid.range, rangeOf(BROKEN, '"s3:GetObjct"'));
  assert.equal(invalid.severity, 1); // ERROR -> Error
  assert.equal(invalid.source, "iamscope");
  assert.match(invalid.message, /did you mean s3:GetObject/);
  assert.equal(invalid.codeDescription.href.endsWith("/INVALID_ACTION.md"), true);
  const passRole = byCode(p, "PASS_ROLE_WITH_STAR_IN_RESOURCE");
  assert.deepEqual(passRole.range, rangeOf(BROKEN, '"iam:PassRole"'));
  assert.equal(passRole.severity, 2); // SECURITY_WARNING -> Warning
  // The bucket name with a non-BMP character: its range ends after the surrogate pair.
  const bucket = p.diagnostics.find((d) => d.range.start.line === 6 && d.code.startsWith("INVALID_ARN") || d.code === "UNSUPPORTED_CHARACTER");
  assert.ok(bucket, JSON.stringify(codes(p)));
  const line6 = BROKEN.split("\n")[6];
  if (bucket.code === "UNSUPPORTED_CHARACTER") {
    const col = line6.indexOf("😀");
    assert.deepEqual(bucket.range, { start: { line: 6, character: col }, end: { line: 6, character: col + 2 } });
  }
  // s3:prefix is supported by s3:ListBucket: no finding on it.
  assert.ok(!p.diagnostics.some((d) => d.code === "MISSING_ACTION_FOR_CONDITION_KEY"));
});

test("incremental didChange: a range edit fixes the action and shifts the other ranges", async () => {
  const uri = fileUri(join(ws, "incremental.json"));
  let text = BROKEN;
  const first = await client.open(uri, text);
  assert.ok(codes(first).includes("INVALID_ACTION"));
  // Replace the typo by an edit of its range only.
  const typo = rangeOf(text, "GetObjct");
  let p = await client.change(uri, [{ range: typo, text: "GetObject" }]);
  text = text.replace("GetObjct", "GetObject");
  assert.equal(p.version, 2);
  assert.ok(!codes(p).includes("INVALID_ACTION"), JSON.stringify(codes(p)));
  assert.deepEqual(byCode(p, "PASS_ROLE_WITH_STAR_IN_RESOURCE").range, rangeOf(text, '"iam:PassRole"'));
  // Insert a line at the top (two edits in one change): every finding moves down a line.
  p = await client.change(uri, [
    { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, text: "\n" },
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "  " },
  ]);
  text = `{\n  ${text.slice(1)}`;
  assert.deepEqual(byCode(p, "PASS_ROLE_WITH_STAR_IN_RESOURCE").range, rangeOf(text, '"iam:PassRole"'));
  // Break the JSON: a syntax error, not a crash.
  const end = positionAt(text, text.length);
  p = await client.change(uri, [{ range: { start: { line: end.line, character: 0 }, end }, text: "" }]);
  assert.ok(codes(p).some((c) => c.includes("JSON") || c.includes("SYNTAX")), JSON.stringify(codes(p)));
  // A full-text change works too.
  p = await client.change(uri, [{ text: '{"Version": "2012-10-17", "Statement": []}' }]);
  assert.ok(codes(p).length >= 1);
  assert.ok(!codes(p).includes("PASS_ROLE_WITH_STAR_IN_RESOURCE"));
});

test("related locations point at the first occurrence", async () => {
  const uri = fileUri(join(ws, "dup.json"));
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "A", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}
  ]
}`;
  const p = await client.open(uri, text);
  const withRelated = p.diagnostics.filter((d) => d.relatedInformation?.length);
  assert.ok(withRelated.length > 0, JSON.stringify(codes(p)));
  const d = withRelated[0];
  assert.equal(d.relatedInformation[0].location.uri, uri);
  assert.ok(d.relatedInformation[0].location.range.start.line < d.range.start.line + 1);
});

test("hover on an action shows its access level; on operators and condition keys too", async () => {
  const uri = fileUri(join(ws, "hover.json"));
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "*",
  "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}]}`;
  await client.open(uri, text);
  const at = (needle) => positionAt(text, text.indexOf(needle) + 3);
  const h = await client.request("textDocument/hover", { textDocument: { uri }, position: at("iam:PassRole") });
  assert.equal(h.contents.kind, "markdown");
  assert.match(h.contents.value, /Access level: Write/);
  assert.deepEqual(h.range, rangeOf(text, '"iam:PassRole"'));
  const op = await client.request("textDocument/hover", { textDocument: { uri }, position: at("StringEquals") });
  assert.match(op.contents.value, /StringEquals/);
  const key = await client.request("textDocument/hover", { textDocument: { uri }, position: at("iam:PassedToService") });
  assert.match(key.contents.value, /Type: String/);
  const none = await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 0 } });
  assert.equal(none, null);
});

test("completion offers actions, operators and the statement's condition keys, replacing the string's content", async () => {
  const uri = fileUri(join(ws, "complete.json"));
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetOb"], "Resource": "*",
  "Condition": {"StringEq": {"s3:": "x"}}}]}`;
  await client.open(uri, text);
  const cursor = (needle, k) => positionAt(text, text.indexOf(needle) + k);
  const actions = await client.request("textDocument/completion", { textDocument: { uri }, position: cursor("s3:GetOb", 8) });
  assert.equal(actions.isIncomplete, true);
  const get = actions.items.find((i) => i.label === "s3:GetObject");
  assert.ok(get, actions.items.map((i) => i.label).join(","));
  assert.equal(get.kind, 3); // Function
  assert.equal(get.detail, "Read");
  assert.deepEqual(get.textEdit.range, rangeOf(text, "s3:GetOb"));
  assert.equal(get.textEdit.newText, "s3:GetObject");
  const ops = await client.request("textDocument/completion", { textDocument: { uri }, position: cursor("StringEq", 8) });
  assert.ok(ops.items.some((i) => i.label === "StringEquals" && i.kind === 24)); // Operator
  const keys = await client.request("textDocument/completion", { textDocument: { uri }, position: cursor('"s3:"', 4) });
  const labels = keys.items.map((i) => i.label);
  assert.ok(labels.includes("s3:ExistingObjectTag/${TagKey}") || labels.some((l) => l.startsWith("s3:")), labels.join(","));
  assert.ok(labels.every((l) => l.toLowerCase().startsWith("s3:")));
});

test("code lens: each statement's least-privilege summary, in plain words, at the statement", async () => {
  const uri = fileUri(join(ws, "lens.json"));
  const text = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "😀Read", "Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket"], "Resource": "arn:aws:s3:::b/*"},
  {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
  {"Effect": "Allow", "Resource": "*"}
]}`;
  await client.open(uri, text);
  const lenses = await client.request("textDocument/codeLens", { textDocument: { uri } });
  // the third statement has no Action: no lens
  assert.equal(lenses.length, 2, JSON.stringify(lenses));
  const engine = (await import("../../dist/node.js"));
  const get = engine.expandAction("s3:Get*");
  const levels = (xs) => ["List", "Read", "Write", "Permissions management", "Tagging"].map((l) => [l, xs.filter((a) => a.accessLevel === l).length]).filter(([, n]) => n > 0);
  const expected = levels([...get, engine.describeAction("s3:ListBucket")]).map(([l, n]) => `${n} ${l}`).join(", ");
  assert.equal(lenses[0].command.title, `Allows ${get.length + 1} actions: ${expected} in 1 service (s3)`);
  assert.deepEqual(lenses[0].range.start, positionAt(text, text.indexOf('{"Sid"')));
  assert.equal(lenses[1].command.title, "Denies 1 action: 1 Write in 1 service (iam) · all resources · with conditions");
  assert.deepEqual(lenses[1].range.start, { line: 2, character: 2 });
  // the Statement key's hover: the policy-wide summary
  const h = await client.request("textDocument/hover", { textDocument: { uri }, position: positionAt(text, text.indexOf('"Statement"') + 2) });
  assert.match(h.contents.value, /\*\*Least-privilege summary\*\*: allows (\d+) actions in 1 service/);
  // s3:Get* + ListBucket (the Deny is conditional, so it does not subtract)
  assert.match(h.contents.value, new RegExp(`allows ${get.length + 1} actions`));
  assert.match(h.contents.value, /\| `s3` \| /);
  assert.match(h.contents.value, /Wildcards: `s3:Get\*` \d+/);
  // switched off by the setting
  await client.notify("workspace/didChangeConfiguration", { settings: { iamscope: { codeLens: false } } });
  assert.deepEqual(await client.request("textDocument/codeLens", { textDocument: { uri } }), []);
  await client.notify("workspace/didChangeConfiguration", { settings: { iamscope: {} } });
  assert.equal((await client.request("textDocument/codeLens", { textDocument: { uri } })).length, 2);
});

test("code lens in a CloudFormation template: at the embedded statement", async () => {
  const uri = fileUri(join(ws, "lens-template.yaml"));
  const text = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
`;
  await client.open(uri, text, "yaml");
  const lenses = await client.request("textDocument/codeLens", { textDocument: { uri } });
  assert.equal(lenses.length, 1, JSON.stringify(lenses));
  assert.match(lenses[0].command.title, /^Allows 1 action: 1 Write in 1 service \(sts\)/);
  assert.equal(lenses[0].range.start.line, 8);
});

test("hover: docs links for actions, keys and operators; which actions support a key", async () => {
  const uri = fileUri(join(ws, "hover-links.json"));
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "*",
  "Condition": {"StringLike": {"s3:prefix": "home/"}}}]}`;
  await client.open(uri, text);
  const at = (needle) => positionAt(text, text.indexOf(needle) + 3);
  const hover = async (needle) => (await client.request("textDocument/hover", { textDocument: { uri }, position: at(needle) })).contents.value;
  const action = await hover("s3:ListBucket");
  assert.match(action, /Access level: List/);
  assert.match(action, /Resource types:(\n- .*)*\n- bucket `arn:\$\{Partition\}:s3:::\$\{BucketName\}`/);
  assert.match(action, /Condition keys: .*`s3:prefix`/);
  assert.match(action, /\(https:\/\/docs\.aws\.amazon\.com\/service-authorization\/latest\/reference\/list_amazons3\.html#amazons3-actions-as-permissions\)/);
  const key = await hover("s3:prefix");
  assert.match(key, /Type: String/);
  assert.match(key, /Supported by 1 of the statement's 2 actions: `s3:ListBucket`/);
  assert.match(key, /Not by: `s3:GetObject`/);
  assert.match(key, /\d+ of the \d+ s3 actions support it: .*`s3:ListBucket`/);
  assert.match(key, /list_amazons3\.html#amazons3-policy-keys/);
  const op = await hover("StringLike");
  assert.match(op, /wildcards/);
  assert.match(op, /reference_policies_elements_condition_operators\.html#Conditions_String/);
});

test("completion: action wildcards with the number of actions they cover; principal keys", async () => {
  const uri = fileUri(join(ws, "complete-wild.json"));
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get"], "Resource": "*", "Principal": {"": "*"}}]}`;
  await client.open(uri, text);
  const list = await client.request("textDocument/completion", { textDocument: { uri }, position: positionAt(text, text.indexOf("s3:Get") + 6) });
  const wild = list.items.find((i) => i.label === "s3:Get*");
  assert.ok(wild, list.items.map((i) => i.label).slice(0, 20).join(","));
  const engine = (await import("../../dist/node.js"));
  assert.match(wild.detail, new RegExp(`^${engine.expandAction("s3:Get*").length} actions: `));
  assert.equal(wild.textEdit.newText, "s3:Get*");
  assert.deepEqual(wild.textEdit.range, rangeOf(text, "s3:Get"));
  const principal = await client.request("textDocument/completion", { textDocument: { uri }, position: positionAt(text, text.indexOf('{"": "*"}') + 2) });
  assert.deepEqual(principal.items.map((i) => i.label).sort(), ["AWS", "CanonicalUser", "Federated", "Service"]);
});

test("code action: the quick fix from the engine, applied, removes the finding", async () => {
  const uri = fileUri(join(ws, "fix.json"));
  let text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjct", "Resource": "arn:aws:s3:::b/*"}]}`;
  const p = await client.open(uri, text);
  const d = byCode(p, "INVALID_ACTION");
  const actions = await client.request("textDocument/codeAction", {
    textDocument: { uri },
    range: d.range,
    context: { diagnostics: [d] },
  });
  const fix = actions.find((a) => a.kind === "quickfix");
  assert.ok(fix, JSON.stringify(actions));
  assert.equal(fix.title, "Replace with s3:GetObject");
  assert.equal(fix.isPreferred, true);
  assert.equal(fix.diagnostics[0].code, "INVALID_ACTION");
  const edits = fix.edit.changes[uri];
  text = applyEdits(text, edits);
  assert.match(text, /"Action": "s3:GetObject"/);
  const after = await client.change(uri, [{ text }]);
  assert.ok(!codes(after).includes("INVALID_ACTION"));
  // Nothing to fix away from the findings.
  const none = await client.request("textDocument/codeAction", {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [] },
  });
  assert.deepEqual(none.filter((a) => a.kind === "quickfix"), []);
});

test("code action: fix all applies every safe fix at once", async () => {
  const uri = fileUri(join(ws, "fixall.json"));
  let text = `{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObjct", "s3:PutObjct"], "Resource": "arn:aws:s3:::b/*"}]}`;
  const p = await client.open(uri, text);
  assert.ok(codes(p).includes("MISSING_VERSION"));
  const actions = await client.request("textDocument/codeAction", {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ["source.fixAll"] },
  });
  assert.equal(actions.length, 1);
  text = applyEdits(text, actions[0].edit.changes[uri]);
  const after = await client.change(uri, [{ text }]);
  assert.deepEqual(codes(after).filter((c) => c === "INVALID_ACTION" || c === "MISSING_VERSION"), []);
});

test("a CloudFormation template in YAML: embedded policies checked at their place in the template", async () => {
  const uri = fileUri(join(ws, "stack.yaml"));
  let text = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - s3:GetObjct
                  - 's3:PutObject'
                Resource: !Sub "arn:\${AWS::Partition}:s3:::\${Bucket}/*"
              - Effect: Allow
                Action: iam:PassRole
                Resource: "*"
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !GetAtt Role.Arn
            Action: s3:GetObject
            Resource:
              - !Join ["", [!GetAtt Bucket.Arn, "/*"]]
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: Root
            Effect: Allow
            Principal:
              AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:root"
            Action: kms:*
            Resource: "*"
`;
  const p = await client.open(uri, text, "yaml");
  const invalid = byCode(p, "INVALID_ACTION");
  assert.deepEqual(invalid.range, rangeOf(text, "s3:GetObjct"));
  const passRole = byCode(p, "PASS_ROLE_WITH_STAR_IN_RESOURCE");
  assert.deepEqual(passRole.range, rangeOf(text, "iam:PassRole"));
  // The bucket policy has no Version: the finding is on its document, in the template.
  const missing = byCode(p, "MISSING_VERSION");
  assert.ok(missing.range.start.line >= rangeOf(text, "PolicyDocument:\n        Statement").start.line);
  // Values computed by CloudFormation (!GetAtt, !Ref, ${Bucket}) are not judged.
  for (const d of p.diagnostics) {
    assert.ok(!/GetAtt|Role\.Arn|Bucket\.Arn/.test(d.message), d.message);
    assert.notEqual(d.code, "INVALID_PRINCIPAL_FORMAT", d.message);
    assert.notEqual(d.code, "VARIABLE_UNSUPPORTED_IN_ELEMENT", d.message);
  }
  // Hover in the template.
  const h = await client.request("textDocument/hover", {
    textDocument: { uri },
    position: positionAt(text, text.indexOf("s3:PutObject") + 4),
  });
  assert.match(h.contents.value, /Access level: Write/);
  assert.deepEqual(h.range, rangeOf(text, "'s3:PutObject'"));
  // Completion in the template.
  const comp = await client.request("textDocument/completion", {
    textDocument: { uri },
    position: positionAt(text, text.indexOf("iam:PassRole") + 7),
  });
  assert.ok(comp.items.some((i) => i.label === "iam:PassRole"));
  assert.deepEqual(comp.items[0].textEdit.range, rangeOf(text, "iam:PassRole"));
  // The quick fix replaces the plain scalar with a string that is valid YAML.
  const actions = await client.request("textDocument/codeAction", {
    textDocument: { uri },
    range: invalid.range,
    context: { diagnostics: [invalid] },
  });
  const fix = actions.find((a) => a.title === "Replace with s3:GetObject");
  assert.ok(fix, JSON.stringify(actions));
  text = applyEdits(text, fix.edit.changes[uri]);
  assert.match(text, /- "s3:GetObject"\n/);
  const after = await client.change(uri, [{ text }]);
  assert.ok(!codes(after).includes("INVALID_ACTION"));
  // Edits in YAML move the findings with them.
  const moved = await client.change(uri, [
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "# a comment\n" },
  ]);
  text = text.replace("Resources:\n", "# a comment\nResources:\n");
  assert.deepEqual(byCode(moved, "PASS_ROLE_WITH_STAR_IN_RESOURCE").range, rangeOf(text, "iam:PassRole"));
});

test("a CloudFormation template in JSON, with long-form intrinsic functions", async () => {
  const uri = fileUri(join(ws, "stack.template.json"));
  const text = JSON.stringify(
    {
      AWSTemplateFormatVersion: "2010-09-09",
      Resources: {
        Queue: { Type: "AWS::SQS::Queue" },
        QueuePolicy: {
          Type: "AWS::SQS::QueuePolicy",
          Properties: {
            Queues: [{ Ref: "Queue" }],
            PolicyDocument: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: "*",
                  Action: "sqs:SendMesage",
                  Resource: { "Fn::GetAtt": ["Queue", "Arn"] },
                  Condition: { ArnEquals: { "aws:SourceArn": { "Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:topic" } } },
                },
              ],
            },
          },
        },
      },
    },
    null,
    2,
  );
  const p = await client.open(uri, text);
  const invalid = byCode(p, "INVALID_ACTION");
  assert.deepEqual(invalid.range, rangeOf(text, '"sqs:SendMesage"'));
  for (const d of p.diagnostics) assert.ok(!d.message.includes("Fn::"), d.message);
});

test("files that are not policies get no diagnostics", async () => {
  const other = fileUri(join(ws, "data.json"));
  await client.openOnly(other, '{"name": "x", "items": [1, 2]}');
  const yaml = fileUri(join(ws, "workflow.yaml"));
  await client.openOnly(yaml, "on: push\njobs:\n  a:\n    runs-on: x\n", "yaml");
  const pkg = fileUri(join(ws, "package.json"));
  await client.openOnly(pkg, '{"Statement": "not a policy"}');
  // A policy opened after them is answered; the others never were.
  const uri = fileUri(join(ws, "after.json"));
  await client.open(uri, '{"Statement": []}');
  assert.equal(client.diagnostics.has(other), false);
  assert.equal(client.diagnostics.has(yaml), false);
  assert.equal(client.diagnostics.has(pkg), false);
});

test("settings: ignore, finding-type severities and code severities", async () => {
  const c = new Client();
  try {
    await c.initialize({
      rootPath: ws,
      initializationOptions: {
        settings: {
          ignore: ["MISSING_VERSION"],
          severity: { INVALID_ACTION: "SUGGESTION" },
          findingTypeSeverity: { SUGGESTION: "hint" },
        },
      },
    });
    const uri = fileUri(join(ws, "settings.json"));
    const p = await c.open(uri, '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObjct", "Resource": "arn:aws:s3:::b/*"}]}');
    assert.ok(!codes(p).includes("MISSING_VERSION"));
    assert.equal(byCode(p, "INVALID_ACTION").severity, 4); // SUGGESTION -> hint
    // Pushed configuration replaces the settings and re-lints open documents.
    const again = c.nextDiagnostics(uri);
    await c.notify("workspace/didChangeConfiguration", { settings: { iamscope: { select: ["MISSING_VERSION"] } } });
    const q = await again;
    assert.deepEqual(codes(q), ["MISSING_VERSION"]);
  } finally {
    await c.close();
  }
});

test("iamscope.json in the workspace: ignore and kinds by glob; kind from the file name", async () => {
  const root = mkdtempSync(join(tmpdir(), "iamscope-lsp-cfg-"));
  mkdirSync(join(root, "trust"));
  writeFileSync(join(root, "iamscope.json"), JSON.stringify({ ignore: ["MISSING_VERSION"], kinds: { "trust/*.json": "trust" } }));
  const c = new Client();
  try {
    await c.initialize({ rootPath: root });
    // An identity-looking policy in trust/ is checked as a trust policy: it lacks a Principal.
    const trustUri = fileUri(join(root, "trust", "role.json"));
    const t = await c.open(trustUri, '{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}');
    assert.ok(!codes(t).includes("MISSING_VERSION"));
    assert.ok(codes(t).includes("MISSING_PRINCIPAL"), JSON.stringify(codes(t)));
    // The file name says scp: an SCP with a Principal is an error.
    const scpUri = fileUri(join(root, "deny.scp.json"));
    const s = await c.open(scpUri, '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}');
    assert.ok(s.diagnostics.some((d) => /SCP|PRINCIPAL/.test(d.code)), JSON.stringify(codes(s)));
    // A changed iamscope.json (watched-file notification) is read again.
    writeFileSync(join(root, "iamscope.json"), JSON.stringify({ kinds: { "trust/*.json": "trust" } }));
    const again = c.nextDiagnostics(trustUri, (p) => p.diagnostics.some((d) => d.code === "MISSING_VERSION"));
    await c.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: fileUri(join(root, "iamscope.json")), type: 2 }] });
    await again;
    // A broken iamscope.json is reported once, and linting goes on without it.
    writeFileSync(join(root, "iamscope.json"), '{"ignore": 3, "bogus": true}');
    const third = c.nextDiagnostics(trustUri);
    await c.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: fileUri(join(root, "iamscope.json")), type: 2 }] });
    await third;
    assert.ok(c.messages.some((m) => /iamscope\.json: unknown field "bogus"/.test(m.message)), JSON.stringify(c.messages));
  } finally {
    await c.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test("typing in iamscope.json re-lints nothing; saving it re-lints the open policies", async () => {
  const root = mkdtempSync(join(tmpdir(), "iamscope-lsp-save-"));
  const c = new Client();
  try {
    await c.initialize({ rootPath: root });
    const cfgPath = join(root, "iamscope.json");
    writeFileSync(cfgPath, "{}");
    const policyUri = fileUri(join(root, "p.json"));
    const p = await c.open(policyUri, '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}');
    assert.ok(codes(p).includes("MISSING_VERSION"), JSON.stringify(codes(p)));
    const cfgUri = fileUri(cfgPath);
    await c.openOnly(cfgUri, "{}");
    let republished = 0;
    const count = (x) => {
      if (x.uri === policyUri) republished++;
      return false;
    };
    c.waiters.push(count);
    const text = '{"ignore": ["MISSING_VERSION"]}';
    await c.notify("textDocument/didChange", { textDocument: { uri: cfgUri, version: 2 }, contentChanges: [{ text }] });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(republished, 0, "a keystroke in iamscope.json re-linted the policy");
    c.waiters = c.waiters.filter((w) => w !== count);
    writeFileSync(cfgPath, text);
    const after = c.nextDiagnostics(policyUri);
    await c.notify("textDocument/didSave", { textDocument: { uri: cfgUri } });
    assert.ok(!codes(await after).includes("MISSING_VERSION"));
  } finally {
    await c.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test("policyGlobs make any file a policy, even while it is not JSON yet", async () => {
  const c = new Client();
  try {
    await c.initialize({ rootPath: ws, initializationOptions: { settings: { policyGlobs: ["policies/**"] } } });
    const uri = fileUri(join(ws, "policies", "draft.json"));
    const p = await c.open(uri, '{"Version": ');
    assert.ok(p.diagnostics.length > 0);
    assert.equal(p.diagnostics[0].severity, 1);
  } finally {
    await c.close();
  }
});

test("simulate command: the open policy in a scenario, the decision and the trace", async () => {
  const policyUri = fileUri(join(ws, "sim.json"));
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadFromOffice",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::reports/*",
      "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}
    }
  ]
}`;
  await client.open(policyUri, text);
  const scenarioPath = join(ws, "office.scenario.json");
  const request = {
    principal: "arn:aws:iam::111122223333:user/alice",
    action: "s3:GetObject",
    resource: "arn:aws:s3:::reports/q3.pdf",
    context: { "aws:SourceIp": "192.0.2.10" },
  };
  writeFileSync(scenarioPath, JSON.stringify({ request }));
  const allow = await client.request("workspace/executeCommand", {
    command: "iamscope.server.simulate",
    arguments: [{ uri: policyUri, scenarioUri: fileUri(scenarioPath) }],
  });
  assert.equal(allow.decision, "Allow");
  assert.equal(allow.layer, "identity");
  assert.match(allow.text, /Decision: Allow/);
  assert.match(allow.text, /statement 0 "ReadFromOffice" \(Allow\) at sim\.json line 4: matched/);
  assert.match(allow.text, /IpAddress aws:SourceIp: policy \["192\.0\.2\.0\/24"\], request \["192\.0\.2\.10"\] -> true/);
  const deny = await client.request("workspace/executeCommand", {
    command: "iamscope.server.simulate",
    arguments: [{ uri: policyUri, scenario: { request: { ...request, context: { "aws:SourceIp": "203.0.113.5" } } } }],
  });
  assert.equal(deny.decision, "ImplicitDeny");
  assert.match(deny.text, /conditions not met/);
  const bad = await client.request("workspace/executeCommand", {
    command: "iamscope.server.simulate",
    arguments: [{ uri: policyUri, scenario: "{not json" }],
  });
  assert.equal(bad.decision, null);
  assert.match(bad.error, /cannot read the scenario/);
});

test("the server answers hover while a large policy is being linted (lint runs in a worker)", async () => {
  const { readFileSync } = await import("node:fs");
  const big = readFileSync(new URL("../../../tests/corpus/aws-managed-policies/AWSSupportServiceRolePolicy.json", import.meta.url), "utf8");
  const uri = fileUri(join(ws, "big.json"));
  const small = fileUri(join(ws, "small.json"));
  const smallText = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}';
  await client.open(small, smallText);
  const opened = client.open(uri, big);
  const h = await client.request("textDocument/hover", {
    textDocument: { uri: small },
    position: positionAt(smallText, smallText.indexOf("iam:PassRole") + 2),
  });
  assert.match(h.contents.value, /Access level: Write/);
  const p = await opened;
  // AWS accepted every managed policy: no ERROR finding.
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 1), []);
});

test("a fast policy is re-linted in the server's thread, a slow one in the worker (timing log)", async () => {
  const c = new Client({ env: { IAMSCOPE_LSP_TIMING: "1", IAMSCOPE_LSP_INLINE_MS: "1000000" } });
  const slow = new Client({ env: { IAMSCOPE_LSP_TIMING: "1", IAMSCOPE_LSP_INLINE_MS: "0" } });
  const logs = (client) => {
    const out = [];
    client.conn.onNotification("window/logMessage", (p) => {
      const m = /^iamscope-timing (.*)$/.exec(p.message);
      if (m) out.push(JSON.parse(m[1]));
    });
    return out;
  };
  try {
    const fast = logs(c);
    const worker = logs(slow);
    await c.initialize({ rootPath: ws });
    await slow.initialize({ rootPath: ws });
    const uri = fileUri(join(ws, "timing.json"));
    const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjct", "Resource": "*"}]}';
    for (const client of [c, slow]) {
      await client.open(uri, text);
      const p = await client.change(uri, [{ range: rangeOf(text, "GetObjct"), text: "GetObject" }]);
      assert.deepEqual(codes(p), []);
    }
    const wait = async (arr) => {
      for (let i = 0; i < 200 && arr.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    };
    await wait(fast);
    await wait(worker);
    // the first lint of a document goes to the worker (its cost is unknown)
    assert.deepEqual(fast.map((t) => [t.version, t.inline]), [[1, false], [2, true]]);
    assert.deepEqual(worker.map((t) => [t.version, t.inline]), [[1, false], [2, false]]);
    for (const t of [...fast, ...worker]) {
      assert.ok(t.total >= t.engine && t.engine > 0, JSON.stringify(t));
    }
  } finally {
    await c.close();
    await slow.close();
  }
});

test("the npm package ships the server as the bin iamscope-lsp", async () => {
  const { readFileSync } = await import("node:fs");
  const { execFileSync } = await import("node:child_process");
  const npmDir = new URL("../../", import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL("package.json", npmDir), "utf8"));
  assert.equal(pkg.bin["iamscope-lsp"], "./dist/iamscope-lsp.cjs");
  assert.deepEqual(pkg.dependencies ?? {}, {}, "the server is bundled: the package keeps no dependencies");
  const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--loglevel=error"], { cwd: npmDir, encoding: "utf8" }));
  const files = packed[0].files.map((f) => f.path);
  assert.ok(files.includes("dist/iamscope-lsp.cjs"), files.join(", "));
  const head = readFileSync(new URL("dist/iamscope-lsp.cjs", npmDir), "utf8").slice(0, 40);
  assert.match(head, /^#!\/usr\/bin\/env node/);
  // --version and --help answer without a client.
  const v = execFileSync(process.execPath, [new URL("dist/iamscope-lsp.cjs", npmDir).pathname, "--version"], { encoding: "utf8" });
  assert.match(v, /^iamscope-lsp \d+\.\d+\.\d+ \(catalog /);
});

test("settings pulled with workspace/configuration; a client without them keeps initializationOptions", async () => {
  const caps = {
    textDocument: { publishDiagnostics: { relatedInformation: true } },
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
  };
  const text = '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObjct", "Resource": "arn:aws:s3:::b/*"}]}';
  // Like Helix: the settings in initializationOptions, and null when asked for the section.
  const helix = new Client();
  try {
    helix.configuration = null;
    await helix.initialize({ rootPath: ws, capabilities: caps, initializationOptions: { ignore: ["MISSING_VERSION"] } });
    const uri = fileUri(join(ws, "pull-null.json"));
    const p = await helix.open(uri, text);
    assert.ok(codes(p).includes("INVALID_ACTION"));
    assert.ok(!codes(p).includes("MISSING_VERSION"), JSON.stringify(codes(p)));
  } finally {
    await helix.close();
  }
  // Like Neovim or VS Code: the section is pulled, and pulled again on didChangeConfiguration.
  const nvim = new Client();
  try {
    nvim.configuration = { ignore: ["INVALID_ACTION"] };
    await nvim.initialize({ rootPath: ws, capabilities: caps });
    const uri = fileUri(join(ws, "pull.json"));
    await nvim.openOnly(uri, text);
    const p = await nvim.nextDiagnostics(uri, (q) => !q.diagnostics.some((d) => d.code === "INVALID_ACTION"));
    assert.ok(codes(p).includes("MISSING_VERSION"));
    nvim.configuration = { ignore: ["MISSING_VERSION"] };
    const again = nvim.nextDiagnostics(uri, (q) => !codes(q).includes("MISSING_VERSION"));
    await nvim.notify("workspace/didChangeConfiguration", { settings: null });
    assert.ok(codes(await again).includes("INVALID_ACTION"));
  } finally {
    await nvim.close();
  }
});
