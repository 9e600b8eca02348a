/**
 * The demo page's stylesheet: Discord's dark theme (its 2024 colours and sizes) with system fonts only, so the page
 * needs nothing from the network.
 */
export const DEMO_PAGE_CSS = `
:root {
  --bg: #313338; --bg-2: #2b2d31; --bg-3: #1e1f22; --text: #dbdee1; --header: #f2f3f5; --muted: #949ba4;
  --interactive: #b5bac1; --link: #00a8fc; --brand: #5865f2;
  color-scheme: dark;
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--text); }
body {
  font: 16px/1.375 "gg sans", "Noto Sans", "Helvetica Neue", "Liberation Sans", "DejaVu Sans", Arial, sans-serif,
    "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji";
}
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }

.channel-header {
  position: sticky; top: 0; z-index: 1; display: flex; align-items: center; gap: 8px; height: 48px; padding: 0 16px;
  background: var(--bg); box-shadow: 0 1px 0 rgba(4, 4, 5, .2), 0 1.5px 0 rgba(6, 6, 7, .05), 0 2px 0 rgba(4, 4, 5, .05);
}
.channel-header .hash { color: #80848e; font-size: 24px; font-weight: 400; line-height: 1; }
.channel-header .channel { color: var(--header); font-weight: 600; }
.channel-header .divider { width: 1px; height: 24px; margin: 0 8px; background: #3f4147; }
.channel-header .guild { color: var(--muted); font-size: 14px; }
.chat { padding: 8px 0 24px; }
.demo-notes {
  margin: 16px 16px 0; padding: 8px 16px; border-left: 4px solid #f0b232; border-radius: 4px; background: var(--bg-2);
  color: var(--interactive); font-size: 14px;
}
.demo-notes p { margin: 4px 0; }

.scene { padding: 16px 0 8px; }
.scene-title {
  display: flex; align-items: center; gap: 8px; margin: 8px 16px; color: var(--header);
  font-size: 12px; font-weight: 600; letter-spacing: .02em; text-transform: uppercase;
}
.scene-title::before, .scene-title::after { content: ""; flex: 1; height: 1px; background: #3f4147; }

.message { position: relative; display: flex; gap: 16px; padding: 2px 48px 2px 16px; margin-top: 17px; }
.message:hover { background: rgba(2, 2, 2, .06); }
.message.ephemeral { background: rgba(88, 101, 242, .05); }
.avatar {
  flex: none; display: flex; align-items: center; justify-content: center; width: 40px; height: 40px; border-radius: 50%;
  color: #fff; font-size: 15px; font-weight: 600; user-select: none;
}
.avatar.small { width: 16px; height: 16px; font-size: 8px; }
.body { min-width: 0; flex: 1; }
.message-header { display: flex; align-items: center; gap: 4px; margin: 0; font-size: 16px; font-weight: 500; }
.author { color: var(--header); }
.app-tag {
  display: inline-flex; align-items: center; height: 15px; padding: 0 4px; margin-left: 2px; border-radius: 3px;
  background: var(--brand); color: #fff; font-size: 10px; font-weight: 600; line-height: 15px; vertical-align: middle;
}
.edited { color: var(--muted); font-size: 10px; margin-left: 4px; }
.content { color: var(--text); white-space: normal; overflow-wrap: anywhere; }
.content, .embed-description, .field-value { font-size: 16px; }
blockquote { margin: 2px 0; padding: 0 8px 0 12px; border-left: 4px solid #4e5058; border-radius: 4px; }
code {
  padding: 0 .2em; border-radius: 4px; background: var(--bg-3); font-size: 85%;
  font-family: "DejaVu Sans Mono", Consolas, monospace;
}
pre { margin: 4px 0; padding: 8px; border: 1px solid var(--bg-3); border-radius: 4px; background: var(--bg-2); }
pre code { padding: 0; background: none; }
.mention, .timestamp { padding: 0 2px; border-radius: 3px; font-weight: 500; }
.mention { background: rgba(88, 101, 242, .3); color: #c9cdfb; }
.timestamp { background: rgba(255, 255, 255, .06); }

.embeds { display: grid; gap: 4px; margin-top: 2px; }
.embed {
  display: flex; flex-direction: column; max-width: 520px; padding: 8px 16px 16px 12px; border-left: 4px solid var(--bg-3);
  border-radius: 4px; background: var(--bg-2);
}
.embed-main { display: flex; gap: 16px; }
.embed-text { min-width: 0; flex: 1; }
.embed-author { margin-top: 8px; color: var(--header); font-size: 14px; font-weight: 600; }
.embed-title { margin-top: 8px; color: var(--header); font-size: 16px; font-weight: 600; }
.embed-description { margin-top: 8px; font-size: 14px; overflow-wrap: anywhere; }
.embed-fields { display: grid; grid-template-columns: repeat(12, 1fr); gap: 8px; margin-top: 8px; }
.field-name { color: var(--header); font-size: 14px; font-weight: 600; margin-bottom: 2px; }
.field-value { font-size: 14px; overflow-wrap: anywhere; }
.embed-footer { display: flex; align-items: center; margin-top: 8px; color: var(--text); font-size: 12px; font-weight: 500; }
.poster {
  display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 6px; padding: 6px;
  border-radius: 4px; color: rgba(255, 255, 255, .85); text-align: center; overflow: hidden;
  box-shadow: inset 0 0 0 1px rgba(255, 255, 255, .08);
}
.poster .reel { font-size: 22px; line-height: 1; }
.poster .label { font-size: 11px; font-weight: 600; line-height: 1.2; overflow-wrap: anywhere; }
.embed-thumbnail { flex: none; width: 80px; height: 120px; margin-top: 8px; }
.embed-image { width: 100%; max-width: 400px; aspect-ratio: 16 / 9; margin-top: 16px; }
.embed-image .label { font-size: 14px; }

.components { display: grid; gap: 8px; margin-top: 8px; }
.row { display: flex; flex-wrap: wrap; gap: 8px; }
.button {
  display: inline-flex; align-items: center; justify-content: center; gap: 6px; min-width: 60px; height: 32px;
  padding: 2px 16px; border: 0; border-radius: 8px; color: #fff; font: inherit; font-size: 14px; font-weight: 500;
}
.button.primary { background: #5865f2; }
.button.secondary, .button.link { background: #4e5058; }
.button.success { background: #248046; }
.button.danger { background: #da373c; }
.button.premium { background: #5865f2; }
.button.disabled { opacity: .5; cursor: not-allowed; }
.button .external { font-size: 12px; }
.select {
  display: flex; align-items: center; justify-content: space-between; width: 100%; max-width: 400px; height: 40px;
  padding: 8px 8px 8px 12px; border: 1px solid var(--bg-3); border-radius: 4px; background: var(--bg-3); font-size: 14px;
}
.select .placeholder { color: var(--muted); }
.select .chosen { color: var(--text); }
.select.disabled { opacity: .5; }
.select .chevron { color: var(--interactive); font-size: 12px; }

.reactions { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
.reaction {
  display: inline-flex; align-items: center; gap: 6px; height: 24px; padding: 2px 6px; border: 1px solid transparent;
  border-radius: 8px; background: var(--bg-2); font-size: 14px;
}
.reaction .count { color: var(--interactive); font-size: 14px; font-weight: 600; min-width: 9px; text-align: center; }
.ephemeral-note { display: flex; align-items: center; gap: 4px; margin-top: 4px; color: var(--muted); font-size: 12px; }
.ephemeral-note svg { width: 16px; height: 16px; fill: currentColor; }

.action { display: flex; align-items: center; gap: 4px; padding: 2px 48px 2px 72px; font-size: 14px; color: var(--muted); }
.action.command { position: relative; margin-top: 17px; margin-bottom: -15px; }
.action.command::before {
  content: ""; position: absolute; left: 34px; top: 50%; width: 33px; height: 12px;
  border-left: 2px solid #4e5058; border-top: 2px solid #4e5058; border-top-left-radius: 6px;
}
.action.command + .message { margin-top: 17px; }
.action .who { color: var(--header); font-weight: 500; }
.action .command-name { color: var(--link); font-weight: 500; }
.action .options { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.action.system { margin-top: 12px; }
.action.system .icon { width: 16px; margin-right: 8px; color: #23a55a; text-align: center; }
`;
