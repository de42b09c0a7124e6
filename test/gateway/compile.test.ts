import { describe, expect, it } from "vitest";
import { checkMember } from "./support/allowedMembers";
import { compile, CompileError, ExpressionTable, memberReferences } from "./support/csharp";
import { documents, expressionSites, variant, VariantName } from "./support/documents";

/**
 * Issue 13 part 1: every `@(…)`/`@{…}` of the generated documents compiles with a real C# compiler
 * against the Learn-derived context model, and uses only the .NET members Learn allows.
 */
const variants: VariantName[] = ["dev", "prod", "premiumv2"];

function tableOf(names: VariantName[]): ExpressionTable {
    const table = new ExpressionTable();
    for (const name of names) for (const site of expressionSites(documents(variant(name)), name)) table.add(site.source, `${site.document} ${site.where}`);
    return table;
}

function violations(table: ExpressionTable): string[] {
    const { exe } = compile(table);
    const out = new Set<string>();
    for (const ref of memberReferences(exe)) {
        const why = checkMember(ref.type, ref.member);
        if (why) out.add(`${ref.id} (${table.originsOf(ref.id)[0]}): ${why}`);
    }
    return [...out].sort();
}

describe("policy expressions compile (mcs + Json.NET, Learn's context model)", () => {
    for (const name of variants) {
        it(`compiles every expression of the ${name} documents`, () => {
            const table = tableOf([name]);
            expect(table.size).toBeGreaterThan(60);
            expect(() => compile(table)).not.toThrow();
        });
    }

    it("uses only the .NET types and members Learn allows (dev, prod, PremiumV2)", () => {
        expect(violations(tableOf(variants))).toEqual([]);
    });

    it("keeps the model honest: an undocumented context member does not compile", () => {
        const table = new ExpressionTable();
        table.add('@(context.Request.Bodyy.As<string>(preserveContent: true))', "known-bad: misspelt member");
        expect(() => compile(table, { noCache: true })).toThrow(CompileError);
        expect(() => compile(table, { noCache: true })).toThrow(/Bodyy[\s\S]*known-bad/);
        const undocumented = new ExpressionTable();
        undocumented.add("@(context.User.Email)", "known-bad: context.User is not modelled");
        expect(() => compile(undocumented, { noCache: true })).toThrow(CompileError);
        const typed = new ExpressionTable();
        typed.add('@(context.Variables.GetValueOrDefault<string>("a", 1))', "known-bad: default of the wrong type");
        expect(() => compile(typed, { noCache: true })).toThrow(CompileError);
    });

    it("flags members outside Learn's list (DateTime operator, using/Dispose, file access, reflection)", () => {
        const table = new ExpressionTable();
        table.add("@((DateTime.UtcNow - DateTime.UtcNow).TotalSeconds)", "bad-datetime");
        table.add('@{ using (var sha = System.Security.Cryptography.SHA256.Create()) { return sha.ComputeHash(new byte[0]).Length; } }', "bad-using");
        table.add('@(System.IO.File.ReadAllText("/etc/passwd"))', "bad-file");
        table.add('@("".GetType().Name)', "bad-reflection");
        table.add('@(context.Request.Headers.GetValueOrDefault("a"))', "bad-netstandard-extension");
        table.add('@(DateTime.UtcNow.Subtract(DateTime.UtcNow).TotalSeconds)', "good-subtract");
        table.add('@(System.Security.Cryptography.SHA256.Create().ComputeHash(new byte[0]).Length)', "good-sha");
        const found = violations(table).join("\n");
        expect(found).toMatch(/bad-datetime.*System\.DateTime\.op_Subtraction/);
        expect(found).toMatch(/bad-using.*System\.IDisposable/);
        expect(found).toMatch(/bad-file.*System\.IO\.File/);
        expect(found).toMatch(/bad-reflection.*GetType/);
        expect(found).toMatch(/bad-netstandard-extension.*CollectionExtensions/);
        expect(found).not.toMatch(/good-/);
    });
});
