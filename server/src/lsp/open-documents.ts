/**
 * What the server keeps per open document: its file-system path, the unit it belongs to, a hash of
 * what was last published and its pending analysis. Entries come and go with didOpen and didClose
 * only, and the open files are indexed by path and by folder, so a keystroke looks up the few open
 * files along its unit's search path instead of listing every open document.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathOfUri, type OpenFiles, type OpenText } from './units';

export interface DocumentState {
  readonly uri: string;
  readonly path: string;
  /** The unit the document belonged to at its last analysis. */
  unit: string | null;
  /** The document version of the last publishDiagnostics sent for it. */
  publishedVersion: number | null;
  /**
   * Hash of the last publishDiagnostics and exposureChanged sent for it, when they were sent for a
   * version published before (null after a new version's first publish, which is not hashed).
   */
  published: number | null;
  /**
   * What the last publish for `publishedVersion` was made of: the analysis (Cached.serial), the
   * summary's text and the file notes (a hash). The same again shows the same: nothing is sent.
   */
  publishedFrom: number | null;
  /** Cancels the pending analysis. */
  cancel: (() => void) | null;
  /** When the document was last opened or changed (a counter): the latest of a unit's documents is the one being edited. */
  touched: number;
  /** Whether its last publish carried the unit's sandbox and summary diagnostics. */
  publishedAsOwner: boolean;
}

/** An open document as the unit resolution sees it: its current text, read when asked. */
class OpenDocument implements OpenText {
  constructor(
    readonly uri: string,
    private readonly text_: () => string,
  ) {}

  get text(): string {
    return this.text_();
  }
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : p.slice(0, i);
}

export class OpenDocuments implements OpenFiles {
  private readonly byUri = new Map<string, DocumentState>();
  /** By path: the open document the unit resolution uses for it (the last opened of equal paths). */
  private readonly byPath = new Map<string, OpenDocument>();
  private readonly byDir = new Map<string, Set<string>>();
  private clock = 0;

  constructor(private readonly textOf: (uri: string) => TextDocument | undefined) {}

  open(uri: string): DocumentState {
    const old = this.byUri.get(uri);
    if (old) return old;
    const state: DocumentState = {
      uri,
      path: pathOfUri(uri),
      unit: null,
      publishedVersion: null,
      published: null,
      publishedFrom: null,
      cancel: null,
      touched: ++this.clock,
      publishedAsOwner: false,
    };
    this.byUri.set(uri, state);
    this.index(state);
    return state;
  }

  close(uri: string): DocumentState | undefined {
    const state = this.byUri.get(uri);
    if (!state) return undefined;
    this.byUri.delete(uri);
    if (this.byPath.get(state.path)?.uri === uri) {
      this.byPath.delete(state.path);
      this.byDir.get(dirOf(state.path))?.delete(state.path);
      // Another open document with the same path takes its place (the last opened one).
      let other: DocumentState | undefined;
      for (const s of this.byUri.values()) if (s.path === state.path) other = s;
      if (other) this.index(other);
    }
    return state;
  }

  /** Marks the document as the one being edited now. */
  touch(uri: string): void {
    const state = this.byUri.get(uri);
    if (state) state.touched = ++this.clock;
  }

  /**
   * The open document of the unit that shows its sandbox and summary diagnostics: the one opened or
   * changed last (the unit file or a drop-in, whichever the administrator is working in). A unit's
   * advice appears in one file only, never repeated in its other open files.
   */
  ownerOf(unit: string): string | null {
    let best: DocumentState | null = null;
    for (const s of this.byUri.values()) if (s.unit === unit && (best === null || s.touched > best.touched)) best = s;
    return best?.uri ?? null;
  }

  state(uri: string): DocumentState | undefined {
    return this.byUri.get(uri);
  }

  all(): IterableIterator<DocumentState> {
    return this.byUri.values();
  }

  get(path: string): OpenText | undefined {
    return this.byPath.get(path);
  }

  has(path: string): boolean {
    return this.byPath.has(path);
  }

  paths(): IterableIterator<string> {
    return this.byPath.keys();
  }

  in(dir: string): Iterable<string> {
    return this.byDir.get(dir) ?? [];
  }

  private index(state: DocumentState): void {
    const uri = state.uri;
    this.byPath.set(state.path, new OpenDocument(uri, () => this.textOf(uri)?.getText() ?? ''));
    const dir = dirOf(state.path);
    let set = this.byDir.get(dir);
    if (!set) this.byDir.set(dir, (set = new Set()));
    set.add(state.path);
  }
}
