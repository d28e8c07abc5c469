// The examples menu: each a whole scenario with the decision the engine gives it (the end-to-end
// test simulates every example and checks that decision).

import type { Decision } from "iamscope/web";
import { newId, type LayerState, type LayerType, type PlaygroundState, LAYER_INFO, type ContextRow } from "./state";
import type { PolicyKind } from "./engine";

export interface Example {
  id: string;
  title: string;
  blurb: string;
  expect: Decision;
  build(): PlaygroundState;
}

const j = (v: unknown) => JSON.stringify(v, null, 2);

function layer(type: LayerType, name: string, policy: unknown, opts: { level?: number; kind?: PolicyKind } = {}): LayerState {
  return {
    id: newId(),
    type,
    name,
    level: opts.level ?? 0,
    lintKind: opts.kind ?? LAYER_INFO[type].kind,
    text: typeof policy === "string" ? policy : j(policy),
  };
}

function ctx(key: string, type: ContextRow["type"], ...values: string[]): ContextRow {
  return { key, type, multi: values.length > 1, values };
}

const V = "2012-10-17";

export const EXAMPLES: Example[] = [
  {
    id: "scp-regions",
    title: "SCP denying regions",
    blurb: "An account-level SCP denies everything outside two EU regions (FullAWSAccess allows at every level); the identity policy allows EC2.",
    expect: "ExplicitDeny",
    build: () => ({
      layers: [
        layer("scp", "FullAWSAccess", { Version: V, Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, { level: 0 }),
        layer("scp", "FullAWSAccess", { Version: V, Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, { level: 4 }),
        layer(
          "scp",
          "deny-outside-eu",
          {
            Version: V,
            Statement: [
              {
                Sid: "DenyOutsideApprovedRegions",
                Effect: "Deny",
                NotAction: ["iam:*", "organizations:*", "sts:*", "support:*", "cloudfront:*", "route53:*"],
                Resource: "*",
                Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "eu-central-1"] } },
              },
            ],
          },
          { level: 4 },
        ),
        layer("identity", "ec2-operator", {
          Version: V,
          Statement: [{ Sid: "OperateEc2", Effect: "Allow", Action: ["ec2:RunInstances", "ec2:Describe*"], Resource: "*" }],
        }),
      ],
      request: {
        principal: "arn:aws:iam::111122223333:role/deployer",
        action: "ec2:RunInstances",
        resource: "arn:aws:ec2:us-east-1:111122223333:instance/*",
        resourceAccount: "",
        context: [ctx("aws:RequestedRegion", "String", "us-east-1")],
      },
      live: true,
      managementAccount: "",
    }),
  },
  {
    id: "trust-external-id",
    title: "Trust policy with an external ID",
    blurb: "A partner account may assume a role only with the agreed external ID.",
    expect: "Allow",
    build: () => ({
      layers: [
        layer(
          "resource",
          "PartnerAccess trust policy",
          {
            Version: V,
            Statement: [
              {
                Sid: "PartnerAssumesWithExternalId",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::444455556666:root" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": "partner-7f3a9c" } },
              },
            ],
          },
          { kind: "trust" },
        ),
        layer("identity", "partner integration role", {
          Version: V,
          Statement: [
            { Sid: "AssumePartnerAccess", Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/PartnerAccess" },
          ],
        }),
      ],
      request: {
        principal: "arn:aws:iam::444455556666:role/integration",
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::111122223333:role/PartnerAccess",
        resourceAccount: "",
        context: [ctx("sts:ExternalId", "String", "partner-7f3a9c")],
      },
      live: true,
      managementAccount: "",
    }),
  },
  {
    id: "bucket-vpce",
    title: "Bucket policy with a VPC endpoint condition",
    blurb: "The bucket denies every request that does not come through one VPC endpoint.",
    expect: "ExplicitDeny",
    build: () => ({
      layers: [
        layer("resource", "example-reports bucket policy", {
          Version: V,
          Statement: [
            {
              Sid: "AllowAnalyticsRoleRead",
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::111122223333:role/analytics" },
              Action: "s3:GetObject",
              Resource: "arn:aws:s3:::example-reports/*",
            },
            {
              Sid: "DenyOutsideVpce",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"],
              Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } },
            },
          ],
        }),
      ],
      request: {
        principal: "arn:aws:iam::111122223333:role/analytics",
        action: "s3:GetObject",
        resource: "arn:aws:s3:::example-reports/2026/q3.csv",
        resourceAccount: "111122223333",
        context: [ctx("aws:SourceVpce", "String", "vpce-0ffee000")],
      },
      live: true,
      managementAccount: "",
    }),
  },
  {
    id: "mfa-admin",
    title: "MFA-protected admin policy",
    blurb: "Administrator access only when the session was authenticated with MFA; the request says nothing about MFA.",
    expect: "ImplicitDeny",
    build: () => ({
      layers: [
        layer("identity", "admin-with-mfa", {
          Version: V,
          Statement: [
            {
              Sid: "AdminWithMfa",
              Effect: "Allow",
              Action: "*",
              Resource: "*",
              Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            },
          ],
        }),
      ],
      request: {
        principal: "arn:aws:iam::111122223333:user/alice",
        action: "iam:CreateAccessKey",
        resource: "arn:aws:iam::111122223333:user/bob",
        resourceAccount: "",
        context: [],
      },
      live: true,
      managementAccount: "",
    }),
  },
  {
    id: "privilege-escalation",
    title: "Privilege escalation",
    blurb: "Passing any role to EC2 and rewriting managed policies lets this principal become administrator.",
    expect: "Allow",
    build: () => ({
      layers: [
        layer("identity", "ci-deployer", {
          Version: V,
          Statement: [
            { Sid: "PassAnyRole", Effect: "Allow", Action: ["iam:PassRole", "ec2:RunInstances"], Resource: "*" },
            { Sid: "ManagePolicies", Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "*" },
          ],
        }),
      ],
      request: {
        principal: "arn:aws:iam::111122223333:role/ci-deployer",
        action: "iam:CreatePolicyVersion",
        resource: "arn:aws:iam::111122223333:policy/AdministratorAccessCopy",
        resourceAccount: "",
        context: [],
      },
      live: true,
      managementAccount: "",
    }),
  },
];

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
