import { TableSchema } from "./tables";

/**
 * A small KQL reader, enough to check the analytics rules against `tables.ts`: it tokenises a
 * query, follows the pipeline stage by stage (which columns exist after `extend`, `summarize`,
 * `make-series`, `project`, `mv-expand`), and reports every table, column, dynamic member and function it does
 * not know. It is deliberately strict: an identifier it cannot place is a problem, not a pass.
 */

export interface Token {
    readonly kind: "ident" | "string" | "number" | "punct";
    readonly text: string;
}

export interface KqlAnalysis {
    readonly tables: string[];
    /** Column identifiers the query reads from its tables (not the names it defines). */
    readonly columns: string[];
    /** `a.b` member names read from dynamic values. */
    readonly members: string[];
    /** Columns of the final result. */
    readonly output: string[];
    readonly problems: string[];
}

/** Tabular operators the reader understands; any other operator is reported. */
const operators = new Set(["where", "extend", "project", "summarize", "make-series", "mv-expand", "order", "sort", "top", "take", "limit", "distinct", "project-away"]);
/** Words with meaning in expressions and operator clauses, never columns. */
const keywords = new Set([
    "by", "and", "or", "not", "in", "has", "has_any", "has_all", "contains", "startswith", "endswith", "matches", "regex",
    "between", "asc", "desc", "nulls", "first", "last", "true", "false", "null", "to", "with", "typeof", "bag_expansion", "array",
    "string", "int", "long", "real", "bool", "datetime", "timespan", "dynamic", "guid", "decimal", "double",
]);
/** Scalar and aggregation functions the rules may call. */
const functions = new Set([
    "ago", "now", "bin", "tostring", "toint", "tolong", "toreal", "tobool", "todatetime", "todynamic", "parse_json", "isempty",
    "isnotempty", "isnull", "isnotnull", "strlen", "tolower", "toupper", "iff", "iif", "case", "coalesce", "array_length",
    "count", "countif", "dcount", "dcountif", "make_set", "make_list", "min", "max", "sum", "avg", "arg_max", "arg_min", "any", "take_any",
    "not", "strcat", "split", "extract", "format_datetime", "datetime_diff", "set_union", "bag_keys",
    // https://learn.microsoft.com/kusto/query/series-decompose-anomalies-function (returns ad_flag, ad_score, baseline)
    "series_decompose_anomalies",
]);

export function tokenize(query: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < query.length) {
        const c = query[i];
        if (/\s/.test(c)) { i++; continue; }
        if (query.startsWith("//", i)) { while (i < query.length && query[i] !== "\n") i++; continue; }
        if (c === '"' || c === "'" || ((c === "@" || c === "h") && (query[i + 1] === '"' || query[i + 1] === "'"))) {
            const start = i;
            if (c === "@" || c === "h") i++;
            const quote = query[i++];
            while (i < query.length && query[i] !== quote) i += query[i] === "\\" && c !== "@" ? 2 : 1;
            i++;
            tokens.push({ kind: "string", text: query.slice(start, i) });
            continue;
        }
        const number = /^\d+(\.\d+)?[a-z]*/.exec(query.slice(i));
        if (number) { tokens.push({ kind: "number", text: number[0] }); i += number[0].length; continue; }
        const ident = /^[A-Za-z_][A-Za-z0-9_]*(-(expand|away|series|apply|rename|reorder|keep))?/.exec(query.slice(i));
        if (ident) { tokens.push({ kind: "ident", text: ident[0] }); i += ident[0].length; continue; }
        const punct = /^(==|!=|=~|!~|>=|<=|!in|!has|!contains|[|(),.=<>\[\]{}+\-*/%!:;])/.exec(query.slice(i));
        if (!punct) throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
        tokens.push({ kind: "punct", text: punct[0] });
        i += punct[0].length;
    }
    return tokens;
}

