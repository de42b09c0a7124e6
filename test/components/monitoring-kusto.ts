import { createRequire } from "node:module";
import * as path from "node:path";
import { KustoType, TableSchema } from "./monitoring-tables";

/**
 * Microsoft's Kusto language service (Kusto.Language, the parser and binder behind the Azure Data
 * Explorer and Log Analytics editors, as `@kusto/language-service-next`) over typed table schemas:
 * a query is parsed and semantically analysed, and every error or warning is reported with its
 * code. Test-only (the library is a devDependency).
 */
// Resolved from the repository root (tests run there); import.meta is unavailable in the CommonJS type-check.
const require = createRequire(path.join(process.cwd(), "package.json"));
require("@kusto/language-service-next/bridge.min.js");
require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
// The bridge defines the `Kusto` namespace on the global object (Bridge.NET output).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const K: any = (globalThis as any).Kusto.Language;

export interface KustoDiagnostic {
    readonly severity: string;
    readonly code: string;
    readonly message: string;
    readonly start: number;
}

export interface KustoAnalysis {
    /** Errors and warnings of the parser, binder and analyzers. */
    readonly diagnostics: KustoDiagnostic[];
    /** Result columns with their bound types (`unknown` when the binder could not type one). */
    readonly output: Record<string, string>;
    /** Database tables the query reads. */
    readonly tables: string[];
}

/** A language-service session over the given tables (one database, as a workspace is). */
export function kustoSession(schemas: Readonly<Record<string, TableSchema>>) {
    const tables = Object.entries(schemas).map(
        ([name, schema]) => new K.Symbols.TableSymbol.$ctor7(name, `(${Object.entries(schema.columns).map(([c, t]) => `${c}:${t}`).join(", ")})`, schema.source),
    );
    const globals = K.GlobalState.Default.WithDatabase(new K.Symbols.DatabaseSymbol.ctor("workspace", tables));
    const tableNames = new Set(Object.keys(schemas));

    return function analyze(query: string): KustoAnalysis {
        const code = K.KustoCode.ParseAndAnalyze(query, globals);
        const diagnostics: KustoDiagnostic[] = [];
        const collect = (list: { Count: number; getItem(i: number): any } | null) => {
            for (let i = 0; i < (list?.Count ?? 0); i++) {
                const d = list!.getItem(i);
                if (d.Severity === "Error" || d.Severity === "Warning") diagnostics.push({ severity: d.Severity, code: d.Code, message: d.Message, start: d.Start });
            }
        };
        collect(code.GetDiagnostics());
        collect(code.GetAnalyzerDiagnostics ? code.GetAnalyzerDiagnostics() : null);
        const output: Record<string, string> = {};
        const columns = code.ResultType?.Columns;
        for (let i = 0; i < (columns?.Count ?? 0); i++) {
            const c = columns.getItem(i);
            output[c.Name] = c.Type?.Name ?? "unknown";
        }
        // Table references: every name token the binder resolved to one of the schema's tables.
        const read = new Set<string>();
        const walk = (node: any) => {
            if (!node) return;
            const symbol = node.ReferencedSymbol;
            if (symbol && symbol.Kind === K.Symbols.SymbolKind.Table && tableNames.has(symbol.Name)) read.add(symbol.Name);
            for (let i = 0; i < (node.ChildCount ?? 0); i++) walk(node.GetChild(i));
        };
        walk(code.Syntax);
        return { diagnostics, output, tables: [...read].sort() };
    };
}

export type { KustoType };
