/**
 * The answer to `systemdHardening/harden`: the recommended drop-in (hardenUnit) with the edit that
 * writes it, for the editor's "Harden this unit…" preview. The edit creates the file when it is
 * missing and replaces its whole text otherwise, so applying it twice gives the same file.
 */
import { pathToFileURL } from 'node:url';
import type { HardenEdit, HardenParams, HardenResultMessage } from '../../../protocol/protocol';
import { hardeningService, type HardenResult } from '../service';
import type { Advice } from './advice';
import type { Analyses } from './analyses';
import type { ServerState } from './state';

export interface HardenFiles {
  uri(path: string): string;
  /** The file's current text (open editor, unit file set, or disk), null when it does not exist. */
  text(path: string): string | null;
}

/**
 * `result` as the protocol sends it. `now` is the unit's exposure as the editor shows it (the same
 * engine; it wins over the recommendation's own figure, worked out when the unit was last still).
 */
export function hardenPreview(
  result: HardenResult,
  now: { exposure: number; band: string | null } | null,
  files: HardenFiles,
): HardenResultMessage {
  const path = result.dropinPath;
  const existing = path ? files.text(path) : null;
  const uri = path ? files.uri(path) : null;
  let edit: HardenEdit | null = null;
  if (path && uri && !result.error && result.dropin !== '' && existing !== result.dropin) {
    const end = hardeningService.lineIndex(existing ?? '').positionAt((existing ?? '').length);
    edit = {
      documentChanges: [
        { kind: 'create', uri, options: { ignoreIfExists: true } },
        {
          textDocument: { uri, version: null },
          edits: [{ range: { start: { line: 0, character: 0 }, end }, newText: result.dropin }],
        },
      ],
    };
  }
  return {
    unit: result.unit,
    profile: result.profile,
    profileTitle: result.profileTitle,
    dropinPath: path,
    dropinUri: uri,
    dropin: result.dropin,
    exposureBefore: now ? now.exposure : result.exposureBefore,
    exposureAfter: result.exposureAfter,
    bandBefore: now ? now.band : result.bandBefore,
    bandAfter: result.bandAfter,
    leftOpen: result.leftOpen,
    verify: result.verify,
    existing,
    edit,
    ...(result.error ? { error: result.error } : {}),
  };
}

/** `systemdHardening/harden`: the document's unit's recommended drop-in, worked out now if it is not known yet. */
export function hardenHandler(
  state: ServerState,
  analyses: Analyses,
  advice: Advice,
): (params: HardenParams) => HardenResultMessage {
  return (params) => {
    const entry = params && typeof params.uri === 'string' ? analyses.get(params.uri) : null;
    if (!entry || entry.analysis.model.type !== 'service') return null;
    const result = advice.recommend(entry);
    const base = entry.analysis.suggestions?.base;
    return hardenPreview(result, base?.exposure ? { exposure: base.exposure.tenths / 10, band: base.band } : null, {
      uri: (path) => entry.ctx.uris.get(path) ?? pathToFileURL(path).href,
      text: (path) => entry.ctx.files.find((f) => f.path === path)?.text ?? state.disk.readText(path),
    });
  };
}
