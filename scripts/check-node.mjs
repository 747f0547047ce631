// Fails early, with the fix, when npm scripts run under a Node older than Glint needs.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `Glint needs Node >= 22.18 (this is ${process.version}). Run \`bash scripts/setup.sh\` once, ` +
      'then `source scripts/env.sh` in each new shell.',
  );
  process.exit(1);
}
