/**
 * Every touch of Pulumi SDK internals made by the offline plan, in one place.
 *
 * Why they exist: the SDK's mock mode (`pulumi.runtime.setMocks`) answers registrations but keeps
 * none of what a policy reads (parent, protect, dependencies), never reports a registration that
 * was started and then abandoned (an input's apply threw), and the pack's policies are plain
 * objects whose type filter and `isType` rely on fields the SDK does not export. Each function below
 * names the internal it relies on; `checkSdkAssumptions` verifies all of them at the start of every
 * synthesis and fails loudly, naming the installed SDK version, when an upgrade breaks one.
 */
import * as pulumi from "@pulumi/pulumi";

/* eslint-disable @typescript-eslint/no-require-imports */
const sdkPackage = require("@pulumi/pulumi/package.json") as { version: string };
/** Internal module: `registerResource(res, parent, t, name, custom, remote, newDependency, props, opts, sourcePosition, …)`. */
const runtimeResource = require("@pulumi/pulumi/runtime/resource") as { registerResource: (...args: any[]) => void };
/** Internal module: `waitForRPCs()` resolves when every outstanding RPC (registration, invoke) has finished. */
const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };
/** Internal module: `getStore().settings.monitor` is the monitor `setMocks` installed. */
const runtimeState = require("@pulumi/pulumi/runtime/state") as { getStore: () => any };
/* eslint-enable @typescript-eslint/no-require-imports */

export const sdkVersion: string = sdkPackage.version;
/** Taken before the patch below replaces it, so the shape check sees the SDK's own function. */
const sdkRegisterResource = runtimeResource.registerResource;

/** The SDK versions this adapter was written and tested against (major 3, the 3.2xx line). */
const testedMajor = 3;

export class SdkAssumptionError extends Error {
    constructor(broken: readonly string[]) {
        super(
            `@pulumi/pulumi ${sdkVersion} breaks ${broken.length === 1 ? "an assumption" : "assumptions"} of the offline plan ` +
                `(tools/offline/sdk.ts): ${broken.join("; ")}. Pin @pulumi/pulumi to a tested 3.x version or update the adapter.`,
        );
        this.name = "SdkAssumptionError";
    }
}

/** The internals this module relies on, each checked by shape; returns what is broken (empty when all hold). */
export function brokenSdkAssumptions(): string[] {
    const broken: string[] = [];
    if (Number(sdkVersion.split(".")[0]) !== testedMajor) broken.push(`major version ${sdkVersion.split(".")[0]} (adapter written for ${testedMajor}.x)`);
    if (typeof sdkRegisterResource !== "function") broken.push("runtime/resource no longer exports registerResource");
    else if (sdkRegisterResource.length < 10) broken.push(`runtime/resource registerResource takes ${sdkRegisterResource.length} parameters (expected ≥ 10: res, parent, t, name, custom, …)`);
    if (typeof runtimeSettings.waitForRPCs !== "function") broken.push("runtime/settings no longer exports waitForRPCs");
    if (typeof runtimeState.getStore !== "function") broken.push("runtime/state no longer exports getStore");
    if (typeof pulumi.runtime.specialSigKey !== "string" || typeof pulumi.runtime.specialSecretSig !== "string") broken.push("runtime.specialSigKey / specialSecretSig (the secret wrapper's signature) are gone");
    return broken;
}

export function checkSdkAssumptions(): void {
    const broken = brokenSdkAssumptions();
    if (broken.length > 0) throw new SdkAssumptionError(broken);
}

/** After `setMocks`: the mock monitor must have a patchable `registerResource(req, callback)`. */
function mockMonitor(): any {
    const monitor = runtimeState.getStore()?.settings?.monitor;
    if (!monitor || typeof monitor.registerResource !== "function") {
        throw new SdkAssumptionError(["the engine store has no settings.monitor.registerResource after setMocks"]);
    }
    return monitor;
}

