// The CloudFormation side on its own: which policies a template holds, the JSON the engine gets
// (intrinsic functions included), and the map of offsets back to the template.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { build } from "esbuild";

let analyzeTemplate;
let mayBeJsonTemplate;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "iamscope-embedded-"));
  const out = join(dir, "embedded.cjs");
  await build({
    entryPoints: [fileURLToPath(new URL("../src/embedded.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: out,
    logLevel: "warning",
  });
  ({ analyzeTemplate, mayBeJsonTemplate } = await import(pathToFileURL(out).href));
  rmSync(dir, { recursive: true, force: true });
});

/** The one policy of a template, parsed. */
function only(text) {
  const t = analyzeTemplate(text);
  assert.ok(t, "a template");
  assert.equal(t.policies.length, 1, JSON.stringify(t.policies.map((p) => p.path)));
  const p = t.policies[0];
  return { ...p, doc: JSON.parse(p.json) };
}

const role = (statement) => `Resources:
  Fn:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
${statement}`;

test("policy places and kinds by resource type", () => {
  const text = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: a
          PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
  K:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: "111122223333"}, Action: "kms:*", Resource: "*"}]}
  B:
    Type: AWS::S3::BucketPolicy
    Properties: {Bucket: b, PolicyDocument: {Statement: []}}
  Q:
    Type: AWS::SQS::QueuePolicy
    Properties: {Queues: [], PolicyDocument: {Statement: []}}
  T:
    Type: AWS::SNS::TopicPolicy
    Properties: {Topics: [], PolicyDocument: {Statement: []}}
  S:
    Type: AWS::Organizations::Policy
    Properties: {Type: SERVICE_CONTROL_POLICY, Content: {Statement: []}}
  X:
    Type: AWS::Organizations::Policy
    Properties: {Type: TAG_POLICY, Content: {tags: {}}}
  E:
    Type: AWS::EC2::VPCEndpoint
    Properties: {PolicyDocument: {Statement: []}}
  Custom:
    Type: AWS::Some::Thing
    Properties: {Nested: {PolicyDocument: {Statement: []}}}
