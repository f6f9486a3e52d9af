// Floor for `credkit profiles --json` on a large config: build objects of the same shape as
// listProfiles returns (name, kind, region, where defined, every property with file, line and
// masking), one JSON.stringify, one write. No validation, no diagnostics, no kinds beyond `static`.
const fs = require('node:fs');

// Usage: node profiles-json.cjs CONFIG_FILE
const file = process.argv[2];
const lines = fs.readFileSync(file, 'utf8').split('\n');
const profiles = [];
let current;
lines.forEach((line, i) => {
  if (line === '') return;
  if (line[0] === '[') {
    current = {
      name: line.slice(9, -1),
      kind: 'static',
      region: null,
      definedIn: [{ file, line: i + 1 }],
      properties: [],
      diagnostics: [],
    };
    profiles.push(current);
    return;
  }
  const eq = line.indexOf('=');
  const name = line.slice(0, eq).trim();
  const value = line.slice(eq + 1).trim();
  const masked = name === 'aws_secret_access_key';
  if (name === 'region') current.region = value;
  current.properties.push({
    name,
    value: masked ? `${'*'.repeat(16)}${value.slice(-4)}` : value,
    masked,
    file,
    line: i + 1,
  });
});
fs.writeSync(1, `${JSON.stringify(profiles)}\n`);
