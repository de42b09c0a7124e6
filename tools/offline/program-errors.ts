import * as path from "node:path";

/**
 * Turning a failed program run into a message a CI log can act on: the program file and line (never
 * a Node stack dump), the resources whose registration was started and never completed, and a hint
 * when the error is the signature of an SDK major-version mismatch.
 */

/** The program threw, an input's apply failed, or a registration was abandoned; `registered` says how far it got. */
export class ProgramError extends Error {
    constructor(
        message: string,
        readonly cause: Error | undefined,
        readonly registered: number,
        /** `Type name` of each registration the program started and never completed. */
        readonly abandoned: readonly string[] = [],
        /** Where the error was raised in the program, when known. */
        readonly location?: SourceLocation,
    ) {
        super(message);
        this.name = "ProgramError";
    }
}

export interface SourceLocation {
    /** Absolute path. */
    readonly file: string;
    readonly line: number;
}

/** `file:line`, the file relative to the working directory (as a CI log shows it). */
export function formatLocation(location: SourceLocation | undefined): string | undefined {
    return location ? `${path.relative(process.cwd(), location.file).split(path.sep).join("/")}:${location.line}` : undefined;
}

/** The first frame of `stack` in the program's own files (not node_modules, not the offline plan). */
export function programFrame(stack: string | undefined, cwd: string): SourceLocation | undefined {
    for (const line of (stack ?? "").split("\n").slice(1)) {
        const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
        if (!match) continue;
        const file = match[1].replace(/^file:\/\//, "");
        if (!file.startsWith(cwd + path.sep) && file !== cwd) continue;
        if (file.includes(`${path.sep}node_modules${path.sep}`) || file.includes(`${path.sep}tools${path.sep}offline${path.sep}`)) continue;
        return { file, line: Number(match[2]) };
    }
    return undefined;
}

/**
 * A hint for errors that mean "this program was written for another major version of a provider
 * SDK": a module that moved (`Cannot find module '@pulumi/azure-native/insights'`) or a class that
 * was renamed (`network.PrivateZone is not a constructor`).
 */
export function sdkMismatchHint(error: Error, installed: (pkg: string) => string | undefined): string | undefined {
    const missing = /Cannot find module '(@pulumi\/[^/']+)(\/[^']*)?'/.exec(error.message);
    if (missing) {
        const version = installed(missing[1]);
        return version
            ? `${missing[1]}${missing[2] ?? ""} does not exist in the installed ${missing[1]} ${version}: the program was probably written for another major version (see the provider's migration guide)`
            : `${missing[1]} is not installed in the program's node_modules (run npm install in the program directory)`;
    }
    if (/is not a constructor|is not a function/.test(error.message)) {
        const azure = installed("@pulumi/azure-native");
        return `an SDK export the program uses does not exist${azure ? ` in the installed @pulumi/azure-native ${azure}` : ""}: the program was probably written for another major version (e.g. azure-native v2 against v3)`;
    }
    return undefined;
}

export function describeProgramFailure(options: {
    readonly error?: Error;
    readonly errorLocation?: string;
    readonly program: string;
    readonly abandoned: readonly { label: string; at?: string }[];
    readonly unknownInvokes?: readonly string[];
    readonly hint?: string;
}): string {
    const lines: string[] = [];
    const where = options.errorLocation ? ` at ${options.errorLocation}` : ` in ${options.program}`;
    // Node appends the "Require stack:" (every module on the way); the location above says where.
    if (options.error) lines.push(`the program failed${where}: ${options.error.message.split("\nRequire stack:")[0]}`);
    if (options.abandoned.length > 0) {
        lines.push(
            `${options.abandoned.length} ${options.abandoned.length === 1 ? "registration was" : "registrations were"} started and never completed ` +
                `(an input's apply or promise failed), so the plan would be partial:`,
        );
        for (const a of options.abandoned) lines.push(`  - ${a.label}${a.at ? ` (registered at ${a.at})` : ""}`);
    }
    if (options.unknownInvokes && options.unknownInvokes.length > 0) {
        lines.push(`invokes without an offline answer (the mock answered each with a marked placeholder): ${options.unknownInvokes.join(", ")}`);
    }
    if (options.hint) lines.push(`hint: ${options.hint}`);
    return lines.join("\n");
}
