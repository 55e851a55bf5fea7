// One feature per line: a site map stays readable in a diff and in a text editor.
export function formatSiteMap(fc: { type: string; watchfloor?: unknown; features: unknown[] }): string {
  const head = `{"type": "FeatureCollection",\n "watchfloor": ${JSON.stringify(fc.watchfloor)},\n "features": [\n`;
  return `${head}${fc.features.map((f) => `  ${JSON.stringify(f)}`).join(',\n')}\n]}\n`;
}
