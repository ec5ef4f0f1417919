import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import type { ToolLimits } from './tool-process';

/** Absolute paths of the external media tools. exiftool is optional: the core never needs it, tests do. */
export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
  exiftool?: string;
  /** Timeouts of tool runs; the defaults (tool-process.ts) unless a test shortens them. */
  limits?: ToolLimits;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** First executable `name` on PATH, resolved to an absolute path so later spawns cannot be redirected by cwd. */
export function whichSync(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue; // a relative PATH entry would resolve against the card's cwd
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function resolveTool(envName: string, name: string, env: NodeJS.ProcessEnv): string | undefined {
  const override = env[envName];
  // An explicit override that is wrong must fail loudly instead of silently using some other binary.
  if (override !== undefined && override !== '') return isExecutable(override) ? override : undefined;
  return whichSync(name, env.PATH ?? '');
}

/**
 * Locates ffmpeg/ffprobe (env SAFEHOUSE_FFMPEG / SAFEHOUSE_FFPROBE first, then PATH) and exiftool
 * (SAFEHOUSE_EXIFTOOL, then PATH; optional). Throws FFMPEG_MISSING saying how to install them.
 */
export async function findMediaTools(env: NodeJS.ProcessEnv = process.env): Promise<MediaTools> {
  const ffmpeg = resolveTool('SAFEHOUSE_FFMPEG', 'ffmpeg', env);
  const ffprobe = resolveTool('SAFEHOUSE_FFPROBE', 'ffprobe', env);
  if (!ffmpeg || !ffprobe) {
    const missing = [!ffmpeg && 'ffmpeg', !ffprobe && 'ffprobe'].filter(Boolean).join(' and ');
    throw new SafehouseError(
      'FFMPEG_MISSING',
      `${missing} could not be found. Install them (Debian/Ubuntu: \`apt-get install ffmpeg\`, macOS: \`brew install ffmpeg\`) ` +
        'or point SAFEHOUSE_FFMPEG / SAFEHOUSE_FFPROBE at the programs, then try again.',
    );
  }
  const exiftool = resolveTool('SAFEHOUSE_EXIFTOOL', 'exiftool', env);
  return exiftool ? { ffmpeg, ffprobe, exiftool } : { ffmpeg, ffprobe };
}
