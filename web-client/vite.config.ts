import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

type Chunk = { moduleIds: string[] };

/**
 * Where a chunk goes under assets/: a role's own code in that role's folder (assets/doctor/…), a language's messages in
 * assets/messages/, everything shared at the top. The browser tests read these folders to check that a patient never
 * downloads another role's code and only their language.
 */
function chunkFolder({ moduleIds }: Chunk): string {
  const folders = new Set(moduleIds.map(id => /\/src\/(patient|doctor|pharmacy|admin|board|health-worker)\//.exec(id)?.[1] ?? (/\/src\/shared\/i18n\/[a-z]{2}\.ts$/.test(id) ? 'messages' : '')));
  const [only] = folders;
  return folders.size === 1 && only ? `${only}/` : '';
}

/**
 * Stamps the service worker (public/sw.js, copied as it is) with the build's version, a hash of what the build wrote:
 * a new build is a new worker, which drops the old build's cache when it takes over.
 */
function serviceWorkerVersion(): Plugin {
  let outDir = '';
  let version = '';
  return {
    name: 'telemed-service-worker-version',
    apply: 'build',
    configResolved: config => { outDir = resolve(config.root, config.build.outDir); },
    generateBundle: (_, bundle) => {
      const hash = createHash('sha256');
      for (const name of Object.keys(bundle).sort()) {
        const file = bundle[name];
        hash.update(name).update(file.type === 'chunk' ? file.code : file.source);
      }
      version = hash.digest('hex').slice(0, 12);
    },
    closeBundle: () => {
      const worker = resolve(outDir, 'sw.js');
      writeFileSync(worker, readFileSync(worker, 'utf8').replace('__BUILD_VERSION__', version));
    },
  };
}

// The server serves the built pages from its wwwroot (git-ignored; built by run.sh and test.sh).
export default defineConfig({
  plugins: [serviceWorkerVersion()],
  build: {
    outDir: '../src/Telemed.Server/wwwroot',
    emptyOutDir: true,
    rollupOptions: {
      input: { index: 'index.html', verify: 'verify.html', board: 'board.html', 'reset-password': 'reset-password.html' },
      output: { chunkFileNames: chunk => `assets/${chunkFolder(chunk)}[name]-[hash].js` },
    },
  },
  test: { include: ['src/**/*.test.ts'], setupFiles: ['src/test-setup.ts'] },
});
