// The simulate scenario of the Node benchmarks (bench.mjs, decide-loop.mjs): ReadOnlyAccess +
// AmazonS3FullAccess + a Deny, and six requests by one principal.
import { readFileSync } from "node:fs";

const corpusDir = new URL("../../tests/corpus/aws-managed-policies/", import.meta.url);
/** The text of a managed policy of the corpus. */
export const readManaged = (name) => readFileSync(new URL(name, corpusDir), "utf8");

export const readOnlyAccess = readManaged("ReadOnlyAccess.json");
export const s3FullAccess = readManaged("AmazonS3FullAccess.json");
export const deny = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "NoBucketDeletion", Effect: "Deny", Action: ["s3:DeleteBucket", "s3:DeleteBucketPolicy"], Resource: "*" }],
});
export const principal = "arn:aws:iam::111122223333:user/alice";
/** [action, resource] pairs. */
export const requests = [
  ["s3:GetObject", "arn:aws:s3:::reports/2024/q1.csv"],
  ["s3:DeleteBucket", "arn:aws:s3:::reports"],
  ["ec2:DescribeInstances", "*"],
  ["iam:CreateUser", "arn:aws:iam::111122223333:user/bob"],
  ["dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/t"],
  ["lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111122223333:function:f"],
];
