// Tight loop over prepared.decide (issue #10): best-of-batches and median per call, in µs.
//   node decide-loop.mjs [path to dist/node.js]
import { readFileSync } from "node:fs";
import os from "node:os";
const dist = process.argv[2] ?? new URL("../../npm/dist/node.js", import.meta.url).href;
const iamscope = await import(dist.startsWith("/") ? "file://" + dist : dist);
const dir = new URL("../../tests/corpus/aws-managed-policies/", import.meta.url);
const read = (n) => readFileSync(new URL(n, dir), "utf8");
const deny = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: ["s3:DeleteBucket", "s3:DeleteBucketPolicy"], Resource: "*" }] });
const p = iamscope.prepare({ identity: [read("ReadOnlyAccess.json"), read("AmazonS3FullAccess.json"), deny] });
const principal = "arn:aws:iam::111122223333:user/alice";
const reqs = [
  ["s3:GetObject", "arn:aws:s3:::reports/2024/q1.csv"],
  ["s3:DeleteBucket", "arn:aws:s3:::reports"],
  ["ec2:DescribeInstances", "*"],
  ["iam:CreateUser", "arn:aws:iam::111122223333:user/bob"],
  ["dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/t"],
  ["lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111122223333:function:f"],
].map(([action, resource]) => ({ principal, action, resource }));
let sum = 0, best = 0;
const out = [];
for (const r of reqs) {
  out.push(p.decide(r).decision);
  for (let i = 0; i < 20000; i++) p.decide(r);
  const per = [];
  for (let b = 0; b < 60; b++) {
    const t = performance.now();
    for (let i = 0; i < 2000; i++) p.decide(r);
    per.push((performance.now() - t) / 2000);
  }
  per.sort((a, b) => a - b);
  sum += per[per.length >> 1];
  best += per[0];
}
console.log(`decisions ${out.join(",")}`);
console.log(`decide: best-of-batches ${(best / reqs.length * 1000).toFixed(3)} µs, median ${(sum / reqs.length * 1000).toFixed(3)} µs; load ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
