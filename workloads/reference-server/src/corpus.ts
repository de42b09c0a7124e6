import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * The corpus: the platform's own docs/ pages, read once at startup (the image's root filesystem is
 * read-only). Edits made with update_page live in this process's memory only: each replica has
 * its own revisions and a restart forgets them. A fork backs `Corpus` with a real store.
 */

export interface PageRevision {
    readonly revision: number;
    readonly text: string;
    /** `text` lower-cased once per revision (search is the hot path). */
    readonly lower: string;
    /** Hashed oid of the editor (never the oid itself); "bundled" for the image's copy. */
    readonly author: string;
    readonly at: string;
}

export interface SearchHit {
    readonly path: string;
    readonly title: string;
    readonly score: number;
    readonly snippet: string;
}

/** Page names are bare Markdown file names: no folders, so no path can leave the corpus. */
export const pagePathPattern = /^[a-z0-9][a-z0-9-]{0,62}\.md$/;

/**
 * What the tools need from a page store. Methods may be async so a fork can put a database or
 * blob container behind the same tools; the bundled `Corpus` answers synchronously.
 */
export interface DocsStore {
    list(): string[] | Promise<string[]>;
    latest(name: string): PageRevision | undefined | Promise<PageRevision | undefined>;
    update(name: string, text: string, expectedRevision: number, author: string): PageRevision | Promise<PageRevision>;
    search(query: string, limit: number): SearchHit[] | Promise<SearchHit[]>;
}

export class Corpus implements DocsStore {
    private readonly pages = new Map<string, PageRevision[]>();

    constructor(pages: Record<string, string>) {
        for (const [name, text] of Object.entries(pages)) {
            this.pages.set(name, [{ revision: 1, text, lower: text.toLowerCase(), author: "bundled", at: new Date(0).toISOString() }]);
        }
    }

    static fromDirectory(dir: string): Corpus {
        const names = readdirSync(dir).filter((n) => pagePathPattern.test(n));
        if (names.length === 0) throw new Error(`corpus: ${dir} holds no Markdown pages`);
        return new Corpus(Object.fromEntries(names.map((n) => [n, readFileSync(path.join(dir, n), "utf8")])));
    }

    list(): string[] {
        return [...this.pages.keys()].sort();
    }

    latest(name: string): PageRevision | undefined {
        const revisions = this.pages.get(name);
        return revisions?.[revisions.length - 1];
    }

    /**
     * Stores a new revision when `expectedRevision` is the current one (optimistic concurrency, so
     * two editors cannot silently overwrite each other). Keeps at most `keep` revisions per page.
     */
    update(name: string, text: string, expectedRevision: number, author: string, keep = 20): PageRevision {
        const revisions = this.pages.get(name);
        if (!revisions) throw new CorpusError(`no page ${name}`);
        const current = revisions[revisions.length - 1];
        if (current.revision !== expectedRevision) throw new CorpusError(`page ${name} is at revision ${current.revision}, not ${expectedRevision}`);
        const next = { revision: current.revision + 1, text, lower: text.toLowerCase(), author, at: new Date().toISOString() };
        revisions.push(next);
        if (revisions.length > keep) revisions.splice(0, revisions.length - keep);
        return next;
    }

    /** Term-frequency ranking over the latest revision of every page; ties broken by name. */
    search(query: string, limit: number): SearchHit[] {
        const terms = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}._-]*/gu) ?? [])].slice(0, 16);
        if (terms.length === 0) return [];
        const hits: SearchHit[] = [];
        for (const name of this.list()) {
            const { text, lower } = this.latest(name)!;
            let score = 0;
            let first = -1;
            for (const term of terms) {
                let at = lower.indexOf(term);
                if (at >= 0 && (first < 0 || at < first)) first = at;
                while (at >= 0) {
                    score++;
                    at = lower.indexOf(term, at + term.length);
                }
            }
            if (score > 0) hits.push({ path: name, title: titleOf(text, name), score, snippet: snippetAround(text, first) });
        }
        return hits.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1)).slice(0, limit);
    }
}

export class CorpusError extends Error {}

function titleOf(text: string, fallback: string): string {
    return /^#\s+(.+)$/m.exec(text)?.[1].trim() ?? fallback;
}

function snippetAround(text: string, at: number, width = 240): string {
    const start = Math.max(0, at - width / 4);
    return text.slice(start, start + width).replace(/\s+/g, " ").trim();
}