/** Reads one query (a single pipeline, no `let`/`join`: what the rules use) against `schemas`. */
export function analyzeKql(query: string, schemas: Readonly<Record<string, TableSchema>>): KqlAnalysis {
    const tokens = tokenize(query);
    const problems: string[] = [];
    const columns = new Set<string>();
    const members = new Set<string>();
    const stages = splitTopLevel(tokens, "|");
    const source = stages[0];
    const tables: string[] = [];
    if (source.length !== 1 || source[0].kind !== "ident") problems.push("the query must start with one table name");
    else tables.push(source[0].text);

    const table = schemas[tables[0]];
    if (tables[0] && !table) problems.push(`table ${tables[0]} is not in the allowed list`);
    const tableColumns = new Set(table?.columns ?? []);
    const memberNames = new Set(Object.values(table?.dynamic ?? {}).flatMap((d) => d.fields));
    let available = new Set(tableColumns);

    for (const stage of stages.slice(1)) {
        const [op, ...rest] = stage;
        if (!op || op.kind !== "ident" || !operators.has(op.text)) {
            problems.push(`unsupported operator ${op?.text ?? "(empty)"}`);
            continue;
        }
        const use = (name: string) => {
            if (!available.has(name)) problems.push(`column ${name} is not available after the previous stage (${op.text})`);
            else if (tableColumns.has(name)) columns.add(name);
        };
        const readExpression = (expr: Token[]) => readIdentifiers(expr, use, (m) => {
            members.add(m);
            if (!memberNames.has(m)) problems.push(`member .${m} is not a documented field of a dynamic column`);
        }, (f) => { if (!functions.has(f)) problems.push(`unknown function ${f}()`); });

        switch (op.text) {
            case "where":
            case "take":
            case "limit":
                readExpression(rest);
                break;
            case "extend":
            case "mv-expand": {
                const added: string[] = [];
                for (const item of splitTopLevel(rest, ",")) {
                    const [names, expr] = splitAssignment(item);
                    readExpression(expr);
                    added.push(...names);
                }
                added.forEach((n) => available.add(n));
                break;
            }
            case "project":
            case "summarize":
            case "distinct": {
                const byIndex = op.text === "summarize" ? rest.findIndex((t) => t.kind === "ident" && t.text === "by") : -1;
                const aggregates = byIndex >= 0 ? rest.slice(0, byIndex) : rest;
                const groups = byIndex >= 0 ? rest.slice(byIndex + 1) : [];
                const next = new Set<string>();
                for (const list of [aggregates, groups]) {
                    for (const item of splitTopLevel(list, ",")) {
                        const [[name], expr] = splitAssignment(item);
                        readExpression(expr);
                        const implicit = expr.length === 1 && expr[0].kind === "ident" ? expr[0].text : undefined;
                        const binned = expr[0]?.text === "bin" && expr[2]?.kind === "ident" ? expr[2].text : undefined;
                        const resultName = name ?? implicit ?? binned;
                        if (resultName) next.add(resultName);
                        else if (op.text === "summarize" && expr[0]?.text === "count") next.add("count_");
                    }
                }
                available = next;
                break;
            }
            case "make-series": {
                // make-series Agg = fn(…) [default = v], … on Axis [from … to … step …] [by Group, …]
                const at = (word: string) => rest.findIndex((t) => t.kind === "ident" && t.text === word);
                const onIndex = at("on");
                const byIndex = at("by");
                const axis = rest[onIndex + 1];
                if (onIndex < 0 || axis?.kind !== "ident") {
                    problems.push("make-series needs `on <datetime column>`");
                    break;
                }
                const next = new Set<string>();
                for (const item of splitTopLevel(rest.slice(0, onIndex), ",")) {
                    const [[name], expr] = splitAssignment(item);
                    // `default = 0` is part of the aggregation, not a column.
                    const defaultAt = expr.findIndex((t) => t.kind === "ident" && t.text === "default");
                    readExpression(defaultAt >= 0 ? expr.slice(0, defaultAt) : expr);
                    if (name) next.add(name);
                }
                use(axis.text);
                next.add(axis.text);
                const range = rest.slice(onIndex + 2, byIndex >= 0 ? byIndex : rest.length);
                readExpression(range.filter((t) => !(t.kind === "ident" && ["from", "to", "step"].includes(t.text))));
                for (const item of byIndex >= 0 ? splitTopLevel(rest.slice(byIndex + 1), ",") : []) {
                    const [[name], expr] = splitAssignment(item);
                    readExpression(expr);
                    const resultName = name ?? (expr.length === 1 && expr[0].kind === "ident" ? expr[0].text : undefined);
                    if (resultName) next.add(resultName);
                }
                available = next;
                break;
            }
            default:
                readExpression(rest);
        }
    }
    return { tables, columns: [...columns], members: [...members], output: [...available], problems };
}

/** Splits tokens at `separator` outside parentheses and brackets. */
function splitTopLevel(tokens: Token[], separator: string): Token[][] {
    const parts: Token[][] = [[]];
    let depth = 0;
    for (const t of tokens) {
        if (t.kind === "punct" && (t.text === "(" || t.text === "[")) depth++;
        if (t.kind === "punct" && (t.text === ")" || t.text === "]")) depth--;
        if (depth === 0 && t.kind === "punct" && t.text === separator) parts.push([]);
        else parts[parts.length - 1].push(t);
    }
    return parts.filter((p) => p.length > 0);
}

/** `Name = expr` → [[Name], expr]; `(A, B) = expr` → [[A, B], expr]; `expr` → [[], expr]. */
function splitAssignment(item: Token[]): [string[], Token[]] {
    if (item.length > 2 && item[0].kind === "ident" && item[1].kind === "punct" && item[1].text === "=") return [[item[0].text], item.slice(2)];
    const close = item.findIndex((t) => t.kind === "punct" && t.text === ")");
    if (item[0]?.text === "(" && close > 1 && item[close + 1]?.text === "=") {
        const names = item.slice(1, close).filter((t) => !(t.kind === "punct" && t.text === ","));
        if (names.every((t) => t.kind === "ident")) return [names.map((t) => t.text), item.slice(close + 2)];
    }
    return [[], item];
}

/** Classifies every identifier of an expression: a column use, a `.member`, or a function call. */
function readIdentifiers(expr: Token[], column: (name: string) => void, member: (name: string) => void, fn: (name: string) => void): void {
    expr.forEach((t, i) => {
        if (t.kind !== "ident") return;
        const prev = expr[i - 1];
        const next = expr[i + 1];
        if (prev?.kind === "punct" && prev.text === ".") member(t.text);
        else if (next?.kind === "punct" && next.text === "(") {
            if (!keywords.has(t.text)) fn(t.text);
        } else if (next?.kind === "punct" && next.text === "=" ) {
            // a named argument such as `kind=inner`: not a column
        } else if (!keywords.has(t.text)) column(t.text);
    });
}