/** What the program asked for: a registration started by a resource constructor. */
export interface RegistrationStart {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** The program's stack at the constructor call (a few frames; the plan's stack traces are otherwise off). */
    readonly stack: string;
}

/** What the engine would receive once the inputs resolved: the monitor's request and the mock's response. */
export interface RegistrationRequest {
    readonly type: string;
    readonly name: string;
    readonly parent?: string;
    readonly custom: boolean;
    readonly protect: boolean;
    readonly dependencies: string[];
    readonly propertyDependencies: Record<string, string[]>;
    /** Deserialized inputs: secrets still wrapped, but pushed up to the enclosing top-level property by the SDK. */
    readonly inputs: Record<string, any>;
    /** The inputs as serialized on the wire: secret wrappers exactly where the program put them. */
    readonly serializedInputs: Record<string, any>;
    readonly urn: string;
    readonly id?: string;
    readonly outputs: Record<string, any>;
}

export interface RegistrationListener {
    started(start: RegistrationStart): void;
    completed(request: RegistrationRequest): void;
}

let listener: RegistrationListener | undefined;
let startPatched = false;

/**
 * Routes registrations to `next` until the next call. Two patches: the runtime's `registerResource`
 * (called by every Resource constructor before any input resolves, so an abandoned registration is
 * still counted) and the mock monitor's `registerResource` (called once the inputs resolved; the
 * SDK's mock monitor keeps neither parent, protect nor dependencies, so they are read here).
 */
export function listenToRegistrations(next: RegistrationListener): void {
    listener = next;
    if (!startPatched) {
        const original = sdkRegisterResource;
        runtimeResource.registerResource = function (this: unknown, ...args: any[]) {
            const [, , type, name, custom] = args;
            listener?.started({ type, name, custom: custom === true, stack: shortStack() });
            return original.apply(this, args);
        };
        startPatched = true;
    }
    const monitor = mockMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        register(req, (err: any, resp: any) => {
            if (!err && resp) {
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                listener?.completed({
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || undefined,
                    custom: req.getCustom(),
                    protect: req.getProtect() === true,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    inputs: pulumi.runtime.deserializeProperties(req.getObject()),
                    serializedInputs: req.getObject().toJavaScript(),
                    urn: resp.getUrn(),
                    id: resp.getId() || undefined,
                    outputs: pulumi.runtime.deserializeProperties(resp.getObject()),
                });
            }
            callback(err, resp);
        });
    };
}

/** A few frames of the caller's stack even while the plan runs with stack traces off (see synthesize). */
function shortStack(): string {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 16;
    try {
        return new Error().stack ?? "";
    } finally {
        Error.stackTraceLimit = limit;
    }
}

export function waitForRPCs(): Promise<void> {
    return runtimeSettings.waitForRPCs();
}

/** Whether `value` is the SDK's serialized secret wrapper `{ [specialSigKey]: specialSecretSig, value }`. */
export function isSerializedSecret(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as any)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

/**
 * The type token of a resource class. Generated SDK classes keep it in the static `__pulumiType`
 * (not part of the typed API); the engine's `isType`/`asType` compare it the same way.
 */
export function pulumiTypeOf(cls: unknown): string | undefined {
    const token = (cls as { __pulumiType?: unknown })?.__pulumiType;
    return typeof token === "string" ? token : undefined;
}

/**
 * The pack's own type filter (`McpResourcePolicy.appliesToType`): a field the engine's policy shape
 * does not have (the engine calls `validateResource` for every resource and the policy answers
 * `notApplicable`). Read here, beside the SDK internals, because it is the same kind of reliance on
 * an undeclared field; skipping saves a throw per resource and policy.
 */
export function typeFilterOf(policy: object): ((type: string) => boolean) | undefined {
    const filter = (policy as { appliesToType?: unknown }).appliesToType;
    return typeof filter === "function" ? (filter as (type: string) => boolean) : undefined;
}