`;
  const t = analyzeTemplate(text);
  assert.deepEqual(
    t.policies.map((p) => [p.path, p.kind ?? null]),
    [
      ["Resources/R/Properties/AssumeRolePolicyDocument", "trust"],
      ["Resources/R/Properties/Policies/0/PolicyDocument", "identity"],
      ["Resources/K/Properties/KeyPolicy", "resource"],
      ["Resources/B/Properties/PolicyDocument", "resource"],
      ["Resources/Q/Properties/PolicyDocument", "resource"],
      ["Resources/T/Properties/PolicyDocument", "resource"],
      ["Resources/S/Properties/Content", "scp"],
      ["Resources/E/Properties/PolicyDocument", "vpc-endpoint"],
      ["Resources/Custom/Properties/Nested/PolicyDocument", null],
    ],
  );
  for (const p of t.policies) JSON.parse(p.json);
});

test("not templates: no Resources, or no AWS types", () => {
  assert.equal(analyzeTemplate("Statement: []\n"), undefined);
  assert.equal(analyzeTemplate("Resources:\n  a: {Type: Kubernetes::Pod}\n"), undefined);
  assert.equal(analyzeTemplate('{"Version": "2012-10-17", "Statement": []}'), undefined);
  assert.equal(analyzeTemplate(""), undefined);
});

test("JSON: only a Resources member and a template marker make a template candidate", () => {
  // A policy that names resources and AWS:: types in its strings is not a candidate (it would be
  // parsed as YAML on every change)...
  const policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["tag:GetResources", "cloudformation:ListStackResources"], "Resource": "*", "Condition": {"StringEquals": {"cloudformation:ResourceTypes": "AWS::EC2::Instance"}}}]}';
  assert.equal(mayBeJsonTemplate(policy), false);
  // ...a JSON template is, with or without AWSTemplateFormatVersion, whatever the spacing.
  assert.equal(mayBeJsonTemplate('{"Resources" :\n {"R": {"Type":"AWS::IAM::Role"}}}'), true);
  assert.equal(mayBeJsonTemplate('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}'), true);
  assert.equal(mayBeJsonTemplate('{"Resources": {"R": {"Type": "Custom::X"}}}'), false);
  // and every JSON template analyzeTemplate accepts in these tests passes the quick test
  const t = '{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}}}}';
  assert.ok(analyzeTemplate(t));
  assert.equal(mayBeJsonTemplate(t), true);
});

test("YAML scalars become JSON values; plain and quoted strings map exactly", () => {
  const text = role(`          - Effect: Allow
            Action: [s3:GetObject, 's3:PutObject', "s3:ListBucket"]
            Resource: arn:aws:s3:::b/*
            Condition: {Bool: {aws:SecureTransport: true}, NumericLessThan: {s3:max-keys: 10}}`);
  const p = only(text);
  assert.deepEqual(p.doc.Statement[0], {
    Effect: "Allow",
    Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
    Resource: "arn:aws:s3:::b/*",
    Condition: { Bool: { "aws:SecureTransport": true }, NumericLessThan: { "s3:max-keys": 10 } },
  });
  // Every string of the JSON maps back onto the same characters of the template.
  for (const s of ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "arn:aws:s3:::b/*", "aws:SecureTransport"]) {
    const g = p.json.indexOf(s);
    const [s0, s1] = p.map.toSourceRange(g, g + s.length);
    assert.equal(text.slice(s0, s1), s);
    // And the cursor goes the other way.
    assert.equal(p.map.toGenerated(s0 + 2), g + 2);
  }
  // The quoted string with its quotes maps onto the quoted scalar with its quotes.
  const g = p.json.indexOf('"s3:PutObject"');
  const [s0, s1] = p.map.toSourceRange(g, g + '"s3:PutObject"'.length);
  assert.equal(text.slice(s0, s1), "'s3:PutObject'");
  // Structure ranges stay inside the policy node and are never inverted.
  const [d0, d1] = p.map.toSourceRange(0, p.json.length);
  assert.ok(d0 >= p.sourceRange[0] && d1 <= p.sourceRange[1] && d0 < d1);
});

test("Fn::Sub: pseudo parameters get typical values, other references stay and are computed", () => {
  const text = role(`          - Effect: Allow
            Action: s3:GetObject
            Resource:
              - !Sub "arn:\${AWS::Partition}:s3:::\${Bucket}/\${!aws:username}/*"
              - !Sub ["arn:aws:s3:::\${Name}/*", {Name: my-bucket}]
              - Fn::Sub: arn:aws:iam::\${AWS::AccountId}:root`);
  const p = only(text);
  assert.deepEqual(p.doc.Statement[0].Resource, [
    "arn:aws:s3:::${Bucket}/${aws:username}/*",
    "arn:aws:s3:::my-bucket/*",
    "arn:aws:iam::123456789012:root",
  ]);
  // Only the string with ${Bucket} is computed.
  assert.equal(p.computed.length, 1);
  const [c0, c1] = p.computed[0];
  assert.equal(p.json.slice(c0, c1), '"arn:aws:s3:::${Bucket}/${aws:username}/*"');
  // The literal part after the substitution still maps exactly.
  const g = p.json.indexOf(":s3:::");
  const [s0, s1] = p.map.toSourceRange(g, g + 6);
  assert.equal(text.slice(s0, s1), ":s3:::");
});

test("Ref, GetAtt, Join, Select, If and AWS::NoValue", () => {
  const text = role(`          - Effect: Allow
            Action: [s3:GetObject, !Ref AWS::NoValue, !If [IsProd, s3:PutObject, !Ref AWS::NoValue]]
            Resource:
              - !GetAtt Bucket.Arn
              - !Join ["", [!GetAtt Bucket.Arn, "/*"]]
              - !Join [":", [arn, !Ref AWS::Partition, s3, "", "", b]]
              - !Select [1, [a, arn:aws:s3:::selected, c]]
              - {"Fn::GetAtt": [Other, Arn]}
              - !ImportValue shared-arn
          - !If [HasExtra, {Effect: Deny, Action: "s3:*", Resource: "*"}, !Ref AWS::NoValue]
          - !Ref AWS::NoValue`);
  const p = only(text);
  assert.deepEqual(p.doc.Statement[0].Action, ["s3:GetObject", "s3:PutObject"]);
  assert.deepEqual(p.doc.Statement[0].Resource, [
    "${Bucket.Arn}",
    "${Bucket.Arn}/*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::selected",
    "${Other.Arn}",
    "${ImportValue}",
  ]);
  assert.deepEqual(p.doc.Statement[1], { Effect: "Deny", Action: "s3:*", Resource: "*" });
  assert.equal(p.doc.Statement.length, 2);
  const computed = p.computed.map(([a, b]) => p.json.slice(a, b));
  assert.deepEqual(computed, ['"${Bucket.Arn}"', '"${Bucket.Arn}/*"', '"${Other.Arn}"', '"${ImportValue}"']);
});

test("a JSON template: same policies, exact offsets in the JSON text", () => {
  const text = JSON.stringify(
    {
      Resources: {
        P: {
          Type: "AWS::IAM::Policy",
          Properties: {
            PolicyName: "p",
            PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: { "Fn::Sub": "arn:${AWS::Partition}:s3:::b/*" } }] },
          },
        },
      },
    },
    null,
    "\t",
  );
  const p = only(text);
  assert.equal(p.kind, "identity");
  assert.equal(p.doc.Statement[0].Resource, "arn:aws:s3:::b/*");
  const g = p.json.indexOf('"s3:GetObject"');
  const [s0, s1] = p.map.toSourceRange(g, g + 14);
  assert.equal(text.slice(s0, s1), '"s3:GetObject"');
  // Escapes keep their meaning; the range covers the whole escaped string.
  const esc = text.replace('"Effect": "Allow"', '"Effect": "All\\u006fw"');
  const q = only(esc);
  assert.equal(q.doc.Statement[0].Effect, "Allow");
  const ge = q.json.indexOf('"Allow"');
  const [e0, e1] = q.map.toSourceRange(ge, ge + 7);
  assert.equal(esc.slice(e0, e1), '"All\\u006fw"');
});

test("duplicate keys are kept for the engine to report", () => {
  const text = role(`          - Effect: Allow
            Effect: Deny
            Action: s3:GetObject
            Resource: "*"`);
  const p = only(text);
  assert.equal((p.json.match(/"Effect"/g) ?? []).length, 2);
});

test("no input throws: truncated, mutated and hostile templates", () => {
  const base = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !GetAtt [Other, Arn]}
            Action: [sts:AssumeRole, !If [C, sts:TagSession, !Ref AWS::NoValue]]
            Condition: {StringEquals: {sts:ExternalId: !Sub ["\${X}-\${AWS::Region}", {X: !Ref Y}]}}
`;
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = ["{", "}", "[", "]", ":", "-", " ", "\n", "!", "$", '"', "'", "#", "&", "*", "|", ">", "\t", "\\", "😀"];
  let templates = 0;
  for (let i = 0; i < 600; i++) {
    let t = base;
    const edits = 1 + rand(4);
    for (let k = 0; k < edits; k++) {
      const at = rand(t.length + 1);
      if (rand(2) === 0) t = t.slice(0, at) + t.slice(at + 1 + rand(8));
      else t = t.slice(0, at) + alphabet[rand(alphabet.length)] + t.slice(at);
    }
    if (i % 97 === 0) t = t.slice(0, rand(t.length));
    const r = analyzeTemplate(t);
    if (!r) continue;
    templates++;
    for (const p of r.policies) {
      JSON.parse(p.json);
      const [a, b] = p.map.toSourceRange(0, p.json.length);
      assert.ok(a <= b && b <= t.length);
    }
  }
  assert.ok(templates > 100, `${templates} mutated templates still parsed`);
  // Deep nesting and an anchor bomb stay bounded.
  const deep = `Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: {Statement: ${"[".repeat(3000)}${"]".repeat(3000)}}\n`;
  analyzeTemplate(deep);
  const bomb = `Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        a: &a [x, x, x, x, x, x, x, x, x]\n        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n        Statement: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`;
  const t0 = Date.now();
  const r = analyzeTemplate(bomb);
  assert.ok(Date.now() - t0 < 5000);
  if (r) for (const p of r.policies) JSON.parse(p.json);
});
