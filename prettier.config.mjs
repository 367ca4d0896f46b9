// Prettier for the hand-written code and the config files (.prettierignore says what is left out).
// Close to the style the code grew up with: single quotes, semicolons, trailing commas, and lines
// up to 160 columns, so long signatures and SQL strings stay on one line and files do not grow.
export default {
  printWidth: 160,
  singleQuote: true,
  trailingComma: 'all',
  // YAML (compose.yaml, codegen.yml) keeps the double quotes its own examples use.
  overrides: [{ files: ['*.yaml', '*.yml'], options: { singleQuote: false } }],
};
