import { z } from "zod";
import { featureNames, profileNames } from "./profiles";
import { clientKinds } from "../components/identity/clientPresets";
import { egressHostExpectation, isValidEgressHost } from "../components/firewall/hostName";
import { supportedProtocolVersions } from "../policy-pack/contract/revisions";

/**
 * The stack config schema. Every message is written as "expected …" so that the loader can prefix
 * "<key>: got <value>," and the user reads one self-contained line per problem.
 */


/** API Management tiers that can be injected into a VNet in internal mode (the only mode we allow). */
const privateApimSkus = ["Developer", "Premium", "PremiumV2"] as const;
const knownApimSkus = ["Consumption", "Basic", "Standard", "BasicV2", "StandardV2", ...privateApimSkus];

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const dnsLabelPattern = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;
/** `<repository>@sha256:<64 hex>`; the registry host is the platform's own and is never configured. */
const digestImagePattern = /^[a-z0-9]+([._/-][a-z0-9]+)*@sha256:[0-9a-f]{64}$/;
const imageExpectation =
    "an image in the platform registry pinned by digest: <repository>@sha256:<64 hex> (no tag, no registry host)";
/** Docker's rule: a first path segment with a '.' or ':' (or `localhost`) is a registry host. */
function hasRegistryHost(image: string): boolean {
    const [first, ...rest] = image.split("@")[0].split("/");
    return rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
}
const manifestDigestPattern = /^sha256:[0-9a-f]{64}$/;
const appRolePattern = /^[A-Za-z][A-Za-z0-9._-]{0,119}$/;
const memoryPattern = /^\d+(\.\d+)?Gi$/;

/** A strict object whose unknown-key message lists the allowed keys. */
function strictObject<T extends z.ZodRawShape>(shape: T) {
    const allowed = Object.keys(shape).join(", ");
    return z.strictObject(shape, {
        error: (issue) =>
            issue.code === "unrecognized_keys" ? `an allowed key (${allowed})` : "an object",
    });
}

const positiveInt = (what: string) =>
    z.number({ error: `a whole number > 0 (${what})` }).int({ error: `a whole number > 0 (${what})` }).positive({
        error: `a whole number > 0 (${what})`,
    });

const guid = (what: string) => z.string({ error: `a GUID (${what})` }).regex(guidPattern, { error: `a GUID (${what})` });

const rateLimitsSchema = strictObject({
    perUserPerMinute: positiveInt("calls per user per minute"),
    perSessionPerMinute: positiveInt("calls per session per minute"),
    perUserToolPerMinute: positiveInt("calls per user and tool per minute"),
    perUserDailyQuota: positiveInt("calls per user per day"),
});

/** One destination a server may call (C10.3, A2): enforced by the egress firewall, which must be on. */
const egressSchema = strictObject({
    host: z.string({ error: egressHostExpectation }).refine(isValidEgressHost, { error: egressHostExpectation }),
    port: z.number({ error: "a TCP port between 1 and 65535" }).int({ error: "a TCP port between 1 and 65535" }).min(1, {
        error: "a TCP port between 1 and 65535",
    }).max(65535, { error: "a TCP port between 1 and 65535" }).default(443),
});

export const serverSchema = strictObject({
    name: z.string({ error: "a DNS-safe name" }).regex(dnsLabelPattern, {
        error: "a DNS-safe name: lowercase letters, digits and '-', starting with a letter, at most 32 characters",
    }),
    image: z
        .string({ error: "an image reference" })
        .regex(digestImagePattern, { error: imageExpectation })
        .refine((image) => !hasRegistryHost(image), { error: imageExpectation }),
    cpu: z.number({ error: "vCPU between 0.25 and 4" }).min(0.25, { error: "vCPU between 0.25 and 4" }).max(4, {
        error: "vCPU between 0.25 and 4",
    }),
    memory: z.string({ error: "memory such as 1Gi" }).regex(memoryPattern, { error: "memory such as 0.5Gi or 2Gi" }),
    minReplicas: z.number().int().min(0, { error: "a whole number ≥ 0" }).max(30, { error: "at most 30" }),
    maxReplicas: z.number().int().min(1, { error: "a whole number ≥ 1" }).max(30, { error: "at most 30" }),
    port: z.number().int().min(1).max(65535).default(8080),
    tools: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/), z.string().regex(appRolePattern, {
        error: "an app role value (letters, digits, '.', '_', '-')",
    })).refine((m) => Object.keys(m).length > 0, { error: "at least one tool mapped to the app role it requires" }),
    rateLimits: rateLimitsSchema,
    allowedClientAppIds: z.array(guid("client application id")).default([]),
    manifestDigest: z.string({ error: "the approved tools/list digest" }).regex(manifestDigestPattern, {
        error: "the approved tools/list digest as sha256:<64 hex>",
    }),
    secrets: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,126}$/, { error: "Key Vault secret names (lowercase, digits, '-')" })).default([]),
    env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string()).default({}),
    // Default none: a server reaches nothing outside the VNet (the NSGs deny Internet outbound).
    egress: z.array(egressSchema, { error: "a list of { host, port } the server may call" }).default([]),
    // An HTTP health endpoint makes the probes HTTP checks; without one they check the port over TCP.
    healthPath: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, { error: "an HTTP path such as /healthz" }).optional(),
});

