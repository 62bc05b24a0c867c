// The look of <herald-inbox>. Every colour and size is a CSS custom property with a default, so a
// page themes the element from outside, e.g. herald-inbox { --herald-accent: #7c3aed; }
//
//   --herald-font            font of the element               (inherited)
//   --herald-color           text                              #1f2328
//   --herald-muted           secondary text (time)             #59636e
//   --herald-background      panel background                  #ffffff
//   --herald-border          lines and panel border            #d1d9e0
//   --herald-accent          unread marker, links, focus ring  #0969da
//   --herald-unread-background  background of unread items   #eef5ff
//   --herald-badge-background / --herald-badge-color           #cf222e / #ffffff
//   --herald-radius          corner radius                     8px
//   --herald-panel-width     panel width                       22rem
//   --herald-panel-height    panel maximum height              30rem

export const STYLE = `
:host { position: relative; display: inline-block; font: var(--herald-font, inherit); color: var(--herald-color, #1f2328); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
button { font: inherit; color: inherit; cursor: pointer; }
:focus-visible { outline: 2px solid var(--herald-accent, #0969da); outline-offset: 2px; }
.bell { position: relative; display: grid; place-items: center; width: 2.5rem; height: 2.5rem; padding: 0;
  border: 0; border-radius: 50%; background: transparent; }
.bell:hover { background: color-mix(in srgb, currentColor 10%, transparent); }
.badge { position: absolute; top: 0; right: 0; min-width: 1.1rem; height: 1.1rem; padding: 0 .3rem; box-sizing: border-box;
  border-radius: .55rem; font-size: .7rem; font-weight: 600; line-height: 1.1rem; text-align: center;
  background: var(--herald-badge-background, #cf222e); color: var(--herald-badge-color, #fff); }
.badge[hidden] { display: none; }
.panel { position: absolute; z-index: 1000; right: 0; top: calc(100% + .4rem); display: flex; flex-direction: column;
  width: var(--herald-panel-width, 22rem); max-width: calc(100vw - 1rem); max-height: var(--herald-panel-height, 30rem);
  background: var(--herald-background, #fff); border: 1px solid var(--herald-border, #d1d9e0);
  border-radius: var(--herald-radius, 8px); box-shadow: 0 8px 24px rgb(0 0 0 / .15); }
.panel.start { right: auto; left: 0; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; justify-content: space-between; padding: .6rem .8rem;
  border-bottom: 1px solid var(--herald-border, #d1d9e0); }
h2 { margin: 0; font-size: 1rem; }
header button, .more, .actions button { border: 0; background: none; color: var(--herald-accent, #0969da); padding: .2rem .3rem; }
.list { list-style: none; margin: 0; padding: 0; overflow-y: auto; }
.item { display: grid; grid-template-columns: .6rem 1fr; gap: .2rem .5rem; padding: .6rem .8rem;
  border-bottom: 1px solid var(--herald-border, #d1d9e0); cursor: pointer; }
.item.unread { background: var(--herald-unread-background, #eef5ff); }
.item:focus-visible { outline-offset: -2px; }
.dot { width: .5rem; height: .5rem; margin-top: .4rem; border-radius: 50%; }
.unread .dot { background: var(--herald-accent, #0969da); }
.content { min-width: 0; }
.title { display: block; }
.body { margin: .15rem 0; overflow-wrap: anywhere; }
time { font-size: .8rem; color: var(--herald-muted, #59636e); }
.actions { grid-column: 2; display: flex; gap: .5rem; }
.empty, .error { margin: 0; padding: 1rem .8rem; color: var(--herald-muted, #59636e); }
.error { color: var(--herald-badge-background, #cf222e); }
.empty[hidden], .error[hidden], .more[hidden] { display: none; }
.more { padding: .6rem; }
`;
