/**
 * Every schema problem in the project's form — `<key>: got <value>, expected <what> — <how to fix>`
 * — whatever zod's issue kind. The schema gives its own message where it knows better
 * (stacks/schema.ts writes them as "expected …" text); zod's generic defaults ("Invalid input",
 * "Too big", "Invalid key in record") never reach the user.
 */
export interface ConfigIssue {
    readonly code: string;
    readonly path: readonly PropertyKey[];
    readonly message: string;
    readonly keys?: readonly string[];
    readonly expected?: string;
    readonly values?: readonly unknown[];
    readonly minimum?: number | bigint;
    readonly maximum?: number | bigint;
    readonly inclusive?: boolean;
    readonly origin?: string;
    readonly divisor?: number;
    readonly format?: string;
    readonly pattern?: string;
    readonly issues?: readonly ConfigIssue[];
}

/** zod's own default texts start like this; anything else was written by stacks/schema.ts. */
const zodDefault = /^(Invalid|Too (big|small)|Unrecognized key|Expected )/;

const typeNames: Record<string, string> = {
    number: "a number",
    int: "a whole number",
    string: "a text value",
    boolean: "true or false",
    array: "a list",
    object: "a map of keys",
    record: "a map of keys",
};

export function describeIssue(project: string, input: Record<string, unknown>, issue: ConfigIssue): string[] {
    const key = formatPath(project, issue.path);
    if (issue.code === "unrecognized_keys" && issue.keys) {
        const allowed = zodDefault.test(issue.message) ? "a key the schema declares" : issue.message;
        return issue.keys.map((k) => `${formatPath(project, [...issue.path, k])}: unknown key, expected ${allowed} — remove it or fix its spelling`);
    }
    const value = valueAt(input, issue.path);
    if (issue.code === "invalid_key") {
        // The path ends with the offending key; the value is the map that holds it.
        const badKey = String(issue.path[issue.path.length - 1]);
        const parent = formatPath(project, issue.path.slice(0, -1));
        const rule = issue.issues?.[0];
        const expected = zodDefault.test(issue.message) ? (rule ? expectation(rule) : "a valid key") : issue.message;
        return [`${parent}: got the key ${JSON.stringify(badKey)}, expected keys that are ${expected} — rename the key`];
    }
    const got = value === undefined ? "nothing" : JSON.stringify(value);
    const expected = zodDefault.test(issue.message) ? expectation(issue) : issue.message;
    return [`${key}: got ${got}, expected ${expected}${howToFix(issue, value)}`];
}

/** What the schema wanted, in words, from the issue's own fields. */
function expectation(issue: ConfigIssue): string {
    switch (issue.code) {
        case "invalid_type":
            return typeNames[issue.expected ?? ""] ?? `a ${issue.expected}`;
        case "too_big":
            return bound("at most", "less than", issue.maximum, issue);
        case "too_small":
            return bound("at least", "more than", issue.minimum, issue);
        case "invalid_value":
            return `one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
        case "not_multiple_of":
            return `a multiple of ${issue.divisor}`;
        case "invalid_format":
            return issue.format === "regex" ? `text matching ${issue.pattern}` : `a valid ${issue.format}`;
        case "invalid_union":
            return "one of the allowed shapes";
        default:
            return "a valid value";
    }
}

function bound(inclusiveWord: string, exclusiveWord: string, limit: number | bigint | undefined, issue: ConfigIssue): string {
    const word = issue.inclusive === false ? exclusiveWord : inclusiveWord;
    if (issue.origin === "array" || issue.origin === "set") return `${word} ${limit} entries`;
    if (issue.origin === "string") return `${word} ${limit} characters`;
    return `${word} ${limit}`;
}

function howToFix(issue: ConfigIssue, value: unknown): string {
    if (issue.code === "invalid_type" && issue.expected === "number" && typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) {
        return ` — write ${value} without quotes`;
    }
    if (issue.code === "invalid_type" && issue.expected === "boolean" && (value === "true" || value === "false")) return ` — write ${value} without quotes`;
    return "";
}

function formatPath(project: string, path: readonly PropertyKey[]): string {
    let out = `${project}:${String(path[0] ?? "")}`;
    for (const part of path.slice(1)) out += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
    return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
    let cur: any = input;
    for (const part of path) cur = cur == null ? undefined : cur[part as any];
    return cur;
}
