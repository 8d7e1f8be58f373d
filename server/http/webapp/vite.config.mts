import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { VantResolver } from '@vant/auto-import-resolver';
import Components from 'unplugin-vue-components/vite';
import { defineConfig, type Plugin } from 'vite';

/** Vant's icon font is inlined; its CSS also names a CDN copy, which a page of ours never loads. */
const noIconCdn: Plugin = {
  name: 'vant-icon-no-cdn',
  transform(code, id) {
    if (!/vant[\\/]es[\\/]icon[\\/]index\.css/.test(id)) return null;
    return code.replace(/,\s*url\(\/\/at\.alicdn\.com[^)]*\)\s*format\("woff"\)/, '');
  },
};

/** The web app (R22), served by Koa under /app/ with hashed, long-cached assets. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  // Vant's components and their styles, imported where a template uses them (nothing else is bundled).
  plugins: [noIconCdn, vue(), Components({ resolvers: [VantResolver()], dts: 'components.d.ts', dirs: ['src/components'] })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    reportCompressedSize: true,
    chunkSizeWarningLimit: 250,
    // The libraries in one long-cached chunk, loaded with the page: a phone asks for three files, not twenty.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: 'vendor', test: /node_modules[\\/](vue|@vue|vue-router|vant|@vant|@telegram-apps|valibot|mitt|better-promises|error-kid)[\\/]/ }],
        },
      },
    },
  },
  logLevel: 'warn',
});
