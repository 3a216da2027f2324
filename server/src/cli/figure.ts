/**
 * `--running` and `--offline`: which of `systemd-analyze security`'s figures the commands give (the
 * core's knowledge/figures.ts). Without either, the release's default: offline where it has one (250
 * and later), else the running manager's.
 */
import { batchService, type Figure } from '../service';
import { UsageError, type OptionSpec } from './args';

/** The two options, for each command's parseArgs() spec. */
export const FIGURE_OPTIONS: Record<'running' | 'offline', OptionSpec> = {
  running: { value: false },
  offline: { value: false },
};

/** The figure the options ask for at `version`; a UsageError when they conflict or the release lacks it. */
export function figureOption(options: ReadonlyMap<string, string>, version: number): Figure {
  const running = options.has('running');
  const offline = options.has('offline');
  if (running && offline) throw new UsageError('--running and --offline exclude each other: give one');
  if (!running && !offline) return batchService.defaultFigure(version);
  const figure: Figure = running ? 'running' : 'offline';
  if (!batchService.figures(version).includes(figure))
    throw new UsageError(
      figure === 'offline'
        ? `systemd ${version} has no offline figure (systemd-analyze security --offline=yes came in 250): its only figure is the running manager's, the default without --offline`
        : `systemd ${version} has no running figure in the data`,
    );
  return figure;
}

/** How the text outputs name the figure: "offline figure, systemd 252". */
export function figureLabel(figure: Figure, version: number): string {
  return `${figure} figure, systemd ${version}`;
}
