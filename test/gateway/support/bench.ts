import type { Readable } from "node:stream";
import { traceSource } from "../../../policy-pack/contract/events";
import { textOf, XmlElement, XmlNode } from "../../../components/gateway/policy/xml";
import { ClrValue, compile, ExpressionRunner, ExpressionTable, WireContext, WireResponse } from "./csharp";
import { Documents, expressionSites, Variant } from "./documents";
import { isExpression } from "./expressions";

/**
 * A policy bench: executes the generated API policy with its fragments, in order, calling the
 * compiled C# expressions, for the elements this platform uses. Each element's behaviour is written
 * from its Learn page (cited at the handler). What it does not model: the global/product scopes
 * (`<base />` is empty here, as the platform defines no global policy), real Entra signature keys
 * (a token's signature part is `valid` or not, unless `signatureValid` checks a local key set),
 * distributed counters, and APIM's own 404/405 for unknown operations.
 */

export interface TokenClaims {
    readonly [claim: string]: unknown;
}

/** An unsigned compact JWT whose third part says whether the bench counts the signature as valid. */
export function token(claims: TokenClaims, signature: "valid" | "forged" = "valid"): string {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return `${b64({ alg: "RS256", typ: "JWT" })}.${b64(claims)}.${signature}`;
}

export interface BenchRequest {
    readonly method: string;
    readonly path?: string;
    readonly headers?: Record<string, string>;
    /** `null`/absent: no body (context.Request.Body is null, Learn). */
    readonly body?: string | null;
    readonly ip?: string;
}

export interface BackendCall {
    readonly method: string;
    /** Path (and query) below the API's URL: forward-request appends it to the backend's URL. */
    readonly path: string;
    readonly headers: Record<string, string[]>;
    readonly body: string;
}

/** forward-request's attributes a real backend call needs (Learn, forward-request). */
export interface ForwardOptions {
    /** Seconds to wait for the response headers (`timeout`, default 300). */
    readonly timeoutSeconds: number;
    /** `buffer-response` (default true): false lets the body flow to the caller as it arrives. */
    readonly buffer: boolean;
}

/** A backend answer whose body may still be arriving (`stream`; `body` is then null). */
export interface StreamedResponse extends WireResponse {
    readonly stream?: Readable;
}

export type FakeAnswer = WireResponse | StreamedResponse | "timeout" | "connection-failure";
export type Backend = (call: BackendCall, options: ForwardOptions) => FakeAnswer | Promise<FakeAnswer>;
export type ContentSafety = (call: { url: string; headers: Record<string, string[]>; body: string }) => FakeAnswer;

export interface Trace {
    readonly source: string;
    readonly severity: string;
    readonly message: string;
    readonly event?: string;
}

export interface BenchResult {
    readonly status: number;
    readonly headers: Record<string, string[]>;
    readonly body: string | null;
    /** JSON-RPC error code of a JSON error body, if any. */
    readonly rpcCode?: number;
    readonly forwarded?: BackendCall;
    /** The backend's body, still flowing, when the response is the backend's and was not buffered. */
    readonly stream?: Readable;
    readonly events: string[];
    readonly traces: Trace[];
    readonly lastError?: Record<string, string>;
    readonly header: (name: string) => string | undefined;
}

class ReturnResponse {
    constructor(readonly response: WireResponse) {}
}
class PolicyError {
    constructor(readonly error: Record<string, string>) {}
}
/** A document API Management would refuse to save (unknown element, value out of range, tier). */
export class PolicyConfigurationError extends Error {}

type Section = "inbound" | "backend" | "outbound" | "on-error";

/** The response in the pipeline: the body is read whole (`body`) or still flowing (`stream`). */
interface BackendResponse {
    status: number;
    reason?: string;
    headers: Record<string, string[]>;
    body: string | null;
    consumed: boolean;
    stream?: Readable;
}