const clientAppSchema = strictObject({
    name: z.string().regex(dnsLabelPattern, { error: "a DNS-safe name" }),
    // A known MCP client brings its documented redirect URIs (components/identity/clientPresets.ts, docs/clients.md).
    kind: z.enum(clientKinds, { error: `one of ${clientKinds.join(", ")}` }).default("custom"),
    redirectUris: z.array(z.string().regex(/^(https:\/\/|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/)/, {
        error: "an https:// redirect URI (http only for localhost)",
    })).default([]),
    servers: z.array(z.string()).min(1, { error: "the names of the servers this client may call" }),
}).refine((c) => c.kind !== "custom" || c.redirectUris.length > 0, {
    path: ["redirectUris"],
    error: `at least one redirect URI, or a kind with documented ones (${clientKinds.filter((k) => k !== "custom").join(", ")})`,
});

const featuresSchema = strictObject(
    Object.fromEntries(featureNames.map((f) => [f, z.boolean({ error: "true or false" }).optional()])) as Record<
        (typeof featureNames)[number],
        z.ZodOptional<z.ZodBoolean>
    >,
);
const featureReasonsSchema = strictObject(
    Object.fromEntries(featureNames.map((f) => [f, z.string().min(10, { error: "a sentence on why" }).optional()])) as Record<
        (typeof featureNames)[number],
        z.ZodOptional<z.ZodString>
    >,
);

const gatewaySchema = strictObject({
    sku: z
        .string()
        .refine((s) => (privateApimSkus as readonly string[]).includes(s), {
            error: (issue) =>
                knownApimSkus.includes(String(issue.input))
                    ? `a tier that supports internal VNet mode (${privateApimSkus.join(", ")}); ${String(issue.input)} cannot keep the gateway private`
                    : `one of ${privateApimSkus.join(", ")}`,
        })
        .optional(),
    capacity: positiveInt("gateway units").optional(),
    // The gateway's own zones (Premium only); separate from the edge's so neither is silently dropped.
    zones: z.array(z.enum(["1", "2", "3"], { error: "a zone: 1, 2 or 3" })).optional(),
    publisherEmail: z.email({ error: "an email address" }).optional(),
    publisherName: z.string().min(1).optional(),
    promptShieldsFailureMode: z.enum(["closed", "open"], { error: "closed or open" }).optional(),
    manifestMode: z.enum(["block", "detect"], { error: "block or detect" }).optional(),
    maxRequestBytes: positiveInt("bytes").optional(),
    sessionIdleMinutes: positiveInt("minutes").optional(),
    sessionAbsoluteMinutes: positiveInt("minutes").optional(),
    allowedOrigins: z.array(z.url({ error: "an origin such as https://app.contoso.com" })).optional(),
});

const edgeSchema = strictObject({
    hostname: z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, { error: "a DNS host name" }).optional(),
    certificateSecretId: z
        .string()
        .regex(/^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/secrets\/[A-Za-z0-9-]+\/?$/, {
            error: "a versionless Key Vault secret id (https://<vault>.vault.azure.net/secrets/<name>)",
        })
        .optional(),
    zones: z.array(z.enum(["1", "2", "3"])).optional(),
    minCapacity: z.number().int().min(0).max(125).optional(),
    maxCapacity: z.number().int().min(2).max(125).optional(),
});

