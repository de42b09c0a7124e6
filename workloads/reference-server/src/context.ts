import type { Caller } from "./auth";
import type { RequestRecord } from "./log";

/**
 * What one authenticated HTTP request carries into the SDK's handlers: it travels as
 * `authInfo.extra.request` (the SDK passes `authInfo` through untouched) and never holds the token.
 */
export interface RequestContext {
    readonly correlationId: string;
    readonly caller: Caller;
    /** Filled in by the tool wrapper; logged once when the response ends. */
    readonly record: RequestRecord;
}
