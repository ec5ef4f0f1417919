import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy, contentSecurityPolicyMeta } from './src/main/electron/content-security-policy';

/**
 * Writes the one CSP into the built index.html, pinning each entry script by its SHA-384 (and adding the
 * matching `integrity` attribute). Done after the files are written so the hash covers the final bytes.
 * In `serve` (npm start) the dev server rewrites scripts and needs its HMR socket, so only there the
 * policy uses 'self' and lets connect-src reach the local dev origin; the built app never does (tested).
 */
function contentSecurityPolicyPlugin(): Plugin {
  let outDir = '';
  return {
    name: 'safehouse-csp',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        if (context.server) {
          const devPolicy = contentSecurityPolicy
            .replace("connect-src 'none'", 'connect-src ws://localhost:* http://localhost:*')
            .replace("; frame-ancestors 'none'", '');
          return html.replace('%CONTENT_SECURITY_POLICY%', devPolicy);
        }
        return html;
      },
    },
    writeBundle() {
      const indexFile = resolve(outDir, 'index.html');
      let html = readFileSync(indexFile, 'utf8');
      const hashes: string[] = [];
      html = html.replace(/<script type="module" crossorigin src="\.\/([^"]+)"><\/script>/g, (tag, file: string) => {
        const hash = `sha384-${createHash('sha384').update(readFileSync(resolve(outDir, file))).digest('base64')}`;
        hashes.push(hash);
        return tag.replace(' src=', ` integrity="${hash}" src=`);
      });
      if (hashes.length === 0) throw new Error('safehouse-csp: no entry script found in index.html');
      writeFileSync(indexFile, html.replace('%CONTENT_SECURITY_POLICY%', contentSecurityPolicyMeta(hashes)));
    },
  };
}

/**
 * Copies what the face detector reads at run time (BlazeFace and FaceRes weights from @vladmandic/human, the .wasm
 * binaries of @tensorflow/tfjs-backend-wasm) to resources/face-models, where the packaged app finds them.
 * Copied from the installed npm packages on every build, never committed (see docs/faces.md).
 */
function faceModelsPlugin(): Plugin {
  return {
    name: 'safehouse-face-models',
    writeBundle() {
      const require = createRequire(import.meta.url);
      const modelDir = resolve(dirname(require.resolve('@vladmandic/human')), '../models');
      const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
      const target = resolve(__dirname, 'resources/face-models');
      mkdirSync(target, { recursive: true });
      for (const file of ['blazeface.json', 'blazeface.bin', 'faceres.json', 'faceres.bin']) copyFileSync(join(modelDir, file), join(target, file));
      for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
        copyFileSync(join(wasmDir, file), join(target, file));
      }
    },
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/electron/main.ts'),
          cli: resolve(__dirname, 'src/main/cli/main.ts'),
          // The face analysis worker thread: an ordinary typed module, started by path (face-worker-client.ts).
          'face-worker': resolve(__dirname, 'src/main/core/faces/face-worker.ts'),
        },
      },
    },
    plugins: [faceModelsPlugin()],
  },
  preload: {
    // A sandboxed preload cannot require() packages, so everything it uses is bundled into it.
    build: {
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [contentSecurityPolicyPlugin()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
      // Inline assets would need data: script/style sources; everything stays a separate 'self' file.
      assetsInlineLimit: 0,
    },
  },
});
