import { defineConfig } from 'vitest/config';

// The server serves the built pages from its wwwroot (git-ignored; built by run.sh and test.sh).
export default defineConfig({
  build: {
    outDir: '../src/Telemed.Server/wwwroot',
    emptyOutDir: true,
    rollupOptions: { input: { index: 'index.html', verify: 'verify.html', board: 'board.html', 'reset-password': 'reset-password.html' } },
  },
  test: { include: ['src/**/*.test.ts'] },
});