/** The code-execution sandbox (Container Apps dynamic sessions, C10.1); used only when features.dynamicSessions is on. */
const sandboxSchema = strictObject({
    image: z.string({ error: "an image reference" }).regex(digestImagePattern, {
        error: "a session image in the platform registry pinned by digest: <repository>@sha256:<64 hex> (no tag, no registry host)",
    }),
    cpu: z.number({ error: "vCPU between 0.25 and 2" }).min(0.25, { error: "vCPU between 0.25 and 2" }).max(2, { error: "vCPU between 0.25 and 2" }).default(0.5),
    memory: z.string({ error: "memory such as 1Gi" }).regex(memoryPattern, { error: "memory such as 0.5Gi or 2Gi" }).default("1Gi"),
    port: z.number().int().min(1).max(65535).default(8080),
    maxConcurrentSessions: z.number().int({ error: "a whole number between 1 and 600" }).min(1, { error: "a whole number between 1 and 600" }).max(600, {
        error: "a whole number between 1 and 600",
    }).default(10),
    readySessionInstances: z.number().int().min(0, { error: "a whole number ≥ 0" }).max(100, { error: "at most 100" }).default(0),
    cooldownSeconds: z.number().int().min(300, { error: "seconds between 300 and 3600 (Azure's range)" }).max(3600, {
        error: "seconds between 300 and 3600 (Azure's range)",
    }).default(300),
});

export const stackConfigSchema = strictObject({
    profile: z.enum(profileNames, { error: `one of ${profileNames.join(", ")}` }),
    location: z.string({ error: "an Azure region name such as swedencentral" }).regex(/^[a-z]+[a-z0-9]*$/, {
        error: "an Azure region name such as swedencentral",
    }),
    tenantId: guid("the Entra ID tenant id"),
    owner: z.string({ error: "the owning team or address (tag 'owner')" }).min(1),
    workload: z.string().regex(/^[a-z][a-z0-9]{1,7}$/, { error: "2–8 lowercase letters or digits (used in every name)" }).default("mcp"),
    dataClassification: z.enum(["public", "internal", "confidential", "restricted"], {
        error: "one of public, internal, confidential, restricted",
    }).default("confidential"),
    addressSpace: z.array(z.string()).min(1, { error: "at least one CIDR" }).default(["10.40.0.0/16"]),
    protocolVersions: z
        .array(z.enum(supportedProtocolVersions, { error: `one of ${supportedProtocolVersions.join(", ")}` }))
        .min(1, { error: "at least one MCP protocol version" })
        .default([...supportedProtocolVersions]),
    servers: z.array(serverSchema, { error: "a list of MCP servers" }).min(1, { error: "at least one MCP server" }),
    clientApps: z.array(clientAppSchema).default([]),
    features: featuresSchema.default({}),
    featureReasons: featureReasonsSchema.default({}),
    gateway: gatewaySchema.default({}),
    edge: edgeSchema.default({}),
    monitoring: strictObject({ retentionDays: z.number().int().min(30).max(730).optional() }).default({}),
    runtime: strictObject({ zoneRedundant: z.boolean().optional(), sandbox: sandboxSchema.optional() }).default({}),
}).superRefine((config, ctx) => {
    // The sandbox's image has no sensible default: a code-executing tool brings its own interpreter image.
    if (config.features.dynamicSessions === true && !config.runtime.sandbox) {
        ctx.addIssue({
            code: "custom",
            path: ["runtime", "sandbox"],
            message: "a sandbox with at least an image (<repository>@sha256:<digest>) because features.dynamicSessions is on",
        });
    }
});

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;
export type McpServerConfig = z.output<typeof serverSchema>;
export type ClientAppConfig = z.output<typeof clientAppSchema>;
export type SandboxConfig = z.output<typeof sandboxSchema>;
export type EgressConfig = z.output<typeof egressSchema>;

/** Keys whose Pulumi config value is structured (JSON in the engine's config map). */
export const structuredKeys = new Set([
    "addressSpace",
    "protocolVersions",
    "servers",
    "clientApps",
    "features",
    "featureReasons",
    "gateway",
    "edge",
    "monitoring",
    "runtime",
]);
