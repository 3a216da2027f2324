/**
 * What the editor tiers expect, shared by the extension-host suite (bundled), the UI tier, the
 * neovim tier and the LSP tier. No I/O and no `vscode` here.
 */
import directives from '../../server/data/directives.json';

/** A sandbox diagnostic ends with the exposure predicted once it is fixed: `… → 8.4`. */
export const PREDICTION = /→ (\d+\.\d)$/;

export function predictedExposure(message: string): string | null {
  return PREDICTION.exec(message)?.[1] ?? null;
}

/** The directive's description from the knowledge base, without a leading "Section: " qualifier. */
export function descriptionOf(name: string): string {
  const d = (directives.directives as Array<{ name: string; description?: string }>).find((x) => x.name === name);
  if (!d?.description) throw new Error(`no description for ${name} in server/data/directives.json`);
  return d.description.replace(/^[A-Z][A-Za-z]*: /, '');
}

/** Text compared as prose: markdown markup and spacing do not matter. */
export function prose(text: string): string {
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when a hover's text shows the directive's description. */
export function hoverShowsDescription(hoverText: string, name: string): boolean {
  return prose(hoverText).includes(prose(descriptionOf(name)));
}

/**
 * The fixture's weak sandboxing line and its fix, a hint's. ProtectProc= is outside the safe set, so the
 * fix is not preferred and its title says what it may break. (Its ProtectSystem=full gets no fix:
 * ProtectSystem=strict alone breaks Debian's nginx, which writes /var/lib/nginx and /var/log/nginx.)
 */
export const WEAK_LINE = 'ProtectProc=noaccess';
export const FIXED_LINE = 'ProtectProc=invisible';

/** The drop-in the "move the hardening into a drop-in" fix creates beside a unit. */
export const HARDENING_DROPIN = 'hardening.conf';

/** Titles of the fixes the tests look for (the written paths' fix adds RuntimeDirectory= for the unit's own /run folder). */
export const ADD_READWRITEPATHS = /^Add (RuntimeDirectory|ReadWritePaths)=/;
export const MOVE_TO_DROPIN = /\bmove\b/i;

/** A `Key=value` line of a unit file. */
export const ASSIGNMENT = /^\s*([A-Za-z][A-Za-z0-9]*)\s*=/;
