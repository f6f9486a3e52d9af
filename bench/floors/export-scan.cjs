// Floor for `credkit export --profile P` on a large config: the least a tool that validates the whole
// file can do. Every line is looked at (a syntax error anywhere makes the file invalid), only P's
// properties are built, no diagnostics, no masking, no error messages. Not a credential tool.
const fs = require('node:fs');

// Usage: node export-scan.cjs CONFIG_FILE CREDENTIALS_FILE PROFILE
const [configFile, credentialsFile, profile] = process.argv.slice(2);
const text = fs.readFileSync(configFile, 'utf8');
fs.readFileSync(credentialsFile, 'utf8');
const header = `[profile ${profile}]`;
const props = {};
let inWanted = false;
let next = 0;
while (next < text.length) {
  const start = next;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  next = end + 1;
  if (text.charCodeAt(start) === 91) {
    inWanted = text.startsWith(header, start);
    continue;
  }
  const eq = text.indexOf('=', start);
  if (eq === -1 || eq > end) throw new Error(`line without "=" at offset ${start}`);
  if (inWanted) props[text.slice(start, eq).trim()] = text.slice(eq + 1, end).trim();
}
const out = {
  Version: 1,
  AccessKeyId: props.aws_access_key_id,
  SecretAccessKey: props.aws_secret_access_key,
};
fs.writeSync(1, `${JSON.stringify(out, null, 2)}\n`);