interface RequestState {
    method: string;
    path: string;
    url: string;
    headers: Record<string, string[]>;
    body: string | null;
    consumed: boolean;
    response: BackendResponse | null;
    variables: Record<string, ClrValue>;
    lastError: Record<string, string> | null;
    traces: Trace[];
    forwarded?: BackendCall;
    section: Section;
    backend: Backend;
    operation: WireContext["operation"];
}

const elements = (node: XmlElement) => node.children.filter((c): c is XmlElement => "name" in c);
const child = (node: XmlElement, name: string) => elements(node).find((c) => c.name === name);

/** Learn (each policy page's "Usage → Gateways"): elements the v2 tiers do not support. */
const classicOnly = new Set(["quota-by-key", "quota"]);

function findHeader(headers: Record<string, string[]>, name: string): string | undefined {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : headers[key].join(",");
}
function setHeaderValue(headers: Record<string, string[]>, name: string, values: string[] | undefined): void {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
    if (values) headers[name] = values;
}

const defaultBackend: Backend = () => ({ status: 200, headers: { "Content-Type": ["application/json"] }, body: '{"jsonrpc":"2.0","id":1,"result":{}}' });
const defaultContentSafety: ContentSafety = () => ({ status: 200, headers: {}, body: '{"userPromptAnalysis":{"attackDetected":false},"documentsAnalysis":[]}' });
/** The bench's own signature convention: the token's third part says `valid` (see `token`). */
const markerSignature = async (raw: string) => raw.split(".")[2] === "valid";
const defaultManagedIdentity = (resource: string, clientId: string) => managedIdentityToken(resource, clientId);

/** Learn (forward-request): `timeout` defaults to 300 seconds, `buffer-response` to true. */
const defaultForwardTimeoutSeconds = 300;

/** Reads a flowing body whole (what the gateway must do before an expression can read it). */
async function drain(stream: Readable): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString("utf8");
}

export class PolicyBench {
    readonly table = new ExpressionTable();
    private readonly runner: ExpressionRunner;
    readonly compileMilliseconds: number;
    private readonly cache = new Map<string, { value: ClrValue; expires: number }>();
    private readonly rateWindows = new Map<string, number[]>();
    private readonly quotas = new Map<string, { start: number; count: number }>();
    /** Bench clock in ms (starts at the real time; `advance` moves it). */
    now = Date.now();
    backend: Backend = defaultBackend;
    contentSafety: ContentSafety = defaultContentSafety;
    /**
     * `context.LastError.Reason` the validate-azure-ad-token model raises for a client application
     * outside `client-application-ids`. Learn documents no reason for it (the validate-jwt list has
     * none either), so the default is validate-jwt's catch-all `JwtInvalid`.
     */
    clientNotAllowedReason = "JwtInvalid";
    /**
     * Whether a compact JWT's signature verifies (validate-azure-ad-token checks it against the
     * tenant's published keys). Default: the bench marker (`token(claims, "valid")`); the loopback
     * gateway's tests set a check against a local issuer's key set.
     */
    signatureValid: (raw: string) => Promise<boolean> = markerSignature;
    /** The token authentication-managed-identity obtains for (resource, client-id); default an opaque `mi.` token. */
    managedIdentity: (resource: string, clientId: string) => string | Promise<string> = defaultManagedIdentity;

    constructor(
        readonly variant: Variant,
        readonly docs: Documents,
    ) {
        for (const site of expressionSites(docs, variant.name)) this.table.add(site.source, `${site.document} ${site.where}`);
        this.checkTier();
        const compiled = compile(this.table, { benchClock: true });
        this.compileMilliseconds = compiled.milliseconds;
        this.runner = new ExpressionRunner(compiled.exe);
    }

    /** Fresh caches, counters, fakes and clock (one bench per test file, one state per case). */
    reset(): void {
        this.cache.clear();
        this.rateWindows.clear();
        this.quotas.clear();
        this.now = Date.now();
        this.backend = defaultBackend;
        this.contentSafety = defaultContentSafety;
        this.clientNotAllowedReason = "JwtInvalid";
        this.signatureValid = markerSignature;
        this.managedIdentity = defaultManagedIdentity;
    }

    close(): void {
        this.runner.close();
    }

