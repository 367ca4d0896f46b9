/** The page's only stylesheet, served from /ops/ops.css (the CSP allows 'self' styles and nothing inline). */
export const OPS_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.error { color: #8a1c1c; max-width: 28rem; overflow-wrap: anywhere; font-family: ui-monospace, monospace; font-size: 12px; }
code { font-size: 12px; }
.notice { padding: .5rem .75rem; border-radius: 4px; background: #e8f5e9; border: 1px solid #2e7d32; }
.notice.refused { background: #fdecea; border-color: #c62828; }
.legend .placed { color: #2e7d32; } .legend .failed { color: #c62828; }
.empty { color: #666; }
form.inline { display: inline; margin: 0; }
header { display: flex; justify-content: space-between; align-items: center; }
input[type=email], input[type=password] { width: 24rem; max-width: 100%; }
`;
