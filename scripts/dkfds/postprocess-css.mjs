// Post-processing of the compiled, trimmed dkfds stylesheet; run by scripts/build-dkfds-assets as
//   node postprocess-css.mjs IN.css OUT.css ICONS_DIR
// with the pinned postcss from scripts/dkfds/package.json. Sass cannot leave out single rules of a
// dkfds module, so this step does, on the compressed output (it stays compressed):
//   1. drops every selector that matches a DROP_SELECTORS pattern (tested on the selector with its
//      :not(...) parts removed, so `ol:not(.sidemenu)` is kept), then rules and @media blocks left
//      empty;
//   2. replaces url("fds-icon:NAME.svg") (dkfds' $icons-folder-path, set in dkfds-trimmed.scss) by
//      a data: URI of ICONS_DIR/NAME.svg;
//   3. deletes the declarations that load dkfds' placeholder logos, url("fds-image:...");
//   4. writes non-ASCII characters as CSS escapes, and fails if any other url() is left (the build
//      adds the @font-face rules itself afterwards).
import fs from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';

const cls = (names) => new RegExp(`\\.(?:${names.join('|')})(?![-\\w])`);

export const DROP_SELECTORS = [
  // responsive utility variants: the spacing classes (.mt-5, .px-4, ...) are kept for all screen
  // sizes only (no .mt-md-5); flex, width and text-align keep their -md- and -lg- variants; the
  // display utilities (.d-none, .d-lg-block, .d-print-none, ...) and the grid columns (.col-*-*)
  // keep every breakpoint
  /^\.[mp][trblxy]?-(?:sm|md|lg|xl)-/,
  /^\.(?:flex|justify-content|align-items|align-content|align-self|w-percent|align-text)-(?:sm|xl)-/,
  // grid column ordering
  /^\.order-/,
  // tables: row selection, pagination and action bars, structured lists, and the per-breakpoint
  // responsive headers (.table--responsive-headers, below md, is kept)
  cls(['table--selectable', 'table-row-selected', 'rows-message', 'table-pagination-options',
       'table-pagination', 'table-actions', 'table-selected-number', 'no-selected',
       'structured-list', 'table-sm-responsive-headers', 'table-md-responsive-headers',
       'table-lg-responsive-headers']),
  // form parts the dashboard does not use or that need dkfds.js: prefix/suffix inputs, date
  // inputs and picker, character limit, content shown by a checked checkbox/radio, tooltips
  cls(['form-input-wrapper', 'form-input-wrapper--prefix', 'form-input-wrapper--suffix',
       'form-input-prefix', 'form-input-suffix', 'date-group', 'date-picker', 'character-limit',
       'form-limit', 'form-limit-error', 'limit-exceeded', 'hidden-content-wrapper',
       'checkbox-content', 'radio-content', 'show-content', 'tooltip-wrapper']),
  // navigation: dropdown submenus and the "more" menu (both are built or opened by dkfds.js),
  // the search field in the menu bar (the search component is not included)
  cls(['submenu', 'button-overflow-menu', 'overflow-menu-inner', 'overflow-list', 'sub-title',
       'more-option', 'more-button', 'button-mobile-menu', 'collapsed', 'search', 'search-form',
       'contains-search']),
  // language switcher: the dropdown variants (dkfds.js); the plain .language-switcher is kept
  cls(['language-switcher-header', 'language-switcher-mobile', 'select-language-button',
       'select-language-list']),
];

const NOT = /:not\((?:[^()]|\([^()]*\))*\)/g;
const dropped = (selector) => {
  const positive = selector.replace(NOT, '');
  return DROP_SELECTORS.some((re) => re.test(positive));
};

const encodeSvg = (svg) =>
  svg.trim().replace(/\s+/g, ' ').replace(/"/g, "'")
    .replace(/[%#<>{}]|[^\x20-\x7e]/gu, (c) => encodeURIComponent(c));

function main() {
  const [input, output, iconsDir] = process.argv.slice(2);
  if (!input || !output || !iconsDir) {
    console.error('usage: node postprocess-css.mjs IN.css OUT.css ICONS_DIR');
    process.exit(2);
  }
  const root = postcss.parse(fs.readFileSync(input, 'utf8'), { from: input });
  let droppedSelectors = 0;

  root.walkRules((rule) => {
    if (rule.parent && rule.parent.type === 'atrule' && /keyframes$/i.test(rule.parent.name)) return;
    const keep = rule.selectors.filter((s) => !dropped(s));
    droppedSelectors += rule.selectors.length - keep.length;
    if (keep.length === 0) rule.remove();
    else if (keep.length !== rule.selectors.length) rule.selectors = keep;
  });
  // remove @media/@supports blocks emptied above (repeat for nested ones)
  for (let again = true; again;) {
    again = false;
    root.walkAtRules((at) => {
      if (at.nodes && at.nodes.length === 0) { at.remove(); again = true; }
    });
  }

  const icons = new Set();
  root.walkDecls((decl) => {
    if (decl.value.includes('fds-image:')) { decl.remove(); return; }
    decl.value = decl.value.replace(/url\(["']?fds-icon:([a-z0-9-]+)\.svg["']?\)/g, (m, name) => {
      const file = path.join(iconsDir, `${name}.svg`);
      if (!fs.existsSync(file)) throw new Error(`icon ${name} used by the CSS is missing: ${file}`);
      icons.add(name);
      return `url("data:image/svg+xml,${encodeSvg(fs.readFileSync(file, 'utf8'))}")`;
    });
  });

  // pure ASCII output: characters such as the list bullet in `content: "•"` become CSS escapes
  // ("\2022 "), so the file needs no @charset or byte order mark (postcss drops sass' BOM)
  const css = root.toResult().css
    .replace(/[^\x00-\x7f]/gu, (c) => `\\${c.codePointAt(0).toString(16)} `);
  const leftover = css.match(/url\((?!["']?data:)[^)]*\)/g);
  if (leftover) throw new Error(`unexpected url() left in the CSS: ${[...new Set(leftover)].join(', ')}`);
  fs.writeFileSync(output, css.endsWith('\n') ? css : css + '\n');
  console.log(JSON.stringify({ droppedSelectors, inlinedIcons: [...icons].sort() }));
}

main();
