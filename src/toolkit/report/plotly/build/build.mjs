// Build the reports' plotly.js: the npm package plotly.js at the version the Python plotly
// package ships, with only the trace types the reports draw, bundled and minified by esbuild.
// Run by build.sh (`make plotly-bundle`) in a scratch folder holding package.json and
// package-lock.json; writes plotly.min.js and manifest.json into the folder given as argument.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

// The trace types the reports draw (tests/test_plotly_bundle.py checks the reports use no other).
export const TRACES = ['bar', 'box', 'heatmap', 'sankey', 'scatter', 'waterfall'];

const out = process.argv[2];
if (!out) {
    console.error('usage: node build.mjs OUT_DIR');
    process.exit(2);
}
const require = createRequire(import.meta.url);
const plotlyVersion = require('plotly.js/package.json').version;

// Plotly's service addresses are emptied in the source, so no chart, whatever its configuration,
// can send its data to the cloud, fetch map files from plotly's CDN, or link to plotly.com.
const STAY_HOME = {
    'src/plot_api/plot_config.js': [
        ["dflt: 'https://cloud.plotly.com/newchart'", "dflt: ''"],
        ["dflt: 'https://cdn.plot.ly/un/'", "dflt: ''"],
        ['topojson files are fetched from cdn.plot.ly', 'topojson files are fetched from topojsonURL'],
    ],
    'src/components/modebar/modebar.js': [["a.href = 'https://plotly.com/';", "a.href = '#';"]],
};
const stayHome = {
    name: 'stay-home',
    setup(build) {
        build.onLoad({ filter: /plotly\.js[\\/]src[\\/].*\.js$/ }, (args) => {
            const rel = Object.keys(STAY_HOME).find((f) => args.path.replaceAll('\\', '/').endsWith('plotly.js/' + f));
            if (!rel) return undefined;
            let contents = readFileSync(args.path, 'utf8');
            for (const [from, to] of STAY_HOME[rel]) {
                if (!contents.includes(from)) throw new Error(`${rel}: "${from}" not found (a new plotly.js?)`);
                contents = contents.replaceAll(from, to);
            }
            patched.add(rel);
            return { contents, loader: 'js' };
        });
    },
};
const patched = new Set();

const entry = [
    "'use strict';",
    "var Plotly = require('plotly.js/lib/core');",
    'Plotly.register([',
    ...TRACES.filter((t) => t !== 'scatter').map((t) => `    require('plotly.js/lib/${t}'),`),
    ']);',
    'module.exports = Plotly;',
].join('\n');

const banner = [
    '/**',
    `* plotly.js v${plotlyVersion} (partial bundle: ${TRACES.join(', ')})`,
    '* Copyright 2012-2026, Plotly, Inc.',
    '* All rights reserved.',
    '* Licensed under the MIT license',
    '*/',
].join('\n');

const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: process.cwd(), sourcefile: 'toolkit-plotly.js' },
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    write: false,
    // as plotly.js's own esbuild-config.js
    alias: { stream: 'stream-browserify' },
    // the only style sheet required is maplibre's, for map traces, which are not in the bundle
    loader: { '.css': 'empty' },
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    target: 'es2016',
    banner: { js: banner },
    plugins: [stayHome],
    logLevel: 'warning',
});
for (const rel of Object.keys(STAY_HOME)) {
    if (!patched.has(rel)) throw new Error(`${rel} was not bundled: the stay-home edit did not apply`);
}
const code = result.outputFiles[0].text;
if (!code.includes(`version:"${plotlyVersion}"`) && !code.includes(`"${plotlyVersion}"`)) {
    throw new Error(`the bundle does not carry plotly.js version ${plotlyVersion}`);
}
writeFileSync(join(out, 'plotly.min.js'), code);
const manifest = {
    file: 'plotly.min.js',
    sha256: createHash('sha256').update(code).digest('hex'),
    bytes: Buffer.byteLength(code),
    plotly_js: plotlyVersion,
    esbuild: esbuild.version,
    stay_home: Object.keys(STAY_HOME),
    traces: TRACES,
};
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`plotly.min.js: plotly.js ${plotlyVersion}, ${manifest.bytes} bytes, sha256 ${manifest.sha256}`);
