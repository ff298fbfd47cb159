import { defineConfig } from 'vitest/config';

type Chunk = { moduleIds: string[] };

/**
 * Where a chunk goes under assets/: a role's own code in that role's folder (assets/doctor/…), a language's messages in
 * assets/messages/, everything shared at the top. The browser tests read these folders to check that a patient never
 * downloads another role's code and only their language.
 */
function chunkFolder({ moduleIds }: Chunk): string {
  const folders = new Set(moduleIds.map(id => /\/src\/(patient|doctor|pharmacy|admin|board)\//.exec(id)?.[1] ?? (/\/src\/shared\/i18n\/(en|hi)\.ts$/.test(id) ? 'messages' : '')));
  const [only] = folders;
  return folders.size === 1 && only ? `${only}/` : '';
}

// The server serves the built pages from its wwwroot (git-ignored; built by run.sh and test.sh).
export default defineConfig({
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
