/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>` runs one. Each prints
 * `<name>: <figure>` lines. Figures are ratios against a baseline measured in the same process
 * wherever a baseline makes sense, because these machines are noisy. See docs/benchmarks.md.
 */
const benchmarks: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  'first-sync': () => import('./bench/first-sync.bench'),
  drain: () => import('./bench/drain.bench'),
  'live-latency': () => import('./bench/live-latency.bench'),
  search: () => import('./bench/search.bench'),
  'search-ui': () => import('./bench/search-ui.bench'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benchmarks)) {
  const loader = benchmarks[name];
  if (!loader) continue;
  const started = Date.now();
  const mod = await loader();
  await mod.run();
  console.log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
process.exit(0);