    advance(seconds: number): void {
        this.now += seconds * 1000;
    }

    /** The tier check API Management makes when a policy is saved (Learn: each policy's supported gateways). */
    private checkTier(): void {
        if (this.variant.sku !== "PremiumV2") return;
        const visit = (e: XmlElement, doc: string) => {
            if (classicOnly.has(e.name)) throw new PolicyConfigurationError(`${doc}: <${e.name}> is not supported on the v2 tiers (PremiumV2)`);
            elements(e).forEach((c) => visit(c, doc));
        };
        visit(this.docs.api, "api");
        for (const [id, f] of this.docs.fragments) visit(f, id);
    }

    /** Runs one request through the policies; `backend` (default `this.backend`) answers its forward-request. */
    async send(req: BenchRequest, backend: Backend = this.backend): Promise<BenchResult> {
        const headers: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(req.headers ?? {})) headers[k] = [v];
        const body = req.body ?? null;
        if (body !== null && findHeader(headers, "Content-Length") === undefined) headers["Content-Length"] = [String(Buffer.byteLength(body))];
        const path = req.path ?? "/";
        const urlTemplate = path.startsWith("/.well-known/") ? "/.well-known/oauth-protected-resource" : "/";
        const state: RequestState = {
            method: req.method,
            path: path === "/" ? "" : path,
            url: `https://apim-bench.azure-api.net/mcp/docs${path === "/" ? "" : path}`,
            headers,
            body,
            consumed: false,
            response: null,
            variables: {},
            lastError: null,
            traces: [],
            section: "inbound",
            backend,
            operation: { id: req.method.toLowerCase(), method: req.method, name: req.method, urlTemplate },
        };
        if (req.ip) state.headers["X-Forwarded-For"] = [req.ip];
        const sections = new Map(elements(this.docs.api).map((s) => [s.name, s]));
        let final: WireResponse | undefined;
        try {
            for (const name of ["inbound", "backend", "outbound"] as const) {
                state.section = name;
                const section = sections.get(name);
                if (section) await this.run(elements(section), state);
            }
        } catch (e) {
            if (e instanceof ReturnResponse) final = e.response;
            else if (e instanceof PolicyError) {
                // Learn (error handling): "If an error occurs, processing immediately jumps to the on-error policy section."
                state.lastError = { ...e.error, section: state.section, scope: "api", path: "" };
                state.section = "on-error";
                try {
                    const onError = sections.get("on-error");
                    if (onError) await this.run(elements(onError), state);
                    final = state.response ?? { status: 500, headers: {}, body: null };
                } catch (inner) {
                    if (inner instanceof ReturnResponse) final = inner.response;
                    else if (inner instanceof PolicyError) final = { status: 500, headers: {}, body: null };
                    else throw inner;
                }
            } else throw e;
        }
        // The backend's own response goes back (possibly still flowing); any other answer replaces it.
        const passthrough = final === undefined && state.response !== null;
        final ??= state.response ?? { status: 500, headers: {}, body: null };
        const stream = passthrough ? state.response!.stream : undefined;
        if (!passthrough) state.response?.stream?.destroy();
        let rpcCode: number | undefined;
        try {
            const parsed = JSON.parse(final.body ?? "") as { error?: { code?: number } };
            rpcCode = parsed?.error?.code;
        } catch {
            rpcCode = undefined;
        }
        const traces = state.traces;
        return {
            status: final.status,
            headers: final.headers,
            body: stream ? null : final.body,
            rpcCode,
            forwarded: state.forwarded,
            stream,
            traces,
            events: traces.filter((t) => t.source === traceSource && t.event).map((t) => t.event!),
            lastError: state.lastError ?? undefined,
            header: (name) => findHeader(final!.headers, name),
        };
    }

    // ---- expressions ---------------------------------------------------------------------------

    private wire(state: RequestState): WireContext {
        return {
            request: { method: state.method, url: state.url, headers: state.headers, body: state.body === null ? null : state.consumed ? "" : state.body, ipAddress: "10.0.0.4" },
            response: state.response ? { status: state.response.status, reason: state.response.reason, headers: state.response.headers, body: state.response.consumed ? "" : state.response.body } : null,
            variables: state.variables,
            lastError: state.lastError,
            operation: state.operation,
            now: this.now,
        };
    }

    /** A policy value: an expression's result, or the literal string. */
    private async value(raw: string | undefined, state: RequestState, where: string): Promise<ClrValue> {
        if (raw === undefined) return { t: "null" };
        if (!isExpression(raw)) return { t: "string", v: raw };
        // An expression that reads a body still flowing makes the gateway read it whole first.
        if (state.response?.stream && /context\.Response\.Body/.test(raw)) {
            state.response.body = await drain(state.response.stream);
            state.response.stream = undefined;
        }
        const result = await this.runner.evaluate(this.table.idOf(raw.trim()), this.wire(state));
        if (result.consumed.request) state.consumed = true;
        if (result.consumed.response && state.response) state.response.consumed = true;
        if (!result.ok) {
            // Learn (policy expressions): "Any exceptions generated by policy expressions result in a runtime error."
            throw new PolicyError({ source: where, reason: "ExpressionValueEvaluationFailure", message: `Expression evaluation failed. ${result.error}` });
        }
        return result.value!;
    }

    private async text(raw: string | undefined, state: RequestState, where: string): Promise<string> {
        return asString(await this.value(raw, state, where));
    }

    private async bool(raw: string, state: RequestState, where: string): Promise<boolean> {
        const v = await this.value(raw, state, where);
        if (v.t !== "bool") throw new PolicyError({ source: where, reason: "ExpressionValueEvaluationFailure", message: `condition returned ${v.t}, expected bool` });
        return v.v as boolean;
    }

    private async headerValues(e: XmlElement, state: RequestState): Promise<string[]> {
        const values: string[] = [];
        for (const v of elements(e).filter((c) => c.name === "value")) values.push(await this.text(textOf(v), state, "set-header"));
        return values;
    }

    // ---- elements ------------------------------------------------------------------------------

    private async run(nodes: readonly XmlNode[], state: RequestState): Promise<void> {
        for (const node of nodes) if ("name" in node) await this.element(node, state);
    }

    private async element(e: XmlElement, state: RequestState): Promise<void> {
        const a = e.attributes;
        switch (e.name) {
            case "base":
                return; // no global or product policy in this platform
            case "include-fragment": {
                // Learn (include-fragment): the fragment's policies run in place of the element.
                const fragment = this.docs.fragments.get(a["fragment-id"]);
                if (!fragment) throw new PolicyConfigurationError(`include-fragment: no fragment "${a["fragment-id"]}"`);
                return this.run(fragment.children, state);
            }
            case "set-variable":
                // Learn (set-variable): value is a literal string or an expression's result (its CLR type kept).
                state.variables[a.name] = await this.value(a.value, state, "set-variable");
                return;
            case "choose":
                // Learn (choose): the first `when` whose condition is true runs, else `otherwise`.
                for (const branch of elements(e)) {
                    if (branch.name === "when" && (await this.bool(branch.attributes.condition, state, "choose"))) return this.run(branch.children, state);
                    if (branch.name === "otherwise") return this.run(branch.children, state);
                }
                return;
            case "return-response":
                // Learn (return-response): "aborts pipeline execution and returns either a default or custom response".
                throw new ReturnResponse(await this.buildResponse(e, state));
            case "set-header": {
                // Learn (set-header): request headers in inbound/backend, response headers in outbound/on-error.
                const target = state.section === "inbound" || state.section === "backend" ? state.headers : (state.response ??= { status: 200, headers: {}, body: null, consumed: false }).headers;
                return this.applyHeader(e, target, state);
            }
            case "trace": {
                // Learn (trace): a message (expression allowed) with metadata name/value pairs.
                const message = await this.text(textOf(child(e, "message")!), state, "trace");
                const event = elements(e).find((c) => c.name === "metadata" && c.attributes.name === "event")?.attributes.value;
                state.traces.push({ source: a.source, severity: a.severity ?? "verbose", message, event });
                return;
            }
            case "validate-azure-ad-token":
                return this.validateAzureAdToken(e, state);
            case "rate-limit-by-key":
                return this.rateLimitByKey(e, state);
            case "quota-by-key":
                return this.quotaByKey(e, state);
            case "cache-lookup-value": {
                // Learn (cache-lookup-value): a miss assigns default-value (or leaves the variable unset without one).
                const key = await this.text(a.key, state, e.name);
                const hit = this.cache.get(key);
                if (hit && hit.expires > this.now) state.variables[a["variable-name"]] = hit.value;
                else if (a["default-value"] !== undefined) state.variables[a["variable-name"]] = { t: "string", v: a["default-value"] };
                return;
            }
            case "cache-store-value": {
                const key = await this.text(a.key, state, e.name);
                this.cache.set(key, { value: await this.value(a.value, state, e.name), expires: this.now + Number(a.duration) * 1000 });
                return;
            }
            case "cache-remove-value":
                this.cache.delete(await this.text(a.key, state, e.name));
                return;
            case "send-request":
                return this.sendRequest(e, state);
            case "set-backend-service":
                return;
            case "authentication-managed-identity":
                // Learn (authentication-managed-identity): sets Authorization: Bearer <token for resource> on the backend request.
                setHeaderValue(state.headers, "Authorization", [`Bearer ${await this.managedIdentity(a.resource, a["client-id"])}`]);
                return;
            case "forward-request":
                return this.forward(e, state);
            default:
                throw new PolicyConfigurationError(`the bench does not model <${e.name}>`);
        }
    }

    private async applyHeader(e: XmlElement, target: Record<string, string[]>, state: RequestState): Promise<void> {
        const action = e.attributes["exists-action"] ?? "override";
        const name = e.attributes.name;
        if (action === "delete") return setHeaderValue(target, name, undefined);
        const values = await this.headerValues(e, state);
        const existing = findHeader(target, name);
        if (action === "skip" && existing !== undefined) return;
        if (action === "append" && existing !== undefined) return setHeaderValue(target, name, [...existing.split(","), ...values]);
        setHeaderValue(target, name, values);
    }

    private async buildResponse(e: XmlElement, state: RequestState): Promise<WireResponse> {
        const response = { status: 200, reason: "OK", headers: {} as Record<string, string[]>, body: null as string | null };
        for (const c of elements(e)) {
            if (c.name === "set-status") {
                response.status = Number(c.attributes.code);
                response.reason = c.attributes.reason ?? "";
            } else if (c.name === "set-header") await this.applyHeader(c, response.headers, state);
            else if (c.name === "set-body") response.body = await this.text(textOf(c), state, "set-body");
            else throw new PolicyConfigurationError(`return-response: the bench does not model <${c.name}>`);
        }
        return response;
    }

    /**
     * Learn (validate-azure-ad-token): the token from header-name must be an Entra token of tenant-id,
     * for one of `audiences`, from one of `client-application-ids`, unexpired, holding the required
     * claims; output-token-variable-name receives the Jwt. Failures raise an error with the
     * validate-jwt reasons of Learn's error-handling page (the only documented list).
     */
    private async validateAzureAdToken(e: XmlElement, state: RequestState): Promise<void> {
        const fail = (reason: string, message: string) => {
            throw new PolicyError({ source: "validate-azure-ad-token", reason, message: `${message} Access denied.`, policyId: e.attributes.id ?? "" });
        };
        const header = findHeader(state.headers, e.attributes["header-name"] ?? "Authorization") ?? "";
        const raw = /^Bearer\s+(.+)$/i.exec(header)?.[1];
        if (!raw) return fail("TokenNotFound", "JWT not present.");
        const parts = raw.split(".");
        let claims: Record<string, unknown>;
        try {
            claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
        } catch {
            return fail("JwtInvalid", "JWT is not well formed.");
        }
        if (parts.length !== 3 || !(await this.signatureValid(raw))) return fail("TokenSignatureInvalid", "IDX10503: Signature validation failed.");
        const tenant = e.attributes["tenant-id"];
        if (claims.iss !== `https://login.microsoftonline.com/${tenant}/v2.0` && claims.iss !== `https://sts.windows.net/${tenant}/`) return fail("TokenIssuerNotAllowed", "IDX10205: Issuer validation failed.");
        const nowSeconds = this.now / 1000;
        if (typeof claims.exp === "number" && claims.exp <= nowSeconds) return fail("TokenExpired", "IDX10223: Lifetime validation failed. The token is expired.");
        if (typeof claims.nbf === "number" && claims.nbf > nowSeconds) return fail("JwtInvalid", "IDX10222: Lifetime validation failed. The token is not yet valid.");
        const audiences = elements(child(e, "audiences") ?? e).filter((c) => c.name === "audience").map(textOf);
        const aud = Array.isArray(claims.aud) ? (claims.aud as string[]) : [claims.aud as string];
        if (audiences.length > 0 && !aud.some((x) => audiences.includes(x))) return fail("TokenAudienceNotAllowed", "IDX10214: Audience validation failed.");
        const clients = elements(child(e, "client-application-ids") ?? e).filter((c) => c.name === "application-id").map(textOf);
        const client = (claims.azp ?? claims.appid) as string | undefined;
        if (!client || !clients.includes(client)) return fail(this.clientNotAllowedReason, "Client application is not allowed.");
        for (const claim of elements(child(e, "required-claims") ?? e).filter((c) => c.name === "claim")) {
            const value = claims[claim.attributes.name];
            if (value === undefined) return fail("TokenClaimNotFound", `JWT is missing the following claims: ${claim.attributes.name}.`);
            const separator = claim.attributes.separator;
            const held = Array.isArray(value) ? value.map(String) : separator ? String(value).split(separator) : [String(value)];
            const wanted = elements(claim).filter((c) => c.name === "value").map(textOf);
            const ok = claim.attributes.match === "all" ? wanted.every((w) => held.includes(w)) : wanted.some((w) => held.includes(w));
            if (!ok) return fail("TokenClaimValueNotAllowed", `Claim ${claim.attributes.name} value is not allowed.`);
        }
        const variable = e.attributes["output-token-variable-name"];
        if (variable) state.variables[variable] = { t: "jwt", v: claims };
    }

    /**
     * Learn (rate-limit-by-key): at most `calls` per sliding `renewal-period` (maximum 300 seconds)
     * per counter-key value; over the limit the policy raises `RateLimitExceeded` and stores the
     * retry interval (seconds, a number) in retry-after-variable-name.
     */
    private async rateLimitByKey(e: XmlElement, state: RequestState): Promise<void> {
        const a = e.attributes;
        const period = Number(a["renewal-period"]);
        if (!(period > 0 && period <= 300)) throw new PolicyConfigurationError(`rate-limit-by-key ${a.id ?? ""}: renewal-period ${a["renewal-period"]} outside 1–300 seconds (Learn: maximum 300)`);
        if (a["increment-condition"] && !(await this.bool(a["increment-condition"], state, e.name))) return;
        const key = await this.text(a["counter-key"], state, e.name);
        const window = (this.rateWindows.get(key) ?? []).filter((t) => t > this.now - period * 1000);
        if (window.length >= Number(a.calls)) {
            const retry = Math.max(1, Math.ceil((window[0] + period * 1000 - this.now) / 1000));
            if (a["retry-after-variable-name"]) state.variables[a["retry-after-variable-name"]] = { t: "int", v: retry };
            this.rateWindows.set(key, window);
            throw new PolicyError({ source: "rate-limit-by-key", reason: "RateLimitExceeded", message: "Rate limit is exceeded.", policyId: a.id ?? "" });
        }
        window.push(this.now);
        this.rateWindows.set(key, window);
    }

    /** Learn (quota-by-key): `calls` per renewal-period per key; over it raises `QuotaExceeded` with the time to renewal. */
    private async quotaByKey(e: XmlElement, state: RequestState): Promise<void> {
        const a = e.attributes;
        const period = Number(a["renewal-period"]) * 1000;
        const key = await this.text(a["counter-key"], state, e.name);
        let q = this.quotas.get(key);
        if (!q || q.start + period <= this.now) q = { start: this.now, count: 0 };
        this.quotas.set(key, q);
        if (q.count >= Number(a.calls)) {
            const left = Math.ceil((q.start + period - this.now) / 1000);
            const hms = [Math.floor(left / 3600), Math.floor((left % 3600) / 60), left % 60].map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, "0"))).join(":");
            throw new PolicyError({ source: "quota-by-key", reason: "QuotaExceeded", message: `Out of call volume quota. Quota will be replenished in ${hms}.`, policyId: a.id ?? "" });
        }
        q.count++;
    }

    /** Learn (send-request): with ignore-error="true" a failed call leaves a null response variable. */
    private async sendRequest(e: XmlElement, state: RequestState): Promise<void> {
        let url = "";
        const headers: Record<string, string[]> = {};
        let body = "";
        for (const c of elements(e)) {
            if (c.name === "set-url") url = await this.text(textOf(c), state, "set-url");
            else if (c.name === "set-method") continue;
            else if (c.name === "set-header") await this.applyHeader(c, headers, state);
            else if (c.name === "set-body") body = await this.text(textOf(c), state, "set-body");
            else if (c.name === "authentication-managed-identity") setHeaderValue(headers, "Authorization", [`Bearer ${await this.managedIdentity(c.attributes.resource, c.attributes["client-id"])}`]);
            else throw new PolicyConfigurationError(`send-request: the bench does not model <${c.name}>`);
        }
        const answer = this.contentSafety({ url, headers, body });
        const variable = e.attributes["response-variable-name"];
        if (typeof answer === "string") {
            if (e.attributes["ignore-error"] !== "true") throw new PolicyError({ source: "send-request", reason: answer === "timeout" ? "Timeout" : "BackendConnectionFailure", message: "send-request failed." });
            state.variables[variable] = { t: "null" };
            return;
        }
        state.variables[variable] = { t: "response", v: answer };
    }

    /**
     * Learn (forward-request): sends the current request to the backend (its URL plus the request's
     * path below the API); failures raise an error. `timeout` bounds the wait for the response
     * headers; with `buffer-response="false"` the body flows to the caller as it arrives.
     */
    private async forward(e: XmlElement, state: RequestState): Promise<void> {
        const call: BackendCall = { method: state.method, path: state.path, headers: structuredClone(state.headers), body: state.body === null || state.consumed ? "" : state.body };
        state.forwarded = call;
        const options: ForwardOptions = {
            timeoutSeconds: Number(e.attributes.timeout ?? defaultForwardTimeoutSeconds),
            buffer: (e.attributes["buffer-response"] ?? "true") !== "false",
        };
        const answer = await state.backend(call, options);
        if (answer === "timeout") throw new PolicyError({ source: "forward-request", reason: "Timeout", message: "Request to the backend service timed out." });
        if (answer === "connection-failure") throw new PolicyError({ source: "forward-request", reason: "BackendConnectionFailure", message: "The backend service is unavailable." });
        const { stream, ...response } = answer as StreamedResponse;
        state.response = { ...response, headers: structuredClone(response.headers), consumed: false, stream };
        if (stream && options.buffer) {
            try {
                state.response.body = await drain(stream);
            } catch {
                throw new PolicyError({ source: "forward-request", reason: "BackendConnectionFailure", message: "The backend closed the connection." });
            }
            state.response.stream = undefined;
        }
    }
}

function managedIdentityToken(resource: string, clientId: string): string {
    return `mi.${Buffer.from(JSON.stringify({ aud: resource, appid: clientId })).toString("base64url")}`;
}

function asString(v: ClrValue): string {
    switch (v.t) {
        case "null":
            return "";
        case "bool":
            return v.v ? "True" : "False";
        default:
            return String((v as { v?: unknown }).v);
    }
}
